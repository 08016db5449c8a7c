/*
 * Starts and stops a throw-away Prometheus Alertmanager for the tests: a
 * temporary config and storage directory, a free loopback port, clustering
 * off, and one webhook receiver that sends every notification (firing and
 * resolved) with a bearer token, quickly, to the URL the test gives.
 *
 * The binary comes from the Debian package `prometheus-alertmanager`
 * (/usr/bin/prometheus-alertmanager); `ALERTMANAGER_BINARY` names another.
 *
 * It lives in this package, beside the test that uses it, so that the test
 * runs wherever the package is copied, and holds its own small process
 * handling (the backend plugin's Prometheus launcher has a fuller one;
 * packages do not reach into each other's sources). Plain CommonJS, never
 * bundled: only tests require it.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const INSTALL_HINT =
  'Prometheus Alertmanager is not installed: install the Debian package prometheus-alertmanager ' +
  '(apt-get install prometheus-alertmanager; CI installs it), or set ALERTMANAGER_BINARY to its path';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
// What is kept of Alertmanager's own output, to say why it failed.
const LOG_TAIL_CHARS = 8_000;

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The path of the Alertmanager binary, or null when none is installed:
 * `ALERTMANAGER_BINARY` when set, else /usr/bin/prometheus-alertmanager (even
 * when PATH lacks /usr/bin), else `prometheus-alertmanager` or
 * `alertmanager` on PATH.
 */
function alertmanagerBinary() {
  const fromEnv = process.env.ALERTMANAGER_BINARY;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : null;
  const candidates = ['/usr/bin/prometheus-alertmanager'];
  for (const dir of (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)) {
    for (const name of ['prometheus-alertmanager', 'alertmanager']) {
      candidates.push(path.join(dir, name));
    }
  }
  return candidates.find(isExecutable) ?? null;
}

/** A free port on 127.0.0.1. */
function freeLoopbackPort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `binary` with `args`, waits until `readyUrl` answers 2xx and
 * resolves to `{ stop, logTail }`: `stop()` ends it (SIGTERM, SIGKILL after
 * 5 s) and removes `workDir`, resolving once it has exited (calling it again
 * returns the same promise); `logTail()` returns the end of its log. It is
 * SIGKILLed, and `workDir` removed, when this process exits. Neither it nor
 * its pipes keep this process alive.
 */
async function startServerProcess({ binary, args, workDir, readyUrl }) {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.unref();
  let kept = '';
  const keep = text => {
    kept = (kept + text).slice(-LOG_TAIL_CHARS);
  };
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', keep);
    stream.unref?.();
  }
  // A failed spawn emits no exit: remember it, so that nothing waits for one.
  let failed = false;
  child.once('error', error => {
    failed = true;
    keep(`\n${error.message}`);
  });
  const logTail = () => kept;
  const exited = new Promise(resolve => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const alive = () =>
    !failed && child.exitCode === null && child.signalCode === null;
  const removeWorkDir = () =>
    fs.rmSync(workDir, { recursive: true, force: true });
  const onExit = () => {
    if (alive()) child.kill('SIGKILL');
    removeWorkDir();
  };
  process.on('exit', onExit);
  let stopping = null;
  const stop = () => {
    stopping ??= (async () => {
      if (alive()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      removeWorkDir();
      process.removeListener('exit', onExit);
    })();
    return stopping;
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!alive()) {
      await stop();
      throw new Error(
        `Alertmanager exited (${
          child.exitCode ?? child.signalCode ?? 'not started'
        }) before it was ready:\n${logTail()}`,
      );
    }
    try {
      const response = await fetch(readyUrl, {
        signal: AbortSignal.timeout(1_000),
      });
      // Read to the end, so that the connection is not left hanging.
      await response.text();
      if (response.ok) return { stop, logTail };
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `Alertmanager was not ready at ${readyUrl} within ${
          READY_TIMEOUT_MS / 1000
        }s:\n${logTail()}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
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
  const port = await freeLoopbackPort();
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
  });
  return { url, stop, log: logTail };
}

module.exports = {
  startAlertmanager,
  alertmanagerBinary,
  ALERTMANAGER_INSTALL_HINT: INSTALL_HINT,
};

if (require.main === module) {
  // `node plugins/devops-personas-backend-module-alertmanager/src/__testUtils__/alertmanagerServer.js
  // <webhook-url> <token>` runs one for manual testing until Ctrl-C.
  const [webhookUrl, bearerToken] = process.argv.slice(2);
  if (!webhookUrl || !bearerToken) {
    console.error(
      `usage: node ${path.relative(
        process.cwd(),
        __filename,
      )} <webhook-url> <bearer-token>`,
    );
    process.exit(2);
  }
  // Ctrl-C or SIGTERM exits, and the exit hook stops Alertmanager.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => process.exit(0));
  }
  startAlertmanager({ webhookUrl, bearerToken }).then(
    ({ url }) => {
      console.log(
        `Alertmanager at ${url}; POST alerts to ${url}/api/v2/alerts. Ctrl-C stops it.`,
      );
      setInterval(() => {}, 1 << 30);
    },
    error => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
