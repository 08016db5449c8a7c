import { mockCredentials, startTestBackend } from '@backstage/backend-test-utils';
import {
  BUILT_IN_KPIS,
  EntityKpisResponse,
  KpiOwner,
  ReviewAgendaResponse,
} from '@devops-personas/plugin-devops-personas-common';
import request from 'supertest';
import { startExampleCatalogBackend } from '../__testUtils__/exampleCatalogBackend';
import { testDatabaseIds } from '../__testUtils__/testDatabases';

jest.setTimeout(180_000);

/**
 * The review's `until`: Monday 2026-06-29 00:00 UTC. With the default 30-day
 * KPI window the agenda compares
 *   now:    [2026-05-30T00:00Z, 2026-06-29T00:00Z)
 *   before: [2026-05-23T00:00Z, 2026-06-22T00:00Z)   (the window ending until − 7 d)
 * start included, end excluded (SPEC §4).
 */
const UNTIL = '2026-06-29T00:00:00Z';
const WEEK_BEFORE = '2026-06-22T00:00:00Z';

const ev = (type: string, id: string, entityRef: string, fields: Record<string, unknown>) => ({
  type,
  id,
  entityRef,
  source: 'test',
  ...fields,
});

const CHECKOUT = 'component:default/checkout';
const GATEWAY = 'component:default/payment-gateway';
const LEGACY = 'component:default/legacy-billing';

/** The hand-built dataset; what each event does to the agenda is said beside it. */
const dataset = [
  // ---- checkout: deployments (change failure rate, rollback rate, deployment frequency)
  ev('deployment', 'cd1', 'checkout', { finishedAt: '2026-05-25T10:00:00Z', status: 'success' }), // before only
  ev('deployment', 'cd9', 'checkout', { finishedAt: '2026-05-30T00:00:00Z', status: 'success' }), // at now's start: both
  ev('deployment', 'cd2', 'checkout', { finishedAt: '2026-06-01T10:00:00Z', status: 'success' }), // both
  ev('deployment', 'cd3', 'checkout', { finishedAt: '2026-06-08T10:00:00Z', status: 'success' }), // both
  ev('deployment', 'cd4', 'checkout', { finishedAt: '2026-06-15T10:00:00Z', status: 'success' }), // both
  ev('deployment', 'cd5', 'checkout', { finishedAt: '2026-06-22T00:00:00Z', status: 'rolled_back' }), // at before's end: now only
  ev('deployment', 'cd6', 'checkout', { finishedAt: '2026-06-26T10:00:00Z', status: 'success' }), // now only; caused ci1
  ev('deployment', 'cd7', 'checkout', { finishedAt: '2026-06-10T10:00:00Z', status: 'failure' }), // never counts
  ev('deployment', 'cd8', 'checkout', { finishedAt: '2026-06-12T10:00:00Z', status: 'success', environment: 'staging' }), // never counts
  ev('deployment', 'cd10', 'checkout', { finishedAt: '2026-06-29T00:00:00Z', status: 'rolled_back' }), // at until: not yet
  ev('incident', 'ci1', 'checkout', { startedAt: '2026-06-26T12:00:00Z', causedByDeploymentId: 'cd6' }), // open
  // ---- checkout: vulnerabilities
  ev('vulnerability', 'cv1', 'checkout', { severity: 'critical', detectedAt: '2026-06-19T00:00:00Z', url: 'https://scanner.example.com/cv1' }), // until − 10 d, open: overdue
  ev('vulnerability', 'cv3', 'checkout', { severity: 'high', detectedAt: '2026-06-09T00:00:00Z' }), // high: never listed
  ev('vulnerability', 'cv4', 'checkout', { severity: 'critical', detectedAt: '2026-06-10T00:00:00Z', fixedAt: '2026-06-12T00:00:00Z' }), // fixed
  ev('vulnerability', 'cv6', 'checkout', { severity: 'critical', detectedAt: '2026-06-05T00:00:00Z', dismissedAt: '2026-06-15T00:00:00Z' }), // dismissed
  ev('vulnerability', 'cv8', 'checkout', { severity: 'critical', detectedAt: '2026-06-15T00:00:00Z', fixedAt: '2026-06-29T00:00:00Z' }), // fixed at until: still open at it
  // ---- checkout: postmortem actions
  ev('postmortem-action', 'ca4', 'checkout', { createdAt: '2026-06-01T00:00:00Z', dueAt: '2026-06-20T00:00:00Z', closedAt: '2026-06-19T00:00:00Z' }), // closed
  ev('postmortem-action', 'ca5', 'checkout', { createdAt: '2026-06-02T12:00:00Z' }), // due createdAt + 30 d = 2026-07-02T12:00Z
  ev('postmortem-action', 'ca6', 'checkout', { createdAt: '2026-06-29T00:00:00Z', dueAt: '2026-06-30T00:00:00Z' }), // created at until: not yet
  ev('postmortem-action', 'ca7', 'checkout', { createdAt: '2026-06-05T00:00:00Z', dueAt: '2026-06-28T00:00:00Z', closedAt: '2026-06-29T00:00:00Z' }), // closed at until: open at it, late
  // ---- checkout: SLIs of checkout-availability (target 0.995, 30d rolling)
  ev('sli', 'cs1', 'checkout', { slo: 'checkout-availability', windowStart: '2026-06-10T00:00:00Z', windowEnd: '2026-06-10T01:00:00Z', good: 10000, total: 10000 }),
  ev('sli', 'cs2', 'checkout', { slo: 'checkout-availability', windowStart: '2026-06-28T23:55:00Z', windowEnd: '2026-06-29T00:00:00Z', good: 0, total: 100 }),

  // ---- payment-gateway: incidents (time to restore)
  ev('incident', 'pi1', 'payment-gateway', { startedAt: '2026-05-25T00:00:00Z', resolvedAt: '2026-05-25T01:00:00Z' }), // 1 h, before only
  ev('incident', 'pi2', 'payment-gateway', { startedAt: '2026-06-24T00:00:00Z', resolvedAt: '2026-06-24T02:00:00Z' }), // 2 h, now only
  // ---- payment-gateway: changes (PR turnaround time, a change below the steady threshold)
  ev('change', 'pc1', 'payment-gateway', { createdAt: '2026-05-20T00:00:00Z', mergedAt: '2026-05-24T04:00:00Z' }), // 100 h, before only
  ev('change', 'pc2', 'payment-gateway', { createdAt: '2026-06-22T00:00:00Z', mergedAt: '2026-06-26T08:00:00Z' }), // 104 h, now only
  // ---- payment-gateway: vulnerabilities
  ev('vulnerability', 'pv2', 'payment-gateway', { severity: 'critical', detectedAt: '2026-06-26T00:00:00Z' }), // until − 3 d: not overdue
  ev('vulnerability', 'pv5', 'payment-gateway', { severity: 'critical', detectedAt: '2026-06-01T00:00:00Z' }), // overdue
  ev('vulnerability', 'pv7', 'payment-gateway', { severity: 'critical', detectedAt: '2026-06-22T00:00:00Z' }), // exactly the SLA: not more
  // ---- payment-gateway: postmortem actions
  ev('postmortem-action', 'pa1', 'payment-gateway', { createdAt: '2026-06-01T00:00:00Z', dueAt: '2026-06-24T00:00:00Z', incidentId: 'pi2' }), // late
  ev('postmortem-action', 'pa2', 'payment-gateway', { createdAt: '2026-06-10T00:00:00Z', dueAt: '2026-07-02T00:00:00Z' }), // due in 3 days
  ev('postmortem-action', 'pa3', 'payment-gateway', { createdAt: '2026-06-10T00:00:00Z', dueAt: '2026-07-09T00:00:00Z' }), // due in 10 days
  ev('postmortem-action', 'pa9', 'payment-gateway', { createdAt: '2026-06-10T00:00:00Z', dueAt: '2026-07-06T00:00:00Z' }), // due at until + 7 d: not before it
  ev('postmortem-action', 'pa10', 'payment-gateway', { createdAt: '2026-06-10T00:00:00Z', dueAt: '2026-06-29T00:00:00Z' }), // due at until: due, not late
  // ---- payment-gateway: SLIs of payment-gateway-availability (target 0.995, 30d rolling)
  ev('sli', 'ps1', 'payment-gateway', { slo: 'payment-gateway-availability', windowStart: '2026-06-01T00:00:00Z', windowEnd: '2026-06-01T01:00:00Z', good: 1000, total: 1000 }),
  ev('sli', 'ps2', 'payment-gateway', { slo: 'payment-gateway-availability', windowStart: '2026-06-25T00:00:00Z', windowEnd: '2026-06-25T01:00:00Z', good: 998, total: 1000 }),

  // ---- legacy-billing: no service owner, no security owner
  ev('vulnerability', 'lv1', 'legacy-billing', { severity: 'critical', detectedAt: '2026-06-01T00:00:00Z' }),
  ev('postmortem-action', 'la1', 'legacy-billing', { createdAt: '2026-06-01T00:00:00Z', dueAt: '2026-06-25T00:00:00Z' }),
];

const response = (kpi: string) => BUILT_IN_KPIS.find(k => k.id === kpi)!.response;

const BOB: KpiOwner = { holders: ['user:default/bob'], provenance: 'explicit' };
const CAROL: KpiOwner = { holders: ['user:default/carol'], provenance: 'via-persona:service-owner' };
const FRANK: KpiOwner = { holders: ['user:default/frank'], provenance: 'via-persona:release-manager' };
const DAN: KpiOwner = { holders: ['user:default/dan'], provenance: 'via-persona:security-owner' };
const SRE: KpiOwner = { holders: ['group:default/sre-team'], provenance: 'via-persona:service-owner' };
const NOBODY: KpiOwner = { holders: [], provenance: 'unassigned' };

/**
 * The weekly review's agenda (SPEC §9) over the example catalog, with a
 * hand-built dataset whose every line is computed by hand below.
 */
describe.each(testDatabaseIds())('the review agenda on %s', databaseId => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startExampleCatalogBackend({ databaseId, prefix: 'review' });
    server = backend.server;
    stop = () => backend.stop();
    const res = await request(server)
      .post('/api/devops-personas/v1/events')
      .set('Authorization', mockCredentials.service.header())
      .send({ events: dataset });
    if (res.status !== 202 || res.body.accepted !== dataset.length) {
      throw new Error(`The dataset was not stored: ${res.status} ${JSON.stringify(res.body)}`);
    }
  });

  afterAll(async () => {
    await stop?.();
  });

  const get = (path: string, header = mockCredentials.user.header()) =>
    request(server).get(`/api/devops-personas/v1/${path}`).set('Authorization', header);

  const agenda = async (path: string): Promise<ReviewAgendaResponse> => {
    const res = await get(`review/${path}?until=${UNTIL}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  describe('of the payments System', () => {
    let body: ReviewAgendaResponse;
    beforeAll(async () => {
      body = await agenda('system/default/payments');
    });

    it('names the System, the week, the KPI window and the Components reviewed', () => {
      expect(body.entityRef).toBe('system:default/payments');
      // the week under review is [until − 7 d, until)
      expect(body.week).toEqual({ start: '2026-06-22T00:00:00.000Z', end: '2026-06-29T00:00:00.000Z' });
      expect(body.kpiWindow).toBe('30d');
      // payments hasPart checkout, fraud-detection, payment-gateway (sorted); not the System itself
      expect(body.entities).toEqual([CHECKOUT, 'component:default/fraud-detection', GATEWAY]);
      expect(body.warnings).toEqual([]);
    });

    it('lists the KPIs that got worse, missed targets first, then by entity and KPI order', () => {
      expect(body.kpisWorse).toEqual([
        {
          // now: cd9, cd2, cd3, cd4, cd5, cd6 = 6 deployments; failed: cd5 (rolled back), cd6 (caused ci1) → 2/6
          // before: cd1, cd9, cd2, cd3, cd4 = 5 deployments (cd5 at the window's end is out), none failed → 0/5
          // target <= 10 % missed; tier: 33 % > 15 % → low (6 ≥ 5 deployments); before 0 % ≤ 5 % → elite (5 ≥ 5)
          entityRef: CHECKOUT,
          kpi: 'change-failure-rate',
          title: 'Change failure rate',
          unit: 'fraction',
          direction: 'lower',
          value: 2 / 6,
          previous: 0,
          change: 2 / 6,
          changeRatio: null, // previous is 0
          target: { op: '<=', value: 0.1 },
          met: false,
          tier: 'low',
          previousTier: 'elite',
          owner: BOB, // devops-personas.io/kpi-owner.change-failure-rate: bob on checkout
          response: response('change-failure-rate'),
        },
        {
          // now: checkout-availability 10000 good of 10100 = 0.990 < 0.995 → not met; checkout-latency has no data
          // (not judged) → 0/1; before: 10000/10000 = 1 ≥ 0.995 → 1/1; target >= 100 % missed
          entityRef: CHECKOUT,
          kpi: 'slo-compliance',
          title: 'SLO compliance',
          unit: 'fraction',
          direction: 'higher',
          value: 0,
          previous: 1,
          change: -1,
          changeRatio: -1,
          target: { op: '>=', value: 1 },
          met: false,
          owner: CAROL, // service-owner carol, inherited from the payments System
          response: response('slo-compliance'),
        },
        {
          // now: cd5 rolled back of 6 → 1/6; before: 0/5; +16.7 points ≥ 2
          entityRef: CHECKOUT,
          kpi: 'rollback-rate',
          title: 'Rollback rate',
          unit: 'fraction',
          direction: 'lower',
          value: 1 / 6,
          previous: 0,
          change: 1 / 6,
          changeRatio: null,
          target: null,
          met: null,
          owner: FRANK, // release-manager frank, inherited from payments
          response: response('rollback-rate'),
        },
        {
          // now: due in the window ca4 (closed 06-19 ≤ due 06-20) and ca7 (due 06-28, closed only at until) → 1/2
          // (ca5 is due 07-02, ca6 is created at until); before: ca4 → 1/1; −50 points
          entityRef: CHECKOUT,
          kpi: 'postmortem-action-closure-rate',
          title: 'Postmortem action closure rate',
          unit: 'fraction',
          direction: 'higher',
          value: 0.5,
          previous: 1,
          change: -0.5,
          changeRatio: -0.5,
          target: null,
          met: null,
          owner: CAROL,
          response: response('postmortem-action-closure-rate'),
        },
        {
          // now: pi2 resolved 06-24 after 2 h = 7200 s; before: pi1 resolved 05-25 after 1 h = 3600 s
          // change 3600 s, ratio 3600 / 3600 = 1; one incident each: below the tier's minimum sample of 5
          entityRef: GATEWAY,
          kpi: 'time-to-restore',
          title: 'Time to restore',
          unit: 'seconds',
          direction: 'lower',
          value: 7200,
          previous: 3600,
          change: 3600,
          changeRatio: 1,
          target: null,
          met: null,
          tier: null,
          previousTier: null,
          owner: SRE, // service-owner group:sre-team on payment-gateway
          response: response('time-to-restore'),
        },
      ]);
    });

    it('leaves out KPIs that improved or changed less than the steady threshold', async () => {
      const kpi = async (ref: string, until: string, id: string) => {
        const res = await get(`entities/component/default/${ref}/kpis?until=${until}`);
        expect(res.status).toBe(200);
        return (res.body as EntityKpisResponse).kpis.find(k => k.id === id)!;
      };
      // checkout's deployment frequency improved: 6 deployments / (30 / 7 weeks) = 1.4 per week,
      // against 5 / (30 / 7) = 7/6 ≈ 1.167 per week a week earlier
      expect((await kpi('checkout', UNTIL, 'deployment-frequency')).value).toBeCloseTo(1.4, 10);
      expect((await kpi('checkout', WEEK_BEFORE, 'deployment-frequency')).value).toBeCloseTo(7 / 6, 10);
      // payment-gateway's PR turnaround got worse by 4 % (< 5 %): pc2 104 h = 374400 s against pc1 100 h = 360000 s
      expect((await kpi('payment-gateway', UNTIL, 'pr-turnaround-time')).value).toBe(374400);
      expect((await kpi('payment-gateway', WEEK_BEFORE, 'pr-turnaround-time')).value).toBe(360000);
      // payment-gateway's deployment frequency misses its target (>= 5/week) but did not change: 0 and 0
      expect(await kpi('payment-gateway', UNTIL, 'deployment-frequency')).toMatchObject({ value: 0, met: false });
      // checkout's critical vulnerability fix time stayed 2 d (cv4 only: cv8 is fixed at until, not before it)
      expect((await kpi('checkout', UNTIL, 'critical-vulnerability-fix-time')).value).toBe(172800);
      expect((await kpi('checkout', WEEK_BEFORE, 'critical-vulnerability-fix-time')).value).toBe(172800);
      // payment-gateway's closure rate has nothing to compare with: now pa1 (due 06-24, open) → 0/1
      // (pa10, due exactly at until, is outside the window); a week earlier nothing was due → no data
      expect((await kpi('payment-gateway', UNTIL, 'postmortem-action-closure-rate')).value).toBe(0);
      expect((await kpi('payment-gateway', WEEK_BEFORE, 'postmortem-action-closure-rate')).value).toBeNull();

      const listed = body.kpisWorse.map(l => `${l.entityRef} ${l.kpi}`);
      expect(listed).not.toContain(`${CHECKOUT} deployment-frequency`);
      expect(listed).not.toContain(`${GATEWAY} pr-turnaround-time`);
      expect(listed).not.toContain(`${GATEWAY} deployment-frequency`);
      expect(listed).not.toContain(`${CHECKOUT} critical-vulnerability-fix-time`);
      expect(listed).not.toContain(`${GATEWAY} postmortem-action-closure-rate`);
    });

    it('lists the SLOs that spent budget this week or alert, most spent first', () => {
      expect(body.slosBurning).toEqual([
        {
          // now: (10000 + 0) good of (10000 + 100) → attainment 100/101 ≈ 0.990099;
          // remaining 1 − (1/101) / 0.005 = 1 − 200/101 = −99/101 ≈ −0.980198
          // before: 10000/10000 → remaining 1; spent 1 − (−99/101) = 200/101 ≈ 1.980198
          // cs2 (all bad) is in the 5 m and 1 h windows: burn rate 1 / 0.005 = 200 > 14.4 → page
          entityRef: CHECKOUT,
          slo: 'checkout-availability',
          displayName: 'Checkout availability',
          objective: '99.5 % of checkout requests succeed',
          target: 0.995,
          budgetRemaining: expect.closeTo(-0.980198, 5),
          previousBudgetRemaining: 1,
          budgetSpent: expect.closeTo(1.980198, 5),
          alert: 'page',
          owner: CAROL,
          response: response('slo-compliance'),
        },
        {
          // now: 1998 good of 2000 → attainment 0.999; remaining 1 − 0.001 / 0.005 = 0.8
          // before: 1000/1000 → 1; spent 0.2; nothing in the last 3 d → no burn rate → ok
          entityRef: GATEWAY,
          slo: 'payment-gateway-availability',
          displayName: 'Payment gateway availability',
          objective: '99.5 % of authorisations succeed',
          target: 0.995,
          budgetRemaining: expect.closeTo(0.8, 10),
          previousBudgetRemaining: 1,
          budgetSpent: expect.closeTo(0.2, 10),
          alert: 'ok',
          owner: SRE,
          response: response('slo-compliance'),
        },
      ]);
    });

    it('lists the overdue critical vulnerabilities, oldest first', () => {
      // SLA 7 d: overdue when detected before 2026-06-22T00:00Z and open at until.
      // Not listed: cv3 (high), cv4 (fixed), cv6 (dismissed), pv2 (06-26), pv7 (exactly 06-22).
      expect(body.overdueVulnerabilities).toEqual([
        {
          entityRef: GATEWAY,
          id: 'pv5',
          source: 'test',
          detectedAt: '2026-06-01T00:00:00.000Z',
          overdueSince: '2026-06-08T00:00:00.000Z', // + 7 d
          owner: DAN, // security-owner dan, inherited from the commerce Domain
          response: response('critical-vulnerability-fix-time'),
        },
        {
          entityRef: CHECKOUT,
          id: 'cv8', // fixed exactly at until: still open at it
          source: 'test',
          detectedAt: '2026-06-15T00:00:00.000Z',
          overdueSince: '2026-06-22T00:00:00.000Z',
          owner: DAN,
          response: response('critical-vulnerability-fix-time'),
        },
        {
          entityRef: CHECKOUT,
          id: 'cv1', // until − 10 d
          source: 'test',
          detectedAt: '2026-06-19T00:00:00.000Z',
          overdueSince: '2026-06-26T00:00:00.000Z',
          url: 'https://scanner.example.com/cv1',
          owner: DAN,
          response: response('critical-vulnerability-fix-time'),
        },
      ]);
    });

    it('lists the open postmortem actions late or due within a week, earliest due first', () => {
      // due before until + 7 d = 2026-07-06T00:00Z; late when due before until.
      // Not listed: ca4 (closed), ca6 (created at until), pa3 (07-09), pa9 (exactly 07-06).
      expect(body.postmortemActions).toEqual([
        {
          entityRef: GATEWAY,
          id: 'pa1',
          source: 'test',
          dueAt: '2026-06-24T00:00:00.000Z',
          status: 'late',
          incidentId: 'pi2',
          owner: SRE,
          response: response('postmortem-action-closure-rate'),
        },
        {
          entityRef: CHECKOUT,
          id: 'ca7', // closed exactly at until: open at it
          source: 'test',
          dueAt: '2026-06-28T00:00:00.000Z',
          status: 'late',
          owner: CAROL,
          response: response('postmortem-action-closure-rate'),
        },
        {
          entityRef: GATEWAY,
          id: 'pa10',
          source: 'test',
          dueAt: '2026-06-29T00:00:00.000Z', // exactly until: not before it, so not late
          status: 'due',
          owner: SRE,
          response: response('postmortem-action-closure-rate'),
        },
        {
          entityRef: GATEWAY,
          id: 'pa2',
          source: 'test',
          dueAt: '2026-07-02T00:00:00.000Z', // until + 3 d
          status: 'due',
          owner: SRE,
          response: response('postmortem-action-closure-rate'),
        },
        {
          entityRef: CHECKOUT,
          id: 'ca5',
          source: 'test',
          dueAt: '2026-07-02T12:00:00.000Z', // no dueAt: createdAt 06-02T12:00Z + 30 d
          status: 'due',
          owner: CAROL,
          response: response('postmortem-action-closure-rate'),
        },
      ]);
    });

    it('gives the display name of every holder the lines name', () => {
      expect(body.holderNames).toEqual({
        'user:default/bob': 'Bob Martin',
        'user:default/carol': 'Carol Diaz',
        'user:default/frank': 'Frank Li',
        'user:default/dan': 'Dan Okafor',
        'group:default/sre-team': 'SRE Team',
      });
    });
  });

  it('gives ownerless lines of an entity without a service or security owner, with warnings', async () => {
    const body = await agenda('component/default/legacy-billing');
    expect(body).toEqual({
      entityRef: LEGACY,
      week: { start: '2026-06-22T00:00:00.000Z', end: '2026-06-29T00:00:00.000Z' },
      kpiWindow: '30d',
      entities: [LEGACY],
      // closure rate: la1 is due in the window ending at until (0/1) but nothing is due in the one
      // ending a week earlier (no data): no comparison
      kpisWorse: [],
      slosBurning: [],
      overdueVulnerabilities: [
        {
          entityRef: LEGACY,
          id: 'lv1',
          source: 'test',
          detectedAt: '2026-06-01T00:00:00.000Z',
          overdueSince: '2026-06-08T00:00:00.000Z',
          owner: NOBODY,
          response: response('critical-vulnerability-fix-time'),
        },
      ],
      postmortemActions: [
        {
          entityRef: LEGACY,
          id: 'la1',
          source: 'test',
          dueAt: '2026-06-25T00:00:00.000Z',
          status: 'late',
          owner: NOBODY,
          response: response('postmortem-action-closure-rate'),
        },
      ],
      holderNames: {},
      warnings: [
        {
          code: 'ownerless-kpi',
          message:
            'Critical vulnerability fix time has lines on this agenda but no owner: ' +
            'add devops-personas.io/kpi-owner.critical-vulnerability-fix-time or a holder of its persona.',
          kpi: 'critical-vulnerability-fix-time',
          entityRef: LEGACY,
        },
        {
          code: 'ownerless-kpi',
          message:
            'Postmortem action closure rate has lines on this agenda but no owner: ' +
            'add devops-personas.io/kpi-owner.postmortem-action-closure-rate or a holder of its persona.',
          kpi: 'postmortem-action-closure-rate',
          entityRef: LEGACY,
        },
      ],
    });
  });

  it('reviews a Component on its own, with lines of that Component only', async () => {
    const body = await agenda('component/default/payment-gateway');
    expect(body.entities).toEqual([GATEWAY]);
    expect(body.kpisWorse.map(l => l.kpi)).toEqual(['time-to-restore']);
    expect(body.slosBurning.map(l => l.slo)).toEqual(['payment-gateway-availability']);
    expect(body.overdueVulnerabilities.map(l => l.id)).toEqual(['pv5']);
    expect(body.postmortemActions.map(l => l.id)).toEqual(['pa1', 'pa10', 'pa2']);
    // sre-team owns the SLO, KPI and action lines; dan the vulnerability line
    expect(body.holderNames).toEqual({ 'group:default/sre-team': 'SRE Team', 'user:default/dan': 'Dan Okafor' });
  });

  it('answers 404 for an unknown entity', async () => {
    const res = await get(`review/component/default/no-such-service?until=${UNTIL}`);
    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
  });

  it('answers 400 for a bad until', async () => {
    const res = await get('review/system/default/payments?until=not-a-date');
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
  });

  it('answers 400 for a bad kind segment', async () => {
    const res = await get(`review/-system/default/payments?until=${UNTIL}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ name: 'InputError', message: 'Invalid kind "-system" in the entity path' });
  });

  it('answers 401 without credentials', async () => {
    const res = await get(`review/system/default/payments?until=${UNTIL}`, mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});
