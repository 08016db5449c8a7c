import {
  ExplainedFact,
  FactFamily,
  FactQueries,
  FactScope,
  IncidentLink,
  linkOf,
  Sql,
} from '../database/FactQueries';
import { KpiDefinition } from '../service/config';
import {
  FAMILIES,
  KPI_COMPUTATIONS,
  measurementFamily,
  measurementFormula,
} from './definitions';
import { TimeWindow } from './window';

/** One event behind a KPI value: its role, its own figure and what made it count. */
export interface ExplainedItem {
  role: string;
  payload: Record<string, unknown>;
  figure: number | null;
  note?: string;
  /** How the incident behind it names its deployment. */
  linkedBy?: IncidentLink;
}

/** The events behind one KPI value, most contributing first. */
export interface Explanation {
  formula: string;
  /** Unit of the items' figures. */
  figureUnit: string | null;
  events: ExplainedItem[];
}

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

/** Latest first: the order a person reads a list of events in. */
const byTimeDescending = <T>(items: T[]) => [...items].reverse();

/** Largest figure first; equal figures keep their order. */
const byFigureDescending = <T extends ExplainedItem>(items: T[]): T[] =>
  items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => (b.item.figure ?? -Infinity) - (a.item.figure ?? -Infinity) || a.i - b.i)
    .map(({ item }) => item);

/** Why a deployment counts as failed or reworked. */
function deploymentNote(fact: ExplainedFact, hitRole: string): string | undefined {
  const reasons: string[] = [];
  if (fact.payload.status === 'rolled_back') reasons.push('rolled back');
  if (hitRole === 'failed-deployment' && fact.causedBy) reasons.push(`caused incident ${fact.causedBy}`);
  if (hitRole === 'rework-deployment' && fact.payload.rework === true) reasons.push('unplanned fix (rework)');
  return reasons.length ? reasons.join('; ') : undefined;
}

/**
 * Reads the events behind a KPI over one window, with the same facts and
 * conditions the engine counts (SPEC §7: every number can be explained),
 * each with its own figure, sorted by contribution: what the value counts
 * first, then the largest durations.
 */
export async function explainKpi(
  facts: FactQueries,
  kpi: KpiDefinition,
  scope: FactScope,
  window: TimeWindow,
): Promise<Explanation> {
  if (kpi.kind === 'measurement') {
    const rows = await facts.explain(measurementFamily(kpi.id), scope, window);
    // read in time order, then as stored: the last one is the latest, the value
    const items = rows.map((row, i) => ({
      role: i === rows.length - 1 ? 'latest-measurement' : 'measurement',
      payload: row.payload,
      figure: row.value,
    }));
    return { formula: measurementFormula(kpi.id), figureUnit: kpi.unit, events: byTimeDescending(items) };
  }
  const computation = (KPI_COMPUTATIONS as Record<string, (typeof KPI_COMPUTATIONS)[keyof typeof KPI_COMPUTATIONS]>)[kpi.id];
  if (!computation) return { formula: '', figureUnit: null, events: [] };
  const { measure, formula } = computation;
  switch (measure.kind) {
    case 'lead-time': {
      const items = (await facts.explainLeadTimes(scope, window)).filter(i => i.ms / 1000 > 0);
      const changes = byFigureDescending(
        items.map(i => ({
          role: 'change',
          payload: i.change,
          figure: i.ms / 1000,
          note: `first deployed by ${String(i.deployment.id)}`,
          deployment: i.deployment,
        })),
      ) as Array<ExplainedItem & { deployment: Record<string, unknown> }>;
      // each first deployment once, in the order of its largest change
      const deployments = new Map<string, { payload: Record<string, unknown>; changes: number }>();
      for (const change of changes) {
        const key = JSON.stringify([change.deployment.source, change.deployment.id]);
        const entry = deployments.get(key) ?? { payload: change.deployment, changes: 0 };
        entry.changes++;
        deployments.set(key, entry);
      }
      return {
        formula,
        figureUnit: 'seconds',
        events: [
          ...changes.map(({ deployment: _deployment, ...change }) => change),
          ...[...deployments.values()].map(d => ({
            role: 'first-deployment',
            payload: d.payload,
            figure: null,
            note: `first deployment of ${d.changes} ${d.changes === 1 ? 'change' : 'changes'}`,
          })),
        ],
      };
    }
    case 'per-week': {
      const rows = await facts.explain(FAMILIES[measure.family], scope, window);
      return {
        formula,
        figureUnit: null,
        events: byTimeDescending(
          rows.map(r => ({ role: measure.role, payload: r.payload, figure: null, ...note(deploymentNote(r, '')) })),
        ),
      };
    }
    case 'median': {
      const rows = await facts.explain(FAMILIES[measure.family], scope, window);
      return {
        formula,
        figureUnit: 'seconds',
        events: byFigureDescending(
          rows.map(r => ({
            role: measure.role,
            payload: r.payload,
            figure: seconds(r.value),
            // recovery from a failed deployment: say how the incident names it
            ...(measure.family === 'failedDeploymentRecoveries'
              ? { note: `caused by deployment ${String(r.payload.causedByDeploymentId)}`, linkedBy: linkOf(r.payload) }
              : {}),
          })),
        ),
      };
    }
    case 'rate':
    case 'count': {
      const family = FAMILIES[measure.family];
      const counts = (family as FactFamily).counts as Record<string, (s: any) => Sql>;
      const hit = counts[measure.hit];
      if (measure.kind === 'count') {
        // a count lists only what it counts
        const rows = await facts.explain(family, scope, window, hit, hit);
        return {
          formula,
          figureUnit: null,
          events: byTimeDescending(rows.map(r => ({ role: measure.role, payload: r.payload, figure: null }))),
        };
      }
      const of = measure.of ? counts[measure.of] : undefined;
      const rows = await facts.explain(family, scope, window, hit, of);
      const { roles } = measure;
      const items = byTimeDescending(rows).map(r => ({
        role: r.hit ? roles.hit : roles.other,
        payload: r.payload,
        figure: null,
        ...note(r.hit && family.type === 'deployment' ? deploymentNote(r, roles.hit) : undefined),
        ...(r.hit && roles.hit === 'failed-deployment' && r.causedByLink ? { linkedBy: r.causedByLink } : {}),
        hit: r.hit,
      }));
      // what the rate counts first
      return {
        formula,
        figureUnit: null,
        events: [...items.filter(i => i.hit), ...items.filter(i => !i.hit)].map(({ hit: _hit, ...i }) => i),
      };
    }
    default:
      return { formula, figureUnit: null, events: [] };
  }
}

function note(text: string | undefined): { note?: string } {
  return text ? { note: text } : {};
}
