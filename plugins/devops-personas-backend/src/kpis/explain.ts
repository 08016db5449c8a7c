import { FactFamily, FactQueries, FactScope, Sql } from '../database/FactQueries';
import { KpiDefinition } from '../service/config';
import {
  FAMILIES,
  KPI_COMPUTATIONS,
  measurementFamily,
  measurementFormula,
} from './definitions';
import { TimeWindow } from './window';

/** The events behind one KPI value, each with its role in the formula. */
export interface Explanation {
  formula: string;
  events: Array<{ role: string; payload: Record<string, unknown> }>;
}

/**
 * Reads the events behind a KPI over one window, with the same facts and
 * conditions the engine counts (SPEC §7: every number can be explained).
 */
export async function explainKpi(
  facts: FactQueries,
  kpi: KpiDefinition,
  scope: FactScope,
  window: TimeWindow,
): Promise<Explanation> {
  if (kpi.kind === 'measurement') {
    const rows = await facts.explain(measurementFamily(kpi.id), scope, window);
    // ordered by time, then as stored: the last one is the latest
    return {
      formula: measurementFormula(kpi.id),
      events: rows.map((row, i) => ({
        role: i === rows.length - 1 ? 'latest-measurement' : 'measurement',
        payload: row.payload,
      })),
    };
  }
  const computation = (KPI_COMPUTATIONS as Record<string, (typeof KPI_COMPUTATIONS)[keyof typeof KPI_COMPUTATIONS]>)[kpi.id];
  if (!computation) return { formula: '', events: [] };
  const { measure, formula } = computation;
  switch (measure.kind) {
    case 'lead-time': {
      const items = (await facts.explainLeadTimes(scope, window)).filter(i => i.ms / 1000 > 0);
      const deployments = new Map<string, Record<string, unknown>>();
      for (const item of items) {
        deployments.set(JSON.stringify([item.deployment.source, item.deployment.id]), item.deployment);
      }
      return {
        formula,
        events: [
          ...items.map(i => ({ role: 'change', payload: i.change })),
          ...[...deployments.values()].map(payload => ({ role: 'first-deployment', payload })),
        ],
      };
    }
    case 'per-week':
    case 'median': {
      const rows = await facts.explain(FAMILIES[measure.family], scope, window);
      return { formula, events: rows.map(r => ({ role: measure.role, payload: r.payload })) };
    }
    case 'rate':
    case 'count': {
      const family = FAMILIES[measure.family];
      const counts = (family as FactFamily).counts as Record<string, (s: any) => Sql>;
      const hit = counts[measure.hit];
      if (measure.kind === 'count') {
        // a count lists only what it counts
        const rows = await facts.explain(family, scope, window, hit, hit);
        return { formula, events: rows.map(r => ({ role: measure.role, payload: r.payload })) };
      }
      const of = measure.of ? counts[measure.of] : undefined;
      const rows = await facts.explain(family, scope, window, hit, of);
      const { roles } = measure;
      return {
        formula,
        events: rows.map(r => ({ role: r.hit ? roles.hit : roles.other, payload: r.payload })),
      };
    }
    default:
      return { formula, events: [] };
  }
}
