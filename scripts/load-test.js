#!/usr/bin/env node
/*
 * Load and fault test of the ingest API (POST /api/devops-personas/v1/events),
 * run by hand; not part of `npm test`. It prints a report and asserts nothing
 * about speed. It exits non-zero only when events were lost or duplicated, a
 * batch was stored in part, or a request got a 500.
 *
 *   npm run load-test                                  # PostgreSQL, 2 replicas, all scenarios
 *   npm run load-test -- --clients 8 --rounds 3
 *   npm run load-test -- --db sqlite                   # 1 replica on a SQLite file
 *   npm run load-test -- --scenarios kill --batch 1000
 *
 * Starts a throw-away PostgreSQL 15 and two replicas of the real example
 * backend on it (ports from LOAD_TEST_PORTS, default 7121,7122), or one
 * replica on a SQLite file, then runs the scenarios:
 *   concurrent        clients send overlapping batches (half of them in the
 *                     opposite order) to both replicas at once;
 *   kill              one replica's process group gets SIGKILL mid-ingest and
 *                     is started again while the clients keep going;
 *   postgres-restart  `pg_ctl restart -m fast` mid-ingest (PostgreSQL only).
 * Clients retry a batch until it is accepted (202): after a 503 when
 * Retry-After says, after a connection error (short back-off) against the
 * next replica.
 * Then the database is read directly (knex) to count what was stored.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startPostgres } = require('./postgres');
const portal = require('./lib/portal');

const { component } = portal;
const TOKEN = 'load-test-token-0123456789';
const TABLE = 'devops_personas_events';
// Backstage names each plugin's PostgreSQL database <prefix><pluginId>.
const PG_PREFIX = 'loadtest_';
const PLUGIN_DB = 'devops-personas';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const DB = arg('db', 'postgres');
const CLIENTS = Number(arg('clients', 20));
const ROUNDS = Number(arg('rounds', 10));
const BATCH = Number(arg('batch', 500));
const ENTITIES = Number(arg('entities', 10));
// After this, clients stop retrying and the scenario is reported as incomplete.
const TIMEOUT_MS = Number(arg('timeout', 600)) * 1000;
const REQUEST_TIMEOUT_MS = 120_000;
const ALL_PORTS = (process.env.LOAD_TEST_PORTS ?? '7121,7122').split(',').map(Number);
const PORTS = DB === 'sqlite' ? ALL_PORTS.slice(0, 1) : ALL_PORTS;
// By default the first replica starts alone: two backends starting at once on
// a fresh database race for the knex migration lock (see the README).
const PARALLEL_START = process.argv.includes('--parallel-start');
const SCENARIOS = arg('scenarios', DB === 'sqlite' ? 'concurrent,kill' : 'concurrent,kill,postgres-restart').split(',');
// A fixed clock for event times, so that a re-sent event is the same event.
const T0 = Math.floor(Date.now() / 60_000) * 60_000;

const sleep = ms => new Promise(r => setTimeout(r, ms));
const fmt = n => n.toLocaleString('en');

function usage(problem) {
  if (problem) console.error(`${problem}\n`);
  (problem ? console.error : console.log)(
    'Usage: npm run load-test -- [--db postgres|sqlite] [--clients 20] [--rounds 10] [--batch 500]\n' +
      '                           [--scenarios concurrent,kill,postgres-restart] [--entities 10] [--timeout 600]\n' +
      '                           [--parallel-start]\n' +
      'Ports: LOAD_TEST_PORTS=7121,7122 (one replica a port; SQLite uses the first).',
  );
  process.exit(problem ? 2 : 0);
}

/* ------------------------------------------------------------------ setup */

/** Refuses to start when something already answers on a port: its health check would pass for ours. */
async function assertPortFree(port) {
  try {
    await fetch(`http://localhost:${port}/`, { signal: AbortSignal.timeout(2000) });
  } catch (e) {
    if (e?.cause?.code === 'ECONNREFUSED') return;
  }
  throw new Error(`Something already listens on port ${port}; set LOAD_TEST_PORTS to free ports`);
}

/** Fills `env` as it goes, so that an interrupted start is still cleaned up. */
async function startEnvironment(env) {
  const { dir } = env;
  for (const port of PORTS) await assertPortFree(port);
  let database;
  if (DB === 'postgres') {
    env.pg = await startPostgres();
    database = { client: 'pg', connection: env.pg.connectionString, prefix: PG_PREFIX };
    env.knexConfig = () => ({ client: 'pg', connection: `${env.pg.connectionString}/${PG_PREFIX}${PLUGIN_DB}`, pool: { min: 0, max: 2 } });
  } else {
    // A file, not :memory:, so that a killed backend restarts on the same data.
    database = { client: 'better-sqlite3', connection: { directory: path.join(dir, 'sqlite') } };
    env.knexConfig = () => ({ client: 'better-sqlite3', connection: { filename: path.join(dir, 'sqlite', `${PLUGIN_DB}.sqlite`) }, useNullAsDefault: true });
  }
  const start = port =>
    portal.startBackend({
      dir,
      port,
      database,
      token: TOKEN,
      subject: 'load-test',
      entities: ENTITIES,
      configFile: path.join(dir, `replica-${port}.json`),
      logFile: path.join(dir, `replica-${port}.log`),
      pollMs: 250,
      catalogTimeoutMs: 180_000, // a catalog of a few entities takes seconds
    });
  const t0 = Date.now();
  const backends = [];
  if (!PARALLEL_START) backends.push(await start(PORTS[0]));
  const rest = await Promise.allSettled(PORTS.slice(backends.length).map(start));
  const failed = rest.find(b => b.status === 'rejected');
  if (failed) throw failed.reason;
  backends.push(...rest.map(b => b.value));
  env.replicas = backends.map(b => ({ backend: b, port: b.port, url: `${b.baseUrl}/v1/events`, inflight: 0, acks: 0 }));
  console.log(`  ${env.replicas.length} replica(s) ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${PORTS.map(p => `:${p}`).join(', ')}`);
}

async function stopEnvironment(env) {
  await Promise.all(env.replicas.map(r => r.backend.stopAndWait()));
  portal.killAll(); // a replica still starting when something failed
  env.pg?.stop();
}

/* ---------------------------------------------------------------- clients */

function newStats() {
  return {
    requests: 0,
    accepted: 0,
    unavailable: 0,
    retries503: 0,
    other4xx: 0,
    server500: 0,
    other5xx: 0,
    connErrors: 0,
    connRetries: 0,
    byStatus: {}, // failed requests: status (or connection error code) -> count
    messages500: new Map(), // first part of each distinct 500 body -> count
    notReady: 0, // 404s from a replica still starting, retried
    acceptedMismatch: 0, // 202s whose `accepted` is not the batch's distinct event count
  };
}

const count = (map, key) => (map[key] = (map[key] ?? 0) + 1);

function event(source, item, tag) {
  return {
    type: 'deployment',
    id: item.id,
    source,
    entityRef: `component:default/${component(item.n % ENTITIES)}`,
    finishedAt: new Date(T0 - item.n * 60_000).toISOString(),
    status: item.n % 10 ? 'success' : 'rolled_back',
    environment: 'production',
    // Which attempt of which batch wrote the row (unknown fields are dropped, url is kept).
    url: `https://load-test.example/${tag}`,
  };
}

/**
 * Items of batch (client c, round r). `concurrent`: a sliding window, so that
 * neighbouring batches (c and c + 1, the last client of a round and the first
 * of the next) share half their events. Otherwise every batch has events of
 * its own, so that a batch stored in part can be told from one stored whole.
 */
function batchItems(overlap, c, r) {
  const items = [];
  if (overlap) {
    const start = (r * CLIENTS + c) * Math.ceil(BATCH / 2);
    for (let n = start; n < start + BATCH; n++) items.push({ id: `e${n}`, n });
  } else {
    for (let k = 0; k < BATCH; k++) items.push({ id: `c${c}-r${r}-${k}`, n: (r * CLIENTS + c) * BATCH + k });
  }
  // Half the clients send their batch in the opposite order: two batches
  // locking the same rows in opposite orders is how deadlocks start.
  return c % 2 ? items.reverse() : items;
}

/** Sends one batch until it is accepted, the scenario stops, or its deadline passes. */
async function sendBatch(ctx, batch, first) {
  const { stats } = ctx;
  let serverErrors = 0;
  let connFailures = 0;
  let notFound = 0;
  for (let attempt = 0; ; attempt++) {
    if (ctx.stopped || Date.now() > ctx.deadline) {
      batch.abandoned = true;
      return;
    }
    if (batch.failed === 'connection') stats.connRetries++;
    if (batch.failed === 503) stats.retries503++;
    // Spread over the replicas; a retry goes to the next one.
    const replica = ctx.replicas[(first + attempt) % ctx.replicas.length];
    const tag = `${ctx.name}/${batch.key}/a${attempt}`;
    const body = JSON.stringify({ events: batch.items.map(item => event(ctx.source, item, tag)) });
    batch.tag = tag;
    batch.failed = undefined;
    stats.requests++;
    replica.inflight++;
    let status;
    let text;
    let retryAfter;
    try {
      const res = await fetch(replica.url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      text = await res.text();
    } catch (e) {
      // Refused, reset, or the answer never came: the batch may or may not be stored.
      const code = e?.name === 'TimeoutError' ? 'timeout' : (e?.cause?.code ?? e?.code ?? e?.name ?? 'error');
      stats.connErrors++;
      count(stats.byStatus, code);
      batch.failed = 'connection';
      connFailures++;
      await sleep(Math.min(2000, 100 * 2 ** Math.min(connFailures, 5)));
      await ctx.gate;
      continue;
    } finally {
      replica.inflight--;
    }
    if (status === 202) {
      stats.accepted++;
      replica.acks++;
      const accepted = JSON.parse(text).accepted;
      if (accepted !== new Set(batch.items.map(i => i.id)).size) stats.acceptedMismatch++;
      batch.acked = true;
      ctx.ackedBatches++;
      return;
    }
    count(stats.byStatus, status);
    batch.failed = status;
    if (status === 503) {
      // Honour Retry-After (seconds or an HTTP date); without it, a second.
      stats.unavailable++;
      const seconds = Number(retryAfter);
      const waitMs = Number.isFinite(seconds) ? seconds * 1000 : Math.max(0, Date.parse(retryAfter) - Date.now()) || 1000;
      await sleep(waitMs);
      await ctx.gate;
      continue;
    }
    if (status === 404 && ++notFound <= 60) {
      // A backend that is (re)starting listens before the plugin's routes are
      // mounted and answers 404 meanwhile: retry, as after a refused connection.
      stats.other4xx++;
      stats.notReady++;
      await sleep(Math.min(2000, 100 * 2 ** Math.min(notFound, 5)));
      await ctx.gate;
      continue;
    }
    if (status >= 400 && status < 500) {
      // Our events are valid: a 4xx means the test itself is wrong. Stop.
      stats.other4xx++;
      batch.abandoned = true;
      ctx.stopped = `a request answered ${status}: ${text.slice(0, 300)}`;
      return;
    }
    if (status === 500) {
      stats.server500++;
      const message = text.slice(0, 200);
      stats.messages500.set(message, (stats.messages500.get(message) ?? 0) + 1);
    } else {
      stats.other5xx++;
    }
    // A defect, but maybe a passing one: retry a few times so the data check still means something.
    if (++serverErrors > 5) {
      batch.abandoned = true;
      return;
    }
    await sleep(1000);
    await ctx.gate;
  }
}

async function runClient(ctx, c) {
  // Past the given rounds, clients keep going until the disruption is over,
  // so that the restarted replica or database takes traffic again; at one
  // batch a second each, so that a slow restart does not pile up rows.
  const more = r => r < ROUNDS || (ctx.disruption && !ctx.disruption.done && !ctx.stopped && Date.now() < ctx.deadline);
  for (let r = 0; more(r); r++) {
    if (ctx.stopped) return;
    if (r >= ROUNDS) await sleep(1000);
    const batch = { key: `c${c}-r${r}`, items: batchItems(ctx.overlap, c, r), acked: false };
    ctx.batches.push(batch);
    await sendBatch(ctx, batch, c + r);
  }
}

/* ------------------------------------------------------------ disruptions */

/** Holds back clients' retries (not new batches) until the returned function is called. */
function holdRetries(ctx) {
  let release;
  ctx.gate = new Promise(r => (release = r));
  return () => {
    ctx.gate = Promise.resolve();
    release();
  };
}

/** Waits until a third of the planned batches are in, then until requests are in flight (at most 5 s). */
async function midIngest(ctx, busy) {
  const target = Math.ceil((CLIENTS * ROUNDS) / 3);
  while (!ctx.stopped && ctx.running && ctx.ackedBatches < target && Date.now() < ctx.deadline) await sleep(20);
  const t = Date.now();
  while (!ctx.stopped && ctx.running && !busy() && Date.now() - t < 5000) await sleep(2);
  return !ctx.stopped && ctx.running > 0 && Date.now() < ctx.deadline;
}

/** Waits until each of `replicas` has accepted a batch after `marks` (their acks then), or the clients are done. */
async function untilServing(ctx, replicas, marks) {
  const serving = () => replicas.every((r, i) => r.acks > marks[i]);
  while (!ctx.stopped && ctx.running && Date.now() < ctx.deadline && !serving()) await sleep(50);
  ctx.disruption.notServing = !serving();
}

async function killReplica(ctx, env) {
  const victim = ctx.replicas[ctx.replicas.length - 1];
  if (!(await midIngest(ctx, () => victim.inflight > 0))) return;
  const release = holdRetries(ctx);
  const at = Date.now();
  const inflight = victim.inflight;
  try {
    await victim.backend.killAndWait();
    const text = `kill -9 of replica :${victim.port} at ${((at - ctx.started) / 1000).toFixed(1)} s with ${inflight} request(s) in flight to it`;
    console.log(`  ${text}`);
    // A dead connection's transaction is rolled back once PostgreSQL notices; give it a moment.
    await sleep(1000);
    ctx.snapshot = await snapshot(ctx, env);
  } finally {
    release();
  }
  const t = Date.now();
  await victim.backend.restart();
  const back = `replica :${victim.port} ready again ${((Date.now() - t) / 1000).toFixed(1)} s after the restart`;
  console.log(`  ${back}`);
  await untilServing(ctx, [victim], [victim.acks]);
}

async function restartPostgres(ctx, env) {
  if (!(await midIngest(ctx, () => ctx.replicas.some(r => r.inflight > 0)))) return;
  const release = holdRetries(ctx);
  const at = Date.now();
  const inflight = ctx.replicas.reduce((n, r) => n + r.inflight, 0);
  try {
    await env.pg.restart();
    const text = `pg_ctl restart -m fast at ${((at - ctx.started) / 1000).toFixed(1)} s with ${inflight} request(s) in flight; PostgreSQL accepted connections again after ${((Date.now() - at) / 1000).toFixed(1)} s`;
    console.log(`  ${text}`);
    ctx.snapshot = await snapshot(ctx, env);
  } finally {
    release();
  }
  await untilServing(ctx, ctx.replicas, ctx.replicas.map(r => r.acks));
}

/* ---------------------------------------------------------- verification */

/** Stored rows of this scenario's source: event id -> { n: rows, tag }. */
async function storedRows(ctx, env, withTags) {
  const knex = require('knex')(env.knexConfig());
  try {
    const stored = new Map();
    if (withTags) {
      for (const row of await knex(TABLE).where({ source: ctx.source }).select('event_id', 'payload')) {
        const prev = stored.get(row.event_id);
        const tag = JSON.parse(row.payload).url?.replace('https://load-test.example/', '');
        stored.set(row.event_id, { n: (prev?.n ?? 0) + 1, tag });
      }
    } else {
      const rows = await knex(TABLE).where({ source: ctx.source }).select('event_id').count({ n: '*' }).groupBy('type', 'event_id');
      for (const row of rows) stored.set(row.event_id, { n: Number(row.n) });
    }
    return stored;
  } finally {
    await knex.destroy();
  }
}

/**
 * Batches stored in part: some of their (own) events present, others not,
 * or written by different attempts. Only meaningful without overlap.
 */
function partialBatches(ctx, stored) {
  const partial = [];
  for (const batch of ctx.batches) {
    let present = 0;
    const tags = new Set();
    for (const item of batch.items) {
      const row = stored.get(item.id);
      if (row) {
        present++;
        tags.add(row.tag);
      }
    }
    if ((present > 0 && present < batch.items.length) || tags.size > 1) partial.push(`${batch.key} (${present}/${batch.items.length})`);
  }
  return partial;
}

/**
 * Right after the disruption, with retries held back: is each batch stored
 * whole or not at all, and did the batches whose request failed get stored?
 */
async function snapshot(ctx, env) {
  const stored = await storedRows(ctx, env, true);
  const result = { partial: partialBatches(ctx, stored), inDoubt: 0, storedWithoutAnswer: 0, answered503: 0, storedDespite503: 0 };
  for (const batch of ctx.batches) {
    if (batch.acked || !batch.failed) continue;
    // Stored by the attempt that failed (its tag), not an earlier one.
    const byThisAttempt = batch.items.every(item => stored.get(item.id)?.tag === batch.tag);
    if (batch.failed === 'connection') {
      result.inDoubt++;
      if (byThisAttempt) result.storedWithoutAnswer++; // fine: the retry replaces it
    } else if (batch.failed === 503) {
      result.answered503++;
      if (byThisAttempt) result.storedDespite503++; // 503 promises "nothing was stored"
    }
  }
  return result;
}

async function verify(ctx, env) {
  const stored = await storedRows(ctx, env, !ctx.overlap);
  const expected = new Set();
  const acked = new Set();
  let sent = 0;
  for (const batch of ctx.batches) {
    sent += batch.items.length;
    for (const item of batch.items) {
      expected.add(item.id);
      if (batch.acked) acked.add(item.id);
    }
  }
  let rows = 0;
  let duplicated = 0;
  let unexpected = 0;
  for (const [id, row] of stored) {
    rows += row.n;
    duplicated += row.n - 1;
    if (!expected.has(id)) unexpected++;
  }
  let lost = 0;
  let lostAcked = 0;
  for (const id of expected) {
    if (!stored.has(id)) {
      lost++;
      if (acked.has(id)) lostAcked++;
    }
  }
  return {
    batches: ctx.batches.length,
    abandoned: ctx.batches.filter(b => b.abandoned).length,
    sent,
    distinct: expected.size,
    stored: rows,
    lost,
    lostAcked,
    duplicated,
    unexpected,
    partial: ctx.overlap ? undefined : partialBatches(ctx, stored),
  };
}

/* -------------------------------------------------------------- scenarios */

/**
 * `backstage-cli package start` restarts the backend when a source file it
 * loaded changes: someone editing the plugin during a run disrupts it too.
 */
function watcherRestarts(env) {
  let n = 0;
  for (const r of env.replicas) {
    n += fs.readFileSync(r.backend.logFile, 'utf8').split('Change detected, restarting the development server').length - 1;
  }
  return n;
}

async function runScenario(name, env) {
  const ctx = {
    name,
    source: `load-${name}`,
    overlap: name === 'concurrent',
    replicas: env.replicas,
    stats: newStats(),
    batches: [],
    ackedBatches: 0,
    gate: Promise.resolve(),
    running: 0,
    stopped: undefined,
    started: Date.now(),
    deadline: Date.now() + TIMEOUT_MS,
    disruption: name === 'concurrent' ? undefined : { done: false, notServing: false },
  };
  for (const r of env.replicas) r.acks = 0;
  console.log(`\nScenario ${name}: ${CLIENTS} clients × ${ROUNDS} rounds × ${BATCH} events over ${env.replicas.length} replica(s)`);
  const watcherBefore = watcherRestarts(env);
  ctx.running = CLIENTS;
  const clients = Array.from({ length: CLIENTS }, (_, c) => runClient(ctx, c).finally(() => ctx.running--));
  let error;
  if (ctx.disruption) {
    const disrupt = name === 'kill' ? killReplica : restartPostgres;
    try {
      await disrupt(ctx, env);
    } catch (e) {
      error = e;
      ctx.stopped = `the ${name} step failed`;
    } finally {
      ctx.disruption.done = true;
    }
  }
  await Promise.all(clients);
  const elapsedMs = Date.now() - ctx.started;
  const result = { name, stats: ctx.stats, elapsedMs, disruption: ctx.disruption, snapshot: ctx.snapshot, stopped: ctx.stopped, error };
  result.watcherRestarts = watcherRestarts(env) - watcherBefore;
  result.data = await verify(ctx, env);
  result.acksByReplica = env.replicas.map(r => `:${r.port} ${fmt(r.acks)}`).join(', ');
  return result;
}

/* ----------------------------------------------------------------- report */

function failures(r) {
  const f = [];
  if (r.error) f.push(`error: ${r.error.message}`);
  if (r.data.lost) f.push(`${fmt(r.data.lost)} event(s) lost`);
  if (r.data.duplicated) f.push(`${fmt(r.data.duplicated)} duplicated`);
  const partial = (r.data.partial?.length ?? 0) + (r.snapshot?.partial.length ?? 0);
  if (partial) f.push(`${partial} batch(es) stored in part`);
  if (r.stats.server500) f.push(`${r.stats.server500} × 500`);
  return f;
}

function printReport(r) {
  const s = r.stats;
  const d = r.data;
  const statuses = Object.entries(s.byStatus).map(([k, v]) => `${k} ×${v}`).join(', ') || 'none';
  const rows = [
    ['requests', fmt(s.requests), 'every attempt, retries included'],
    ['202 accepted', fmt(s.accepted), `by replica: ${r.acksByReplica}`],
    ['503 unavailable', fmt(s.unavailable), `${fmt(s.retries503)} retried after Retry-After`],
    ['other 4xx', fmt(s.other4xx), s.notReady ? `${fmt(s.notReady)} × 404 from a replica still starting, retried` : ''],
    ['500', fmt(s.server500), s.server500 ? 'a defect' : ''],
    ['other 5xx', fmt(s.other5xx), ''],
    ['connection errors', fmt(s.connErrors), `${fmt(s.connRetries)} retried`],
    ['failed requests', fmt(s.requests - s.accepted), `by status or error: ${statuses}`],
    ['events sent', fmt(d.sent), `${fmt(d.batches)} batches, each counted once${d.abandoned ? `; ${d.abandoned} abandoned` : ''}`],
    ['events distinct', fmt(d.distinct), ''],
    ['events stored', fmt(d.stored), 'rows in the database'],
    ['lost', fmt(d.lost), `${fmt(d.lostAcked)} of them acknowledged with 202`],
    ['duplicated', fmt(d.duplicated), d.unexpected ? `${d.unexpected} stored events were never sent` : ''],
    ['partial batches', d.partial ? fmt(d.partial.length) : '-', d.partial ? 'at the end' : 'overlapping batches: not checked'],
  ];
  if (r.snapshot) {
    const sn = r.snapshot;
    rows.push([
      '  after disruption',
      fmt(sn.partial.length),
      `partial; connection lost: ${sn.inDoubt} batch(es), ${sn.storedWithoutAnswer} stored anyway; answered 503: ${sn.answered503}, ${sn.storedDespite503} stored anyway`,
    ]);
  }
  rows.push(['elapsed', `${(r.elapsedMs / 1000).toFixed(1)} s`, 'from the first request to the last answer']);
  const w = Math.max(...rows.map(x => x[0].length));
  const v = Math.max(...rows.map(x => x[1].length));
  for (const [k, val, note] of rows) console.log(`  ${k.padEnd(w)}  ${val.padStart(v)}  ${note}`.trimEnd());
  if (s.acceptedMismatch) console.log(`  NOTE: ${s.acceptedMismatch} answer(s) of 202 gave an "accepted" count other than the batch's distinct events`);
  for (const [message, n] of s.messages500) console.log(`  500 ×${n}: ${message}`);
  if (r.snapshot?.storedDespite503) console.log(`  NOTE: ${r.snapshot.storedDespite503} batch(es) answered 503 ("nothing was stored") were stored`);
  for (const p of [...(r.snapshot?.partial ?? []), ...(d.partial ?? [])].slice(0, 10)) console.log(`  partial batch: ${p}`);
  if (r.stopped) console.log(`  stopped early: ${r.stopped}`);
  if (r.disruption?.notServing) console.log('  NOTE: the clients were done before every replica had accepted a batch after the disruption');
  if (r.watcherRestarts) console.log(`  NOTE: the dev server's file watcher restarted a replica ${r.watcherRestarts} time(s) during this scenario (a source file changed): the connection errors include those restarts`);
  const f = failures(r);
  console.log(`  result: ${f.length ? `FAILED (${f.join('; ')})` : 'OK'}`);
}

function printSummary(results) {
  const head = ['scenario', 'requests', '202', '503 (retried)', '4xx', '500', 'conn err', 'sent', 'distinct', 'stored', 'lost', 'dup', 'partial', 'elapsed', 'result'];
  const lines = results.map(r => {
    const partial = r.data.partial ? r.data.partial.length + (r.snapshot?.partial.length ?? 0) : '-';
    return [
      r.name,
      fmt(r.stats.requests),
      fmt(r.stats.accepted),
      `${fmt(r.stats.unavailable)} (${fmt(r.stats.retries503)})`,
      fmt(r.stats.other4xx),
      fmt(r.stats.server500),
      fmt(r.stats.connErrors),
      fmt(r.data.sent),
      fmt(r.data.distinct),
      fmt(r.data.stored),
      fmt(r.data.lost),
      fmt(r.data.duplicated),
      String(partial),
      `${(r.elapsedMs / 1000).toFixed(1)} s`,
      failures(r).length ? 'FAILED' : 'OK',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map(l => l[i].length)));
  const row = cells => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`;
  console.log('\nSummary');
  console.log(row(head));
  for (const l of lines) console.log(row(l));
}

/* ------------------------------------------------------------------- main */

async function main() {
  if (process.argv.includes('--help')) usage();
  if (!['postgres', 'sqlite'].includes(DB)) usage(`--db must be postgres or sqlite, not ${DB}`);
  for (const [name, value, max] of [['clients', CLIENTS, 1000], ['rounds', ROUNDS, 1e6], ['batch', BATCH, 5000], ['entities', ENTITIES, 1e5]]) {
    if (!Number.isInteger(value) || value < 1 || value > max) usage(`--${name} must be a whole number from 1 to ${max}`);
  }
  if (ENTITIES < 2) usage('--entities must be at least 2 (the readiness check needs a System of two)');
  if (!PORTS.length || PORTS.some(p => !Number.isInteger(p) || p < 1 || p > 65535)) usage('LOAD_TEST_PORTS must list ports, e.g. 7121,7122');
  for (const s of SCENARIOS) {
    if (!['concurrent', 'kill', 'postgres-restart'].includes(s)) usage(`unknown scenario ${s}`);
    if (s === 'postgres-restart' && DB !== 'postgres') usage('the postgres-restart scenario needs --db postgres');
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dp-load-${DB}-`));
  console.log(`DevOps Personas load and fault test (node ${process.version}, ${os.cpus().length} cores)`);
  console.log(`  ${DB === 'postgres' ? 'PostgreSQL 15' : 'SQLite file'}; scenarios ${SCENARIOS.join(', ')}; work dir and backend logs: ${dir}`);

  const env = { dir, pg: undefined, replicas: [] };
  // Ctrl-C or a crash: the backends (own process groups) and PostgreSQL would outlive us.
  process.on('exit', () => {
    portal.killAll();
    env.pg?.stop();
  });
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.on(sig, () => {
      console.error(`\n${sig}: stopping the backends and PostgreSQL`);
      process.exit(code);
    });
  }

  const results = [];
  try {
    await startEnvironment(env);
    for (const name of SCENARIOS) {
      const result = await runScenario(name, env);
      results.push(result);
      printReport(result);
      if (result.error) break; // a replica that did not come back would spoil the next scenario
    }
  } finally {
    await stopEnvironment(env);
  }
  if (results.length > 1) printSummary(results);
  return results.some(r => failures(r).length) ? 1 : 0;
}

main().then(
  code => process.exit(code),
  e => {
    console.error(e.cause ? `${e.message}: ${e.cause.message ?? e.cause}` : e.message);
    process.exit(1);
  },
);
