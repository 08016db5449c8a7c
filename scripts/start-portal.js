#!/usr/bin/env node
/*
 * Starts the example portal: the backend (:7007, embedded SQLite, example
 * catalog) and the app dev server (:3000). Extra config files are layered
 * over app-config.yaml: `npm start -- --config my-overrides.yaml`.
 * Loads the example events (examples/events) through the ingest API and
 * the events ingress (examples/webhooks); pass
 * --no-example-events to start empty. Stops both on Ctrl-C. Used by the
 * quick start and the end-to-end tests.
 *
 * With the example events, and when Prometheus is installed (Debian package
 * `prometheus`), it also starts an example Prometheus on 127.0.0.1:9091 that
 * holds the counters behind the example SLIs of checkout, payment-gateway
 * and search-service (examples/prometheus: 35 days backfilled, then scraped
 * live from a tiny exporter here), and points the backend at it, so those
 * SLOs are read from Prometheus.
 * --no-prometheus leaves it out.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { loadExampleEvents } = require('./load-example-events');
const { waitFor } = require('./lib/portal');
// The Prometheus launcher lives with the backend plugin's tests, which use it too.
const PROMETHEUS_TEST_UTILS =
  '../plugins/devops-personas-backend/src/__testUtils__';
const { stopOnExit } = require(`${PROMETHEUS_TEST_UTILS}/serverProcess`);
const {
  startPrometheus,
  toOpenMetrics,
  prometheusBinary,
  promtoolBinary,
} = require(`${PROMETHEUS_TEST_UTILS}/prometheusServer`);
const {
  exampleCounters,
  EXAMPLE_STORIES,
} = require('../examples/prometheus/generate');

const root = path.resolve(__dirname, '..');
const BACKEND_URL = process.env.PORTAL_BACKEND_URL ?? 'http://localhost:7007';
const APP_URL = process.env.PORTAL_APP_URL ?? 'http://localhost:3000';
// Fixed, so that the README can name it; 9090 is left to a Prometheus of your own.
const EXAMPLE_PROMETHEUS_PORT = 9091;

/** The config files given with `--config`, absolute. */
function extraConfigFiles(argv) {
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config' && argv[i + 1])
      files.push(path.resolve(argv[++i]));
  }
  return files;
}

const configArgs = files => files.flatMap(f => ['--config', f]);

/** Resolves once `url` answers 2xx, each try limited to 10 s. */
function waitForUrl(url, what, timeoutMs) {
  return waitFor(
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      await res.body?.cancel();
      return res.ok;
    },
    `${what} at ${url}`,
    timeoutMs,
  );
}

/** Each chunk of `log`'s text, line by line, after `prefix`. */
function prefixed(log, prefix) {
  return {
    write: chunk =>
      log.write(
        String(chunk)
          .split('\n')
          .filter(Boolean)
          .map(line => `${prefix}${line}\n`)
          .join(''),
      ),
  };
}

/** Where the exporter serves a job's counters. */
const metricsPath = job => `/metrics/${job}`;

/**
 * The example SLIs' live counters over HTTP, each job's at
 * `metricsPath(job)` (Prometheus text format), on a free loopback port;
 * `currentJobs()` is null until the history they continue has been
 * generated, then maps each job to its counters.
 */
async function startExampleExporter(currentJobs) {
  const jobByPath = new Map(
    EXAMPLE_STORIES.map(({ job }) => [metricsPath(job), job]),
  );
  const server = http.createServer((req, res) => {
    const job = jobByPath.get(req.url);
    const counters = currentJobs()?.get(job);
    if (!counters) {
      res.writeHead(job ? 503 : 404).end();
      return;
    }
    res
      .writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' })
      .end(counters.exposition(Date.now()));
  });
  // Never what keeps this process alive.
  server.unref();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    instance: `127.0.0.1:${server.address().port}`,
    close: () => {
      server.close();
      server.closeAllConnections();
    },
  };
}

/**
 * The example Prometheus, if installed: 35 days of the example SLIs'
 * counters backfilled, the live exporter scraped every 15 s. Resolves to
 * `{ configFile, stop }`, `configFile` pointing the backend at it, or to
 * null (having said so) when Prometheus is not installed.
 */
async function startExamplePrometheus(log) {
  if (!prometheusBinary() || !promtoolBinary()) {
    log.write(
      'Prometheus is not installed (apt-get install prometheus): the example SLIs read their sli events instead\n',
    );
    return null;
  }
  let jobs = null;
  const exporter = await startExampleExporter(() => jobs);
  let prometheus;
  try {
    const history = exampleCounters({ instance: exporter.instance });
    jobs = history.jobs;
    prometheus = await startPrometheus({
      openMetrics: toOpenMetrics(history.series),
      port: EXAMPLE_PROMETHEUS_PORT,
      scrapeConfigs: EXAMPLE_STORIES.map(({ job }) => ({
        job_name: job,
        metrics_path: metricsPath(job),
        static_configs: [{ targets: [exporter.instance] }],
      })),
      log: prefixed(log, '[prometheus] '),
    });
  } catch (e) {
    exporter.close();
    throw new Error(
      `The example Prometheus did not start: ${e.message}\n` +
        'Start the portal without it: npm start -- --no-prometheus',
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devops-personas-portal-'));
  const configFile = path.join(dir, 'prometheus-source.yaml');
  fs.writeFileSync(
    configFile,
    [
      '# Written by scripts/start-portal.js: SLIs whose metricSource is Prometheus read from the example one.',
      'devopsPersonas:',
      '  sources:',
      '    prometheus:',
      '      default:',
      `        baseUrl: ${prometheus.baseUrl}`,
      `        externalUrl: ${prometheus.baseUrl}`,
      '',
    ].join('\n'),
  );
  const removeConfig = () => fs.rmSync(dir, { recursive: true, force: true });
  const forgetConfig = stopOnExit(removeConfig);
  log.write(
    `Prometheus at ${prometheus.baseUrl} (the example SLIs of checkout, payment-gateway and search-service read from it)\n`,
  );
  return {
    configFile,
    stop: () => {
      forgetConfig();
      exporter.close();
      removeConfig();
      return prometheus.stop();
    },
  };
}

/**
 * Starts backend and app (and, with `examplePrometheus`, the example
 * Prometheus first); resolves once both answer. `stop()` ends them all,
 * resolving once Prometheus has exited.
 */
async function startPortal({
  argv = [],
  log = process.stdout,
  exampleEvents = true,
  examplePrometheus = exampleEvents,
} = {}) {
  const prometheus = examplePrometheus
    ? await startExamplePrometheus(log)
    : null;
  const children = [];
  const killChildren = () => {
    for (const child of children) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  // The children run in their own process groups, out of reach of a Ctrl-C
  // in the terminal: whatever ends this process (exit, SIGINT, SIGTERM) ends
  // them too.
  const forgetChildren = stopOnExit(killChildren);
  const start = (name, args) => {
    const child = spawn('npm', args, {
      cwd: root,
      env: { ...process.env, BROWSER: 'none', FORCE_COLOR: '0' },
      detached: true,
    });
    child.stdout.on('data', d => log.write(`[${name}] ${d}`));
    child.stderr.on('data', d => log.write(`[${name}] ${d}`));
    children.push(child);
    return child;
  };
  const appConfig = path.join(root, 'app-config.yaml');
  const extra = extraConfigFiles(argv);
  // Your own --config files come last, so that they can override the
  // example Prometheus too.
  const backendConfig = [
    appConfig,
    ...(prometheus ? [prometheus.configFile] : []),
    ...extra,
  ];
  start('backend', [
    '--workspace',
    'backend',
    'start',
    '--',
    ...configArgs(backendConfig),
  ]);
  start('app', [
    '--workspace',
    'app',
    'start',
    '--',
    ...configArgs([appConfig, ...extra]),
  ]);

  const stop = () => {
    forgetChildren();
    killChildren();
    return prometheus?.stop() ?? Promise.resolve();
  };
  try {
    await waitForUrl(
      `${BACKEND_URL}/api/devops-personas/health`,
      'the backend',
      180_000,
    );
    if (exampleEvents) {
      // The embedded database starts empty: send the example events through
      // the real ingest API so every KPI tab is full on first start.
      const { accepted, webhooks } = await loadExampleEvents({
        baseUrl: BACKEND_URL,
      });
      log.write(
        `Loaded ${accepted} example events and ${webhooks} example webhooks\n`,
      );
    }
    await waitForUrl(APP_URL, 'the app', 180_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { stop, backendUrl: BACKEND_URL, appUrl: APP_URL };
}

module.exports = { startPortal };

if (require.main === module) {
  const argv = process.argv.slice(2);
  const exampleEvents = !argv.includes('--no-example-events');
  let portal;
  // Before the portal is up, exiting is enough: the exit hooks end what has
  // started. After, stop() ends backend and app; Prometheus is SIGKILLed at
  // once by serverProcess's own signal hook (a throw-away, nothing to keep).
  const end = signal => {
    if (!portal) process.exit(signal === 'SIGINT' ? 130 : 143);
    portal.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', end);
  process.on('SIGTERM', end);
  startPortal({
    argv,
    exampleEvents,
    examplePrometheus: exampleEvents && !argv.includes('--no-prometheus'),
  })
    .then(started => {
      portal = started;
      console.log(
        `\nThe example portal is up: open ${started.appUrl} (Ctrl-C stops it)\n`,
      );
    })
    .catch(e => {
      console.error(e.message);
      process.exit(1);
    });
}
