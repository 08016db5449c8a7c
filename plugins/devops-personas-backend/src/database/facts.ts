import { NormalizedEvent } from '../events/validateEvents';

/** Postmortem actions without `dueAt` are due 30 days after `createdAt` (SPEC §4). */
export const DEFAULT_ACTION_DUE_MS = 30 * 86_400_000;

/**
 * A row of `devops_personas_facts`: what the KPI definitions read from one
 * event, as typed columns. Every column is present (null when it does not
 * apply), so that a resend overwrites all of them.
 */
export interface FactRow {
  type: string;
  source: string;
  event_id: string;
  entity_ref: string;
  at_ms: number;
  end_ms: number | null;
  due_ms: number | null;
  dismissed_ms: number | null;
  status: string | null;
  production: boolean | null;
  rework: boolean | null;
  actionable: boolean | null;
  flaky: boolean | null;
  customer_impacting: boolean | null;
  caused_by: string | null;
  kpi: string | null;
  value: number | null;
}

/** A row of `devops_personas_deployment_changes`. */
export interface DeploymentChangeRow {
  deployment_source: string;
  deployment_id: string;
  change_id: string;
  entity_ref: string;
  finished_ms: number;
}

/** The columns a resend may change (all but the identity). */
export const FACT_MERGE_COLUMNS = [
  'entity_ref',
  'at_ms',
  'end_ms',
  'due_ms',
  'dismissed_ms',
  'status',
  'production',
  'rework',
  'actionable',
  'flaky',
  'customer_impacting',
  'caused_by',
  'kpi',
  'value',
] as const;

const timeOf = (value: unknown): number | null =>
  typeof value === 'string' ? Date.parse(value) : null;

/** Whether a deployment counts for the KPIs: it reached production. */
export function reachedProduction(payload: Record<string, unknown>): boolean {
  return (
    payload.environment === 'production' &&
    (payload.status === 'success' || payload.status === 'rolled_back')
  );
}

/**
 * The fact row of a validated event, and for a deployment that reached
 * production the change ids it names. `sli` events have no fact: SLOs read
 * their counts from the events themselves.
 */
export function deriveFacts(
  event: NormalizedEvent,
): { fact: FactRow; links: DeploymentChangeRow[] } | undefined {
  if (event.type === 'sli') return undefined;
  const p = event.payload;
  const fact: FactRow = {
    type: event.type,
    source: event.source,
    event_id: event.id,
    entity_ref: event.entityRef,
    at_ms: event.timeMs,
    end_ms: null,
    due_ms: null,
    dismissed_ms: null,
    status: null,
    production: null,
    rework: null,
    actionable: null,
    flaky: null,
    customer_impacting: null,
    caused_by: null,
    kpi: null,
    value: null,
  };
  const links: DeploymentChangeRow[] = [];
  switch (event.type) {
    case 'deployment':
      fact.status = String(p.status);
      fact.production = p.environment === 'production';
      fact.rework = p.rework === true;
      if (reachedProduction(p)) {
        for (const changeId of new Set(p.changeIds as string[])) {
          links.push({
            deployment_source: event.source,
            deployment_id: event.id,
            change_id: changeId,
            entity_ref: event.entityRef,
            finished_ms: event.timeMs,
          });
        }
      }
      break;
    case 'change':
      fact.end_ms = timeOf(p.mergedAt);
      break;
    case 'incident':
      fact.end_ms = timeOf(p.resolvedAt);
      fact.customer_impacting = p.customerImpacting === true;
      fact.caused_by = typeof p.causedByDeploymentId === 'string' ? p.causedByDeploymentId : null;
      break;
    case 'alert':
      fact.actionable = p.actionable !== false;
      break;
    case 'vulnerability':
      fact.status = String(p.severity);
      fact.end_ms = timeOf(p.fixedAt);
      fact.dismissed_ms = timeOf(p.dismissedAt);
      break;
    case 'pipeline-run':
      fact.status = String(p.status);
      fact.flaky = p.flaky === true;
      break;
    case 'postmortem-action':
      fact.due_ms = timeOf(p.dueAt) ?? event.timeMs + DEFAULT_ACTION_DUE_MS;
      fact.end_ms = timeOf(p.closedAt);
      break;
    case 'measurement':
      fact.kpi = String(p.kpi);
      fact.value = Number(p.value);
      break;
    default:
      break;
  }
  return { fact, links };
}
