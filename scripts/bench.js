#!/usr/bin/env node
/*
 * Benchmark of the event store and the KPI engine, on SQLite and on
 * PostgreSQL 15. It prints figures and asserts nothing about speed.
 *
 *   npm run bench                       # 1,000,000 events across 5,000 entities
 *   npm run bench -- --events 200000 --entities 1000 --db sqlite
 *
 * For each database it starts the real example backend with a generated
 * catalog (the entities, grouped into Systems of 50), then measures:
 *   - ingest through POST /events (5,000 events a request, 2 in flight),
 *   - the same rows inserted raw through knex into a fresh table (the ceiling),
 *   - GET …/kpis latency (p50/p95) for one service and for a System rollup.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startPostgres } = require('./postgres');
const portal = require('./lib/portal');

const { root } = portal;
const TOKEN = 'bench-token-0123456789';
const PORT = Number(process.env.BENCH_PORT ?? 7117);
const BASE = `http://localhost:${PORT}/api/devops-personas`;
const DAY = 86_400_000;

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const EVENTS = Number(arg('events', 1_000_000));
const ENTITIES = Number(arg('entities', 5_000));
const DATABASES = arg('db', 'sqlite,postgres').split(',');
const SAMPLES = Number(arg('samples', 40));
const SYSTEM_SIZE = 50;

const { component } = portal;

/** Deterministic events over the 90 days before `now`, spread evenly over the entities. */
function* events(now) {
  const types = ['deployment', 'change', 'incident', 'alert', 'pipeline-run', 'vulnerability'];
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < EVENTS; i++) {
    const entityRef = `component:default/${component(i % ENTITIES)}`;
    const t = now - 1000 - Math.floor(rand() * 90 * DAY);
    const at = new Date(t).toISOString();
    const type = types[i % types.length];
    const base = { type, id: `e${i}`, source: 'bench', entityRef };
    switch (type) {
      case 'deployment':
        yield { ...base, finishedAt: at, status: rand() < 0.9 ? 'success' : 'rolled_back', changeIds: [`e${i + 1}`] };
        break;
      case 'change':
        yield { ...base, createdAt: new Date(t - 3 * DAY).toISOString(), mergedAt: new Date(t - DAY).toISOString() };
        break;
      case 'incident':
        yield { ...base, startedAt: at, resolvedAt: new Date(Math.min(t + 3_600_000, now - 1)).toISOString() };
        break;
      case 'alert':
        yield { ...base, firedAt: at, actionable: rand() < 0.6 };
        break;
      case 'pipeline-run':
        yield { ...base, finishedAt: at, status: rand() < 0.85 ? 'success' : 'failure', flaky: rand() < 0.05 };
        break;
      default:
        yield { ...base, severity: 'critical', detectedAt: at, fixedAt: new Date(Math.min(t + 2 * DAY, now - 1)).toISOString() };
    }
  }
}

const auth = { Authorization: `Bearer ${TOKEN}` };

async function startBackend(dir, database) {
  const backend = await portal.startBackend({
    dir,
    port: PORT,
    database,
    token: TOKEN,
    subject: 'bench',
    entities: ENTITIES,
    systemSize: SYSTEM_SIZE,
    configFile: path.join(dir, 'bench.json'),
  });
  console.log(`  catalog of ${ENTITIES} components ready in ${(backend.catalogMs / 1000).toFixed(1)} s`);
  return backend.stop;
}

async function ingestHttp(now) {
  const started = Date.now();
  let batch = [];
  const inFlight = new Set();
  const post = async body => {
    const res = await fetch(`${BASE}/v1/events`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ events: body }),
    });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  };
  for (const event of events(now)) {
    batch.push(event);
    if (batch.length === 5000) {
      const p = post(batch).finally(() => inFlight.delete(p));
      inFlight.add(p);
      batch = [];
      if (inFlight.size >= 2) await Promise.race(inFlight);
    }
  }
  if (batch.length) await post(batch);
  await Promise.all(inFlight);
  return EVENTS / ((Date.now() - started) / 1000);
}

async function ingestRaw(knexConfig, now) {
  const knex = require('knex')(knexConfig);
  try {
    await knex.migrate.latest({
      directory: path.join(root, 'plugins/devops-personas-backend/migrations'),
      tableName: 'devops_personas_knex_migrations',
    });
    const started = Date.now();
    let rows = [];
    const flush = async () => {
      await knex.transaction(async tx => {
        for (let i = 0; i < rows.length; i += 500) {
          await tx('devops_personas_events').insert(rows.slice(i, i + 500));
        }
      });
      rows = [];
    };
    for (const e of events(now)) {
      const time = e.finishedAt ?? e.createdAt ?? e.startedAt ?? e.firedAt ?? e.detectedAt;
      rows.push({ type: e.type, source: e.source, event_id: e.id, entity_ref: e.entityRef, time_ms: Date.parse(time), payload: JSON.stringify(e), received_ms: now });
      if (rows.length === 5000) await flush();
    }
    if (rows.length) await flush();
    return EVENTS / ((Date.now() - started) / 1000);
  } finally {
    await knex.destroy();
  }
}

/**
 * After a long idle phase the server has closed the pooled keep-alive
 * connections; the first request on one fails and is simply sent again.
 */
async function fetchAgain(url, options) {
  try {
    return await fetch(url, options);
  } catch {
    return fetch(url, options);
  }
}

async function latency(url) {
  // one request to warm up the connection and the backend's caches
  await (await fetchAgain(url, { headers: auth })).arrayBuffer();
  const times = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t = process.hrtime.bigint();
    const res = await fetchAgain(url, { headers: auth });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    await res.arrayBuffer();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const pick = q => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: pick(0.5), p95: pick(0.95) };
}

async function benchOne(name, database, rawConfig) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dp-bench-${name}-`));
  console.log(`\n${name}: ${EVENTS.toLocaleString('en')} events across ${ENTITIES.toLocaleString('en')} entities (work dir ${dir})`);
  const now = Date.now();
  const stop = await startBackend(dir, typeof database === 'function' ? database(dir) : database);
  try {
    const httpRate = await ingestHttp(now);
    console.log(`  ingest through POST /events:   ${Math.round(httpRate).toLocaleString('en')} events/s`);
    const rawRate = await ingestRaw(rawConfig(dir), now);
    console.log(`  raw knex insert (the ceiling): ${Math.round(rawRate).toLocaleString('en')} events/s`);
    const service = await latency(`${BASE}/v1/entities/component/default/${component(7)}/kpis?window=90d`);
    console.log(`  GET kpis, one service, 90 days: p50 ${service.p50.toFixed(1)} ms, p95 ${service.p95.toFixed(1)} ms`);
    const system = await latency(`${BASE}/v1/entities/system/default/sys-0/kpis?window=90d`);
    console.log(`  GET kpis, System rollup of ${SYSTEM_SIZE}, 90 days: p50 ${system.p50.toFixed(1)} ms, p95 ${system.p95.toFixed(1)} ms`);
  } finally {
    stop();
  }
}

async function main() {
  console.log(`DevOps Personas benchmark (node ${process.version}, ${os.cpus().length} cores)`);
  if (DATABASES.includes('sqlite')) {
    await benchOne(
      'SQLite',
      dir => ({ client: 'better-sqlite3', connection: { directory: path.join(dir, 'sqlite') } }),
      dir => ({ client: 'better-sqlite3', connection: { filename: path.join(dir, 'raw.sqlite') }, useNullAsDefault: true }),
    );
  }
  if (DATABASES.includes('postgres')) {
    const pg = await startPostgres();
    try {
      await benchOne(
        'PostgreSQL 15',
        () => ({ client: 'pg', connection: pg.connectionString, prefix: 'bench_' }),
        () => ({ client: 'pg', connection: `${pg.connectionString}/postgres` }),
      );
    } finally {
      pg.stop();
    }
  }
}

main().catch(e => {
  console.error(e.cause ? `${e.message}: ${e.cause.message ?? e.cause}` : e.message);
  process.exit(1);
});
