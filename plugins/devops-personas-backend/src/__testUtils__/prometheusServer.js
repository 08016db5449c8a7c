/*
 * Starts and stops a throw-away Prometheus for the tests and the example
 * portal: a temporary config and data directory, a loopback port, and
 * optionally history backfilled into it before it starts (with promtool, as
 * OpenMetrics text), so a test can query weeks of counters at once. It lives
 * in this package, beside the tests that use it, so that they run wherever
 * the package is copied; the repository's scripts (start-portal.js,
 * bench-slos.js) require it from here. Plain CommonJS, never bundled: only
 * tests and scripts require it.
 *
 *   const { startPrometheus, toOpenMetrics } = require('./prometheusServer');
 *   const prometheus = await startPrometheus({ openMetrics: toOpenMetrics(series) });
 *   await fetch(`${prometheus.baseUrl}/api/v1/query?query=...`);
 *   await prometheus.stop();
 *
 * The binaries come from the Debian package `prometheus` (/usr/bin/prometheus
 * and /usr/bin/promtool); `PROMETHEUS_BINARY` and `PROMTOOL_BINARY` name
 * others.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  findBinary,
  versionLine,
  claimableLoopbackPort,
  stopOnExit,
  keepOutputTail,
  startServerProcess,
  serveUntilInterrupted,
} = require('./serverProcess');

const INSTALL_HINT =
  'Prometheus is not installed: install the Debian package prometheus ' +
  '(apt-get install prometheus; CI installs it), or set PROMETHEUS_BINARY and PROMTOOL_BINARY to their paths';

const READY_TIMEOUT_MS = 60_000;
// Backfills here take seconds (the example portal's 35 days, bench-slos's
// year): one still running after 10 minutes is stuck.
const BACKFILL_TIMEOUT_MS = 600_000;
// Backfilled blocks longer than Prometheus's default 2 h: 35 days are then
// tens of blocks instead of hundreds, and promtool reads its input once per
// block.
const BACKFILL_BLOCK_DURATION = '240h';

/** The path of the Prometheus server binary, or null when none is installed. */
function prometheusBinary() {
  return findBinary(process.env.PROMETHEUS_BINARY, ['prometheus']);
}

/** The path of promtool (backfills history), or null when none is installed. */
function promtoolBinary() {
  return findBinary(process.env.PROMTOOL_BINARY, ['promtool']);
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeLabelValue(value) {
  return String(value)
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}

/**
 * A series as both text formats write it: `name{label="value",…}`, or just
 * `name` without labels.
 */
function seriesSelector(name, labels = {}) {
  const pairs = Object.entries(labels).map(([label, value]) => {
    if (!LABEL_NAME.test(label) || label.startsWith('__')) {
      throw new Error(`Not a label name: ${JSON.stringify(label)}`);
    }
    return `${label}="${escapeLabelValue(value)}"`;
  });
  return pairs.length ? `${name}{${pairs.join(',')}}` : name;
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
    for (const { labels, samples } of family) {
      const selector = seriesSelector(name, labels);
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

/**
 * Runs `binary` to its end; one still running after `timeoutMs` is
 * SIGKILLed (`timedOut`).
 */
function runToEnd(binary, args, onSpawn, timeoutMs) {
  return new Promise(resolve => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    onSpawn(child);
    const output = keepOutputTail(child);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', error => {
      clearTimeout(timer);
      output.append(error.message);
      resolve({ code: null, output: output.text() });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, output: output.text(), timedOut });
    });
  });
}

/**
 * Writes TSDB blocks for the OpenMetrics file into `dataDir`; `what` names
 * the history in errors, `onSpawn` is given the promtool process.
 */
async function backfill(openMetricsFile, dataDir, what, onSpawn) {
  const promtool = promtoolBinary();
  if (!promtool) throw new Error(INSTALL_HINT);
  const { code, output, timedOut } = await runToEnd(
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
    BACKFILL_TIMEOUT_MS,
  );
  if (timedOut) {
    throw new Error(
      `promtool did not finish backfilling ${what} within ${
        BACKFILL_TIMEOUT_MS / 1000
      }s:\n${output}`,
    );
  }
  if (code !== 0) {
    throw new Error(
      `promtool could not backfill ${what} (exit ${code}):\n${output}`,
    );
  }
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
 * then), to `{ baseUrl, port, stop, logTail }`: `stop()` ends it
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
  const port = await claimableLoopbackPort(wantedPort, 'Prometheus');
  const baseUrl = `http://127.0.0.1:${port}`;

  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'devops-personas-prometheus-'),
  );
  const dataDir = path.join(dir, 'data');
  const removeFiles = () => fs.rmSync(dir, { recursive: true, force: true });
  // An exit or interrupt while backfilling ends promtool and removes the
  // files too.
  let promtool;
  const forgetPreparing = stopOnExit(() => {
    if (promtool?.exitCode === null) promtool.kill('SIGKILL');
    removeFiles();
  });
  const onSpawn = child => {
    promtool = child;
  };
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
    forgetPreparing();
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

  const { stop, logTail } = await startServerProcess({
    name: 'Prometheus',
    binary,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--storage.tsdb.retention.time=${retention}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${baseUrl}`,
    ],
    workDir: dir,
    readyUrl: `${baseUrl}/-/ready`,
    readyTimeoutMs: READY_TIMEOUT_MS,
    log,
  });
  return { baseUrl, port, stop, logTail };
}

/** The version line of the installed Prometheus, or null. */
function prometheusVersion() {
  return versionLine(prometheusBinary());
}

module.exports = {
  startPrometheus,
  toOpenMetrics,
  seriesSelector,
  prometheusBinary,
  promtoolBinary,
  prometheusVersion,
  PROMETHEUS_INSTALL_HINT: INSTALL_HINT,
};

if (require.main === module) {
  // `node plugins/devops-personas-backend/src/__testUtils__/prometheusServer.js
  // [history.om]` runs one (with that history backfilled) for manual testing
  // until Ctrl-C.
  const [openMetrics] = process.argv.slice(2);
  serveUntilInterrupted(
    startPrometheus({ openMetrics: openMetrics && path.resolve(openMetrics) }),
    ({ baseUrl }) => `Prometheus at ${baseUrl}.`,
  );
}
