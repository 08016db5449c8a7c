/**
 * The test's view of alertmanagerServer.js, and when to run it. This
 * package's tests also run where the package is copied into another
 * Backstage repository, which may have no Alertmanager:
 * `DEVOPS_PERSONAS_TEST_STRICT`, which this repository's test command sets
 * (scripts/run-tests.js), makes a missing one an error; without it the suite
 * that needs it is skipped.
 */
import { isStrictTestRun } from '@devops-personas/plugin-devops-personas-node/testUtils';

export interface RunningAlertmanager {
  url: string;
  stop(): Promise<void>;
  log(): string;
}

interface AlertmanagerServer {
  startAlertmanager(options: {
    webhookUrl: string;
    bearerToken: string;
    repeatInterval?: string;
  }): Promise<RunningAlertmanager>;
  alertmanagerBinary(): string | null;
  ALERTMANAGER_INSTALL_HINT: string;
}

// The launcher is plain CommonJS, runnable from the command line too.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server: AlertmanagerServer = require('./alertmanagerServer');

/** A throw-away Alertmanager whose only receiver is a webhook with a bearer token. */
export const startAlertmanager = server.startAlertmanager;

/**
 * `describe` for a suite that needs a real Alertmanager (Debian package
 * `prometheus-alertmanager`): skipped without one, unless the tests are
 * strict: then this throws, failing the file.
 */
export function describeWithAlertmanager(): jest.Describe {
  if (server.alertmanagerBinary()) return describe;
  if (isStrictTestRun()) {
    throw new Error(
      `${server.ALERTMANAGER_INSTALL_HINT} (DEVOPS_PERSONAS_TEST_STRICT is set: a missing test server fails the tests instead of skipping them)`,
    );
  }
  return describe.skip;
}
