import { TestDatabaseId } from '@backstage/backend-test-utils';

const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * The databases every store test runs on: SQLite always, and the PostgreSQL
 * 15 server that `npm test` starts (scripts/run-tests.js). In CI a missing
 * PostgreSQL is an error, not a silent SQLite-only run.
 */
export function testDatabaseIds(): TestDatabaseId[] {
  if (process.env[POSTGRES_ENV]) return ['SQLITE_3', 'POSTGRES_15'];
  if (process.env.CI) {
    throw new Error(
      `${POSTGRES_ENV} is not set: run the tests with "npm test", which starts a temporary PostgreSQL server`,
    );
  }
  return ['SQLITE_3'];
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
