import { ConditionState } from './NotificationStateStore';
import { Transition, TRANSITIONS } from './notificationsConfig';
import { ConditionKind, decide, Decision } from './transitions';

const ALL: ReadonlySet<Transition> = new Set(TRANSITIONS);
const LIVE = { dryRun: false, enabled: ALL };
const DRY = { dryRun: true, enabled: ALL };

/** A recorded row; `told` is the widest SLO alert notified while open. */
const row = (state: string, open = false, dryRun = false, told: string | null = null): ConditionState => ({
  state,
  open,
  told,
  dryRun,
});

/** A decision: record `state` (live), and send `transition` when given. */
const live = (state: string, open: boolean, transition?: Transition, told: string | null = null): Decision =>
  transition ? { next: row(state, open, false, told), transition } : { next: row(state, open, false, told) };

/**
 * Feeds a condition's successive states to `decide` as the notifier does
 * (recording each decision's `next`), and returns what each step sent:
 * the transition, `quiet` for a change recorded without a notification,
 * `unchanged` when nothing is recorded.
 */
function run(
  kind: ConditionKind,
  states: string[],
  options: { dryRun: boolean; enabled: ReadonlySet<Transition> } = LIVE,
  start?: ConditionState,
) {
  let recorded = start;
  const steps = states.map(state => {
    const decision = decide(kind, recorded, state, options);
    if (!decision) return 'unchanged';
    recorded = decision.next;
    return decision.transition ?? 'quiet';
  });
  return { steps, recorded };
}

describe('decide', () => {
  describe.each<[string, ConditionKind, ConditionState | undefined, string, Decision | undefined]>([
    // KPIs with a target
    ['kpi met → missed', 'kpi', row('met'), 'missed', live('missed', true, 'kpi-missed')],
    ['kpi missed → missed', 'kpi', row('missed', true), 'missed', undefined],
    ['kpi missed → met', 'kpi', row('missed', true), 'met', live('met', false, 'recovery')],
    ['kpi met, first seen', 'kpi', undefined, 'met', live('met', false)],
    ['kpi missed, first seen', 'kpi', undefined, 'missed', live('missed', true, 'kpi-missed')],
    ['kpi met → met', 'kpi', row('met'), 'met', undefined],
    // DORA tiers
    ['tier, first seen', 'tier', undefined, 'high', live('high', false)],
    ['tier, first seen low', 'tier', undefined, 'low', live('low', false)],
    ['tier drop high → medium', 'tier', row('high'), 'medium', live('medium', true, 'tier-drop')],
    ['further tier drop medium → low', 'tier', row('medium', true), 'low', live('low', true, 'tier-drop')],
    ['tier drop elite → low in one step', 'tier', row('elite'), 'low', live('low', true, 'tier-drop')],
    ['tier rise while open', 'tier', row('low', true), 'medium', live('medium', false, 'recovery')],
    ['tier rise while not open', 'tier', row('medium'), 'elite', live('elite', false)],
    ['tier unchanged', 'tier', row('medium', true), 'medium', undefined],
    // SLO alerts
    ['slo ok, first seen', 'slo', undefined, 'ok', live('ok', false)],
    ['slo ok → ticket', 'slo', row('ok'), 'ticket', live('ticket', true, 'slo-ticket', 'ticket')],
    ['slo ticket → page', 'slo', row('ticket', true, false, 'ticket'), 'page', live('page', true, 'slo-page', 'page')],
    // the page's audience hears that it fell back to a ticket, and later the recovery
    ['slo page → ticket', 'slo', row('page', true, false, 'page'), 'ticket', live('ticket', true, 'slo-ticket', 'page')],
    ['slo ok → page', 'slo', row('ok'), 'page', live('page', true, 'slo-page', 'page')],
    ['slo page → ok', 'slo', row('page', true, false, 'page'), 'ok', live('ok', false, 'recovery')],
    ['slo page, first seen', 'slo', undefined, 'page', live('page', true, 'slo-page', 'page')],
    // the guardrail
    ['guardrail clear, first seen', 'guardrail', undefined, 'clear', live('clear', false)],
    ['guardrail clear → raised', 'guardrail', row('clear'), 'raised', live('raised', true, 'guardrail')],
    ['guardrail raised → raised', 'guardrail', row('raised', true), 'raised', undefined],
    ['guardrail raised → clear', 'guardrail', row('raised', true), 'clear', live('clear', false, 'recovery')],
    // overdue critical vulnerabilities (the state is their count)
    ['vulnerabilities 0, first seen', 'vulnerabilities', undefined, '0', live('0', false)],
    ['vulnerabilities 2, first seen', 'vulnerabilities', undefined, '2', live('2', true, 'vulnerability-overdue')],
    ['vulnerabilities 0 → 2', 'vulnerabilities', row('0'), '2', live('2', true, 'vulnerability-overdue')],
    ['vulnerabilities 2 → 1: fewer, still open', 'vulnerabilities', row('2', true), '1', live('1', true)],
    ['vulnerabilities 1 → 3: another overdue', 'vulnerabilities', row('1', true), '3', live('3', true, 'vulnerability-overdue')],
    ['vulnerabilities 3 → 0', 'vulnerabilities', row('3', true), '0', live('0', false, 'recovery')],
  ])('%s', (_label, kind, recorded, state, expected) => {
    it(`decides ${expected?.transition ?? (expected ? 'a quiet record' : 'nothing')}`, () => {
      expect(decide(kind, recorded, state, LIVE)).toEqual(expected);
    });
  });

  describe('sequences, as the notifier records them', () => {
    it('notifies an SLO ticket, then the page, then the recovery', () => {
      const { steps, recorded } = run('slo', ['ok', 'ticket', 'ticket', 'page', 'page', 'ok', 'ok']);
      expect(steps).toEqual(['quiet', 'slo-ticket', 'unchanged', 'slo-page', 'unchanged', 'recovery', 'unchanged']);
      expect(recorded).toEqual(row('ok', false));
    });

    it('notifies each newly overdue vulnerability, not fewer, and the recovery once', () => {
      const { steps, recorded } = run('vulnerabilities', ['0', '2', '1', '3', '0', '0']);
      expect(steps).toEqual(['quiet', 'vulnerability-overdue', 'quiet', 'vulnerability-overdue', 'recovery', 'unchanged']);
      expect(recorded).toEqual(row('0', false));
    });

    it('stays open while fewer vulnerabilities are overdue', () => {
      const { recorded } = run('vulnerabilities', ['0', '2', '1']);
      expect(recorded).toEqual(row('1', true));
    });

    it('notifies each tier drop, a rise once, and no rise after that', () => {
      const { steps, recorded } = run('tier', ['high', 'medium', 'low', 'medium', 'high']);
      // the second rise finds nothing open: recorded quietly
      expect(steps).toEqual(['quiet', 'tier-drop', 'tier-drop', 'recovery', 'quiet']);
      expect(recorded).toEqual(row('high', false));
    });

    it('notifies a missed KPI once while it lasts, and its recovery once', () => {
      const { steps } = run('kpi', ['met', 'missed', 'missed', 'met', 'met', 'missed']);
      expect(steps).toEqual(['quiet', 'kpi-missed', 'unchanged', 'recovery', 'unchanged', 'kpi-missed']);
    });
  });

  describe('a transition that is not enabled', () => {
    const withoutKpiMissed = { dryRun: false, enabled: new Set(TRANSITIONS.filter(t => t !== 'kpi-missed')) };

    it('records the problem without notifying and without opening it', () => {
      expect(decide('kpi', row('met'), 'missed', withoutKpiMissed)).toEqual(live('missed', false));
    });

    it('sends no recovery later, since nothing was open', () => {
      expect(decide('kpi', row('missed', false), 'met', withoutKpiMissed)).toEqual(live('met', false));
      const { steps } = run('kpi', ['met', 'missed', 'met'], withoutKpiMissed);
      expect(steps).toEqual(['quiet', 'quiet', 'quiet']);
    });

    it('records an open problem closed without a recovery when recovery is not enabled', () => {
      const withoutRecovery = { dryRun: false, enabled: new Set(TRANSITIONS.filter(t => t !== 'recovery')) };
      expect(decide('slo', row('page', true, false, 'page'), 'ok', withoutRecovery)).toEqual(live('ok', false));
    });

    it('keeps an open problem open, so its recovery reaches those told of it', () => {
      const withoutPage = { dryRun: false, enabled: new Set(TRANSITIONS.filter(t => t !== 'slo-page')) };
      const { steps, recorded } = run('slo', ['ok', 'ticket', 'page'], withoutPage);
      expect(steps).toEqual(['quiet', 'slo-ticket', 'quiet']);
      expect(recorded).toEqual(row('page', true, false, 'ticket'));
      expect(decide('slo', recorded, 'ok', withoutPage)).toEqual(live('ok', false, 'recovery'));
    });
  });

  describe('dry run', () => {
    it('records the state with dryRun true and names the transition it would send', () => {
      expect(decide('kpi', row('met'), 'missed', DRY)).toEqual({
        next: { state: 'missed', open: true, told: null, dryRun: true },
        transition: 'kpi-missed',
      });
      expect(decide('tier', undefined, 'high', DRY)).toEqual({
        next: { state: 'high', open: false, told: null, dryRun: true },
      });
    });

    it('treats its own dry-run rows as known while dry run lasts', () => {
      expect(decide('kpi', row('missed', true, true), 'missed', DRY)).toBeUndefined();
      expect(decide('kpi', row('missed', true, true), 'met', DRY)).toEqual({
        next: { state: 'met', open: false, told: null, dryRun: true },
        transition: 'recovery',
      });
    });

    it('sends a problem that a dry run only logged once it runs live, even in the same state', () => {
      expect(decide('kpi', row('missed', true, true), 'missed', LIVE)).toEqual(live('missed', true, 'kpi-missed'));
      expect(decide('slo', row('page', true, true, 'page'), 'page', LIVE)).toEqual(live('page', true, 'slo-page', 'page'));
    });

    it('sends nothing when a dry run finds the state a live run recorded', () => {
      expect(decide('kpi', row('missed', true), 'missed', DRY)).toBeUndefined();
      expect(decide('vulnerabilities', row('2', true), '2', DRY)).toBeUndefined();
    });

    it('records a live first sight after a dry-run row of a state that is no problem', () => {
      // the dry-run row counts as nothing sent: a met KPI is recorded live, quietly
      expect(decide('kpi', row('met', false, true), 'met', LIVE)).toEqual(live('met', false));
    });
  });
});
