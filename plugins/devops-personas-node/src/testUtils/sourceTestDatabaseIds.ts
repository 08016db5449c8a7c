import type { TestDatabaseId } from '@backstage/backend-test-utils';

const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const STRICT_ENV = 'DEVOPS_PERSONAS_TEST_STRICT';

/**
 * Whether this test run treats a missing test server (PostgreSQL, or a
 * binary a suite needs) as an error rather than something to skip:
 * `DEVOPS_PERSONAS_TEST_STRICT` is set to anything but "", "0" or "false".
 * The DevOps Personas repository's `npm test` sets it; a repository the
 * packages are copied into need not.
 *
 * @public
 */
export function isStrictTestRun(): boolean {
  const value = process.env[STRICT_ENV]?.trim().toLowerCase();
  return !!value && value !== '0' && value !== 'false';
}

/**
 * The databases a source module's store tests run on: SQLite always, and
 * PostgreSQL 15 when `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING`
 * names a server. In a strict run ({@link isStrictTestRun}) a missing
 * PostgreSQL is an error rather than an SQLite-only run, so that a CI that
 * means to test both cannot quietly test one.
 *
 * @public
 */
export function sourceTestDatabaseIds(): TestDatabaseId[] {
  if (process.env[POSTGRES_ENV]) return ['SQLITE_3', 'POSTGRES_15'];
  if (isStrictTestRun()) {
    throw new Error(
      `${POSTGRES_ENV} is not set and ${STRICT_ENV} is: install PostgreSQL 15 (Debian package postgresql-15) and run the tests with "npm test", which starts a throw-away server, or set it to the connection string of one; unset ${STRICT_ENV} to test on SQLite only`,
    );
  }
  return ['SQLITE_3'];
}
