#!/usr/bin/env node
/*
 * Benchmark of the event store and the KPI engine on a realistic history, on
 * SQLite and on PostgreSQL 15. It prints figures and asserts nothing about
 * speed; it exits non-zero only when something fails (an answer that is not
 * 2xx, a database error, a backend that does not start).
 *
 *   npm run bench                       # 1,000,000 events across 5,000 services, both databases
 *   npm run bench -- --events 100000 --entities 500 --db sqlite
 *   npm run bench -- --help             # every option
 *
 * The history (generated, deterministic for a --seed):
 *   - covers the 2 years (--history-days) before the run's `now`; every time
 *     in it is before `now`, later fixes and resolutions are left out (open);
 *   - events are spread over the services by a Zipf law (exponent --zipf,
 *     default 1): with 1,000,000 events over 5,000 services the largest has
 *     about 110,000, the median one about 44. Which service gets which rank is
 *     a seeded shuffle, so the large ones sit in different Systems;
 *   - each service has its own time-ordered stream: pipeline runs (most
 *     events; success, failure, cancelled, some flaky), changes (PR opened
 *     hours to days before merge), production deployments (success, failure,
 *     rolled_back; some `rework`) naming the changes of the same service
 *     merged since the last deployment that shipped them (a failed one ships
 *     nothing; after half of the rollbacks the next deployment names the
 *     changes again), staging deployments, incidents (some customer
 *     impacting, some caused by a deployment of the service shortly before,
 *     most rollbacks followed by one), alerts, vulnerabilities (critical ones
 *     fixed within days, a few left open), postmortem actions of resolved
 *     incidents, and `sli` events (contiguous windows of at most an hour)
 *     for 1 to 3 SLOs;
 *   - the streams are merged by time, so a request of 5,000 events holds
 *     many services, as events from many tools arriving together would.
 *   Nothing of it is held in memory: events are generated as they are sent.
 *
 * The catalog: the services (svc-00000, …) in Systems of 50 (sys-<n>, via
 * spec.system), the Systems in Domains of 10 (dom-<n>, via spec.domain).
 *
 * Printed: first
 *   1. the dataset: events by type, the largest and the median-sized service
 *      and the event count of the largest one's System and Domain;
 * then for each database (one real example backend each, on BENCH_PORT,
 * default 7117):
 *   2. ingest through POST /v1/events (5,000 events a request, --concurrency
 *      requests in flight) and the raw insert ceiling: the same rows
 *      (rawRows below) inserted with plain knex inserts, one transaction per
 *      5,000 events, into a fresh database migrated with the plugin's
 *      migrations; their ratio; and whether a sample of the rows the backend
 *      stored equals the rows rawRows derives;
 *   3. GET …/kpis p50/p95 (--samples requests, one after another): the
 *      largest service and the median-sized one over 30 days and their p50
 *      ratio, the largest over 90 days, the largest one's System and Domain
 *      over 30 days;
 *   4. GET /v1/overview: the first page (default limit) p50/p95 over
 *      --overview-samples requests, and the whole list paged with
 *      limit=--page-size (total time and pages);
 *   5. a notification run over every entity with events (asked for through
 *      the scheduler's trigger route, timed until it has ended, with its
 *      summary from the backend log) and GET /v1/review of the largest
 *      service's System (--review-samples) and Domain (once);
 *   6. a Four Keys-style reference: SQL run with knex straight on the
 *      backend's own devops_personas_events table (fields read from the JSON
 *      payload, with an (entity_ref, type, time_ms) index added for it)
 *      computing deployment frequency, change failure rate and the median
 *      lead time of the largest service over the same 30 days; its p50/p95,
 *      the ratio of the API's p50 to it, and the three values next to the
 *      API's for the same `until` (they should agree); then the plugin's own
 *      KPI engine (loaded from its sources) on the same database: the same
 *      3 KPIs over the same window (like for like), and with what the KPI
 *      tab adds (baseline, previous window, tier), each with its ratio;
 *   7. the peak RSS (VmHWM) of the backend's node process after each phase.
 * The backend runs under `backstage-cli package start`, which restarts it
 * when one of its source files changes: a request that meets a restart is
 * sent again once it answers, latency samples that met one are taken again,
 * and the figures say so.
 *
 * The work directory (databases, catalog, backend log) is removed after a
 * successful run unless --keep is given.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startPostgres } = require('./postgres');
const portal = require('./lib/portal');
const { commandOf, descendants, listenerAmong, memoryOf } = require('./lib/processes');
const { deriveFacts } = require('../plugins/devops-personas-backend/migrations/20261129000000_facts.js');
// The plugin's engine itself, loaded from its TypeScript sources the way the
// backend loads them, for the like-for-like comparison with the reference.
require('@backstage/cli/config/nodeTransform.cjs');
const { FactQueries } = require('../plugins/devops-personas-backend/src/database/FactQueries.ts');
const { KpiEngine } = require('../plugins/devops-personas-backend/src/kpis/compute.ts');

// Every fact column, so that one multi-row insert has one column list.
const FACT_NULLS = Object.fromEntries(
  ['end_ms', 'due_ms', 'dismissed_ms', 'status', 'production', 'rework', 'actionable', 'flaky', 'customer_impacting', 'caused_by', 'kpi', 'value'].map(c => [c, null]),
);

const { root, component } = portal;
const TOKEN = 'bench-token-0123456789';
const PORT = Number(process.env.BENCH_PORT ?? 7117);
const BASE = `http://localhost:${PORT}/api/devops-personas`;
const CATALOG = `http://localhost:${PORT}/api/catalog`;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
const BATCH = 5000; // events per POST (the API's limit) and per raw transaction
const INSERT_CHUNK = 500; // rows per INSERT statement, as the store writes them
const PLUGIN_DB = 'devops-personas';
const PG_PREFIX = 'bench_';

const OPTIONS = {
  events: ['1000000', 'events to generate'],
  entities: ['5000', 'services (Components) in the catalog; every one may get events'],
  db: ['sqlite,postgres', 'databases to run on: sqlite, postgres or both'],
  samples: ['40', 'requests per KPI latency figure (and runs of the reference SQL)'],
  seed: ['42', 'seed of the generated history'],
  zipf: ['1', 'exponent s of the Zipf law spreading events over services'],
  'history-days': ['730', 'days of history before now'],
  'system-size': ['50', 'Components per System'],
  'domain-size': ['10', 'Systems per Domain'],
  concurrency: ['2', 'ingest requests in flight'],
  'page-size': ['500', 'limit when paging through the whole overview (the API allows up to 500)'],
  'overview-samples': ['10', 'requests for the first overview page figure'],
  'review-samples': ['5', 'requests for the System review figure (the Domain review is timed once)'],
};

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : OPTIONS[name][0];
}
if (process.argv.includes('--help')) {
  console.log('npm run bench -- [options]\n');
  for (const [name, [fallback, text]] of Object.entries(OPTIONS)) {
    console.log(`  --${name.padEnd(18)} ${text} (default ${fallback})`);
  }
  console.log(`  --${'keep'.padEnd(18)} keep the work directory of a successful run`);
  console.log('\nBENCH_PORT (default 7117) is the backend port.');
  process.exit(0);
}
const EVENTS = Number(arg('events'));
const ENTITIES = Number(arg('entities'));
const DATABASES = arg('db').split(',');
const SAMPLES = Number(arg('samples'));
const SEED = Number(arg('seed'));
const ZIPF_S = Number(arg('zipf'));
const HISTORY_MS = Number(arg('history-days')) * DAY;
const SYSTEM_SIZE = Number(arg('system-size'));
const DOMAIN_SIZE = Number(arg('domain-size'));
const CONCURRENCY = Number(arg('concurrency'));
const PAGE_SIZE = Number(arg('page-size'));
const OVERVIEW_SAMPLES = Number(arg('overview-samples'));
const REVIEW_SAMPLES = Number(arg('review-samples'));
const KEEP = process.argv.includes('--keep');

for (const [name, value] of Object.entries({ EVENTS, ENTITIES, SAMPLES, SYSTEM_SIZE, DOMAIN_SIZE, CONCURRENCY, PAGE_SIZE, OVERVIEW_SAMPLES })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1; got ${value}`);
}
if (!(HISTORY_MS > DAY) || !(ZIPF_S >= 0) || !Number.isInteger(SEED)) throw new Error('bad --history-days, --zipf or --seed');
for (const db of DATABASES) if (db !== 'sqlite' && db !== 'postgres') throw new Error(`--db: unknown database ${db}`);

/* ------------------------------------------------------------ randomness */

const { mulberry32: prng } = require('./lib/random');

/** A seed per service, so that each stream is the same whatever it is merged with. */
function mix(a, b) {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/* ---------------------------------------------------------- the dataset */

/**
 * Who gets how many events: Zipf weights 1/r^s over the ranks, counts by the
 * largest remainder (they add up to EVENTS exactly and do not increase with
 * the rank), ranks given to services by a seeded shuffle.
 */
function plan() {
  const weights = Array.from({ length: ENTITIES }, (_, r) => 1 / Math.pow(r + 1, ZIPF_S));
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map(w => (EVENTS * w) / sum);
  const budgets = exact.map(Math.floor);
  const rest = EVENTS - budgets.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, r) => r).sort((a, b) => exact[b] - budgets[b] - (exact[a] - budgets[a]) || a - b);
  for (let i = 0; i < rest; i++) budgets[byRemainder[i]]++;

  const rand = prng(SEED);
  const entityOfRank = Array.from({ length: ENTITIES }, (_, i) => i);
  for (let i = ENTITIES - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [entityOfRank[i], entityOfRank[j]] = [entityOfRank[j], entityOfRank[i]];
  }
  const services = budgets.map((budget, rank) => ({ rank, entity: entityOfRank[rank], budget }));
  const systemOf = entity => Math.floor(entity / SYSTEM_SIZE);
  const domainOf = entity => Math.floor(systemOf(entity) / DOMAIN_SIZE);
  const systems = Math.ceil(ENTITIES / SYSTEM_SIZE);
  const largest = services[0];
  const median = services[Math.floor(ENTITIES / 2)];
  const sys = systemOf(largest.entity);
  const dom = domainOf(largest.entity);
  const domainSystems = Math.min(systems, (dom + 1) * DOMAIN_SIZE) - dom * DOMAIN_SIZE;
  const domainComponents = Math.min(ENTITIES, (dom + 1) * DOMAIN_SIZE * SYSTEM_SIZE) - dom * DOMAIN_SIZE * SYSTEM_SIZE;
  return {
    services,
    largest,
    median,
    system: {
      name: portal.system(sys),
      components: Math.min(ENTITIES, (sys + 1) * SYSTEM_SIZE) - sys * SYSTEM_SIZE,
      events: services.filter(s => systemOf(s.entity) === sys).reduce((n, s) => n + s.budget, 0),
    },
    domain: {
      name: portal.domain(dom),
      systems: domainSystems,
      firstSystem: dom * DOMAIN_SIZE,
      components: domainComponents,
      events: services.filter(s => domainOf(s.entity) === dom).reduce((n, s) => n + s.budget, 0),
    },
  };
}
const PLAN = plan();

const iso = ms => new Date(ms).toISOString();

// What a slot of a service's stream becomes, with its share of the slots.
// (Postmortem actions need a resolved incident; without one the slot is a pipeline run.)
const MIX = [
  ['pipeline-run', 0.558],
  ['change', 0.13],
  ['deployment', 0.04],
  ['staging-deployment', 0.03],
  ['alert', 0.11],
  ['sli', 0.08],
  ['vulnerability', 0.025],
  ['incident', 0.015],
  ['postmortem-action', 0.012],
];
const MAX_CHANGE_IDS = 200; // a deployment names at most this many changes (an event is at most 16 KiB)
const SESSION_EVENTS = 8; // events of a session of work, on average
const SESSION_MS = 2 * DAY; // longest session
const RELEASE_MS = 8 * HOUR; // merged changes wait for a production deployment about this long
const SLO_KINDS = ['availability', 'latency', 'freshness'];
const FIX_TIME = {
  // median days to a fix, and the share never fixed
  critical: [3, 0.04],
  high: [12, 0.1],
  medium: [40, 0.2],
  low: [90, 0.3],
};
const RESTORE_TIME = { SEV1: 40 * MINUTE, SEV2: 90 * MINUTE, SEV3: 4 * HOUR, SEV4: 12 * HOUR };
const CUSTOMER_IMPACT = { SEV1: 0.9, SEV2: 0.6, SEV3: 0.2, SEV4: 0.05 };

/**
 * The history of one service: `budget` events at slot times. Work comes in
 * sessions of about SESSION_EVENTS events: the history is cut into as many
 * equal strata as there are sessions, a session lies at a random place of its
 * stratum and lasts 2 days or half the stratum, whichever is shorter (so a
 * service with 40 events has a few busy days, the largest one is busy all
 * the time). Inside a session the slots are sorted uniform draws, drawn one
 * at a time (the minimum of the k draws still to come), at least a second
 * apart. Each slot becomes one event, mostly by MIX; merged changes also
 * press for a production deployment (about RELEASE_MS after the merge), so
 * that lead times are hours to days, not the gap between two quiet months.
 * An event's own time may lie before its slot (a change is sent when merged,
 * an incident after a rollback starts minutes after the deployment). Later
 * times (resolutions, fixes, closures, due dates) at or after `now` are left
 * out: still open.
 */
class ServiceHistory {
  constructor({ entity, budget, rank }, now) {
    this.name = component(entity);
    this.entityRef = `component:default/${this.name}`;
    this.rand = prng(mix(SEED, entity));
    this.now = now;
    this.left = budget;
    this.t = now - HISTORY_MS;
    this.start = this.t;
    this.sessions = Math.ceil(budget / SESSION_EVENTS);
    this.stratum = (now - MINUTE - this.start) / Math.max(1, this.sessions);
    this.sessionMs = Math.min(SESSION_MS, this.stratum / 2);
    this.session = -1;
    this.inSession = 0; // slots left in the current session
    this.count = {};
    this.pendingProduction = []; // changes ({ id, mergedMs }) merged and not yet shipped to production
    this.pendingStaging = [];
    this.lastProduction = undefined; // { id, finishedMs, status } of the last deployment that reached production
    this.forcedIncident = undefined; // a rolled_back deployment whose incident comes next
    this.lastIncident = undefined; // { id, startedMs, resolvedMs, actions }
    this.slos = SLO_KINDS.slice(0, 1 + (entity % SLO_KINDS.length)).map(kind => `${this.name}-${kind}`);
    this.sloEnds = this.slos.map(() => undefined);
    this.sloTurn = 0;
    this.traffic = 100 + 200_000 / Math.sqrt(rank + 1); // requests per hour
    this.nextAt = this.left ? this.nextSlot() : Infinity;
  }

  /** The time of the next slot; `this.t` is the previous one. */
  nextSlot() {
    let from = this.t;
    if (!this.inSession) {
      this.session++;
      // What is left, spread over the sessions left.
      this.inSession = Math.ceil(this.left / (this.sessions - this.session));
      const sessionStart = this.start + this.session * this.stratum + this.rand() * (this.stratum - this.sessionMs);
      this.sessionEnd = sessionStart + this.sessionMs;
      from = Math.max(from, sessionStart);
    }
    const t = from + Math.max(0, this.sessionEnd - from) * (1 - Math.pow(this.rand(), 1 / this.inSession));
    return Math.min(Math.max(Math.round(t), this.t + 1000), this.now - 1000);
  }

  /** The event of the next slot. */
  take() {
    const t = this.nextAt;
    const gap = t - this.t;
    this.t = t;
    this.left--;
    this.inSession--;
    const event = this.eventAt(t, gap);
    this.nextAt = this.left ? this.nextSlot() : Infinity;
    return event;
  }

  between(a, b) {
    return a + this.rand() * (b - a);
  }
  /** Log-normal around `median` (sigma in natural-log units), clamped to [min, max]. */
  logNormal(median, sigma, min, max) {
    const u = 1 - this.rand();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rand());
    return Math.round(Math.min(max, Math.max(min, median * Math.exp(sigma * normal))));
  }
  /** A time, if it is before now; otherwise it has not happened yet. */
  known(ms) {
    return ms < this.now ? iso(ms) : undefined;
  }
  next(type) {
    this.count[type] = (this.count[type] ?? 0) + 1;
    return this.count[type];
  }
  /**
   * An event with its fields in the order the API's normalisation writes
   * them (type, id, source, entityRef, url, then the type's fields), every
   * default explicit and no field undefined: the JSON the store keeps is
   * then JSON.stringify of the event itself.
   */
  event(type, source, id, fields) {
    const event = { type, id, source, entityRef: this.entityRef };
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) event[key] = value;
    return event;
  }

  /** The event of the slot at `t`, `gap` after the previous one. */
  eventAt(t, gap) {
    if (this.forcedIncident) {
      const cause = this.forcedIncident;
      this.forcedIncident = undefined;
      return this.incident(t, cause);
    }
    if (this.pendingProduction.length && this.rand() < 1 - Math.exp(-gap / RELEASE_MS)) {
      return this.deployment(t, 'production');
    }
    let r = this.rand();
    for (const [kind, share] of MIX) {
      r -= share;
      if (r < 0) return this.make(kind, t);
    }
    return this.make(MIX[0][0], t);
  }

  make(kind, t) {
    switch (kind) {
      case 'change':
        return this.change(t);
      case 'deployment':
        return this.deployment(t, 'production');
      case 'staging-deployment':
        return this.deployment(t, 'staging');
      case 'incident':
        return this.incident(t);
      case 'alert':
        return this.event('alert', 'alertmanager', `${this.name}-alert-${this.next('alert')}`, {
          firedAt: iso(t),
          actionable: this.rand() < 0.65,
        });
      case 'vulnerability':
        return this.vulnerability(t);
      case 'postmortem-action':
        return this.postmortemAction(t);
      case 'sli':
        return this.sli(t);
      default:
        return this.pipelineRun(t);
    }
  }

  change(t) {
    const k = this.next('change');
    const id = `${this.name}-pr-${k}`;
    this.pendingProduction.push({ id, mergedMs: t });
    this.pendingStaging.push({ id, mergedMs: t });
    // From the first commit or the PR's opening to its merge: 10 minutes to 2 weeks.
    const review = this.logNormal(5 * HOUR, 1.3, 10 * MINUTE, 14 * DAY);
    return this.event('change', 'github', id, {
      url: `https://github.example.com/acme/${this.name}/pull/${k}`,
      createdAt: iso(t - review),
      mergedAt: iso(t),
    });
  }

  deployment(t, environment) {
    const k = this.next('deployment');
    const id = `${this.name}-deploy-${k}`;
    const production = environment === 'production';
    const pending = production ? this.pendingProduction : this.pendingStaging;
    const changeIds = pending.slice(0, MAX_CHANGE_IDS).map(c => c.id);
    let status;
    let rework = false;
    if (production) {
      const r = this.rand();
      status = r < 0.06 ? 'failure' : r < 0.14 ? 'rolled_back' : 'success';
    } else {
      status = this.rand() < 0.1 ? 'failure' : 'success';
    }
    // A failed deployment ships nothing; after half of the rollbacks the
    // next deployment ships the same changes again.
    const shipped = status === 'success' || (status === 'rolled_back' && this.rand() < 0.5);
    if (shipped) pending.splice(0, changeIds.length);
    if (production && status !== 'failure') {
      // An unplanned fix: more likely right after trouble.
      const trouble =
        this.lastProduction?.status === 'rolled_back' ||
        (this.lastIncident && this.lastProduction && this.lastIncident.startedMs > this.lastProduction.finishedMs);
      rework = this.rand() < (trouble ? 0.4 : 0.08);
      this.lastProduction = { id, finishedMs: t, status };
      if (status === 'rolled_back' && this.rand() < 0.6) this.forcedIncident = this.lastProduction;
    }
    return this.event('deployment', 'argocd', id, {
      url: `https://argocd.example.com/applications/${this.name}?deployment=${k}`,
      finishedAt: iso(t),
      status,
      environment,
      changeIds,
      rework,
      startedAt: iso(t - Math.round(this.between(3, 25) * MINUTE)),
    });
  }

  /** An incident; `cause`: the rolled_back deployment it follows. */
  incident(t, cause) {
    const k = this.next('incident');
    const id = `${this.name}-inc-${k}`;
    let startedMs = t;
    let causedBy;
    if (cause) {
      startedMs = Math.min(t, cause.finishedMs + Math.round(this.between(2, 30) * MINUTE));
      causedBy = cause.id;
    } else if (this.lastProduction && t - this.lastProduction.finishedMs < DAY && this.rand() < 0.3) {
      causedBy = this.lastProduction.id;
    }
    const r = this.rand();
    const severity = r < 0.1 ? 'SEV1' : r < 0.3 ? 'SEV2' : r < 0.7 ? 'SEV3' : 'SEV4';
    const resolvedMs = startedMs + this.logNormal(RESTORE_TIME[severity], 1, 2 * MINUTE, 20 * DAY);
    this.lastIncident = { id, startedMs, resolvedMs, actions: 0 };
    return this.event('incident', 'pagerduty', id, {
      url: `https://acme.pagerduty.example.com/incidents/${this.name.toUpperCase()}${k}`,
      startedAt: iso(startedMs),
      resolvedAt: this.known(resolvedMs),
      severity,
      customerImpacting: this.rand() < CUSTOMER_IMPACT[severity],
      causedByDeploymentId: causedBy,
      attribution: causedBy ? 'explicit' : undefined,
    });
  }

  vulnerability(t) {
    const k = this.next('vulnerability');
    const r = this.rand();
    const severity = r < 0.1 ? 'critical' : r < 0.35 ? 'high' : r < 0.75 ? 'medium' : 'low';
    const [medianDays, neverFixed] = FIX_TIME[severity];
    let fixedAt;
    let dismissedAt;
    if (this.rand() >= neverFixed) {
      fixedAt = this.known(t + this.logNormal(medianDays * DAY, 0.8, 2 * HOUR, 365 * DAY));
    } else if (severity !== 'critical' && this.rand() < 0.3) {
      dismissedAt = this.known(t + this.logNormal(20 * DAY, 1, HOUR, 365 * DAY));
    }
    return this.event('vulnerability', 'snyk', `${this.name}-vuln-${k}`, {
      url: `https://snyk.example.com/org/acme/project/${this.name}/issue/${k}`,
      severity,
      detectedAt: iso(t),
      fixedAt,
      dismissedAt,
    });
  }

  pipelineRun(t) {
    const k = this.next('pipeline-run');
    const r = this.rand();
    const status = r < 0.05 ? 'cancelled' : r < 0.16 ? 'failure' : 'success';
    return this.event('pipeline-run', 'github-actions', `${this.name}-run-${k}`, {
      url: `https://github.example.com/acme/${this.name}/actions/runs/${k}`,
      finishedAt: iso(t),
      status,
      flaky: status !== 'cancelled' && this.rand() < 0.06,
      durationSeconds: Math.round(this.logNormal(6 * MINUTE, 0.6, 30_000, 3 * HOUR) / 1000),
    });
  }

  /** An action of the last incident, once it is resolved (at most 3 per incident). */
  postmortemAction(t) {
    const incident = this.lastIncident;
    if (!incident || !(incident.resolvedMs < t) || incident.actions >= 3) return this.pipelineRun(t);
    incident.actions++;
    const k = this.next('postmortem-action');
    const dueMs = t + Math.round(this.between(7, 30) * DAY);
    const closedAt =
      this.rand() < 0.75 ? this.known(t + this.logNormal(10 * DAY, 0.9, HOUR, 200 * DAY)) : undefined;
    return this.event('postmortem-action', 'jira', `${this.name}-pm-${k}`, {
      url: `https://jira.example.com/browse/PM-${k}?component=${this.name}`,
      createdAt: iso(t),
      dueAt: this.known(dueMs), // a due date still ahead is left out (then due 30 days after creation)
      closedAt,
      incidentId: incident.id,
    });
  }

  /** Good and total requests of one SLO since its previous window, over at most an hour. */
  sli(t) {
    const turn = this.sloTurn++ % this.slos.length;
    const k = this.next('sli');
    const startMs = Math.max(this.sloEnds[turn] ?? -Infinity, t - HOUR);
    this.sloEnds[turn] = t;
    const total = Math.max(1, Math.round(((t - startMs) / HOUR) * this.traffic * this.between(0.7, 1.3)));
    const badShare = this.rand() < 0.03 ? this.between(0.01, 0.2) : this.between(0, 0.002);
    return this.event('sli', 'prometheus', `${this.slos[turn]}-${k}`, {
      slo: this.slos[turn],
      windowStart: iso(startMs),
      windowEnd: iso(t),
      good: total - Math.round(total * badShare),
      total,
    });
  }
}

/**
 * The whole history: the services' streams merged by slot time (a binary
 * heap on their next slot), so that events arrive roughly as they happened
 * and every batch mixes services. At most one event per service is held.
 */
function* events(now) {
  const heap = PLAN.services.filter(s => s.budget > 0).map(s => new ServiceHistory(s, now));
  const less = (i, j) => heap[i].nextAt < heap[j].nextAt;
  const down = i => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(l, m)) m = l;
      if (r < heap.length && less(r, m)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length) {
    const stream = heap[0];
    yield stream.take();
    if (!stream.left) {
      const last = heap.pop();
      if (heap.length) heap[0] = last;
    }
    down(0);
  }
}

/* ------------------------------------------------ the rows of an event */

// The field that places each type in time (the store's time_ms), from the
// plugin's own validation.
const { EVENT_TIME_FIELD: TIME_FIELD } = require('../plugins/devops-personas-backend/src/events/validateEvents.ts');

/** The table each kind of row of rawRows goes to. */
const RAW_TABLES = {
  events: 'devops_personas_events',
  facts: 'devops_personas_facts',
  links: 'devops_personas_deployment_changes',
};

/**
 * The rows the store writes for one (valid, generated) event, for the raw
 * insert ceiling: `{ events, facts, links }`, each a list of rows of the
 * table named in RAW_TABLES. The generated events carry full refs, UTC
 * timestamps and every default, so the stored payload is the event as JSON.
 */
function rawRows(event, receivedMs) {
  const row = {
    type: event.type,
    source: event.source,
    event_id: event.id,
    entity_ref: event.entityRef,
    time_ms: Date.parse(event[TIME_FIELD[event.type]]),
    payload: JSON.stringify(event),
    received_ms: receivedMs,
  };
  if (event.type === 'sli') return { events: [row], facts: [], links: [] };
  // the facts and change links the store writes with the event, derived as
  // the facts migration derives them from stored events
  const { fact, links } = deriveFacts(row);
  return { events: [row], facts: [{ ...FACT_NULLS, ...fact }], links };
}

/* ------------------------------------------------------------- helpers */

const auth = { Authorization: `Bearer ${TOKEN}` };
const fmtInt = n => Math.round(n).toLocaleString('en');
const fmtEvents = n => `${fmtInt(n)} event${n === 1 ? '' : 's'}`;
const fmtMs = ms => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(1)} ms`);
const fmtMB = kB => `${(kB / 1024).toFixed(0)} MB`;
const fmtDuration = s => {
  if (s === null || s === undefined) return 'null';
  if (s < 3600) return `${(s / 60).toFixed(1)} min`;
  if (s < 2 * 86400) return `${(s / 3600).toFixed(2)} h`;
  return `${(s / 86400).toFixed(2)} d`;
};
const pad = (s, n) => String(s).padEnd(n);

// Times the backend was found restarting: `backstage-cli package start`
// restarts it whenever a source file of the backend changes.
let restarts = 0;
const restartNote = since => (restarts > since ? ` [backend restarted ${restarts - since}× meanwhile: a source file changed]` : '');

/**
 * fetch, sent again when the connection fails: after a long idle phase the
 * server has closed the pooled keep-alive connections, or the backend is
 * restarting (then after it answers /health again; sending an event batch
 * again is safe, a resend replaces the same events).
 */
async function fetchAgain(url, options) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, options);
    } catch (e) {
      if (attempt >= 4) throw e;
      const healthy = await fetch(`${BASE}/health`).then(
        res => res.ok,
        () => false,
      );
      if (!healthy) {
        restarts++;
        await portal.waitFor(async () => (await fetch(`${BASE}/health`)).ok, 'the backend to answer again', 300_000, 500);
      }
    }
  }
}

async function getJson(url) {
  const res = await fetchAgain(url, { headers: auth });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  return res.json();
}

/**
 * p50/p95 of `samples` requests one after another, after one warm-up request
 * (whose body is returned). A request that met a restarting backend is not
 * counted and is made again.
 */
async function latency(url, samples = SAMPLES) {
  const body = await getJson(url);
  const times = [];
  while (times.length < samples) {
    const before = restarts;
    const t = process.hrtime.bigint();
    const res = await fetchAgain(url, { headers: auth });
    if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
    await res.arrayBuffer();
    if (restarts === before) times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ...percentiles(times), body };
}

function percentiles(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const pick = q => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: pick(0.5), p95: pick(0.95) };
}

function median(values) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/* ------------------------------------------------------ the dataset summary */

function summarize() {
  const started = Date.now();
  const byType = {};
  let production = 0;
  let staging = 0;
  let n = 0;
  for (const e of events(Date.now())) {
    n++;
    byType[e.type] = (byType[e.type] ?? 0) + 1;
    if (e.type === 'deployment') {
      if (e.environment === 'production') production++;
      else staging++;
    }
  }
  const seconds = (Date.now() - started) / 1000;
  const { largest, median: mid, system, domain } = PLAN;
  console.log(`\nDataset: ${fmtInt(n)} events over ${Math.round(HISTORY_MS / DAY)} days, ${fmtInt(ENTITIES)} services (Zipf s=${ZIPF_S}, seed ${SEED}); generated alone at ${fmtInt(n / seconds)} events/s`);
  console.log(`  by type: ${Object.entries(byType).sort((a, b) => b[1] - a[1]).map(([t, c]) => `${t} ${fmtInt(c)}`).join(', ')} (deployments: ${fmtInt(production)} production, ${fmtInt(staging)} staging)`);
  console.log(`  largest service ${component(largest.entity)}: ${fmtInt(largest.budget)} events; median-sized service ${component(mid.entity)}: ${fmtEvents(mid.budget)}`);
  console.log(`  its System ${system.name} (${system.components} Components): ${fmtInt(system.events)} events; its Domain ${domain.name} (${domain.systems} Systems, ${domain.components} Components): ${fmtInt(domain.events)} events`);
}

/* ----------------------------------------------------------------- ingest */

async function ingestHttp(now) {
  const started = Date.now();
  let count = 0;
  let batch = [];
  const inFlight = new Set();
  let failed;
  const post = async body => {
    const res = await fetchAgain(`${BASE}/v1/events`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ events: body }),
    });
    const text = await res.text();
    if (res.status !== 202) throw new Error(`POST /v1/events answered ${res.status}: ${text.slice(0, 500)}`);
  };
  const send = body => {
    const p = post(body)
      .catch(e => {
        failed ??= e;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  for (const event of events(now)) {
    batch.push(event);
    count++;
    if (batch.length === BATCH) {
      send(batch);
      batch = [];
      while (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
      if (failed) break;
    }
  }
  if (batch.length && !failed) send(batch);
  await Promise.all(inFlight);
  if (failed) throw failed;
  return { count, rate: count / ((Date.now() - started) / 1000) };
}

const migrations = {
  directory: path.join(root, 'plugins/devops-personas-backend/migrations'),
  tableName: 'devops_personas_knex_migrations',
};

/**
 * The rows of rawRows inserted with plain knex inserts, one transaction per
 * 5,000 events, into a fresh database migrated with the plugin's migrations.
 * Returns the rate and a sample of the event rows, to compare with the store's.
 */
async function ingestRaw(knexConfig, now) {
  const knex = require('knex')(knexConfig);
  try {
    await knex.migrate.latest(migrations);
    const started = Date.now();
    const buffers = Object.fromEntries(Object.keys(RAW_TABLES).map(kind => [kind, []]));
    const sample = [];
    const every = Math.max(1, Math.floor(EVENTS / 1000));
    let count = 0;
    const flush = async () => {
      await knex.transaction(async tx => {
        for (const [kind, rows] of Object.entries(buffers)) {
          for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
            await tx(RAW_TABLES[kind]).insert(rows.slice(i, i + INSERT_CHUNK));
          }
          rows.length = 0;
        }
      });
    };
    for (const e of events(now)) {
      const rows = rawRows(e, now);
      for (const kind of Object.keys(buffers)) for (const row of rows[kind]) buffers[kind].push(row);
      if (count % every === 0) sample.push(rows.events[0]);
      if (++count % BATCH === 0) await flush();
    }
    await flush();
    return { count, rate: count / ((Date.now() - started) / 1000), sample };
  } finally {
    await knex.destroy();
  }
}

/* ------------------------------------------- the backend's own database */

/** A knex config reading the plugin's database the backend wrote (checked to hold the events table). */
async function pluginDatabase(database, dir) {
  const knexLib = require('knex');
  const hasEvents = async config => {
    const knex = knexLib(config);
    try {
      return await knex.schema.hasTable('devops_personas_events');
    } catch {
      return false;
    } finally {
      await knex.destroy();
    }
  };
  if (database.client === 'pg') {
    const expected = `${PG_PREFIX}${PLUGIN_DB}`;
    const admin = knexLib({ client: 'pg', connection: `${database.connection}/postgres` });
    let names;
    try {
      names = (await admin.raw('SELECT datname FROM pg_database ORDER BY datname')).rows.map(r => r.datname);
    } finally {
      await admin.destroy();
    }
    for (const name of [expected, ...names.filter(n => n !== expected && n.startsWith(PG_PREFIX))]) {
      const config = { client: 'pg', connection: `${database.connection}/${encodeURIComponent(name)}`, pool: { min: 0, max: 2 } };
      if (names.includes(name) && (await hasEvents(config))) return { config, where: `PostgreSQL database ${name}` };
    }
    throw new Error(`No database of the plugin among ${names.join(', ')}`);
  }
  const sqliteDir = database.connection.directory;
  const files = fs.readdirSync(sqliteDir).filter(f => f.endsWith('.sqlite'));
  const expected = `${PLUGIN_DB}.sqlite`;
  for (const file of [expected, ...files.filter(f => f !== expected)]) {
    const config = {
      client: 'better-sqlite3',
      // writable: the reference adds its index (the backend is idle by then)
      connection: { filename: path.join(sqliteDir, file) },
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
    };
    if (files.includes(file) && (await hasEvents(config))) return { config, where: path.relative(dir, config.connection.filename) };
  }
  throw new Error(`No SQLite file of the plugin in ${sqliteDir} (${files.join(', ')})`);
}

/** Are the stored rows those rawRows derives? Compared on the sample of the raw insert. */
async function compareStored(knex, sample) {
  const byId = new Map();
  for (let i = 0; i < sample.length; i += 300) {
    const identities = sample.slice(i, i + 300).map(r => [r.type, r.source, r.event_id]);
    const rows = await knex('devops_personas_events')
      .select('type', 'source', 'event_id', 'entity_ref', 'time_ms', 'payload')
      .whereIn(['type', 'source', 'event_id'], identities);
    for (const row of rows) byId.set(`${row.type}\u0000${row.source}\u0000${row.event_id}`, row);
  }
  const differences = [];
  for (const raw of sample) {
    const stored = byId.get(`${raw.type}\u0000${raw.source}\u0000${raw.event_id}`);
    if (!stored) differences.push(`${raw.type} ${raw.event_id}: not stored`);
    else if (stored.entity_ref !== raw.entity_ref || Number(stored.time_ms) !== raw.time_ms || stored.payload !== raw.payload) {
      const shown = row => JSON.stringify({ entity_ref: row.entity_ref, time_ms: Number(row.time_ms), payload: row.payload });
      differences.push(`${raw.type} ${raw.event_id}: stored ${shown(stored)} vs raw ${shown(raw)}`);
    }
  }
  const [{ n }] = await knex('devops_personas_events').count({ n: '*' });
  return { differences, stored: Number(n) };
}

/* --------------------------------------------- the Four Keys reference SQL */

/**
 * Deployment frequency, change failure rate and median lead time of one
 * service over [until − 30 days, until), in SQL straight on the raw events
 * table, reading the fields from the JSON payload (Four Keys style).
 * "Deployment": production, status success or rolled_back.
 */
function referenceQueries(pg) {
  const j = (alias, field) => (pg ? `(${alias}.payload::jsonb ->> '${field}')` : `json_extract(${alias}.payload, '$.${field}')`);
  const changeIds = pg
    ? `CROSS JOIN LATERAL jsonb_array_elements_text(d.payload::jsonb -> 'changeIds') AS c(change_id)`
    : `CROSS JOIN json_each(d.payload, '$.changeIds') AS c`;
  const changeId = pg ? 'c.change_id' : 'c.value';
  const isDeployment = `d.type = 'deployment' AND ${j('d', 'environment')} = 'production' AND ${j('d', 'status')} IN ('success', 'rolled_back')`;
  return {
    // bindings: entity, start, until, entity, until
    deployments: `
      WITH deployments AS (
        SELECT d.event_id, ${j('d', 'status')} AS status
        FROM devops_personas_events d
        WHERE d.entity_ref = ? AND ${isDeployment} AND d.time_ms >= ? AND d.time_ms < ?
      ), failed AS (
        SELECT DISTINCT ${j('i', 'causedByDeploymentId')} AS deployment_id
        FROM devops_personas_events i
        WHERE i.entity_ref = ? AND i.type = 'incident' AND i.time_ms < ?
          AND ${j('i', 'causedByDeploymentId')} IS NOT NULL
      )
      SELECT COUNT(*) AS deployments,
        COALESCE(SUM(CASE WHEN status = 'rolled_back' OR event_id IN (SELECT deployment_id FROM failed) THEN 1 ELSE 0 END), 0) AS failed
      FROM deployments`,
    // bindings: entity, until, start, entity, until
    leadTimes: `
      WITH first_deployment AS (
        SELECT ${changeId} AS change_id, MIN(d.time_ms) AS finished_ms
        FROM devops_personas_events d ${changeIds}
        WHERE d.entity_ref = ? AND ${isDeployment} AND d.time_ms < ?
        GROUP BY ${changeId}
        HAVING MIN(d.time_ms) >= ?
      )
      SELECT f.finished_ms - ch.time_ms AS lead_ms
      FROM first_deployment f
      JOIN devops_personas_events ch
        ON ch.type = 'change' AND ch.event_id = f.change_id AND ch.entity_ref = ? AND ch.time_ms < ?
      WHERE f.finished_ms - ch.time_ms > 0`,
  };
}

async function reference(knex, pg, entityRef, untilMs) {
  const q = referenceQueries(pg);
  const startMs = untilMs - 30 * DAY;
  const rows = result => (pg ? result.rows : result);
  const [d] = rows(await knex.raw(q.deployments, [entityRef, startMs, untilMs, entityRef, untilMs]));
  const leads = rows(await knex.raw(q.leadTimes, [entityRef, untilMs, startMs, entityRef, untilMs])).map(r => Number(r.lead_ms) / 1000);
  const deployments = Number(d.deployments);
  return {
    'deployment-frequency': { value: deployments / ((30 * DAY) / WEEK), sampleSize: deployments },
    'change-failure-rate': { value: deployments ? Number(d.failed) / deployments : null, sampleSize: deployments },
    'lead-time-for-changes': { value: median(leads), sampleSize: leads.length },
  };
}

const showKpi = (id, value) => {
  if (value === null || value === undefined) return 'null';
  if (id === 'lead-time-for-changes') return `${fmtDuration(value)} (${value.toFixed(0)} s)`;
  if (id === 'deployment-frequency') return `${value.toFixed(3)}/week`;
  return value.toFixed(4);
};

/**
 * Times the reference for the service over [now − 30 days, now) and prints
 * its three values next to the API's for the same `until`.
 */
async function compareWithReference(knex, pg, name, now, apiP50) {
  const entityRef = `component:default/${name}`;
  // The reference gets the index it needs on the raw events (the facts
  // migration keeps the events' time index for SLIs only).
  await knex.raw('CREATE INDEX IF NOT EXISTS bench_reference_idx ON devops_personas_events (entity_ref, type, time_ms)');
  if (pg) await knex.raw('ANALYZE devops_personas_events');
  const times = [];
  let ref = await reference(knex, pg, entityRef, now); // warm-up
  for (let i = 0; i < SAMPLES; i++) {
    const t = process.hrtime.bigint();
    ref = await reference(knex, pg, entityRef, now);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const { p50, p95 } = percentiles(times);
  console.log(
    `  Four Keys reference SQL on the raw events (3 KPIs, largest service, 30d): p50 ${fmtMs(p50)}, p95 ${fmtMs(p95)}; ` +
      `API (all KPIs) / reference p50 = ${(apiP50 / p50).toFixed(2)}`,
  );
  // The plugin's own engine on the same database, for the same three KPIs:
  // the like-for-like comparison (no HTTP, catalog or personas around it).
  const engine = new KpiEngine(new FactQueries(knex), { vulnerabilitySlaMs: 7 * DAY, tierMinimumSample: 5 });
  const three = ['deployment-frequency', 'change-failure-rate', 'lead-time-for-changes'].map(id => ({ id, kind: 'built-in' }));
  const window = { startMs: now - 30 * DAY, endMs: now };
  const timed = async run => {
    const samples = [];
    let result;
    for (let i = 0; i <= SAMPLES; i++) {
      const t = process.hrtime.bigint();
      result = await run();
      if (i) samples.push(Number(process.hrtime.bigint() - t) / 1e6); // the first one warms up
    }
    return { ...percentiles(samples), result };
  };
  const scope = { entityRefs: [entityRef], untilMs: now };
  const same = await timed(() => engine.currentValues(scope, window, three));
  console.log(
    `  the plugin's KPI engine on its facts, same 3 KPIs over the same window: p50 ${fmtMs(same.p50)}, p95 ${fmtMs(same.p95)}; ` +
      `reference / engine p50 = ${(p50 / same.p50).toFixed(1)}× faster`,
  );
  const full = await timed(() => engine.compute(scope, { window, buckets: [], kpis: three }));
  console.log(
    `  the same 3 KPIs with what the KPI tab adds (baseline, previous window, DORA tier): p50 ${fmtMs(full.p50)}, p95 ${fmtMs(full.p95)}; ` +
      `reference / engine p50 = ${(p50 / full.p50).toFixed(1)}×`,
  );
  for (const id of ['deployment-frequency', 'change-failure-rate', 'lead-time-for-changes']) {
    const mine = same.result.get(id).value;
    const theirs = ref[id].value;
    const agree = mine === null ? theirs === null : theirs !== null && Math.abs(mine - theirs) <= 1e-9 * Math.max(1, Math.abs(theirs));
    if (!agree) console.log(`    engine and reference DIFFER on ${id}: ${mine} vs ${theirs}`);
  }
  const api = await getJson(`${BASE}/v1/entities/component/default/${name}/kpis?window=30d&until=${encodeURIComponent(iso(now))}`);
  console.log(`  reference vs API for ${name}, [${iso(now - 30 * DAY)}, ${iso(now)}):`);
  let disagreements = 0;
  for (const id of ['deployment-frequency', 'change-failure-rate', 'lead-time-for-changes']) {
    const theirs = api.kpis.find(k => k.id === id);
    const ours = ref[id];
    const agree =
      theirs &&
      (ours.value === null
        ? theirs.value === null
        : theirs.value !== null && Math.abs(theirs.value - ours.value) <= 1e-9 * Math.max(1, Math.abs(ours.value)));
    if (!agree) disagreements++;
    const refText = `${showKpi(id, ours.value)} n=${ours.sampleSize}`;
    const apiText = theirs ? `${showKpi(id, theirs.value)} n=${theirs.sampleSize}` : 'missing';
    console.log(`    ${pad(id, 22)} reference ${pad(refText, 34)} API ${pad(apiText, 34)} ${agree ? 'agree' : 'DIFFER'}`);
  }
  if (disagreements) console.log(`    ${disagreements} of 3 differ: the API and the reference disagree on this data`);
}

/* ------------------------------------------------------------ memory */

/**
 * The backend's own node process: startBackend's pid is npm's, whose
 * descendants are a shell, backstage-cli and the backend; the one holding
 * the listening socket is the backend.
 */
function backendProcess(rootPid) {
  const tree = [rootPid, ...descendants(rootPid)];
  return { pid: listenerAmong(tree, PORT), tree };
}

/* ---------------------------------------------------------------- a run */

/** Waits until the catalog has the relations the measured System and Domain roll up through. */
async function waitForRelations() {
  const { system, domain } = PLAN;
  const parts = (entity, kind) => (entity.relations ?? []).filter(r => r.type === 'hasPart' && r.targetRef.startsWith(`${kind}:`)).length;
  const byName = (kind, name) => getJson(`${CATALOG}/entities/by-name/${kind}/default/${name}`);
  await portal.waitFor(
    async () => {
      const dom = await byName('domain', domain.name);
      if (parts(dom, 'system') !== domain.systems) return false;
      let components = 0;
      for (let s = domain.firstSystem; s < domain.firstSystem + domain.systems; s++) {
        components += parts(await byName('system', portal.system(s)), 'component');
      }
      return components === domain.components;
    },
    `the relations of ${domain.name} and its Systems`,
    900_000,
    2000,
  );
}

const NOTIFICATIONS_TASK = 'devops-personas-notifications';

/**
 * One notification run, asked for through the scheduler's trigger route and
 * timed until the task's last run has ended; its summary line from the log.
 */
async function notificationRun(logFile) {
  const tasks = `${BASE}/.backstage/scheduler/v1/tasks`;
  const endedAt = async () =>
    (await getJson(tasks)).tasks.find(t => t.taskId === NOTIFICATIONS_TASK)?.taskState?.lastRunEndedAt;
  const before = await endedAt();
  const t0 = Date.now();
  const res = await fetchAgain(`${tasks}/${NOTIFICATIONS_TASK}/trigger`, { method: 'POST', headers: auth });
  if (!res.ok) throw new Error(`Triggering the notification run answered ${res.status}`);
  while ((await endedAt()) === before) await new Promise(r => setTimeout(r, 200));
  const ms = Date.now() - t0;
  const lines = fs.readFileSync(logFile, 'utf8').split('\n').filter(l => l.includes('Notifications: '));
  const summary = lines.length ? lines[lines.length - 1].replace(/.*Notifications: /, '').trim() : 'no summary logged';
  return { ms, summary };
}

async function overview() {
  const first = await latency(`${BASE}/v1/overview`, OVERVIEW_SAMPLES);
  const started = process.hrtime.bigint();
  let offset = 0;
  let pages = 0;
  let total;
  const seen = new Set();
  for (;;) {
    const page = await getJson(`${BASE}/v1/overview?limit=${PAGE_SIZE}&offset=${offset}`);
    pages++;
    for (const item of page.items) seen.add(item.entityRef);
    total = page.total;
    offset += page.items.length;
    if (!page.items.length || offset >= total) break;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // Every generated catalog entity should be listed once.
  const systems = Math.ceil(ENTITIES / SYSTEM_SIZE);
  const expected = [
    ...Array.from({ length: ENTITIES }, (_, i) => `component:default/${component(i)}`),
    ...Array.from({ length: systems }, (_, i) => `system:default/${portal.system(i)}`),
    ...Array.from({ length: Math.ceil(systems / DOMAIN_SIZE) }, (_, i) => `domain:default/${portal.domain(i)}`),
  ];
  const missing = expected.filter(ref => !seen.has(ref));
  // Does the catalog itself have the first missing ones (now)?
  const inCatalog = [];
  for (const ref of missing.slice(0, 5)) {
    const [kind, rest] = ref.split(':');
    const res = await fetchAgain(`${CATALOG}/entities/by-name/${kind}/${rest}`, { headers: auth });
    await res.arrayBuffer();
    inCatalog.push(res.status);
  }
  return {
    inCatalog, first, pages, items: offset, distinct: seen.size, total, ms, expected: expected.length, missing };
}

async function benchOne(name, database, rawConfig, pg) {
  restarts = 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dp-bench-${name.split(' ')[0].toLowerCase()}-`));
  console.log(`\n${name}: ${fmtInt(EVENTS)} events across ${fmtInt(ENTITIES)} services (work dir ${dir})`);
  const backend = await portal.startBackend({
    dir,
    port: PORT,
    database: typeof database === 'function' ? database(dir) : database,
    token: TOKEN,
    subject: 'bench',
    entities: ENTITIES,
    systemSize: SYSTEM_SIZE,
    domainSize: DOMAIN_SIZE,
    configFile: path.join(dir, 'bench.json'),
  });
  let plugin;
  try {
    const systems = Math.ceil(ENTITIES / SYSTEM_SIZE);
    console.log(`  catalog of ${fmtInt(ENTITIES)} Components, ${fmtInt(systems)} Systems, ${fmtInt(Math.ceil(systems / DOMAIN_SIZE))} Domains ready in ${(backend.catalogMs / 1000).toFixed(1)} s`);
    const proc = backendProcess(backend.pid);
    if (proc.pid) {
      console.log(`  backend process: pid ${proc.pid} (${commandOf(proc.pid)}), under npm pid ${backend.pid}; ${proc.tree.length} processes in the tree`);
    } else {
      console.log(`  backend process: none of the ${proc.tree.length} processes under npm pid ${backend.pid} listens on ${PORT}; no RSS figures`);
    }
    // VmHWM after each phase; a restarted backend is a new process, whose peak starts afresh.
    const memory = [];
    let backendPid = proc.pid;
    const rss = phase => {
      const pid = backendProcess(backend.pid).pid;
      if (!pid) return;
      // undefined when it is gone
      const used = memoryOf(pid);
      if (!used) return;
      memory.push([pid === backendPid ? phase : `${phase} (new process ${pid} since a restart)`, used]);
      backendPid = pid;
    };
    rss('started');

    // 2. ingest
    const now = Date.now();
    let since = restarts;
    const http = await ingestHttp(now);
    console.log(`  ingest through POST /v1/events: ${fmtInt(http.rate)} events/s (${fmtInt(http.count)} events, ${CONCURRENCY} requests of ${fmtInt(BATCH)} in flight)${restartNote(since)}`);
    rss('after ingest');
    const raw = await ingestRaw(rawConfig(dir), now);
    console.log(`  raw knex insert (the ceiling):  ${fmtInt(raw.rate)} events/s; API / raw = ${(http.rate / raw.rate).toFixed(2)}`);

    plugin = await pluginDatabase(typeof database === 'function' ? database(dir) : database, dir);
    plugin.knex = require('knex')(plugin.config);
    const check = await compareStored(plugin.knex, raw.sample);
    console.log(
      `  stored by the backend (${plugin.where}): ${fmtInt(check.stored)} events; ` +
        (check.differences.length
          ? `${check.differences.length} of ${raw.sample.length} sampled rows DIFFER from rawRows, e.g. ${check.differences[0].slice(0, 600)}`
          : `${raw.sample.length} sampled rows equal to rawRows`),
    );

    // 3. KPIs
    since = restarts;
    await waitForRelations();
    const kpis = (kind, entity, window) => `${BASE}/v1/entities/${kind}/default/${entity}/kpis?window=${window}`;
    const largestName = component(PLAN.largest.entity);
    const medianName = component(PLAN.median.entity);
    const largest30 = await latency(kpis('component', largestName, '30d'));
    const median30 = await latency(kpis('component', medianName, '30d'));
    console.log(`  GET kpis 30d, largest service ${largestName} (${fmtInt(PLAN.largest.budget)} events): p50 ${fmtMs(largest30.p50)}, p95 ${fmtMs(largest30.p95)}`);
    console.log(`  GET kpis 30d, median-sized service ${medianName} (${fmtEvents(PLAN.median.budget)}): p50 ${fmtMs(median30.p50)}, p95 ${fmtMs(median30.p95)}; largest / median p50 = ${(largest30.p50 / median30.p50).toFixed(1)}`);
    const largest90 = await latency(kpis('component', largestName, '90d'));
    console.log(`  GET kpis 90d, largest service: p50 ${fmtMs(largest90.p50)}, p95 ${fmtMs(largest90.p95)}`);
    const system = await latency(kpis('system', PLAN.system.name, '30d'));
    // The answer's entity set, as the backend resolved it (the entity itself first).
    const members = (body, kind) => (body.entities ? String(body.entities.filter(r => r.startsWith(`${kind}:`)).length) : '?');
    console.log(`  GET kpis 30d, its System ${PLAN.system.name} (${members(system.body, 'component')} Components, ${fmtInt(PLAN.system.events)} events): p50 ${fmtMs(system.p50)}, p95 ${fmtMs(system.p95)}`);
    const domain = await latency(kpis('domain', PLAN.domain.name, '30d'));
    console.log(`  GET kpis 30d, its Domain ${PLAN.domain.name} (${members(domain.body, 'system')} Systems, ${members(domain.body, 'component')} Components, ${fmtInt(PLAN.domain.events)} events): p50 ${fmtMs(domain.p50)}, p95 ${fmtMs(domain.p95)}`);
    if (restarts > since) console.log(`  (KPI figures: requests that met a restart were made again)${restartNote(since)}`);
    rss('after KPI reads');

    // 4. the overview
    since = restarts;
    const ov = await overview();
    console.log(`  GET overview, first page (${ov.first.body.items.length} of ${fmtInt(ov.first.body.total)} entities): p50 ${fmtMs(ov.first.p50)}, p95 ${fmtMs(ov.first.p95)}`);
    console.log(`  GET overview, whole list by limit=${PAGE_SIZE}: ${ov.pages} pages, ${fmtInt(ov.items)} of ${fmtInt(ov.total)} entities in ${fmtMs(ov.ms)} (${fmtMs(ov.ms / ov.pages)} a page)${restartNote(since)}`);
    if (ov.missing.length || ov.distinct !== ov.items) {
      console.log(
        `    of the ${fmtInt(ov.expected)} catalog entities ${ov.missing.length} are not listed (${ov.missing.slice(0, 5).join(', ')}${ov.missing.length > 5 ? ', …' : ''}; ` +
          `the catalog answers ${ov.inCatalog.join(', ')} for them by name); ${fmtInt(ov.items - ov.distinct)} listed twice`,
      );
    }
    rss('after overview');

    // 5. notifications and the weekly review
    since = restarts;
    const run = await notificationRun(backend.logFile);
    console.log(`  notification run (every entity with events, 30-day KPIs and SLOs): ${fmtMs(run.ms)}; ${run.summary}${restartNote(since)}`);
    const reviewUrl = (kind, entity) => `${BASE}/v1/review/${kind}/default/${entity}`;
    const systemReview = await latency(reviewUrl('system', PLAN.system.name), REVIEW_SAMPLES);
    console.log(`  GET review, the System ${PLAN.system.name} (${systemReview.body.entities.length} Components): p50 ${fmtMs(systemReview.p50)}, p95 ${fmtMs(systemReview.p95)}`);
    const domainReview = await latency(reviewUrl('domain', PLAN.domain.name), 1);
    console.log(
      `  GET review, the Domain ${PLAN.domain.name} (${domainReview.body.entities.length} Components compared${domainReview.body.kpisOmitted ? `, ${domainReview.body.kpisOmitted} left out` : ''}): ${fmtMs(domainReview.p50)}${restartNote(since)}`,
    );
    rss('after notifications and reviews');

    // 6. the reference
    await compareWithReference(plugin.knex, pg, largestName, now, largest30.p50);

    // 7. memory
    rss('at the end');
    if (memory.length) {
      console.log(`  backend peak RSS (VmHWM): ${memory.map(([phase, m]) => `${phase} ${fmtMB(m.hwm)}`).join(', ')}; RSS now ${fmtMB(memory[memory.length - 1][1].rss)}`);
    }
  } catch (e) {
    console.error(`  backend log: ${backend.logFile}`);
    throw e;
  } finally {
    await plugin?.knex?.destroy();
    await backend.stopAndWait();
  }
  if (restarts) console.log(`  the backend restarted ${restarts}× during this run (backstage-cli restarts it when a source file changes)`);
  if (!KEEP) fs.rmSync(dir, { recursive: true, force: true });
}

async function main() {
  console.log(`DevOps Personas benchmark (node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''})`);
  summarize();
  let failures = 0;
  const attempt = async (name, run) => {
    try {
      await run();
    } catch (e) {
      failures++;
      console.error(`  ${name} FAILED: ${e.cause ? `${e.message}: ${e.cause.message ?? e.cause}` : e.stack ?? e.message}`);
    }
  };
  if (DATABASES.includes('sqlite')) {
    await attempt('SQLite', () =>
      benchOne(
        'SQLite',
        dir => ({ client: 'better-sqlite3', connection: { directory: path.join(dir, 'sqlite') } }),
        dir => ({ client: 'better-sqlite3', connection: { filename: path.join(dir, 'raw.sqlite') }, useNullAsDefault: true }),
        false,
      ),
    );
  }
  if (DATABASES.includes('postgres')) {
    await attempt('PostgreSQL 15', async () => {
      const pgServer = await startPostgres();
      stopPostgres = pgServer.stop;
      try {
        const admin = require('knex')({ client: 'pg', connection: `${pgServer.connectionString}/postgres` });
        try {
          await admin.raw('CREATE DATABASE bench_raw');
        } finally {
          await admin.destroy();
        }
        await benchOne(
          'PostgreSQL 15',
          { client: 'pg', connection: pgServer.connectionString, prefix: PG_PREFIX },
          () => ({ client: 'pg', connection: `${pgServer.connectionString}/bench_raw` }),
          true,
        );
      } finally {
        pgServer.stop();
        stopPostgres = undefined;
      }
    });
  }
  process.exitCode = failures ? 1 : 0;
}

let stopPostgres;

if (require.main === module) {
  // Ctrl-C or a crash: no backend or PostgreSQL is left behind.
  process.on('exit', () => {
    portal.killAll();
    stopPostgres?.();
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
  main().catch(e => {
    console.error(e.cause ? `${e.message}: ${e.cause.message ?? e.cause}` : e.stack ?? e.message);
    process.exit(1);
  });
}

// For checking the generator by hand: node -e "require('./scripts/bench.js').events(Date.now())".
module.exports = { PLAN, events, rawRows, referenceQueries };
