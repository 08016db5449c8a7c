import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { testDatabaseIds } from '../__testUtils__/testDatabases';
import { EventStore } from '../database/EventStore';
import { EventType, validateEventsRequest } from '../events/validateEvents';
import { readPersonasConfig } from '../service/config';
import {
  buildEventSet,
  CALCULATORS,
  deploymentFrequencyTier,
  doraTier,
  measurementCalculator,
} from './__testUtils__/referenceCalculators';
import { BASELINE_MS, KpiEngine } from './compute';
import { explainKpi } from './explain';
import { median } from './tiers';
import { Bucket, DAY_MS, TimeWindow, trendBuckets } from './window';

/**
 * The windowed engine against the definitions computed in memory over the
 * whole history (the engine before the facts), on random histories: every
 * figure must be the same.
 */

const ALL_TYPES: EventType[] = [
  'deployment',
  'change',
  'incident',
  'alert',
  'vulnerability',
  'pipeline-run',
  'postmortem-action',
  'measurement',
];
const T0 = Date.parse('2025-01-01T00:00:00Z');
/** Small enough that the random histories have tiers both given and withheld. */
const MINIMUM_SAMPLE = 3;
const HISTORY_MS = 540 * DAY_MS;
const COMPONENTS = ['component:default/a', 'component:default/b', 'component:default/c'];

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random history: changes deployed days or months later, incidents caused by deployments, … */
function history(seed: number): unknown[] {
  const rand = random(seed);
  const pick = <T>(items: T[]) => items[Math.floor(rand() * items.length)];
  const at = (ms: number) => new Date(ms).toISOString();
  const events: unknown[] = [];
  const changes: Array<{ id: string; entityRef: string; createdMs: number }> = [];
  const deployments: Array<{ id: string; ms: number }> = [];
  for (let i = 0; i < 900; i++) {
    const entityRef = pick(COMPONENTS);
    const ms = T0 + Math.floor(rand() * HISTORY_MS);
    const kind = rand();
    const source = pick(['', 'ci']);
    if (kind < 0.25) {
      const id = `c${i}`;
      // some merged long after creation, some never merged
      const merged = rand() < 0.8 ? at(ms + Math.floor(rand() * 20 * DAY_MS)) : undefined;
      changes.push({ id, entityRef, createdMs: ms });
      events.push({ type: 'change', id, source, entityRef, createdAt: at(ms), mergedAt: merged });
    } else if (kind < 0.45) {
      const id = `d${i}`;
      // name earlier changes, sometimes of another component, sometimes a change created later
      const named = Array.from({ length: Math.floor(rand() * 4) }, () => (changes.length ? pick(changes).id : 'none'));
      if (rand() < 0.1) named.push(`c${i + 1}`);
      deployments.push({ id, ms });
      events.push({
        type: 'deployment',
        id,
        source,
        entityRef,
        finishedAt: at(ms),
        status: pick(['success', 'success', 'success', 'rolled_back', 'failure']),
        environment: pick(['production', 'production', 'production', 'staging']),
        changeIds: named,
        rework: rand() < 0.2,
      });
    } else if (kind < 0.55) {
      const resolved = rand() < 0.85 ? at(ms + Math.floor(rand() * 10 * DAY_MS)) : undefined;
      // some name a deployment outside the entity set: no failed-deployment recovery
      const causeOf = (n: number) => {
        if (rand() < 0.5 && deployments.length) return pick(deployments).id;
        return rand() < 0.3 ? `elsewhere-${n}` : undefined;
      };
      events.push({
        type: 'incident',
        id: `i${i}`,
        source,
        entityRef,
        startedAt: at(ms),
        resolvedAt: resolved,
        customerImpacting: rand() < 0.4,
        causedByDeploymentId: causeOf(i),
      });
    } else if (kind < 0.65) {
      events.push({ type: 'alert', id: `a${i}`, source, entityRef, firedAt: at(ms), actionable: rand() < 0.5 });
    } else if (kind < 0.75) {
      const fixed = rand() < 0.6 ? at(ms + Math.floor(rand() * 30 * DAY_MS)) : undefined;
      events.push({
        type: 'vulnerability',
        id: `v${i}`,
        source,
        entityRef,
        severity: pick(['critical', 'critical', 'high', 'low']),
        detectedAt: at(ms),
        fixedAt: fixed,
        dismissedAt: !fixed && rand() < 0.3 ? at(ms + Math.floor(rand() * 30 * DAY_MS)) : undefined,
      });
    } else if (kind < 0.88) {
      events.push({
        type: 'pipeline-run',
        id: `p${i}`,
        source,
        entityRef,
        finishedAt: at(ms),
        status: pick(['success', 'success', 'failure', 'cancelled']),
        flaky: rand() < 0.2,
      });
    } else if (kind < 0.95) {
      const due = rand() < 0.5 ? at(ms + Math.floor(rand() * 40 * DAY_MS)) : undefined;
      const closed = rand() < 0.6 ? at(ms + Math.floor(rand() * 50 * DAY_MS)) : undefined;
      events.push({ type: 'postmortem-action', id: `m${i}`, source, entityRef, createdAt: at(ms), dueAt: due, closedAt: closed });
    } else {
      events.push({
        type: 'measurement',
        id: `x${i}`,
        source,
        entityRef,
        kpi: 'coverage',
        timestamp: at(ms),
        value: Math.round(rand() * 1000) / 10,
      });
    }
  }
  // a resend replaces: the same deployments again with another status
  for (const event of events.slice(0, 60)) {
    const e = event as Record<string, unknown>;
    if (e.type === 'deployment') events.push({ ...e, status: e.status === 'success' ? 'rolled_back' : 'success' });
  }
  return events;
}

const config = readPersonasConfig(
  new ConfigReader({
    devopsPersonas: {
      measurementKpis: [{ id: 'coverage', title: 'Coverage', unit: 'percent', owner: 'quality-engineer', direction: 'higher' }],
    },
  }),
);
const kpis = config.kpis.filter(k => k.id !== 'slo-compliance');

/** The engine before the facts: every event before `until` in memory. */
function reference(id: string) {
  return id === 'coverage' ? measurementCalculator('coverage') : CALCULATORS[id];
}

describe.each(testDatabaseIds())('the windowed KPI engine on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });

  it.each([1, 2, 3])('equals full-history computation on random history %i', async seed => {
    const knex = await databases.init(databaseId);
    const store = await EventStore.create({ database: mockServices.database({ knex }) });
    const events = history(seed);
    for (let i = 0; i < events.length; i += 500) {
      await store.upsert(validateEventsRequest({ events: events.slice(i, i + 500) }));
    }
    const engine = new KpiEngine(store.facts, {
      vulnerabilitySlaMs: config.vulnerabilitySlaMs,
      tierMinimumSample: MINIMUM_SAMPLE,
    });
    const rand = random(seed * 7919);
    const scopes = [[COMPONENTS[0]], [...COMPONENTS]];
    const checks: Array<{ until: number; length: number; bucket: Bucket }> = [
      { until: T0 + HISTORY_MS + DAY_MS, length: 30 * DAY_MS, bucket: 'week' },
      { until: T0 + 200 * DAY_MS + 12_345, length: 90 * DAY_MS, bucket: 'month' },
      { until: T0 + Math.floor(rand() * HISTORY_MS), length: Math.ceil(rand() * 120) * DAY_MS, bucket: 'week' },
      { until: T0 + 10 * DAY_MS, length: 30 * DAY_MS, bucket: 'week' },
    ];
    let compared = 0;
    for (const entityRefs of scopes) {
      for (const { until, length, bucket } of checks) {
        const window: TimeWindow = { startMs: until - length, endMs: until };
        const buckets = trendBuckets(window, bucket);
        const computed = await engine.compute({ entityRefs, untilMs: until }, { window, buckets, kpis });
        const set = buildEventSet(await store.list({ entityRefs, types: ALL_TYPES, untilMs: until }), until);
        const previous = { startMs: window.startMs - length, endMs: window.startMs };
        for (const kpi of kpis) {
          const calc = reference(kpi.id);
          const figures = computed.figures.get(kpi.id)!;
          const first = calc.firstDataMs(set);
          const baselineWindow = first === undefined ? null : { startMs: first, endMs: first + BASELINE_MS };
          const expected = {
            value: calc.compute(set, window).value,
            sampleSize: calc.compute(set, window).sampleSize,
            baseline: baselineWindow ? calc.compute(set, baselineWindow).value : null,
            baselineWindow,
          };
          expect({ kpi: kpi.id, value: figures.current.value, sampleSize: figures.current.sampleSize, baseline: figures.baseline, baselineWindow: figures.baselineWindow }).toEqual({ kpi: kpi.id, ...expected });
          const trend = buckets.map(b =>
            kpi.id === 'coverage' ? measurementCalculator('coverage').mean(set, b) : calc.compute(set, b).value,
          );
          expect(figures.trend).toHaveLength(trend.length);
          // means of measurements may differ in the last bits (summed in another order)
          const rounded = (values: Array<number | null>) => values.map(v => (v === null ? null : Number(v.toPrecision(12))));
          expect([kpi.id, rounded(figures.trend)]).toEqual([kpi.id, rounded(trend)]);
          // the guardrail's KPIs also over the previous window
          const guarded = ['deployment-frequency', 'change-failure-rate', 'time-to-restore'].includes(kpi.id);
          expect([kpi.id, guarded ? figures.previous?.value : 'not computed']).toEqual([
            kpi.id,
            guarded ? calc.compute(set, previous).value : 'not computed',
          ]);
          compared++;
        }
        expect(computed.deploymentFrequencyTier).toBe(deploymentFrequencyTier(set, until));
        // the lean read of current values gives the same as the full one
        const current = await engine.currentValues({ entityRefs, untilMs: until }, window, kpis);
        expect(Object.fromEntries(kpis.map(k => [k.id, current.get(k.id)]))).toEqual(
          Object.fromEntries(kpis.map(k => [k.id, computed.figures.get(k.id)!.current])),
        );
        // SPEC §6: a dismissed vulnerability is never overdue
        const overdue = set.vulnerabilities.filter(
          v =>
            v.severity === 'critical' &&
            v.fixedMs === undefined &&
            !(typeof v.payload.dismissedAt === 'string' && Date.parse(v.payload.dismissedAt) < until) &&
            v.timeMs < until - config.vulnerabilitySlaMs,
        ).length;
        expect(computed.overdueCriticalVulnerabilities).toBe(overdue);

        const [tiers] = await engine.doraTiers([{ entityRefs, untilMs: until }], window);
        for (const id of [
          'lead-time-for-changes',
          'change-failure-rate',
          'time-to-restore',
          'failed-deployment-recovery-time',
        ]) {
          const { value, sampleSize } = CALCULATORS[id].compute(set, window);
          expect([id, tiers[id]]).toEqual([id, sampleSize >= MINIMUM_SAMPLE ? doraTier(id, value) : null]);
        }
        expect(tiers['deployment-frequency']).toBe(deploymentFrequencyTier(set, until));

        // explain lists the same events in the same roles
        for (const kpi of kpis) {
          const explained = await explainKpi(store.facts, kpi, { entityRefs, untilMs: until }, window);
          const key = (role: string, p: Record<string, unknown>) => `${role} ${p.type} ${p.source} ${p.id}`;
          const expectedRoles = reference(kpi.id)
            .compute(set, window)
            .contributions.map(c => key(c.role, c.payload))
            .sort();
          expect([kpi.id, explained.events.map(e => key(e.role, e.payload)).sort()]).toEqual([kpi.id, expectedRoles]);
          // a median is the median of the figures explain shows
          const isMedian = explained.figureUnit === 'seconds';
          const figures = explained.events.filter(e => e.figure !== null).map(e => e.figure!);
          expect([kpi.id, isMedian ? median(figures) : 'not a median']).toEqual([
            kpi.id,
            isMedian ? computed.figures.get(kpi.id)!.current.value : 'not a median',
          ]);
        }
      }
    }
    expect(compared).toBe(scopes.length * checks.length * kpis.length);
  });
});
