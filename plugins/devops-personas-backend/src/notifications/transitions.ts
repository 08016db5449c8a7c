import { ConditionState } from './NotificationStateStore';
import { Transition } from './notificationsConfig';

/** What a watched condition is about. */
export type ConditionKind = 'kpi' | 'tier' | 'slo' | 'guardrail' | 'vulnerabilities';

const TIER_RANK: Record<string, number> = { low: 0, medium: 1, high: 2, elite: 3 };

/**
 * What to do about a condition's current state given the recorded one:
 * record `next` (or nothing when unchanged) and, when `transition` is set,
 * send that notification.
 */
export interface Decision {
  next: ConditionState;
  transition?: Transition;
}

/** The transition a state that is a problem is notified as. */
function problemTransition(kind: ConditionKind, state: string): Transition {
  switch (kind) {
    case 'kpi':
      return 'kpi-missed';
    case 'tier':
      return 'tier-drop';
    case 'slo':
      return state === 'page' ? 'slo-page' : 'slo-ticket';
    case 'guardrail':
      return 'guardrail';
    default:
      return 'vulnerability-overdue';
  }
}

function isProblem(kind: ConditionKind, state: string, previous: string | undefined): boolean {
  switch (kind) {
    case 'kpi':
      return state === 'missed';
    case 'tier':
      // A drop is against the tier recorded before; a first tier is no drop.
      return previous !== undefined && TIER_RANK[state] < TIER_RANK[previous];
    case 'slo':
      return state === 'page' || state === 'ticket';
    case 'guardrail':
      return state === 'raised';
    default:
      // Another critical vulnerability became overdue: more than before.
      return Number(state) > Number(previous ?? 0);
  }
}

function isRecovered(kind: ConditionKind, state: string): boolean {
  switch (kind) {
    case 'kpi':
      return state === 'met';
    case 'tier':
      return true; // reached only for a rise, see decide()
    case 'slo':
      return state === 'ok';
    case 'guardrail':
      return state === 'clear';
    default:
      return Number(state) === 0;
  }
}

/**
 * Whom a problem reached depends on its state only for SLOs (a page also
 * reaches the incident's accountable): the wider of a page and a ticket.
 */
function widest(kind: ConditionKind, told: string | null, state: string): string | null {
  if (kind !== 'slo') return null;
  return told === 'page' ? 'page' : state;
}

/**
 * SPEC §9: a problem is notified once when it starts (or changes: a further
 * tier drop, page after ticket and back, another vulnerability overdue),
 * never again while it lasts; its recovery once. A condition seen for the
 * first time that is a problem is notified (nobody was told yet); a tier
 * seen for the first time is only recorded. A state recorded by a dry run
 * counts as not sent once dry run is off. A change whose transition is not
 * enabled is recorded without notifying and leaves an open problem open, so
 * that its recovery still reaches those told of it.
 */
export function decide(
  kind: ConditionKind,
  recorded: ConditionState | undefined,
  state: string,
  options: { dryRun: boolean; enabled: ReadonlySet<Transition> },
): Decision | undefined {
  const known = recorded && (options.dryRun || !recorded.dryRun) ? recorded : undefined;
  if (known?.state === state) return undefined;
  const previous = known?.state;
  const open = known?.open ?? false;
  const told = open ? known?.told ?? null : null;
  const quiet = (stillOpen: boolean): Decision => ({
    next: { state, open: stillOpen, told: stillOpen ? told : null, dryRun: options.dryRun },
  });

  if (previous !== state && isProblem(kind, state, previous)) {
    const transition = problemTransition(kind, state);
    return options.enabled.has(transition)
      ? { next: { state, open: true, told: widest(kind, told, state), dryRun: options.dryRun }, transition }
      : quiet(open);
  }
  const rose = kind === 'tier' && previous !== undefined && TIER_RANK[state] > TIER_RANK[previous];
  const recovering = kind === 'tier' ? rose : previous !== state && isRecovered(kind, state);
  if (recovering && open) {
    return options.enabled.has('recovery')
      ? { next: { state, open: false, told: null, dryRun: options.dryRun }, transition: 'recovery' }
      : quiet(false);
  }
  // Unchanged problem re-recorded (e.g. after a dry run), fewer overdue, a first tier.
  return quiet(open);
}
