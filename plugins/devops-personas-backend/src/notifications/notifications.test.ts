import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { startExampleCatalogBackend } from '../__testUtils__/exampleCatalogBackend';
import { testDatabaseIds } from '../__testUtils__/testDatabases';
import {
  alerts,
  at,
  DAY,
  deployments,
  HOUR,
  inbox,
  inboxes,
  runNotifications,
  runs,
  scope,
  send,
  Server,
} from './__testUtils__/notificationsTestKit';

jest.setTimeout(300_000);

/** Targets for KPIs the example catalog leaves without one; lead time opted out. */
const CONFIG = {
  app: { baseUrl: 'http://localhost:3000' },
  devopsPersonas: {
    kpis: {
      'pipeline-success-rate': { target: '>= 90%' },
      'time-to-restore': { target: '< 1h' },
      'alert-noise': { target: '<= 50%' },
    },
    notifications: {
      schedule: { frequency: { trigger: 'manual' }, initialDelay: { seconds: 0 }, timeout: { minutes: 5 } },
      excludeKpis: ['lead-time-for-changes'],
    },
    review: { enabled: false },
  },
};

/**
 * SPEC §9 end to end: the plugin's scheduled run through Backstage's
 * scheduler, the real catalog with the example catalog, and the real
 * notifications backend, which resolves groups to their members and keeps
 * each user's notifications.
 */
describe.each(testDatabaseIds())('notifications on %s', databaseId => {
  let server: Server;
  let stop: () => Promise<void>;
  const now = Date.now();

  beforeAll(async () => {
    const backend = await startExampleCatalogBackend({
      databaseId,
      prefix: 'notify',
      features: [notificationsPlugin, schedulerServiceFactory],
      config: CONFIG,
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  it('notifies each change of state once, to the KPI owner and the accountable, and its recovery once', async () => {
    // Everything on target but payment-gateway's deployment frequency (≥ 5/week, none).
    await send(server, [
      ...deployments('checkout', 'ok', 5, now - 20 * DAY),
      // lead time of 5 days misses "< 1d", but lead time is opted out
      { type: 'change', id: 'c1', entityRef: 'component:default/checkout', createdAt: at(now - 25 * DAY) },
      { ...deployments('checkout', 'with-change', 1, now - 20 * DAY + 30 * 60_000)[0], changeIds: ['c1'] },
      ...runs('green', 10, now - 10 * DAY, 'success'),
      ...alerts('real', 2, now - 5 * DAY, true),
      {
        type: 'incident',
        id: 'short',
        entityRef: 'component:default/payment-gateway',
        startedAt: at(now - 3 * DAY),
        resolvedAt: at(now - 3 * DAY + 10 * 60_000),
      },
    ]);
    await runNotifications(server);
    const frequency = scope('payment-gateway', 'kpi:deployment-frequency');
    // The platform engineer holds the KPI (via persona): a group, told member by member.
    expect(await inboxes(server)).toEqual({
      grace: { [frequency]: 'Payment Gateway: Deployment frequency missed its target' },
      ivan: { [frequency]: 'Payment Gateway: Deployment frequency missed its target' },
    });
    const [missed] = await inbox(server, 'grace');
    expect(missed).toMatchObject({ severity: 'normal', link: '/catalog/default/component/payment-gateway/kpis' });
    expect(missed.description).toContain('0 / week over the last 30 days; the target is >= 5 / week.');
    expect(missed.description).toContain('Agreed response:');

    // Nothing changed: nothing sent again.
    await runNotifications(server);
    expect(Object.keys(await inboxes(server))).toEqual(['grace', 'ivan']);
    expect(await inbox(server, 'grace')).toHaveLength(1);

    // Everything degrades at once.
    await send(server, [
      ...deployments('checkout', 'rolled', 2, now - 2 * DAY, 'rolled_back'), // 2 of 8 failed: 25 %
      ...runs('red', 5, now - 2 * DAY, 'failure'), // 10 of 15: 66.7 %
      ...alerts('noise', 6, now - 2 * DAY, false), // 6 of 8: 75 %
      {
        type: 'incident',
        id: 'long',
        entityRef: 'component:default/payment-gateway',
        startedAt: at(now - 2 * DAY),
        resolvedAt: at(now - 2 * DAY + 5 * HOUR),
      }, // median of 10 min and 5 h
      {
        type: 'vulnerability',
        id: 'CVE-1',
        entityRef: 'component:default/checkout',
        severity: 'critical',
        detectedAt: at(now - 10 * DAY),
      },
    ]);
    await runNotifications(server);
    const after = await inboxes(server);
    const cfr = 'Checkout: Change failure rate missed its target';
    const pipeline = 'Checkout: Pipeline success rate missed its target';
    const vulnerability = 'Checkout: 1 critical vulnerability overdue';
    expect(after).toEqual({
      // explicit owner of change failure rate; accountable for pipeline changes and critical vulnerabilities
      bob: {
        [scope('checkout', 'kpi:change-failure-rate')]: cfr,
        [scope('checkout', 'kpi:pipeline-success-rate')]: pipeline,
        [scope('checkout', 'tier:change-failure-rate')]: 'Checkout: Change failure rate dropped to the low DORA tier',
        [scope('checkout', 'vulnerabilities')]: vulnerability,
      },
      // alert noise is owned by the SRE Team through the payments System; the gateway's service owner is the team
      carol: {
        [scope('checkout', 'kpi:alert-noise')]: 'Checkout: Alert noise missed its target',
        [scope('payment-gateway', 'kpi:time-to-restore')]: 'Payment Gateway: Time to restore missed its target',
      },
      ken: {
        [scope('checkout', 'kpi:alert-noise')]: 'Checkout: Alert noise missed its target',
        [scope('payment-gateway', 'kpi:time-to-restore')]: 'Payment Gateway: Time to restore missed its target',
      },
      // the security owner owns the fix time
      dan: { [scope('checkout', 'vulnerabilities')]: vulnerability },
      grace: { [frequency]: 'Payment Gateway: Deployment frequency missed its target', [scope('checkout', 'kpi:pipeline-success-rate')]: pipeline },
      ivan: { [frequency]: 'Payment Gateway: Deployment frequency missed its target', [scope('checkout', 'kpi:pipeline-success-rate')]: pipeline },
    });
    const bobs = await inbox(server, 'bob');
    const cfrNotice = bobs.find(n => n.scope === scope('checkout', 'kpi:change-failure-rate'))!;
    expect(cfrNotice.description).toContain('Change failure rate is 25 % over the last 30 days; the target is <= 10 %.');
    expect(bobs.find(n => n.scope === scope('checkout', 'vulnerabilities'))!.severity).toBe('high');

    await runNotifications(server);
    expect(await inboxes(server)).toEqual(after);

    // Recovery: change failure rate and pipeline back on target, the vulnerability fixed.
    await send(server, [
      ...deployments('checkout', 'more', 20, now - DAY), // 2 of 28: 7.1 %, tier high
      ...runs('green-again', 60, now - DAY + 30 * 60_000, 'success'), // 70 of 75: 93.3 %
      {
        type: 'vulnerability',
        id: 'CVE-1',
        entityRef: 'component:default/checkout',
        severity: 'critical',
        detectedAt: at(now - 10 * DAY),
        fixedAt: at(now - HOUR),
      },
    ]);
    await runNotifications(server);
    const recovered = await inbox(server, 'bob');
    // Updated in place: still four notifications, three of them now recoveries.
    expect(recovered.map(n => [n.scope, n.title, n.severity])).toEqual([
      [scope('checkout', 'kpi:change-failure-rate'), 'Checkout: Change failure rate is back on target', 'low'],
      [scope('checkout', 'kpi:pipeline-success-rate'), 'Checkout: Pipeline success rate is back on target', 'low'],
      [scope('checkout', 'tier:change-failure-rate'), 'Checkout: Change failure rate is back up to the high DORA tier', 'low'],
      [scope('checkout', 'vulnerabilities'), 'Checkout: No critical vulnerability is overdue any more', 'low'],
    ]);
    expect((await inbox(server, 'dan')).map(n => n.title)).toEqual(['Checkout: No critical vulnerability is overdue any more']);
    expect((await inbox(server, 'grace')).map(n => n.title)).toEqual([
      'Checkout: Pipeline success rate is back on target',
      'Payment Gateway: Deployment frequency missed its target',
    ]);
    // The SRE Team's problems last: their notifications stay as they were.
    expect((await inbox(server, 'carol')).map(n => n.title)).toEqual([
      'Checkout: Alert noise missed its target',
      'Payment Gateway: Time to restore missed its target',
    ]);

    const settled = await inboxes(server);
    await runNotifications(server);
    expect(await inboxes(server)).toEqual(settled);
  });

  it('pages the service owner and the incident accountable for a burning SLO, and raises the guardrail', async () => {
    // The last hour of checkout requests: half of them failed (burn rate 100).
    const slices = Array.from({ length: 12 }, (_, i) => ({
      type: 'sli',
      id: `burn-${i}`,
      entityRef: 'component:default/checkout',
      slo: 'checkout-availability',
      windowStart: at(now - (12 - i) * 5 * 60_000),
      windowEnd: at(now - (11 - i) * 5 * 60_000),
      good: 50,
      total: 100,
    }));
    // Storefront deploys 2.5 times as often as in the 30 days before, and breaks more.
    await send(server, [
      ...slices,
      ...deployments('storefront-web', 'before', 4, now - 50 * DAY),
      ...deployments('storefront-web', 'now', 8, now - 10 * DAY),
      ...deployments('storefront-web', 'broken', 2, now - 5 * DAY, 'rolled_back'),
    ]);
    await runNotifications(server);

    const page = scope('checkout', 'slo:checkout-availability:0');
    const pageTitle = 'Checkout: SLO Checkout availability is burning its error budget fast enough to page';
    const guardrail = scope('storefront-web', 'guardrail');
    const received = async (user: string, wanted: string) =>
      (await inbox(server, user)).filter(n => n.scope === wanted).map(n => n.title);
    // slo-compliance's owner (the service owner, Carol) and the A of a critical incident (the tech lead, Bob)
    expect(await received('carol', page)).toEqual([pageTitle]);
    expect(await received('bob', page)).toEqual([pageTitle]);
    for (const user of ['alice', 'dan', 'erin', 'frank', 'grace', 'ivan', 'ken']) {
      expect({ user, titles: await received(user, page) }).toEqual({ user, titles: [] });
    }
    const [paged] = (await inbox(server, 'bob')).filter(n => n.scope === page);
    expect(paged).toMatchObject({ severity: 'critical', link: '/catalog/default/component/checkout/slos' });
    expect(paged.description).toContain('Objective "99.5 % of checkout requests succeed" (target 99.5 %): attainment 50 %');

    // deployment frequency's owner: the platform engineer (the Platform Team, through the commerce Domain)
    const fast = 'Storefront Web: Fast but breaking: deployments up, stability down';
    expect(await received('grace', guardrail)).toEqual([fast]);
    expect(await received('ivan', guardrail)).toEqual([fast]);
    expect(await received('judy', guardrail)).toEqual([]);
    const [warned] = (await inbox(server, 'grace')).filter(n => n.scope === guardrail);
    expect(warned.description).toMatch(/^Deployment frequency rose 150 % against the previous window/);
  });
});
