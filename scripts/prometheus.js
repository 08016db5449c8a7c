/*
 * Starts and stops a throw-away Prometheus for the tests and the example
 * portal: a temporary config and data directory, a loopback port, and
 * optionally history backfilled into it before it starts (with promtool, as
 * OpenMetrics text), so a test can query weeks of counters at once.
 *
 *   const { startPrometheus, toOpenMetrics } = require('./prometheus');
 *   const prometheus = await startPrometheus({ openMetrics: toOpenMetrics(series) });
 *   await fetch(`${prometheus.baseUrl}/api/v1/query?query=...`);
 *   await prometheus.stop();
 *
 * The binaries come from the Debian package `prometheus` (/usr/bin/prometheus
 * and /usr/bin/promtool); `PROMETHEUS_BINARY` and `PROMTOOL_BINARY` name
 * others.
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const INSTALL_HINT =
  'Prometheus is not installed: install the Debian package prometheus ' +
  '(apt-get install prometheus; CI installs it), or set PROMETHEUS_BINARY and PROMTOOL_BINARY to their paths';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;
// What is kept of Prometheus's own log, to say why it failed.
const LOG_TAIL_CHARS = 8_000;
// Backfilled blocks longer than Prometheus's default 2 h: 35 days are then
// tens of blocks instead of hundreds, and promtool reads its input once per
// block.
const BACKFILL_BLOCK_DURATION = '240h';

/** The path of the Prometheus server binary, or null when none is installed. */
function prometheusBinary() {
  return findBinary(process.env.PROMETHEUS_BINARY, 'prometheus');
}

/** The path of promtool (backfills history), or null when none is installed. */
function promtoolBinary() {
  return findBinary(process.env.PROMTOOL_BINARY, 'promtool');
}

function findBinary(fromEnv, name) {
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : null;
  const candidates = [`/usr/bin/${name}`];
  for (const dir of (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)) {
    candidates.push(path.join(dir, name));
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

/** Resolves to `port` if nothing listens on 127.0.0.1:`port` (0: any free port). */
function claimablePort(port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', error =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} on 127.0.0.1 is in use: Prometheus needs it. Stop what listens there and try again.`,
            )
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => {
      const claimed = server.address().port;
      server.close(() => resolve(claimed));
    });
  });
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeLabelValue(value) {
  return String(value)
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}

function formatValue(value) {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (typeof value !== 'number') {
    throw new Error(`A sample value must be a number, not ${value}`);
  }
  return String(value);
}

/**
 * OpenMetrics timestamps are seconds. Written from the milliseconds as
 * digits (not `ms / 1000`), so that no float rounding moves a sample.
 */
function formatTimestamp(ms) {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new Error(
      `A sample time must be whole milliseconds since 1970, not ${ms}`,
    );
  }
  const seconds = Math.floor(ms / 1000);
  const millis = ms % 1000;
  return millis === 0
    ? String(seconds)
    : `${seconds}.${String(millis).padStart(3, '0')}`;
}

/**
 * OpenMetrics text for promtool's backfill (`tsdb create-blocks-from
 * openmetrics`). `series` is `[{ name, labels: { k: v }, samples: [[timeMs,
 * value], ...] }]`; series of one name may be given apart, they are written
 * together under one `# TYPE <name> unknown` line (the type is not stored by
 * the backfill, and `unknown` takes any name), each series' samples in time
 * order. Ends with `# EOF`.
 */
function toOpenMetrics(series) {
  const byName = new Map();
  for (const one of series) {
    if (!METRIC_NAME.test(one.name ?? '')) {
      throw new Error(`Not a metric name: ${JSON.stringify(one.name)}`);
    }
    if (!byName.has(one.name)) byName.set(one.name, []);
    byName.get(one.name).push(one);
  }
  const lines = [];
  for (const [name, family] of byName) {
    lines.push(`# TYPE ${name} unknown`);
    for (const { labels = {}, samples } of family) {
      const pairs = Object.entries(labels).map(([label, value]) => {
        if (!LABEL_NAME.test(label) || label.startsWith('__')) {
          throw new Error(`Not a label name: ${JSON.stringify(label)}`);
        }
        return `${label}="${escapeLabelValue(value)}"`;
      });
      const selector = pairs.length ? `${name}{${pairs.join(',')}}` : name;
      const ordered = [...samples].sort((a, b) => a[0] - b[0]);
      for (const [timeMs, value] of ordered) {
        lines.push(
          `${selector} ${formatValue(value)} ${formatTimestamp(timeMs)}`,
        );
      }
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

function runToEnd(binary, args, onSpawn) {
  return new Promise(resolve => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    onSpawn(child);
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', chunk => {
        output = (output + chunk).slice(-LOG_TAIL_CHARS);
      });
    }
    child.once('error', error =>
      resolve({ code: null, output: `${output}\n${error.message}` }),
    );
    child.once('close', (code, signal) =>
      resolve({ code: code ?? signal, output }),
    );
  });
}

/**
 * Writes TSDB blocks for the OpenMetrics file into `dataDir`; `what` names
 * the history in errors, `onSpawn` is given the promtool process.
 */
async function backfill(openMetricsFile, dataDir, what, onSpawn) {
  const promtool = promtoolBinary();
  if (!promtool) throw new Error(INSTALL_HINT);
  const { code, output } = await runToEnd(
    promtool,
    [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '--quiet',
      `--max-block-duration=${BACKFILL_BLOCK_DURATION}`,
      openMetricsFile,
      dataDir,
    ],
    onSpawn,
  );
  if (code !== 0) {
    throw new Error(
      `promtool could not backfill ${what} (exit ${code}):\n${output}`,
    );
  }
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

async function waitUntilReady(baseUrl, child, logTail) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `Prometheus exited (${
          child.exitCode ?? child.signalCode
        }) before it was ready:\n${logTail()}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/-/ready`, {
        signal: AbortSignal.timeout(1_000),
      });
      await response.text();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(
    `Prometheus was not ready at ${baseUrl} within ${
      READY_TIMEOUT_MS / 1000
    }s:\n${logTail()}`,
  );
}

/**
 * Starts a Prometheus on 127.0.0.1. Options:
 * - `openMetrics`: history to backfill before it starts, as OpenMetrics text
 *   (see `toOpenMetrics`) or the path of a file holding it (text always
 *   contains a newline, a path never does);
 * - `scrapeConfigs`: Prometheus `scrape_configs` entries (objects), if it
 *   should scrape anything; the global scrape interval is 15 s;
 * - `port`: a fixed port (it fails with a clear message when that is taken),
 *   else a free one;
 * - `retention`: how long it keeps data (backfilled history older than this
 *   is dropped at once), default 10 years;
 * - `log`: a writable stream that receives Prometheus's own log.
 *
 * Resolves, once `/-/ready` answers (backfilled history is queryable by
 * then), to `{ baseUrl, port, dataDir, stop, logTail }`: `stop()` ends it
 * (SIGTERM, SIGKILL after 5 s) and removes its files, resolving once it has
 * exited (calling it again returns the same promise); `logTail()` returns the
 * end of its log. It is also stopped (SIGKILL) when this process exits or is
 * interrupted.
 */
async function startPrometheus({
  openMetrics,
  scrapeConfigs = [],
  port: wantedPort = 0,
  retention = '10y',
  log,
} = {}) {
  const binary = prometheusBinary();
  if (!binary || (openMetrics && !promtoolBinary())) {
    throw new Error(INSTALL_HINT);
  }
  const port = await claimablePort(wantedPort);
  const baseUrl = `http://127.0.0.1:${port}`;

  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'devops-personas-prometheus-'),
  );
  const dataDir = path.join(dir, 'data');
  const removeFiles = () => fs.rmSync(dir, { recursive: true, force: true });
  // An exit or interrupt while backfilling ends promtool and removes the
  // files too.
  let promtool;
  const preparing = {
    stopNow() {
      if (promtool?.exitCode === null) promtool.kill('SIGKILL');
      removeFiles();
    },
  };
  const onSpawn = child => {
    promtool = child;
  };
  running.add(preparing);
  installExitHooks();
  try {
    fs.mkdirSync(dataDir);
    if (openMetrics) {
      if (openMetrics.includes('\n')) {
        const file = path.join(dir, 'history.om');
        fs.writeFileSync(file, openMetrics);
        await backfill(file, dataDir, 'the OpenMetrics history', onSpawn);
        fs.rmSync(file);
      } else {
        if (!fs.existsSync(openMetrics)) {
          throw new Error(`No OpenMetrics history at ${openMetrics}`);
        }
        await backfill(openMetrics, dataDir, openMetrics, onSpawn);
      }
    }
  } catch (error) {
    removeFiles();
    throw error;
  } finally {
    running.delete(preparing);
  }
  // JSON is YAML: no quoting rules to get wrong.
  const configFile = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(
    configFile,
    JSON.stringify(
      {
        global: { scrape_interval: '15s', evaluation_interval: '15s' },
        scrape_configs: scrapeConfigs,
      },
      null,
      2,
    ),
  );

  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--storage.tsdb.retention.time=${retention}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${baseUrl}`,
      '--web.enable-lifecycle',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Neither the process nor its pipes keep this process alive: the exit
  // hooks stop it when nobody else does.
  child.unref();
  let logText = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', chunk => {
      logText = (logText + chunk).slice(-LOG_TAIL_CHARS);
      log?.write(chunk);
    });
    stream.unref?.();
  }
  const logTail = () => logText;
  const exited = new Promise(resolve => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  child.once('error', error => {
    logText += `\n${error.message}`;
  });

  const alive = () => child.exitCode === null && child.signalCode === null;
  let stopping = null;
  const instance = {
    // Synchronous, for process exit and signals: no waiting is possible
    // there, so it also cuts short a stop() under way.
    stopNow() {
      running.delete(instance);
      if (alive()) child.kill('SIGKILL');
      removeFiles();
    },
    stop() {
      stopping ??= (async () => {
        if (alive()) {
          child.kill('SIGTERM');
          const timer = setTimeout(
            () => child.kill('SIGKILL'),
            STOP_TIMEOUT_MS,
          );
          await exited;
          clearTimeout(timer);
        }
        removeFiles();
        running.delete(instance);
      })();
      return stopping;
    },
  };
  running.add(instance);
  installExitHooks();

  try {
    await waitUntilReady(baseUrl, child, logTail);
  } catch (error) {
    await instance.stop();
    throw error;
  }
  return {
    baseUrl,
    port,
    dataDir,
    stop: () => instance.stop(),
    logTail,
  };
}

/** The version line of the installed Prometheus, or null. */
function prometheusVersion() {
  const binary = prometheusBinary();
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
  startPrometheus,
  toOpenMetrics,
  prometheusBinary,
  promtoolBinary,
  prometheusVersion,
  PROMETHEUS_INSTALL_HINT: INSTALL_HINT,
};

if (require.main === module) {
  // `node scripts/prometheus.js [history.om]` runs one (with that history
  // backfilled) for manual testing until Ctrl-C.
  const [openMetrics] = process.argv.slice(2);
  startPrometheus({
    openMetrics: openMetrics && path.resolve(openMetrics),
  }).then(
    ({ baseUrl }) => {
      console.log(`Prometheus at ${baseUrl}. Ctrl-C stops it.`);
      setInterval(() => {}, 1 << 30);
    },
    error => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
