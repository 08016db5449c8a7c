#!/usr/bin/env node
/*
 * Benchmark of SLOs read straight from Prometheus (SPEC §5, "SLIs straight
 * from Prometheus") on a year of history. It prints figures and asserts
 * nothing about speed; it exits non-zero only when something fails (an
 * answer that is not 2xx, a Prometheus or backend that does not start).
 *
 *   npm run bench:slos                       # SQLite, 10 warm requests per SLO
 *   npm run bench:slos -- --db postgres --samples 20
 *   npm run bench:slos -- --help             # every option
 *
 * The history (generated, deterministic for a --seed and the minute it ends):
 *   - 366 days of one-minute samples ending at the current minute, of two
 *     counters: bench_requests_total{job="bench",code="200"} and
 *     {code="500"}, 527,041 samples each;
 *   - traffic with a daily and a weekly rhythm, growing by half over the
 *     year; a baseline of 0.02-0.06 % errors; 110 incidents at random times
 *     (3 minutes to 4 hours, 0.3 % to 30 % errors); a 45-minute outage at
 *     65 % errors about 200 days ago; and an incident under way: the last
 *     50 minutes at 4 % errors, so that fast-burn alerts fire;
 *   - counter resets, as process restarts on deployments (about 3 a week);
 *   - written as OpenMetrics with toOpenMetrics (prometheusServer.js) a day
 *     of samples at a time, straight to a file, and backfilled with promtool
 *     into a throw-away Prometheus (startPrometheus, on a free loopback port).
 *
 * The SLOs, one Component each (svc-00001, …; svc-00000 has none and is the
 * one the backend's readiness check reads), each in its own OpenSLO v1 file
 * named by a relative `file:` devops-personas.io/slo-ref next to the
 * generated catalog; every SLI is good (or bad) and total counter selectors
 * on bench_requests_total with metricSource.type Prometheus:
 *   (a) Occurrences, 30 days rolling;
 *   (b) Occurrences, calendar year (1Y, UTC): most of a year in one window;
 *   (c) Timeslices, 30 days rolling, 1-minute slices (43,200);
 *   (d) RatioTimeslices, 366 days rolling, 5-minute slices (105,408);
 *   (e) Timeslices, 366 days rolling, 1-minute slices (527,040; the backend
 *       reads at most 530,000 per objective).
 *
 * Printed:
 *   1. the history: samples, requests, errors; the time to generate and
 *      write it, to backfill it and start Prometheus, and what Prometheus
 *      holds afterwards (and how long it takes to count it);
 *   2. per SLO, through GET /v1/entities/component/default/<name>/slos with
 *      `until` = the history's end (reproducible; not "now", so no request
 *      shares a reading made for now): the cold request (the first: the
 *      backend queries Prometheus), then the warm p50 and slowest of
 *      --samples more (served from the backend's reading cache; the SLO
 *      refresh interval is set to 1 h so that it cannot expire meanwhile);
 *      the attainment, next to the one computed here from the generated
 *      counts over the window the answer names (they should agree), budget
 *      remaining, burn rate over 1 h, alert, sample size, warnings; the
 *      backend's RSS (and peak so far) after the cold and the warm requests;
 *      for sliced SLOs, how long Prometheus alone takes for the same range
 *      queries sent one after another; and the longest a /health request
 *      waits (how long the backend's event loop is held) during one more
 *      warm request and during a new cold reading (`until` 5 minutes
 *      earlier), both apart from the measured requests;
 *   3. the backend's peak RSS (VmHWM) and Prometheus's RSS at the end, and
 *      the figures again as a Markdown table.
 * The backend is the real example backend (scripts/lib/portal.js) on
 * BENCH_PORT (default 7127) with SQLite in the work directory, or a
 * throw-away PostgreSQL with --db postgres.
 *
 * Everything (backend, Prometheus, PostgreSQL, the work directory) is
 * stopped and removed at the end, also after a failure or Ctrl-C; --keep
 * keeps the work directory (catalog, SLO files, backend log).
 */
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const portal = require('./lib/portal');
const { descendants, listenerAmong, memoryOf } = require('./lib/processes');
const { mulberry32 } = require('./lib/random');
const {
  startPrometheus,
  toOpenMetrics,
  prometheusVersion,
} = require('../plugins/devops-personas-backend/src/__testUtils__/prometheusServer');

const OPTIONS = {
  db: ['sqlite', 'the backend database: sqlite or postgres'],
  samples: ['10', 'warm requests per SLO'],
  seed: ['42', 'seed of the generated history'],
};

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : OPTIONS[name][0];
}
if (process.argv.includes('--help')) {
  console.log('npm run bench:slos -- [options]\n');
  for (const [name, [fallback, text]] of Object.entries(OPTIONS)) {
    console.log(`  --${name.padEnd(10)} ${text} (default ${fallback})`);
  }
  console.log(`  --${'keep'.padEnd(10)} keep the work directory`);
  console.log('\nBENCH_PORT (default 7127) is the backend port.');
  process.exit(0);
}
const DB = arg('db');
const SAMPLES = Number(arg('samples'));
const SEED = Number(arg('seed'));
const KEEP = process.argv.includes('--keep');
if (DB !== 'sqlite' && DB !== 'postgres')
  throw new Error(`--db: unknown database ${DB}`);
if (!Number.isInteger(SAMPLES) || SAMPLES < 1)
  throw new Error(`--samples must be a whole number ≥ 1; got ${SAMPLES}`);
if (!Number.isInteger(SEED))
  throw new Error(`--seed must be a whole number; got ${SEED}`);

const PORT = Number(process.env.BENCH_PORT ?? 7127);
const TOKEN = 'bench-slos-token-0123456789';
const BASE = `http://localhost:${PORT}`;
const SLO_REF = 'devops-personas.io/slo-ref';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const HISTORY_DAYS = 366;
const METRIC = 'bench_requests_total';
const JOB = 'bench';
const GOOD = `${METRIC}{job="${JOB}",code="200"}`;
const BAD = `${METRIC}{job="${JOB}",code="500"}`;
const TOTAL = `${METRIC}{job="${JOB}"}`;
// Samples per toOpenMetrics call: a day, so the text is written as it is made.
const CHUNK = 1440;

/* ------------------------------------------------------------ the SLOs */

/**
 * The SLOs measured. `sliceMinutes` is the objective's timeSliceWindow (none
 * for Occurrences); `ratio` says which of good or bad the SLI counts.
 */
const SLOS = [
  {
    label: '(a)',
    name: 'occurrences-30d',
    method: 'Occurrences',
    window: '{ duration: 30d, isRolling: true }',
    objective: '{ displayName: Requests succeed, target: 0.999 }',
    ratio: 'good',
  },
  {
    label: '(b)',
    name: 'occurrences-calendar-year',
    method: 'Occurrences',
    window:
      '{ duration: 1Y, isRolling: false, calendar: { startTime: "2020-01-01 00:00:00", timeZone: UTC } }',
    objective: '{ displayName: Requests succeed this year, target: 0.998 }',
    ratio: 'bad',
  },
  {
    label: '(c)',
    name: 'timeslices-30d-1m',
    method: 'Timeslices',
    window: '{ duration: 30d, isRolling: true }',
    objective:
      '{ displayName: Good minutes, target: 0.99, timeSliceTarget: 0.99, timeSliceWindow: 1m }',
    sliceMinutes: 1,
    ratio: 'good',
  },
  {
    label: '(d)',
    name: 'ratio-timeslices-366d-5m',
    method: 'RatioTimeslices',
    window: '{ duration: 366d, isRolling: true }',
    objective:
      '{ displayName: Mean five-minute success, target: 0.999, timeSliceWindow: 5m }',
    sliceMinutes: 5,
    ratio: 'good',
  },
  {
    label: '(e)',
    name: 'timeslices-366d-1m',
    method: 'Timeslices',
    window: '{ duration: 366d, isRolling: true }',
    objective:
      '{ displayName: Good minutes this year, target: 0.99, timeSliceTarget: 0.995, timeSliceWindow: 1m }',
    sliceMinutes: 1,
    ratio: 'good',
  },
];

/** The OpenSLO v1 document of one SLO, with its SLI inline. */
function sloDocument(slo) {
  const part = query =>
    `{ metricSource: { type: Prometheus, spec: { query: '${query}' } } }`;
  const counted =
    slo.ratio === 'good' ? `good: ${part(GOOD)}` : `bad: ${part(BAD)}`;
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${slo.name}
spec:
  service: bench
  indicator:
    metadata: { name: ${slo.name}-requests }
    spec:
      ratioMetric:
        counter: true
        ${counted}
        total: ${part(TOTAL)}
  budgetingMethod: ${slo.method}
  timeWindow: [${slo.window}]
  objectives: [${slo.objective}]
`;
}

const sloFile = slo => `slo-${slo.name}.yaml`;

/* ---------------------------------------------------------- the history */

/** A number between `low` and `high`, spread evenly on a log scale. */
const logUniform = (rand, low, high) =>
  Math.exp(Math.log(low) + rand() * (Math.log(high) - Math.log(low)));

/**
 * The year of traffic: for each minute i (1 … minutes, ending at startMs + i
 * minutes) the requests that succeeded and failed in it, their running
 * totals (the reference the answers are checked against) and whether the
 * service restarted then (its counters start again from zero).
 */
function generateHistory(seed, endMs) {
  const rand = mulberry32(seed);
  const minutes = HISTORY_DAYS * 1440;
  const startMs = endMs - minutes * MINUTE;
  const errorRate = new Float32Array(minutes + 1);
  const hit = (from, length, rate) => {
    const end = Math.min(minutes + 1, from + length);
    for (let i = Math.max(1, from); i < end; i++) {
      errorRate[i] = Math.max(errorRate[i], rate);
    }
  };
  const incidents = Math.round(HISTORY_DAYS * 0.3);
  for (let k = 0; k < incidents; k++) {
    hit(
      1 + Math.floor(rand() * (minutes - 300)),
      Math.round(logUniform(rand, 3, 240)),
      logUniform(rand, 0.003, 0.3),
    );
  }
  const outageAt = minutes - 200 * 1440 + Math.floor(rand() * 1440);
  hit(outageAt, 45, 0.65);
  hit(minutes - 49, 50, 0.04);

  const restarts = new Uint8Array(minutes + 1);
  let restartCount = 0;
  for (let d = 0; d < HISTORY_DAYS; d++) {
    const at = d * 1440 + 1 + Math.floor(rand() * 1439);
    if (rand() < 0.43) {
      restarts[at] = 1;
      restartCount++;
    }
  }

  const good = new Uint32Array(minutes + 1);
  const bad = new Uint32Array(minutes + 1);
  const cumGood = new Float64Array(minutes + 1);
  const cumBad = new Float64Array(minutes + 1);
  for (let i = 1; i <= minutes; i++) {
    const t = startMs + i * MINUTE;
    const hour = (t % DAY) / HOUR;
    const weekday = new Date(t).getUTCDay();
    const daily =
      0.3 + 0.7 * (0.5 - 0.5 * Math.cos((2 * Math.PI * (hour - 4)) / 24));
    const weekly = weekday === 0 || weekday === 6 ? 0.6 : 1;
    const growth = 1 + (0.5 * i) / minutes;
    const total = Math.max(
      1,
      Math.round(900 * daily * weekly * growth * (0.85 + 0.3 * rand())),
    );
    const rate = Math.max(0.0002 + 0.0004 * rand(), errorRate[i]);
    bad[i] = Math.min(total, Math.floor(total * rate + rand()));
    good[i] = total - bad[i];
    cumGood[i] = cumGood[i - 1] + good[i];
    cumBad[i] = cumBad[i - 1] + bad[i];
  }
  return {
    startMs,
    endMs,
    minutes,
    good,
    bad,
    cumGood,
    cumBad,
    restarts,
    restartCount,
    incidents,
    outageMs: startMs + outageAt * MINUTE,
  };
}

/**
 * The counter samples of one series as Prometheus would have scraped them:
 * the running count, from zero again after a restart. A restart is only
 * taken when the counter visibly drops (the count since the restart is
 * below the count before it), as Prometheus can only see such resets.
 */
function* counterSamples(history, increments) {
  let value = 0;
  // Minute 0 is the history's start: nothing counted yet, no restart.
  for (let i = 0; i <= history.minutes; i++) {
    const restarted = history.restarts[i] && value > increments[i];
    value = restarted ? increments[i] : value + increments[i];
    yield [history.startMs + i * MINUTE, value];
  }
}

/**
 * Writes both series as one OpenMetrics file, a day of samples per
 * toOpenMetrics call: its `# TYPE` line and `# EOF` are written once, the
 * sample lines in between as they are made. Returns the samples written.
 */
function writeOpenMetrics(history, file) {
  const header = `# TYPE ${METRIC} unknown\n`;
  const footer = '# EOF\n';
  const fd = fs.openSync(file, 'w');
  let written = 0;
  try {
    fs.writeSync(fd, header);
    const series = { 200: history.good, 500: history.bad };
    for (const [code, increments] of Object.entries(series)) {
      let chunk = [];
      const flush = () => {
        const text = toOpenMetrics([
          { name: METRIC, labels: { job: JOB, code }, samples: chunk },
        ]);
        if (!text.startsWith(header) || !text.endsWith(footer)) {
          throw new Error('toOpenMetrics wrote an unexpected header or end');
        }
        fs.writeSync(fd, text.slice(header.length, -footer.length));
        written += chunk.length;
        chunk = [];
      };
      for (const sample of counterSamples(history, increments)) {
        chunk.push(sample);
        if (chunk.length === CHUNK) flush();
      }
      if (chunk.length) flush();
    }
    fs.writeSync(fd, footer);
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

/**
 * The attainment the generated counts give over the window an answer names
 * (SPEC §5): Σgood / Σtotal over the minutes in it (Occurrences), or over
 * epoch-aligned slices starting in it, slices judged by timeSliceTarget
 * (Timeslices) or averaged (RatioTimeslices). A minute counts where it ends,
 * as Prometheus's increase() counts it.
 */
function expectedAttainment(history, slo, window, timeSliceTarget) {
  const index = ms => (ms - history.startMs) / MINUTE;
  const counts = (fromMs, toMs) => {
    // Nothing was counted before the history began: its counters start at 0
    // (and Prometheus's increase() does not extrapolate below a 0 sample).
    const a = Math.max(0, index(fromMs));
    const b = Math.min(history.minutes, index(toMs));
    if (b <= a) return null;
    const good = history.cumGood[b] - history.cumGood[a];
    return { good, total: good + history.cumBad[b] - history.cumBad[a] };
  };
  const startMs = Date.parse(window.start);
  const endMs = Date.parse(window.end);
  if (slo.method === 'Occurrences') {
    const c = counts(startMs, endMs);
    return c?.total ? c.good / c.total : null;
  }
  const sliceMs = slo.sliceMinutes * MINUTE;
  let sum = 0;
  let slices = 0;
  const first = Math.ceil(startMs / sliceMs) * sliceMs;
  for (let at = first; at < endMs; at += sliceMs) {
    const c = counts(at, at + sliceMs);
    if (!c?.total) continue;
    const ratio = c.good / c.total;
    const isGood = ratio >= timeSliceTarget;
    sum += slo.method === 'RatioTimeslices' ? ratio : Number(isGood);
    slices++;
  }
  return slices ? sum / slices : null;
}

/* ------------------------------------------------------------ Prometheus alone */

/**
 * The time Prometheus itself takes for a sliced SLO's reading: the range
 * queries the backend sends for it (SPEC §5: `sum(increase(<query>[slice]))`
 * with the slice as step, at most 10,000 points a request, good or bad part
 * then total, one request after another), sent straight to Prometheus over
 * the slices of the answer's window. Resolves to { requests, points, ms }.
 */
async function prometheusAlone(baseUrl, slo, window) {
  const sliceMs = slo.sliceMinutes * MINUTE;
  const firstEndMs =
    Math.ceil(Date.parse(window.start) / sliceMs) * sliceMs + sliceMs;
  const lastEndMs = Date.parse(window.end);
  let requests = 0;
  let points = 0;
  const started = process.hrtime.bigint();
  for (const query of [slo.ratio === 'good' ? GOOD : BAD, TOTAL]) {
    for (let from = firstEndMs; from <= lastEndMs; from += 10_000 * sliceMs) {
      const params = new URLSearchParams({
        query: `sum(increase(${query}[${sliceMs / 1000}s]))`,
        start: String(from / 1000),
        end: String(Math.min(lastEndMs, from + 9_999 * sliceMs) / 1000),
        step: String(sliceMs / 1000),
      });
      const res = await fetch(`${baseUrl}/api/v1/query_range`, {
        method: 'POST',
        body: params,
      });
      const body = await res.json();
      if (body.status !== 'success')
        throw new Error(`Prometheus answered ${res.status}: ${body.error}`);
      requests++;
      points += body.data.result[0]?.values.length ?? 0;
    }
  }
  return {
    requests,
    points,
    ms: Number(process.hrtime.bigint() - started) / 1e6,
  };
}

/* ------------------------------------------------------------ HTTP */

const agent = new http.Agent({ keepAlive: true });

/**
 * GET with the static token; resolves to the parsed body and the time to the
 * last byte. node:http rather than fetch: a cold answer may take longer than
 * fetch's 300-second header timeout, and this should report it, not fail.
 */
function get(url) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.get(
      url,
      { agent, headers: { Authorization: `Bearer ${TOKEN}` } },
      res => {
        const chunks = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode < 200 || res.statusCode >= 300) {
            reject(
              new Error(
                `GET ${url} answered ${res.statusCode}: ${text.slice(0, 500)}`,
              ),
            );
            return;
          }
          try {
            resolve({ body: JSON.parse(text), ms });
          } catch {
            reject(
              new Error(`GET ${url} answered no JSON: ${text.slice(0, 200)}`),
            );
          }
        });
      },
    );
    req.on('error', reject);
  });
}

/**
 * The longest a /health request waits while `run` is under way, polling it
 * one request after another: how long the backend's event loop is held.
 */
async function longestHealthWait(healthUrl, run) {
  let longest = 0;
  let running = true;
  const poll = (async () => {
    while (running) {
      const t = process.hrtime.bigint();
      await new Promise((resolve, reject) =>
        http
          .get(healthUrl, { agent }, res => res.resume().on('end', resolve))
          .on('error', reject),
      );
      longest = Math.max(longest, Number(process.hrtime.bigint() - t) / 1e6);
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  })();
  try {
    await run();
  } finally {
    running = false;
    await poll;
  }
  return longest;
}

/* ------------------------------------------------------------ memory */

/** The descendant of this process that listens on `port` (the backend runs under npm, Prometheus is a child). */
function listenerOn(port) {
  return listenerAmong(descendants(process.pid), port);
}

/* ------------------------------------------------------------ formatting */

const iso = ms => new Date(ms).toISOString();
const fmtInt = n => Math.round(n).toLocaleString('en');
const fmtMs = ms =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
const fmtMB = kB =>
  kB === undefined || Number.isNaN(kB) ? '?' : `${(kB / 1024).toFixed(0)} MB`;
const fmtRatio = x => (x === null || x === undefined ? 'null' : x.toFixed(6));
const fmtPercent = x =>
  x === null || x === undefined ? 'null' : `${(x * 100).toFixed(1)} %`;
const fmtRate = x =>
  x === null || x === undefined ? 'null' : `${x.toFixed(2)}×`;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/* ---------------------------------------------------------------- a run */

// What is running, for the 'exit' handler (Ctrl-C, a crash).
let workDir;
let stopPostgres;

/** The history and a Prometheus holding it (part 1); the caller stops it. */
async function historyInPrometheus(endMs) {
  let started = Date.now();
  const history = generateHistory(SEED, endMs);
  const file = path.join(workDir, 'history.om');
  const samples = writeOpenMetrics(history, file);
  const megabytes = fs.statSync(file).size / 1024 / 1024;
  const requests =
    history.cumGood[history.minutes] + history.cumBad[history.minutes];
  const errors = history.cumBad[history.minutes] / requests;
  const outage = new Date(history.outageMs).toISOString().slice(0, 10);
  console.log(
    [
      `\nhistory: ${HISTORY_DAYS} days of one-minute samples to ${iso(endMs)}`,
      `2 series, ${fmtInt(samples)} samples`,
      `${megabytes.toFixed(0)} MB of OpenMetrics`,
      `generated and written in ${fmtMs(Date.now() - started)}`,
    ].join(', '),
  );
  console.log(
    [
      `  ${fmtInt(requests)} requests, ${(errors * 100).toFixed(3)} % errors`,
      `${history.incidents} incidents, an outage on ${outage}`,
      'the last 50 minutes at 4 % errors',
      `${history.restartCount} counter resets`,
    ].join('; '),
  );

  started = Date.now();
  const prometheus = await startPrometheus({ openMetrics: file });
  const ready = Date.now() - started;
  console.log(
    `  backfill (promtool) and start of Prometheus: ${fmtMs(ready)}` +
      ` (${prometheus.baseUrl})`,
  );
  fs.rmSync(file);
  try {
    const query = `sum(count_over_time(${TOTAL}[${HISTORY_DAYS}d]))`;
    const params = new URLSearchParams({ query, time: String(endMs / 1000) });
    started = Date.now();
    const res = await fetch(`${prometheus.baseUrl}/api/v1/query?${params}`);
    const held = Number((await res.json()).data?.result?.[0]?.value?.[1]);
    console.log(
      `  Prometheus holds ${fmtInt(held)} samples of it` +
        ` (${query}: ${fmtMs(Date.now() - started)})`,
    );
  } catch (e) {
    await prometheus.stop();
    throw e;
  }
  return { history, prometheus };
}

/** The backend (part 2), ready with every SLO Component in its catalog. */
async function startSloBackend(prometheus) {
  for (const slo of SLOS) {
    fs.writeFileSync(path.join(workDir, sloFile(slo)), sloDocument(slo));
  }
  let database = {
    client: 'better-sqlite3',
    connection: { directory: path.join(workDir, 'sqlite') },
  };
  if (DB === 'postgres') {
    const pg = await require('./postgres').startPostgres();
    stopPostgres = pg.stop;
    database = { client: 'pg', connection: pg.connectionString };
  }
  const started = Date.now();
  const sloRef = i => `file:./${sloFile(SLOS[i - 1])}`;
  const backend = await portal.startBackend({
    dir: workDir,
    port: PORT,
    database,
    token: TOKEN,
    subject: 'bench',
    // svc-00000 has no SLOs: the readiness check reads its System's KPIs,
    // which would otherwise read SLOs from Prometheus before the cold requests.
    // Then one Component (and System) per SLO.
    entities: SLOS.length + 1,
    systemSize: 1,
    annotations: i => (i ? { [SLO_REF]: sloRef(i) } : {}),
    extraConfig: {
      devopsPersonas: {
        sources: { prometheus: { default: { baseUrl: prometheus.baseUrl } } },
        // The warm requests must meet the cached reading, however long the cold one took.
        slo: { refreshInterval: '1h' },
      },
    },
    configFile: path.join(workDir, 'bench-slos.json'),
  });
  try {
    // The readiness check waits for the last Component only; the cold reads need every one.
    const components = `${BASE}/api/catalog/entities/by-name/component/default`;
    const byName = i => `${components}/${portal.component(i)}`;
    await portal.waitFor(
      async () => {
        for (let i = 1; i <= SLOS.length; i++) {
          const { body } = await get(byName(i));
          if (!body.metadata?.annotations?.[SLO_REF]) return false;
        }
        return true;
      },
      'the SLO Components in the catalog',
      300_000,
    );
  } catch (e) {
    await backend.stopAndWait();
    throw e;
  }
  return { backend, readyMs: Date.now() - started };
}

/** One SLO (part 3): its figures, and how long they took. */
async function measureSlo(slo, index, { history, prometheus, until }) {
  const entity = portal.component(index + 1);
  const sloUrl = at =>
    `${BASE}/api/devops-personas/v1/entities/component/default/${entity}` +
    `/slos?until=${encodeURIComponent(at)}`;
  const url = sloUrl(until);
  const pid = listenerOn(PORT);

  const cold = await get(url);
  const afterCold = memoryOf(pid);
  const warm = [];
  let sameAnswer = true;
  for (let k = 0; k < SAMPLES; k++) {
    const answer = await get(url);
    warm.push(answer.ms);
    const same =
      JSON.stringify(answer.body.slos) === JSON.stringify(cold.body.slos);
    sameAnswer &&= same;
  }
  const afterWarm = memoryOf(pid);

  const result = cold.body.slos.find(s => s.name === slo.name);
  const objective = result?.objectives[0];
  const expected =
    result &&
    expectedAttainment(history, slo, result.window, objective.timeSliceTarget);
  const agree =
    typeof objective?.attainment === 'number' &&
    typeof expected === 'number' &&
    Math.abs(objective.attainment - expected) <= 1e-9;
  const alone =
    slo.sliceMinutes && result
      ? await prometheusAlone(prometheus.baseUrl, slo, result.window)
      : undefined;
  // Apart from the measured requests, so that polling does not slow them:
  // one more warm request, and a new cold reading (`until` 5 minutes
  // earlier), each while /health is polled.
  const health = `${BASE}/api/devops-personas/health`;
  const warmStall = await longestHealthWait(health, () => get(url));
  const earlier = iso(Date.parse(until) - 5 * MINUTE);
  const coldStall = await longestHealthWait(health, () => get(sloUrl(earlier)));
  return {
    slo,
    cold,
    warm: { p50: median(warm), max: Math.max(...warm), sameAnswer },
    afterCold,
    afterWarm,
    result,
    objective,
    expected,
    agree,
    alone,
    coldStall,
    warmStall,
  };
}

function printSlo(m) {
  const { slo, result, objective } = m;
  const rss = memory =>
    `${fmtMB(memory?.rss)} (peak so far ${fmtMB(memory?.hwm)})`;
  console.log(`\n  ${slo.label} ${slo.name}: ${slo.method}, ${slo.window}`);
  console.log(
    [
      `      cold ${fmtMs(m.cold.ms)}`,
      `warm p50 ${fmtMs(m.warm.p50)}, slowest ${fmtMs(m.warm.max)}` +
        (m.warm.sameAnswer ? '' : ' (a warm answer DIFFERS from the cold one)'),
      `backend RSS after the cold request ${rss(m.afterCold)}`,
      `after the warm ones ${rss(m.afterWarm)}`,
    ].join('; '),
  );
  console.log(
    `      longest /health wait during a cold request (until 5 minutes` +
      ` earlier) ${fmtMs(m.coldStall)}, during a warm one ${fmtMs(
        m.warmStall,
      )}`,
  );
  if (m.alone) {
    console.log(
      `      Prometheus alone: the ${m.alone.requests} range queries of this` +
        ` reading (${fmtInt(m.alone.points)} points), sent one after` +
        ` another, answered in ${fmtMs(m.alone.ms)}`,
    );
  }
  if (!result) {
    const names = m.cold.body.slos.map(s => s.name).join(', ') || 'none';
    console.log(`      no SLO ${slo.name} in the answer (${names})`);
  } else {
    console.log(
      [
        `      window ${result.window.start} – ${result.window.end}`,
        `attainment ${fmtRatio(objective.attainment)} (from the generated` +
          ` counts ${fmtRatio(m.expected)}: ${m.agree ? 'agree' : 'DIFFER'})`,
        `target ${objective.target}`,
        `budget remaining ${fmtPercent(objective.budgetRemaining)}`,
        `burn rate 1 h ${fmtRate(objective.burnRates['1h'])}`,
        `alert ${objective.alert}`,
        `sample size ${fmtInt(result.sampleSize)}`,
      ].join('; '),
    );
    const source = result.dataSource;
    if (source.type !== 'prometheus') {
      console.log(`      read from ${source.type}, not Prometheus`);
    }
    if (source.error) console.log(`      data source error: ${source.error}`);
  }
  for (const w of m.cold.body.warnings) {
    console.log(`      warning ${w.code}: ${w.message}`);
  }
}

/** The figures again as a Markdown table, for the README. */
function printTable(measured) {
  const columns = [
    ['SLO', m => `${m.slo.label} ${m.slo.name}`],
    ['cold', m => fmtMs(m.cold.ms)],
    ['warm p50', m => fmtMs(m.warm.p50)],
    ['Prometheus alone', m => (m.alone ? fmtMs(m.alone.ms) : '')],
    [
      'longest /health wait (cold / warm)',
      m => `${fmtMs(m.coldStall)} / ${fmtMs(m.warmStall)}`,
    ],
    [
      'attainment',
      m => fmtRatio(m.objective?.attainment) + (m.agree ? '' : ' (DIFFERS)'),
    ],
    ['alert', m => m.objective?.alert ?? '?'],
    [
      'backend RSS after cold (peak so far)',
      m => `${fmtMB(m.afterCold?.rss)} (${fmtMB(m.afterCold?.hwm)})`,
    ],
  ];
  const row = cells => `| ${cells.join(' | ')} |`;
  console.log(`\n${row(columns.map(([title]) => title))}`);
  console.log(row(columns.map(() => '---')));
  for (const m of measured)
    console.log(row(columns.map(([, cell]) => cell(m))));
}

async function main() {
  const cpus = os.cpus();
  const prometheusAt = prometheusVersion() ?? 'no Prometheus';
  console.log(
    `DevOps Personas SLO benchmark (node ${process.version}, ${cpus.length}` +
      ` cores, ${cpus[0]?.model ?? ''}; ${prometheusAt})`,
  );
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-slos-'));
  console.log(`work dir ${workDir}`);

  const endMs = Math.floor(Date.now() / MINUTE) * MINUTE;
  const until = iso(endMs);
  const { history, prometheus } = await historyInPrometheus(endMs);
  try {
    const { backend, readyMs } = await startSloBackend(prometheus);
    try {
      const pid = listenerOn(PORT);
      const memory = memoryOf(pid);
      console.log(
        [
          `\nbackend (${DB}) on port ${PORT} ready in ${fmtMs(readyMs)}`,
          `pid ${pid ?? '?'}`,
          `RSS ${fmtMB(memory?.rss)} (peak ${fmtMB(memory?.hwm)})`,
          `GET …/slos?until=${until}, ${SAMPLES} warm requests each`,
        ].join('; '),
      );
      const measured = [];
      for (const [index, slo] of SLOS.entries()) {
        const m = await measureSlo(slo, index, { history, prometheus, until });
        printSlo(m);
        measured.push(m);
      }

      const backendMemory = memoryOf(pid);
      const prometheusMemory = memoryOf(listenerOn(prometheus.port));
      console.log(
        `\nbackend peak RSS (VmHWM) ${fmtMB(backendMemory?.hwm)},` +
          ` RSS now ${fmtMB(backendMemory?.rss)}; Prometheus RSS` +
          ` ${fmtMB(prometheusMemory?.rss)} (peak ${fmtMB(
            prometheusMemory?.hwm,
          )})`,
      );
      printTable(measured);
    } catch (e) {
      // The end of the backend's log says more than a failed request does.
      const log = fs.readFileSync(backend.logFile, 'utf8').split('\n');
      console.error(`backend log (last lines):\n${log.slice(-40).join('\n')}`);
      throw e;
    } finally {
      await backend.stopAndWait();
    }
  } finally {
    stopPostgres?.();
    stopPostgres = undefined;
    await prometheus.stop();
  }
}

if (require.main === module) {
  // Ctrl-C or a crash: no backend, PostgreSQL or work directory is left
  // behind (Prometheus and promtool stop themselves on exit, see
  // plugins/devops-personas-backend/src/__testUtils__/serverProcess.js).
  process.on('exit', () => {
    portal.killAll();
    stopPostgres?.();
    if (workDir && !KEEP) fs.rmSync(workDir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => process.exit(130));
  }
  main().then(
    () => agent.destroy(),
    e => {
      const cause = e.cause ? `: ${e.cause.message ?? e.cause}` : '';
      console.error(cause ? `${e.message}${cause}` : e.stack ?? e.message);
      process.exit(1);
    },
  );
}

// For checking the generator by hand:
// node -e "require('./scripts/bench-slos.js').generateHistory(42, Date.now())".
module.exports = {
  SLOS,
  sloDocument,
  generateHistory,
  writeOpenMetrics,
  expectedAttainment,
};
