/*
 * The KPI definitions computed in memory over every event before `until`:
 * the engine before the facts, kept as the oracle that the windowed SQL
 * engine is compared with (engine.property.test.ts).
 */
import { DoraTier } from '@devops-personas/plugin-devops-personas-common';
import { EventRow } from '../../database/EventStore';
import { median } from '../tiers';
import { DAY_MS, inWindow, TimeWindow, WEEK_MS } from '../window';

/** Parsed events of one entity set, all with times before `until`. */
export interface EventSet {
  /** Production deployments that reached production (`success` or `rolled_back`). */
  deployments: Deployment[];
  /** Ids of every deployment of the set, whatever its status or environment. */
  deploymentIds: Set<string>;
  changes: Change[];
  incidents: Incident[];
  alerts: Timed[];
  vulnerabilities: Vulnerability[];
  pipelineRuns: PipelineRun[];
  postmortemActions: PostmortemAction[];
  measurements: Measurement[];
}

interface Timed {
  payload: Record<string, unknown>;
  timeMs: number;
}
interface Deployment extends Timed {
  id: string;
  status: string;
  changeIds: string[];
  rework: boolean;
}
interface Change extends Timed {
  id: string;
  mergedMs?: number;
}
interface Incident extends Timed {
  resolvedMs?: number;
  customerImpacting: boolean;
  causedByDeploymentId?: string;
}
interface Vulnerability extends Timed {
  severity: string;
  fixedMs?: number;
}
interface PipelineRun extends Timed {
  status: string;
  flaky: boolean;
}
interface PostmortemAction extends Timed {
  dueMs: number;
  closedMs?: number;
}
interface Measurement extends Timed {
  kpi: string;
  value: number;
}

const ms = (value: unknown): number | undefined =>
  typeof value === 'string' ? Date.parse(value) : undefined;

/** Sorts raw rows into typed lists; keeps only what the definitions count. */
export function buildEventSet(rows: EventRow[], untilMs: number): EventSet {
  const set: EventSet = {
    deployments: [],
    deploymentIds: new Set(),
    changes: [],
    incidents: [],
    alerts: [],
    vulnerabilities: [],
    pipelineRuns: [],
    postmortemActions: [],
    measurements: [],
  };
  // Anything that happens at or after `until` is not known yet.
  const known = (t: number | undefined) => (t !== undefined && t < untilMs ? t : undefined);
  for (const { type, payload, timeMs } of rows) {
    const p = payload;
    switch (type) {
      case 'deployment':
        set.deploymentIds.add(String(p.id));
        if (
          p.environment === 'production' &&
          (p.status === 'success' || p.status === 'rolled_back')
        ) {
          set.deployments.push({
            payload: p,
            timeMs,
            id: String(p.id),
            status: String(p.status),
            changeIds: (p.changeIds as string[]) ?? [],
            rework: p.rework === true,
          });
        }
        break;
      case 'change':
        set.changes.push({ payload: p, timeMs, id: String(p.id), mergedMs: known(ms(p.mergedAt)) });
        break;
      case 'incident':
        set.incidents.push({
          payload: p,
          timeMs,
          resolvedMs: known(ms(p.resolvedAt)),
          customerImpacting: p.customerImpacting === true,
          causedByDeploymentId:
            typeof p.causedByDeploymentId === 'string' ? p.causedByDeploymentId : undefined,
        });
        break;
      case 'alert':
        set.alerts.push({ payload: p, timeMs });
        break;
      case 'vulnerability':
        set.vulnerabilities.push({
          payload: p,
          timeMs,
          severity: String(p.severity),
          fixedMs: known(ms(p.fixedAt)),
        });
        break;
      case 'pipeline-run':
        set.pipelineRuns.push({ payload: p, timeMs, status: String(p.status), flaky: p.flaky === true });
        break;
      case 'postmortem-action':
        set.postmortemActions.push({
          payload: p,
          timeMs,
          dueMs: ms(p.dueAt) ?? timeMs + 30 * DAY_MS,
          closedMs: known(ms(p.closedAt)),
        });
        break;
      case 'measurement':
        set.measurements.push({ payload: p, timeMs, kpi: String(p.kpi), value: Number(p.value) });
        break;
      default:
        break;
    }
  }
  return set;
}


const ratio = (part: number, whole: number) => (whole ? part / whole : null);

/** One KPI over one window, with the events that made it. */
export interface Computation {
  value: number | null;
  sampleSize: number;
  contributions: Array<{ role: string; payload: Record<string, unknown> }>;
}

export interface Calculator {
  formula: string;
  compute(set: EventSet, window: TimeWindow): Computation;
  /** When this KPI's data starts, for the baseline. */
  firstDataMs(set: EventSet): number | undefined;
}

const earliest = (times: Array<number | undefined>) => {
  let min: number | undefined;
  for (const t of times) if (t !== undefined && (min === undefined || t < min)) min = t;
  return min;
};

function deploymentsIn(set: EventSet, window: TimeWindow) {
  return set.deployments.filter(d => inWindow(d.timeMs, window));
}

/** Earliest finish among the deployments naming each change id. */
function firstDeploymentByChange(set: EventSet): Map<string, Deployment> {
  const first = new Map<string, Deployment>();
  for (const deployment of set.deployments) {
    for (const changeId of deployment.changeIds) {
      const current = first.get(changeId);
      if (!current || deployment.timeMs < current.timeMs) first.set(changeId, deployment);
    }
  }
  return first;
}

// Derived lists are computed once per event set, not once per bucket.
function memo<T>(compute: (set: EventSet) => T): (set: EventSet) => T {
  const cache = new WeakMap<EventSet, T>();
  return set => {
    if (!cache.has(set)) cache.set(set, compute(set));
    return cache.get(set)!;
  };
}

const leadTimes = memo(set => {
  const first = firstDeploymentByChange(set);
  return set.changes.flatMap(change => {
    const deployment = first.get(change.id);
    return deployment ? [{ change, deployment, seconds: (deployment.timeMs - change.timeMs) / 1000 }] : [];
  });
});

const failedDeploymentIds = memo(
  set =>
    new Set(set.incidents.flatMap(i => (i.causedByDeploymentId ? [i.causedByDeploymentId] : []))),
);

/** Incidents that name a deployment of the set as their cause. */
const recoveries = memo(set =>
  set.incidents.filter(i => i.causedByDeploymentId !== undefined && set.deploymentIds.has(i.causedByDeploymentId)),
);

function deploymentRate(
  formula: string,
  isHit: (d: Deployment, set: EventSet) => boolean,
  role: string,
): Calculator {
  return {
    formula,
    compute(set, window) {
      const deployments = deploymentsIn(set, window);
      const hits = new Set(deployments.filter(d => isHit(d, set)));
      return {
        value: ratio(hits.size, deployments.length),
        sampleSize: deployments.length,
        contributions: deployments.map(d => ({
          role: hits.has(d) ? role : 'deployment',
          payload: d.payload,
        })),
      };
    },
    firstDataMs: set => earliest(set.deployments.map(d => d.timeMs)),
  };
}

function medianOf<T extends { payload: Record<string, unknown> }>(
  items: T[],
  seconds: (item: T) => number,
  role: string,
): Computation {
  return {
    value: median(items.map(seconds)),
    sampleSize: items.length,
    contributions: items.map(item => ({ role, payload: item.payload })),
  };
}

/** The built-in KPIs of SPEC §4 (all but `slo-compliance`, which comes from SLOs). */
export const CALCULATORS: Record<string, Calculator> = {
  'deployment-frequency': {
    formula:
      'production deployments with status success or rolled_back finished in the window ÷ window length in weeks',
    compute(set, window) {
      const deployments = deploymentsIn(set, window);
      return {
        value: deployments.length / ((window.endMs - window.startMs) / WEEK_MS),
        sampleSize: deployments.length,
        contributions: deployments.map(d => ({ role: 'deployment', payload: d.payload })),
      };
    },
    firstDataMs: set => earliest(set.deployments.map(d => d.timeMs)),
  },
  'lead-time-for-changes': {
    formula:
      'median of (first deployment finishedAt − change createdAt) over changes whose first production deployment finished in the window; differences ≤ 0 ignored',
    compute(set, window) {
      const items = leadTimes(set).filter(
        l => inWindow(l.deployment.timeMs, window) && l.seconds > 0,
      );
      const result = medianOf(items.map(l => ({ ...l, payload: l.change.payload })), l => l.seconds, 'change');
      result.contributions.push(
        ...[...new Set(items.map(l => l.deployment))].map(d => ({ role: 'first-deployment', payload: d.payload })),
      );
      return result;
    },
    firstDataMs: set => earliest(leadTimes(set).map(l => l.deployment.timeMs)),
  },
  'change-failure-rate': deploymentRate(
    'deployments in the window that were rolled_back or caused an incident (causedByDeploymentId) ÷ deployments in the window',
    (d, set) => d.status === 'rolled_back' || failedDeploymentIds(set).has(d.id),
    'failed-deployment',
  ),
  'time-to-restore': {
    formula: 'median of (resolvedAt − startedAt) over incidents resolved in the window',
    compute(set, window) {
      const items = set.incidents.filter(i => inWindow(i.resolvedMs, window));
      return medianOf(items, i => (i.resolvedMs! - i.timeMs) / 1000, 'incident');
    },
    firstDataMs: set => earliest(set.incidents.map(i => i.resolvedMs)),
  },
  'failed-deployment-recovery-time': {
    formula:
      'median of (resolvedAt − startedAt) over incidents resolved in the window whose causedByDeploymentId names a deployment of the entity set',
    compute(set, window) {
      const items = recoveries(set).filter(i => inWindow(i.resolvedMs, window));
      return medianOf(items, i => (i.resolvedMs! - i.timeMs) / 1000, 'failed-deployment-incident');
    },
    firstDataMs: set => earliest(recoveries(set).map(i => i.resolvedMs)),
  },
  'deployment-rework-rate': deploymentRate(
    'deployments in the window with rework: true ÷ deployments in the window',
    d => d.rework,
    'rework-deployment',
  ),
  'rollback-rate': deploymentRate(
    'rolled_back deployments in the window ÷ deployments in the window',
    d => d.status === 'rolled_back',
    'rolled-back-deployment',
  ),
  'alert-noise': {
    formula: 'alerts fired in the window with actionable: false ÷ all alerts fired in the window',
    compute(set, window) {
      const alerts = set.alerts.filter(a => inWindow(a.timeMs, window));
      const noise = alerts.filter(a => a.payload.actionable === false);
      return {
        value: ratio(noise.length, alerts.length),
        sampleSize: alerts.length,
        contributions: alerts.map(a => ({
          role: a.payload.actionable === false ? 'non-actionable-alert' : 'alert',
          payload: a.payload,
        })),
      };
    },
    firstDataMs: set => earliest(set.alerts.map(a => a.timeMs)),
  },
  'critical-vulnerability-fix-time': {
    formula: 'median of (fixedAt − detectedAt) over critical vulnerabilities fixed in the window',
    compute(set, window) {
      const items = set.vulnerabilities.filter(
        v => v.severity === 'critical' && inWindow(v.fixedMs, window),
      );
      return medianOf(items, v => (v.fixedMs! - v.timeMs) / 1000, 'fixed-vulnerability');
    },
    firstDataMs: set =>
      earliest(set.vulnerabilities.filter(v => v.severity === 'critical').map(v => v.fixedMs)),
  },
  'pipeline-success-rate': {
    formula: 'success runs ÷ (success + failure) runs finished in the window; cancelled runs left out',
    compute(set, window) {
      const runs = set.pipelineRuns.filter(
        r => inWindow(r.timeMs, window) && (r.status === 'success' || r.status === 'failure'),
      );
      const ok = runs.filter(r => r.status === 'success');
      return {
        value: ratio(ok.length, runs.length),
        sampleSize: runs.length,
        contributions: runs.map(r => ({ role: `${r.status}-run`, payload: r.payload })),
      };
    },
    firstDataMs: set => earliest(set.pipelineRuns.map(r => r.timeMs)),
  },
  'flaky-test-rate': {
    formula: 'runs with flaky: true ÷ all runs finished in the window',
    compute(set, window) {
      const runs = set.pipelineRuns.filter(r => inWindow(r.timeMs, window));
      const flaky = runs.filter(r => r.flaky);
      return {
        value: ratio(flaky.length, runs.length),
        sampleSize: runs.length,
        contributions: runs.map(r => ({ role: r.flaky ? 'flaky-run' : 'run', payload: r.payload })),
      };
    },
    firstDataMs: set => earliest(set.pipelineRuns.map(r => r.timeMs)),
  },
  'postmortem-action-closure-rate': {
    formula:
      'actions due in the window (dueAt, else createdAt + 30 days) closed by their due time ÷ actions due in the window',
    compute(set, window) {
      const due = set.postmortemActions.filter(a => inWindow(a.dueMs, window));
      const closed = new Set(due.filter(a => a.closedMs !== undefined && a.closedMs <= a.dueMs));
      return {
        value: ratio(closed.size, due.length),
        sampleSize: due.length,
        contributions: due.map(a => ({
          role: closed.has(a) ? 'closed-in-time' : 'not-closed-in-time',
          payload: a.payload,
        })),
      };
    },
    firstDataMs: set => earliest(set.postmortemActions.map(a => a.dueMs)),
  },
  'customer-impacting-incidents': {
    formula: 'incidents started in the window with customerImpacting: true',
    compute(set, window) {
      const items = set.incidents.filter(i => i.customerImpacting && inWindow(i.timeMs, window));
      return {
        value: items.length,
        sampleSize: items.length,
        contributions: items.map(i => ({ role: 'customer-impacting-incident', payload: i.payload })),
      };
    },
    firstDataMs: set => earliest(set.incidents.map(i => i.timeMs)),
  },
  'pr-turnaround-time': {
    formula: 'median of (mergedAt − createdAt) over changes merged in the window',
    compute(set, window) {
      const items = set.changes.filter(c => inWindow(c.mergedMs, window));
      return medianOf(items, c => (c.mergedMs! - c.timeMs) / 1000, 'merged-change');
    },
    firstDataMs: set => earliest(set.changes.map(c => c.mergedMs)),
  },
};

/** A calculator for a measurement KPI: latest value in the window; trend is the per-bucket mean. */
export function measurementCalculator(kpiId: string): Calculator & {
  mean(set: EventSet, window: TimeWindow): number | null;
} {
  const inRange = (set: EventSet, window: TimeWindow) =>
    set.measurements.filter(m => m.kpi === kpiId && inWindow(m.timeMs, window));
  return {
    formula: `the latest "${kpiId}" measurement in the window`,
    compute(set, window) {
      const items = inRange(set, window);
      let latest: Measurement | undefined;
      for (const m of items) if (!latest || m.timeMs >= latest.timeMs) latest = m;
      return {
        value: latest ? latest.value : null,
        sampleSize: items.length,
        contributions: items.map(m => ({
          role: m === latest ? 'latest-measurement' : 'measurement',
          payload: m.payload,
        })),
      };
    },
    mean(set, window) {
      const items = inRange(set, window);
      return items.length ? items.reduce((sum, m) => sum + m.value, 0) / items.length : null;
    },
    firstDataMs: set => earliest(set.measurements.filter(m => m.kpi === kpiId).map(m => m.timeMs)),
  };
}

/** Critical vulnerabilities still open at `until` and detected more than the SLA before it. */
export function overdueCriticalVulnerabilities(
  set: EventSet,
  untilMs: number,
  slaMs: number,
): number {
  return set.vulnerabilities.filter(
    v => v.severity === 'critical' && v.fixedMs === undefined && v.timeMs < untilMs - slaMs,
  ).length;
}

/**
 * DORA tier of deployment frequency over the 12 weeks before `until`
 * (weeks counted back from `until`).
 */
export function deploymentFrequencyTier(set: EventSet, untilMs: number): DoraTier {
  const weeks = Array.from({ length: 12 }, (_, i) => ({
    startMs: untilMs - (i + 1) * WEEK_MS,
    endMs: untilMs - i * WEEK_MS,
  }));
  const perWeek = weeks.map(week => deploymentsIn(set, week));
  const daysPerWeek = perWeek.map(
    ds => new Set(ds.map(d => new Date(d.timeMs).toISOString().slice(0, 10))).size,
  );
  if (median(daysPerWeek)! >= 3) return 'elite';
  if (median(perWeek.map(ds => ds.length))! >= 1) return 'high';
  const perPeriod = [0, 1, 2].map(p =>
    perWeek.slice(p * 4, p * 4 + 4).reduce((sum, ds) => sum + ds.length, 0),
  );
  if (median(perPeriod)! >= 1) return 'medium';
  return 'low';
}

export { doraTier } from '../tiers';
