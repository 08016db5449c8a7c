/*
 * Starts and stops a throw-away Prometheus Alertmanager for the tests: a
 * temporary config and storage directory, a free loopback port, clustering
 * off, and one webhook receiver that sends every notification (firing and
 * resolved) with a bearer token, quickly, to the URL the test gives.
 *
 * The binary comes from the Debian package `prometheus-alertmanager`
 * (/usr/bin/prometheus-alertmanager); `ALERTMANAGER_BINARY` names another.
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const INSTALL_HINT =
  'Prometheus Alertmanager is not installed: install the Debian package prometheus-alertmanager ' +
  '(apt-get install prometheus-alertmanager; CI installs it), or set ALERTMANAGER_BINARY to its path';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
// What is kept of Alertmanager's own log, to say why it failed.
const LOG_TAIL_CHARS = 8_000;

/** The path of the Alertmanager binary, or null when none is installed. */
function alertmanagerBinary() {
  const fromEnv = process.env.ALERTMANAGER_BINARY;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : null;
  const candidates = ['/usr/bin/prometheus-alertmanager'];
  for (const dir of (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)) {
    candidates.push(
      path.join(dir, 'prometheus-alertmanager'),
      path.join(dir, 'alertmanager'),
    );
  }
  return candidates.find(isExecutable) ?? null;
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function freePort() {
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

// Every running instance, so that an exiting or interrupted process stops them.
const running = new Set();
let exitHooksInstalled = false;

function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const instance of running) instance.stopNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    const onSignal = () => {
      for (const instance of running) instance.stopNow();
      // Let the signal do what it would have done without this listener.
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0)
        process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

async function waitUntilReady(url, child, logTail) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `Alertmanager exited (${
          child.exitCode ?? child.signalCode
        }) before it was ready:\n${logTail()}`,
      );
    }
    try {
      const response = await fetch(`${url}/-/ready`, {
        signal: AbortSignal.timeout(1_000),
      });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(
    `Alertmanager was not ready at ${url} within ${
      READY_TIMEOUT_MS / 1000
    }s:\n${logTail()}`,
  );
}

/**
 * Starts an Alertmanager whose only receiver is a webhook to `webhookUrl`
 * with `Authorization: Bearer <bearerToken>`. Resolves to
 * `{ url, stop, log }`: `url` is its API and UI (`<url>/api/v2/alerts`),
 * `stop()` kills it and removes its files (resolves once it has exited;
 * calling it again does nothing), `log()` returns the end of its log.
 * It is also stopped when this process exits or is interrupted.
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
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      '--cluster.listen-address=',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Neither the process nor its pipes keep this process alive: the exit
  // hooks stop it when nobody else does.
  child.unref();
  let log = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', chunk => {
      log = (log + chunk).slice(-LOG_TAIL_CHARS);
    });
    stream.unref?.();
  }
  const logTail = () => log;
  const exited = new Promise(resolve => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  child.once('error', error => {
    log += `\n${error.message}`;
  });

  let stopped = false;
  const removeFiles = () => fs.rmSync(dir, { recursive: true, force: true });
  const instance = {
    // Synchronous, for process exit: no waiting is possible there.
    stopNow() {
      if (stopped) return;
      stopped = true;
      running.delete(instance);
      if (child.exitCode === null && child.signalCode === null)
        child.kill('SIGKILL');
      removeFiles();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      running.delete(instance);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      removeFiles();
    },
  };
  running.add(instance);
  installExitHooks();

  try {
    await waitUntilReady(url, child, logTail);
  } catch (error) {
    await instance.stop();
    throw error;
  }
  return { url, stop: () => instance.stop(), log: logTail };
}

/** The version line of the installed Alertmanager, or null. */
function alertmanagerVersion() {
  const binary = alertmanagerBinary();
  if (!binary) return null;
  try {
    const out = execFileSync(binary, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out.split('\n')[0].trim();
  } catch {
    return null;
  }
}

module.exports = {
  startAlertmanager,
  alertmanagerBinary,
  alertmanagerVersion,
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
