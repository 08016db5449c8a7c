import { TestDatabaseId } from '@backstage/backend-test-utils';
import { missingServerError, strictTests } from './strictTests';

const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * The databases every store test runs on: SQLite always, and PostgreSQL 15
 * when `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING` names one (the
 * throw-away server `npm test` starts, scripts/run-tests.js). Without it the
 * tests run on SQLite only, unless they are strict (DEVOPS_PERSONAS_TEST_STRICT,
 * set by `npm test`): then a missing PostgreSQL is an error, not a silent
 * SQLite-only run.
 */
export function testDatabaseIds(): TestDatabaseId[] {
  if (process.env[POSTGRES_ENV]) return ['SQLITE_3', 'POSTGRES_15'];
  if (strictTests()) {
    throw missingServerError(
      `${POSTGRES_ENV} is not set: install PostgreSQL 15 (Debian package postgresql-15) and run the tests ` +
        'with "npm test", which starts a throw-away server, or set it to the connection string of one',
    );
  }
  return ['SQLITE_3'];
}

/**
 * `describe.each` over PostgreSQL only, for what SQLite cannot show (one
 * database shared by replicas): skipped without PostgreSQL, an error without
 * it when the tests are strict (see testDatabaseIds).
 */
export function describeEachPostgres() {
  const ids = testDatabaseIds().filter(id => id === 'POSTGRES_15');
  return ids.length
    ? describe.each(ids)
    : describe.skip.each<TestDatabaseId>(['POSTGRES_15']);
}

/** Backend database config for one test database id, with a fresh prefix. */
export function backendDatabaseConfig(id: TestDatabaseId, prefix: string) {
  if (id === 'SQLITE_3') {
    return { client: 'better-sqlite3', connection: ':memory:' };
  }
  return {
    client: 'pg',
    connection: process.env[POSTGRES_ENV],
    prefix,
  };
}
