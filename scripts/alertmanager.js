/*
 * Starts and stops a throw-away Prometheus Alertmanager for the tests: a
 * temporary config and storage directory, a free loopback port, clustering
 * off, and one webhook receiver that sends every notification (firing and
 * resolved) with a bearer token, quickly, to the URL the test gives.
 *
 * The binary comes from the Debian package `prometheus-alertmanager`
 * (/usr/bin/prometheus-alertmanager); `ALERTMANAGER_BINARY` names another.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  findBinary,
  claimableLoopbackPort,
  startServerProcess,
  serveUntilInterrupted,
} = require('./lib/serverProcess');

const INSTALL_HINT =
  'Prometheus Alertmanager is not installed: install the Debian package prometheus-alertmanager ' +
  '(apt-get install prometheus-alertmanager; CI installs it), or set ALERTMANAGER_BINARY to its path';

const READY_TIMEOUT_MS = 30_000;

/** The path of the Alertmanager binary, or null when none is installed. */
function alertmanagerBinary() {
  return findBinary(process.env.ALERTMANAGER_BINARY, [
    'prometheus-alertmanager',
    'alertmanager',
  ]);
}

/**
 * The Alertmanager configuration. JSON is YAML, so it is written as JSON:
 * no quoting rules to get wrong for the URL or the token.
 */
function alertmanagerConfig({
  webhookUrl,
  bearerToken,
  groupBy,
  groupWait,
  groupInterval,
  repeatInterval,
}) {
  return {
    route: {
      receiver: 'backstage',
      group_by: groupBy,
      group_wait: groupWait,
      group_interval: groupInterval,
      repeat_interval: repeatInterval,
    },
    receivers: [
      {
        name: 'backstage',
        webhook_configs: [
          {
            url: webhookUrl,
            send_resolved: true,
            http_config: {
              authorization: { type: 'Bearer', credentials: bearerToken },
            },
          },
        ],
      },
    ],
  };
}

/**
 * Starts an Alertmanager whose only receiver is a webhook to `webhookUrl`
 * with `Authorization: Bearer <bearerToken>`. Resolves to
 * `{ url, stop, log }`: `url` is its API and UI (`<url>/api/v2/alerts`),
 * `stop()` kills it and removes its files (resolves once it has exited;
 * calling it again returns the same promise), `log()` returns the end of
 * its log. It is also stopped when this process exits or is interrupted.
 *
 * Timing options are Alertmanager durations; the defaults notify within
 * about a second and repeat every 10 seconds, so that tests also see
 * redeliveries.
 */
async function startAlertmanager({
  webhookUrl,
  bearerToken,
  groupBy = ['alertname'],
  groupWait = '1s',
  groupInterval = '1s',
  repeatInterval = '10s',
} = {}) {
  if (!webhookUrl) throw new Error('startAlertmanager needs a webhookUrl');
  if (!bearerToken) throw new Error('startAlertmanager needs a bearerToken');
  const binary = alertmanagerBinary();
  if (!binary) throw new Error(INSTALL_HINT);
  const port = await claimableLoopbackPort(0, 'Alertmanager');
  const url = `http://127.0.0.1:${port}`;

  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'devops-personas-alertmanager-'),
  );
  const configFile = path.join(dir, 'alertmanager.yml');
  fs.writeFileSync(
    configFile,
    JSON.stringify(
      alertmanagerConfig({
        webhookUrl,
        bearerToken,
        groupBy,
        groupWait,
        groupInterval,
        repeatInterval,
      }),
      null,
      2,
    ),
    { mode: 0o600 },
  );
  const { stop, logTail } = await startServerProcess({
    name: 'Alertmanager',
    binary,
    args: [
      `--config.file=${configFile}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      '--cluster.listen-address=',
    ],
    workDir: dir,
    readyUrl: `${url}/-/ready`,
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  return { url, stop, log: logTail };
}

module.exports = {
  startAlertmanager,
  alertmanagerBinary,
  ALERTMANAGER_INSTALL_HINT: INSTALL_HINT,
};

if (require.main === module) {
  // `node scripts/alertmanager.js <webhook-url> <token>` runs one for manual
  // testing until Ctrl-C.
  const [webhookUrl, bearerToken] = process.argv.slice(2);
  if (!webhookUrl || !bearerToken) {
    console.error(
      'usage: node scripts/alertmanager.js <webhook-url> <bearer-token>',
    );
    process.exit(2);
  }
  serveUntilInterrupted(
    startAlertmanager({ webhookUrl, bearerToken }),
    ({ url }) => `Alertmanager at ${url}; POST alerts to ${url}/api/v2/alerts.`,
  );
}
