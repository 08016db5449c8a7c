import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockCredentials } from '@backstage/backend-test-utils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import request from 'supertest';
import { startExampleCatalogBackend } from '../__testUtils__/exampleCatalogBackend';
import { describeEachPostgres } from '../__testUtils__/testDatabases';
import {
  DAY,
  deployments,
  inbox,
  inboxes,
  send,
  Server,
  taskEndedAt,
} from './__testUtils__/notificationsTestKit';
import { NOTIFICATIONS_TASK_ID } from './scheduleNotifications';

jest.setTimeout(300_000);

const config = (dryRun: boolean) => ({
  app: { baseUrl: 'http://localhost:3000' },
  devopsPersonas: {
    notifications: {
      dryRun,
      schedule: {
        frequency: { trigger: 'manual' },
        initialDelay: { seconds: 0 },
        timeout: { minutes: 5 },
      },
    },
    review: { enabled: false },
  },
});

/** Asks a replica to run the task now: 409 when another replica already runs it. */
async function trigger(server: Server) {
  const res = await request(server)
    .post(
      `/api/devops-personas/.backstage/scheduler/v1/tasks/${NOTIFICATIONS_TASK_ID}/trigger`,
    )
    .set('Authorization', mockCredentials.service.header());
  return res.status;
}

async function waitForRun(server: Server, before: string | undefined) {
  const deadline = Date.now() + 120_000;
  while ((await taskEndedAt(server)) === before) {
    if (Date.now() > deadline)
      throw new Error('The notification run did not end in time');
    await new Promise(r => setTimeout(r, 250));
  }
}

const cfr =
  'devops-personas:component:default/checkout:kpi:change-failure-rate';

/**
 * Replicas share one PostgreSQL database and one scheduler: a first
 * backend in dry run logs and sends nothing; then two replicas started on
 * the same database, both asked to run at once, send each change exactly
 * once, including what the dry run only logged. Without PostgreSQL (a host
 * repository that has none) skipped.
 */
describeEachPostgres()('replicas on %s', databaseId => {
  const prefix = `replicas_${Date.now()}_`;
  const now = Date.now();
  const stops: Array<() => Promise<void>> = [];

  afterAll(async () => {
    await Promise.all(stops.map(stop => stop()));
  });

  it('sends nothing in a dry run, then each change once from two replicas', async () => {
    const dry = await startExampleCatalogBackend({
      databaseId,
      prefix: 'replicas',
      sharedDatabasePrefix: prefix,
      features: [notificationsPlugin, schedulerServiceFactory],
      config: config(true),
    });
    // checkout: 2 of 5 deployments rolled back (40 %, target ≤ 10 %)
    await send(dry.server, [
      ...deployments('checkout', 'ok', 3, now - 10 * DAY),
      ...deployments('checkout', 'rolled', 2, now - 5 * DAY, 'rolled_back'),
    ]);
    const before = await taskEndedAt(dry.server);
    expect(await trigger(dry.server)).toBe(200);
    await waitForRun(dry.server, before);
    expect(await inboxes(dry.server)).toEqual({});
    await dry.stop();

    const [a, b] = await Promise.all(
      ['a', 'b'].map(() =>
        startExampleCatalogBackend({
          databaseId,
          prefix: 'replicas',
          sharedDatabasePrefix: prefix,
          features: [notificationsPlugin, schedulerServiceFactory],
          config: config(false),
        }),
      ),
    );
    stops.push(
      () => a.stop(),
      () => b.stop(),
    );
    for (let round = 0; round < 3; round++) {
      const ended = await taskEndedAt(a.server);
      // Both replicas are asked at once; one runs, the other is told it already runs (or runs after it).
      const statuses = await Promise.all([
        trigger(a.server),
        trigger(b.server),
      ]);
      expect(statuses.every(status => status === 200 || status === 409)).toBe(
        true,
      );
      await waitForRun(a.server, ended);
      // a second run asked for while the first ran may follow it
      await new Promise(r => setTimeout(r, 6_000));
    }
    // payment-gateway misses its deployment frequency target too, but has no events at all: only
    // its SLOs are watched, so nobody hears of a frequency of nothing.
    const expected = {
      bob: { [cfr]: 'Checkout: Change failure rate missed its target' },
    };
    expect(await inboxes(a.server)).toEqual(expected);
    expect(await inboxes(b.server)).toEqual(expected);
    // one notification each, not one per replica or per run
    expect(await inbox(a.server, 'bob')).toHaveLength(1);
    expect((await inbox(b.server, 'bob'))[0].description).toContain(
      '40 % over the last 30 days',
    );
  });
});
