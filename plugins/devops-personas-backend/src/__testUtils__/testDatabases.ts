import { TestDatabaseId } from '@backstage/backend-test-utils';
import { sourceTestDatabaseIds } from '@devops-personas/plugin-devops-personas-node/testUtils';

const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * The databases every store test runs on: SQLite always, and PostgreSQL 15
 * when `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING` names one (the
 * throw-away server `npm test` starts, scripts/run-tests.js). Without it the
 * tests run on SQLite only, unless they are strict (DEVOPS_PERSONAS_TEST_STRICT,
 * set by `npm test`): then a missing PostgreSQL is an error. The same rule as
 * the source modules' tests.
 */
export const testDatabaseIds = sourceTestDatabaseIds;

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
