import { createHash } from 'crypto';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationPayload, NotificationSeverity } from '@backstage/plugin-notifications-common';
import { formatKpiValue, formatTarget } from '@devops-personas/plugin-devops-personas-common';
import { plural } from '../service/wording';
import { Transition } from './notificationsConfig';
import { Observation } from './observations';

/** The notifications' origin-wide prefix of `scope`. */
const SCOPE_PREFIX = 'devops-personas';
/** The notifications backend stores a scope in 255 characters. */
const MAX_SCOPE_LENGTH = 255;

const SEVERITY: Record<Transition, NotificationSeverity> = {
  'slo-page': 'critical',
  'slo-ticket': 'high',
  'vulnerability-overdue': 'high',
  'kpi-missed': 'normal',
  'tier-drop': 'normal',
  guardrail: 'normal',
  recovery: 'low',
};

/** The entity page's path in the app: `/catalog/<namespace>/<kind>/<name>`. */
export function entityPagePath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(kind)}/${encodeURIComponent(name)}`;
}

/**
 * The notification's scope: one per entity and condition, so that a later
 * state of the same condition (its recovery, a further drop) replaces the
 * notification in the bell instead of adding one.
 */
export function notificationScope(entityRef: string, condition: string): string {
  const scope = `${SCOPE_PREFIX}:${entityRef}:${condition}`;
  if (scope.length <= MAX_SCOPE_LENGTH) return scope;
  return `${SCOPE_PREFIX}:${createHash('sha256').update(`${entityRef}\n${condition}`).digest('hex')}`;
}

function percent(fraction: number | null, digits = 1): string {
  if (fraction === null) return 'no data';
  return `${(Math.round(fraction * 100 * 10 ** digits) / 10 ** digits).toString()} %`;
}

/** Who reads the message and what it says: the parts the observation decides. */
function wording(
  observation: Observation,
  transition: Transition,
  previous: string | undefined,
  context: { windowLabel: string; slaDays: number },
): { title: string; description: string } {
  const { kpi } = observation;
  const value = formatKpiValue(kpi.value, kpi.unit);
  const over = `over the last ${context.windowLabel}`;
  const recovered = transition === 'recovery';
  switch (observation.kind) {
    case 'kpi':
      return recovered
        ? {
            title: `${kpi.title} is back on target`,
            description: `${kpi.title} is ${value} ${over}; the target is ${formatTarget(kpi.target, kpi.unit)}.`,
          }
        : {
            title: `${kpi.title} missed its target`,
            description: `${kpi.title} is ${value} ${over}; the target is ${formatTarget(kpi.target, kpi.unit)}.`,
          };
    case 'tier':
      return recovered
        ? {
            title: `${kpi.title} is back up to the ${observation.state} DORA tier`,
            description: `${kpi.title} rose from ${previous} to ${observation.state}: ${value} ${over}.`,
          }
        : {
            title: `${kpi.title} dropped to the ${observation.state} DORA tier`,
            description: `${kpi.title} dropped from ${previous} to ${observation.state}: ${value} ${over}.`,
          };
    case 'slo': {
      const { result, objective } = observation.slo!;
      const name = result.displayName ?? result.name;
      const figures =
        `Objective "${objective.displayName}" (target ${percent(objective.target, 2)}): attainment ${percent(objective.attainment, 2)}, ` +
        `error budget remaining ${percent(objective.budgetRemaining)} over ${result.window.duration}.`;
      if (recovered) return { title: `SLO ${name} is no longer burning its error budget`, description: `Its alert is back to ok. ${figures}` };
      const burning =
        observation.state === 'page'
          ? 'is burning its error budget fast enough to page'
          : 'is burning its error budget fast enough for a ticket';
      return { title: `SLO ${name} ${burning}`, description: figures };
    }
    case 'guardrail':
      return recovered
        ? {
            title: 'Delivery is no longer fast but breaking',
            description: 'Deployment frequency no longer rises while change failure rate or time to restore get worse.',
          }
        : { title: 'Fast but breaking: deployments up, stability down', description: observation.guardrail ?? '' };
    default: {
      const count = Number(observation.state);
      return recovered
        ? {
            title: 'No critical vulnerability is overdue any more',
            description: `Every critical vulnerability is fixed or dismissed within ${plural(context.slaDays, 'day', 'days')}.`,
          }
        : {
            title: `${plural(count, 'critical vulnerability', 'critical vulnerabilities')} overdue`,
            description: `${plural(count, 'critical vulnerability has', 'critical vulnerabilities have')} been open longer than the ${plural(context.slaDays, 'day', 'days')} allowed.`,
          };
    }
  }
}

/**
 * The notification of one transition: what changed, with the value and the
 * target, the agreed response for a problem, a link to the KPI or SLO tab,
 * and the scope that makes a later state replace it.
 */
export function notificationPayload(
  entity: { ref: string; title: string },
  observation: Observation,
  transition: Transition,
  previous: string | undefined,
  context: { windowLabel: string; slaDays: number },
): NotificationPayload {
  const { title, description } = wording(observation, transition, previous, context);
  const response =
    transition !== 'recovery' && observation.kpi.response ? ` Agreed response: ${observation.kpi.response}` : '';
  const tab = observation.kind === 'slo' ? 'slos' : 'kpis';
  return {
    title: `${entity.title}: ${title}`,
    description: `${description}${response}`,
    link: `${entityPagePath(entity.ref)}/${tab}`,
    severity: SEVERITY[transition],
    topic: observation.kpi.title,
    scope: notificationScope(entity.ref, observation.condition),
  };
}
