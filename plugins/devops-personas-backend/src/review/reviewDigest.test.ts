import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { startExampleCatalogBackend } from '../__testUtils__/exampleCatalogBackend';
import { testDatabaseIds } from '../__testUtils__/testDatabases';
import { at, DAY, inbox, runNotifications, send, Server } from '../notifications/__testUtils__/notificationsTestKit';
import { REVIEW_TASK_ID } from '../notifications/scheduleNotifications';

jest.setTimeout(300_000);

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/**
 * The weekly digest (SPEC §9): on the review day (here: today, UTC) each
 * System's owner and each Group owning Components gets one agenda, linked to
 * the review page at that day's start, once a week.
 */
describe.each(testDatabaseIds())('the weekly review digest on %s', databaseId => {
  let server: Server;
  let stop: () => Promise<void>;
  const now = Date.now();
  const today = new Date(now);
  const reviewStart = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());

  beforeAll(async () => {
    const backend = await startExampleCatalogBackend({
      databaseId,
      prefix: 'digest',
      features: [notificationsPlugin, schedulerServiceFactory],
      config: {
        app: { baseUrl: 'http://localhost:3000' },
        devopsPersonas: {
          notifications: {
            schedule: { frequency: { trigger: 'manual' }, initialDelay: { seconds: 0 }, timeout: { minutes: 5 } },
            // only the digest: no KPI notification
            transitions: [],
          },
          review: { day: WEEKDAYS[today.getUTCDay()] },
        },
      },
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  const digests = async (user: string) =>
    (await inbox(server, user)).filter(n => n.title.startsWith('Weekly review'));

  it('sends each System owner and owner Group its agenda once on the review day', async () => {
    await send(server, [
      {
        type: 'vulnerability',
        id: 'CVE-7',
        entityRef: 'component:default/checkout',
        severity: 'critical',
        detectedAt: at(now - 10 * DAY),
      },
      {
        type: 'postmortem-action',
        id: 'PM-1',
        entityRef: 'component:default/payment-gateway',
        createdAt: at(now - 20 * DAY),
        dueAt: at(now - 2 * DAY),
      },
    ]);
    await runNotifications(server, REVIEW_TASK_ID);

    const until = new Date(reviewStart).toISOString();
    const link = (ref: string) => `/devops-personas/review?${new URLSearchParams({ entity: ref, until })}`;
    // Alice is on the Commerce Team: it owns the payments System and owns Components.
    // The action's owner is payment-gateway's service owner, the SRE Team.
    expect((await digests('alice')).map(n => [n.title, n.description, n.link, n.severity])).toEqual([
      [
        'Weekly review: Commerce Team',
        '1 critical vulnerability is overdue; 1 postmortem action is due or late. Owners: Dan Okafor, SRE Team.',
        link('group:default/commerce-team'),
        'normal',
      ],
      [
        'Weekly review: payments',
        '1 critical vulnerability is overdue; 1 postmortem action is due or late. Owners: Dan Okafor, SRE Team.',
        link('system:default/payments'),
        'normal',
      ],
    ]);
    // The Storefront Team's week was quiet: its agenda says so.
    const quiet = await digests('judy');
    expect(quiet.map(n => [n.title, n.severity])).toEqual([
      ['Weekly review: Storefront Team', 'low'],
      ['Weekly review: storefront', 'low'],
    ]);
    expect(quiet[0].description).toBe(
      'Nothing needs deciding this week: no KPI got worse, no SLO is burning budget, nothing is overdue.',
    );
    // Dan (Security Guild) owns no System and his group no Component: no digest.
    expect(await digests('dan')).toEqual([]);

    // Once a week: another run on the same day sends nothing more.
    await runNotifications(server, REVIEW_TASK_ID);
    expect(await digests('alice')).toHaveLength(2);
    expect(await digests('judy')).toHaveLength(2);
  });
});
