import { isStrictTestRun } from '@devops-personas/plugin-devops-personas-node/testUtils';

/**
 * Test servers a host repository may lack. This package's tests also run
 * where the package is copied into another Backstage repository, which may
 * have no PostgreSQL, Prometheus or promtool. `DEVOPS_PERSONAS_TEST_STRICT`,
 * which this repository's test command sets (scripts/run-tests.js), makes a
 * missing one an error; without it, store tests run on SQLite only and the
 * suites that need a missing server binary are skipped.
 */

/** The error for a missing test server; `missing` says what to install. */
export function missingServerError(missing: string): Error {
  return new Error(
    `${missing} (DEVOPS_PERSONAS_TEST_STRICT is set: a missing test server fails the tests instead of skipping them)`,
  );
}

/**
 * `describe` for a suite that needs a server binary: `missing` is null when
 * it is installed, else what to install. Without the binary the suite is
 * skipped, unless the tests are strict: then this throws, failing the file.
 */
export function describeWhenInstalled(missing: string | null): jest.Describe {
  if (!missing) return describe;
  if (isStrictTestRun()) throw missingServerError(missing);
  return describe.skip;
}
