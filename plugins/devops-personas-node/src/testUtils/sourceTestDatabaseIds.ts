import type { TestDatabaseId } from '@backstage/backend-test-utils';

const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const STRICT_ENV = 'DEVOPS_PERSONAS_TEST_STRICT';

/**
 * The databases a source module's store tests run on: SQLite always, and
 * PostgreSQL 15 when `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING`
 * names a server. With `DEVOPS_PERSONAS_TEST_STRICT` set (to anything but
 * "", "0" or "false"), a missing PostgreSQL is an error rather than an
 * SQLite-only run, so that a CI that means to test both cannot quietly test
 * one.
 *
 * @public
 */
export function sourceTestDatabaseIds(): TestDatabaseId[] {
  if (process.env[POSTGRES_ENV]) return ['SQLITE_3', 'POSTGRES_15'];
  const strict = process.env[STRICT_ENV]?.trim().toLowerCase();
  if (strict && strict !== '0' && strict !== 'false') {
    throw new Error(
      `${POSTGRES_ENV} is not set and ${STRICT_ENV} is: start a PostgreSQL 15 server and set its connection string, or unset ${STRICT_ENV} to test on SQLite only`,
    );
  }
  return ['SQLITE_3'];
}
