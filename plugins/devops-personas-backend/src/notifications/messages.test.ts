import { windowInWords } from '../service/wording';
import { createHash } from 'crypto';
import { KpiResult, SloObjectiveResult, SloResult } from '@devops-personas/plugin-devops-personas-common';
import { entityPagePath, notificationPayload, notificationScope } from './messages';
import { Observation } from './observations';

const CHECKOUT = { ref: 'component:default/checkout', title: 'Checkout' };
const CONTEXT = { windowLabel: '30 days', slaDays: 7 };
const CFR_RESPONSE = 'Review the failed deployments in the next retrospective.';
const SLO_RESPONSE = 'Freeze feature releases until the error budget recovers.';
const VULN_RESPONSE = 'Escalate overdue critical vulnerabilities to the tech lead.';

/** A KPI answer with every field; the tests override what they are about. */
const kpi = (fields: Partial<KpiResult>): KpiResult => ({
  id: 'change-failure-rate',
  title: 'Change failure rate',
  unit: 'fraction',
  direction: 'lower',
  kind: 'built-in',
  group: 'dora',
  dora: true,
  value: 0.25,
  tier: 'low',
  tierPeriod: null,
  tierNote: null,
  sampleSize: 8,
  baseline: null,
  baselineWindow: null,
  change: null,
  changeRatio: null,
  assessment: null,
  target: { op: '<=', value: 0.1 },
  targetSource: 'annotation:component:default/checkout',
  met: false,
  trend: [],
  owner: { holders: ['user:default/bob'], provenance: 'explicit' },
  response: CFR_RESPONSE,
  ...fields,
});

const cfr = (value: number, met: boolean): Observation => ({
  condition: 'kpi:change-failure-rate',
  kind: 'kpi',
  state: met ? 'met' : 'missed',
  kpi: kpi({ value, met }),
});

const sloCompliance = kpi({
  id: 'slo-compliance',
  title: 'SLO compliance',
  direction: 'higher',
  group: 'stability',
  dora: false,
  value: 0,
  tier: null,
  target: null,
  met: null,
  response: SLO_RESPONSE,
});

const objective = (fields: Partial<SloObjectiveResult>): SloObjectiveResult => ({
  displayName: '99.5 % of checkout requests succeed',
  target: 0.995,
  attainment: 0.99,
  errorBudget: 0.005,
  budgetRemaining: -1,
  burnRates: { '5m': 20, '30m': 20, '1h': 20, '2h': 2, '6h': 2, '1d': 2, '3d': 2 },
  alert: 'page',
  burnDown: [],
  met: false,
  ...fields,
});

const sloResult = (name: string, objectives: SloObjectiveResult[]): SloResult => ({
  name,
  displayName: 'Checkout availability',
  budgetingMethod: 'Occurrences',
  dataSource: { type: 'events' },
  entityRef: CHECKOUT.ref,
  window: { duration: '30d', isRolling: true, start: '2026-05-31T00:00:00.000Z', end: '2026-06-30T00:00:00.000Z' },
  objectives,
  sampleSize: 10,
  source: 'file:/openslo/checkout.yaml',
});

const slo = (state: 'page' | 'ticket' | 'ok', o: SloObjectiveResult, name = 'checkout-availability'): Observation => ({
  condition: `slo:${name}:0`,
  kind: 'slo',
  state,
  kpi: sloCompliance,
  slo: { result: sloResult(name, [o]), objective: o },
});

const overdue = (count: number): Observation => ({
  condition: 'vulnerabilities',
  kind: 'vulnerabilities',
  state: String(count),
  kpi: kpi({
    id: 'critical-vulnerability-fix-time',
    title: 'Critical vulnerability fix time',
    unit: 'seconds',
    group: 'risk',
    dora: false,
    value: 172800,
    tier: null,
    target: null,
    met: null,
    overdue: count,
    response: VULN_RESPONSE,
  }),
});

describe('notificationPayload', () => {
  it('says a KPI missed its target, with value, target, response and a link to the KPI tab', () => {
    expect(notificationPayload(CHECKOUT, cfr(0.25, false), 'kpi-missed', 'met', CONTEXT)).toEqual({
      title: 'Checkout: Change failure rate missed its target',
      description:
        'Change failure rate is 25 % over the last 30 days; the target is <= 10 %. ' +
        `Agreed response: ${CFR_RESPONSE}`,
      link: '/catalog/default/component/checkout/kpis',
      severity: 'normal',
      topic: 'Change failure rate',
      scope: 'devops-personas:component:default/checkout:kpi:change-failure-rate',
    });
  });

  it('says a KPI is back on target at low severity, without a response, in the same scope', () => {
    expect(notificationPayload(CHECKOUT, cfr(0.05, true), 'recovery', 'missed', CONTEXT)).toEqual({
      title: 'Checkout: Change failure rate is back on target',
      description: 'Change failure rate is 5 % over the last 30 days; the target is <= 10 %.',
      link: '/catalog/default/component/checkout/kpis',
      severity: 'low',
      topic: 'Change failure rate',
      scope: 'devops-personas:component:default/checkout:kpi:change-failure-rate',
    });
  });

  it('says a DORA tier dropped, from what to what', () => {
    const observation: Observation = { condition: 'tier:change-failure-rate', kind: 'tier', state: 'low', kpi: kpi({ value: 0.25 }) };
    const payload = notificationPayload(CHECKOUT, observation, 'tier-drop', 'medium', CONTEXT);
    expect(payload).toMatchObject({
      title: 'Checkout: Change failure rate dropped to the low DORA tier',
      description: `Change failure rate dropped from medium to low: 25 % over the last 30 days. Agreed response: ${CFR_RESPONSE}`,
      severity: 'normal',
      scope: 'devops-personas:component:default/checkout:tier:change-failure-rate',
    });
  });

  it('pages critically for an SLO burning fast, linking to the SLO tab', () => {
    expect(notificationPayload(CHECKOUT, slo('page', objective({})), 'slo-page', 'ok', CONTEXT)).toEqual({
      title: 'Checkout: SLO Checkout availability is burning its error budget fast enough to page',
      // target 0.995 → 99.5 %; attainment 0.99 → 99 %; remaining 1 − 0.01 / 0.005 = −1 → -100 %
      description:
        'Objective "99.5 % of checkout requests succeed" (target 99.5 %): attainment 99 %, ' +
        `error budget remaining -100 % over 30d. Agreed response: ${SLO_RESPONSE}`,
      link: '/catalog/default/component/checkout/slos',
      severity: 'critical',
      topic: 'SLO compliance',
      scope: 'devops-personas:component:default/checkout:slo:checkout-availability:0',
    });
  });

  it('raises a ticket at high severity for an SLO burning slowly', () => {
    const o = objective({ attainment: 0.9962, budgetRemaining: 0.24, alert: 'ticket', met: true });
    const payload = notificationPayload(CHECKOUT, slo('ticket', o), 'slo-ticket', 'ok', CONTEXT);
    expect(payload).toMatchObject({
      title: 'Checkout: SLO Checkout availability is burning its error budget fast enough for a ticket',
      description:
        'Objective "99.5 % of checkout requests succeed" (target 99.5 %): attainment 99.62 %, ' +
        `error budget remaining 24 % over 30d. Agreed response: ${SLO_RESPONSE}`,
      link: '/catalog/default/component/checkout/slos',
      severity: 'high',
    });
  });

  it('says an SLO recovered at low severity, without a response', () => {
    const o = objective({ attainment: 0.9962, budgetRemaining: 0.24, alert: 'ok', met: true });
    const payload = notificationPayload(CHECKOUT, slo('ok', o), 'recovery', 'page', CONTEXT);
    expect(payload).toMatchObject({
      title: 'Checkout: SLO Checkout availability is no longer burning its error budget',
      description:
        'Its alert is back to ok. Objective "99.5 % of checkout requests succeed" (target 99.5 %): ' +
        'attainment 99.62 %, error budget remaining 24 % over 30d.',
      link: '/catalog/default/component/checkout/slos',
      severity: 'low',
    });
    expect(payload.description).not.toContain('Agreed response');
  });

  it('counts overdue vulnerabilities in the plural', () => {
    expect(notificationPayload(CHECKOUT, overdue(3), 'vulnerability-overdue', '1', CONTEXT)).toEqual({
      title: 'Checkout: 3 critical vulnerabilities overdue',
      description: `3 critical vulnerabilities have been open longer than the 7 days allowed. Agreed response: ${VULN_RESPONSE}`,
      link: '/catalog/default/component/checkout/kpis',
      severity: 'high',
      topic: 'Critical vulnerability fix time',
      scope: 'devops-personas:component:default/checkout:vulnerabilities',
    });
  });

  it('counts one overdue vulnerability in the singular, and a one-day SLA', () => {
    const payload = notificationPayload(CHECKOUT, overdue(1), 'vulnerability-overdue', '0', { windowLabel: '30 days', slaDays: 1 });
    expect(payload.title).toBe('Checkout: 1 critical vulnerability overdue');
    expect(payload.description).toBe(
      `1 critical vulnerability has been open longer than the 1 day allowed. Agreed response: ${VULN_RESPONSE}`,
    );
  });

  it('says no vulnerability is overdue any more', () => {
    expect(notificationPayload(CHECKOUT, overdue(0), 'recovery', '3', CONTEXT)).toMatchObject({
      title: 'Checkout: No critical vulnerability is overdue any more',
      description: 'Every critical vulnerability is fixed or dismissed within 7 days.',
      severity: 'low',
      scope: 'devops-personas:component:default/checkout:vulnerabilities',
    });
  });

  it('hashes the scope of a very long condition to fit 255 characters', () => {
    const name = `checkout-${'very-long-slo-name-'.repeat(20)}`; // 389 characters
    const payload = notificationPayload(CHECKOUT, slo('page', objective({}), name), 'slo-page', 'ok', CONTEXT);
    const expected = `devops-personas:${createHash('sha256').update(`component:default/checkout\nslo:${name}:0`).digest('hex')}`;
    expect(payload.scope).toBe(expected);
    expect(payload.scope!.length).toBe(16 + 64);
    expect(payload.scope!.length).toBeLessThanOrEqual(255);
  });
});

describe('notificationScope', () => {
  // "devops-personas:" (16) + "component:default/checkout" (26) + ":" (1) = 43 characters before the condition
  it('keeps a scope of exactly 255 characters', () => {
    const condition = 'k'.repeat(212);
    expect(notificationScope(CHECKOUT.ref, condition)).toBe(`devops-personas:component:default/checkout:${condition}`);
    expect(notificationScope(CHECKOUT.ref, condition)).toHaveLength(255);
  });

  it('hashes a scope of 256 characters, distinctly per entity and condition', () => {
    const condition = 'k'.repeat(213);
    const scope = notificationScope(CHECKOUT.ref, condition);
    expect(scope).toMatch(/^devops-personas:[0-9a-f]{64}$/);
    expect(notificationScope('component:default/cart', condition)).not.toBe(scope);
    expect(notificationScope(CHECKOUT.ref, `${condition}x`)).not.toBe(scope);
  });
});

describe('entityPagePath', () => {
  it('is the catalog page of the entity, each part encoded', () => {
    expect(entityPagePath('component:default/checkout')).toBe('/catalog/default/component/checkout');
    expect(entityPagePath('system:team a/pay#ments')).toBe('/catalog/team%20a/system/pay%23ments');
  });
});

describe('windowInWords', () => {
  it('names whole days and hours with the right plural', () => {
    expect(windowInWords(30 * 86_400_000)).toBe('30 days');
    expect(windowInWords(86_400_000)).toBe('1 day');
    expect(windowInWords(12 * 3_600_000)).toBe('12 hours');
    expect(windowInWords(3_600_000)).toBe('1 hour');
  });
});
