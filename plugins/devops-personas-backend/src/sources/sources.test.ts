import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import {
  EntityKpisResponse,
  KpiEventsResponse,
  SourcesResponse,
} from '@devops-personas/plugin-devops-personas-common';
import {
  devopsPersonasSourcesExtensionPoint,
  SourceEvent,
} from '@devops-personas/plugin-devops-personas-node';
import request from 'supertest';
import { devopsPersonasPlugin } from '../plugin';
import { testDatabaseIds } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const ANNOTATION = 'tool.example.com/name';
const UNTIL = '2026-06-30T00:00:00Z';

const component = (name: string, value?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations: value ? { [ANNOTATION]: value } : {} },
  spec: { type: 'service', owner: 'team' },
});

const entities = [
  component('shop', 'Acme/Shop'),
  component('twin-b', 'acme/twin'),
  component('twin-a', 'ACME/TWIN'),
  component('plain'),
];

/**
 * A source whose payloads say what to translate them into: the body is
 * `{ events }`, `{ ignore: reason }` or `{ fail: message }`.
 */
function toolSourceModule(onEvents: (publish: (p: EventParams) => Promise<void>) => void) {
  return createBackendModule({
    pluginId: 'devops-personas',
    moduleId: 'source-tool',
    register(env) {
      env.registerInit({
        deps: { sources: devopsPersonasSourcesExtensionPoint, events: eventsServiceRef },
        async init({ sources, events }) {
          sources.addSource({
            id: 'tool',
            title: 'Tool',
            topics: ['tool'],
            annotation: ANNOTATION,
            translate({ body }) {
              const b = body as { events?: SourceEvent[]; ignore?: string; fail?: string };
              if (b.fail) throw new Error(b.fail);
              if (b.ignore) return { kind: 'ignored', reason: b.ignore };
              return { kind: 'events', events: b.events ?? [] };
            },
          });
          onEvents(params => events.publish(params));
        },
      });
    },
  });
}

const byName = (value: string) => ({ annotation: { key: ANNOTATION, value } });

describe.each(testDatabaseIds())('event sources on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let publish: (p: EventParams) => Promise<void>;
  const logger = mockServices.logger.mock();

  beforeAll(async () => {
    const knex = await databases.init(databaseId);
    ({ server } = await startTestBackend({
      features: [
        devopsPersonasPlugin,
        toolSourceModule(p => {
          publish = p;
        }),
        catalogServiceMock.factory({ entities }),
        mockServices.database.factory({ knex }),
        logger.factory,
      ],
    }));
  });

  const send = (body: unknown) => publish({ topic: 'tool', eventPayload: body, metadata: {} });
  const sources = async () => {
    const res = await request(server)
      .get('/api/devops-personas/v1/sources')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return (res.body as SourcesResponse).sources.find(s => s.id === 'tool')!;
  };
  const kpis = async (name: string) => {
    const res = await request(server)
      .get(`/api/devops-personas/v1/entities/component/default/${name}/kpis?window=30d&until=${UNTIL}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const body = res.body as EntityKpisResponse;
    return Object.fromEntries(body.kpis.map(k => [k.id, k]));
  };
  const explain = async (name: string, kpi: string) => {
    const res = await request(server)
      .get(`/api/devops-personas/v1/entities/component/default/${name}/kpis/${kpi}/events?window=30d&until=${UNTIL}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return res.body as KpiEventsResponse;
  };

  it('maps by annotation whatever the case, counts a redelivery once, and fills changes and attribution', async () => {
    const change = (id: string, mergedAt: string): SourceEvent => ({
      entity: byName('acme/SHOP'),
      event: { type: 'change', id, createdAt: '2026-06-01T00:00:00Z', mergedAt },
    });
    await send({ events: [change('c1', '2026-06-02T00:00:00Z'), change('c2', '2026-06-04T00:00:00Z')] });
    const deployment = (id: string, createdAt: string, finishedAt: string): SourceEvent => ({
      entity: byName('ACME/shop'),
      event: { type: 'deployment', id, status: 'success', environment: 'production', startedAt: createdAt, finishedAt },
      changesMergedUntil: createdAt,
    });
    const first = { events: [deployment('d1', '2026-06-03T00:00:00Z', '2026-06-03T01:00:00Z')] };
    await send(first);
    await send(first); // a redelivery
    await send({ events: [deployment('d2', '2026-06-05T00:00:00Z', '2026-06-05T02:00:00Z')] });
    // 5 hours after d2 finished: inferred; 6 days after: nothing within 24 h
    const incident = (id: string, startedAt: string, resolvedAt?: string): SourceEvent => ({
      entity: byName('acme/shop'),
      event: { type: 'incident', id, startedAt, resolvedAt },
      mergeWithStored: true,
    });
    await send({ events: [incident('i1', '2026-06-05T07:00:00Z')] });
    await send({ events: [incident('i2', '2026-06-11T07:00:00Z', '2026-06-11T08:00:00Z')] });
    // the resolution names only its time: the start and the link survive
    await send({
      events: [
        {
          entity: byName('acme/shop'),
          event: { type: 'incident', id: 'i1', resolvedAt: '2026-06-05T10:00:00Z' },
          mergeWithStored: true,
        },
      ],
    });

    const shop = await kpis('shop');
    expect(shop['deployment-frequency'].sampleSize).toBe(2);
    // c1 shipped by d1 (merged before d1 was created), c2 by d2 (after d1, before d2)
    const leadTimes = await explain('shop', 'lead-time-for-changes');
    expect(
      leadTimes.events.filter(e => e.role === 'change').map(e => [e.event.id, e.note]).sort(),
    ).toEqual([
      ['c1', 'first deployed by d1'],
      ['c2', 'first deployed by d2'],
    ]);
    expect(shop['change-failure-rate'].value).toBe(0.5);
    const failures = await explain('shop', 'change-failure-rate');
    const failed = failures.events.find(e => e.role === 'failed-deployment')!;
    expect(failed.event.id).toBe('d2');
    expect(failed.linkedBy).toBe('last-deployment');
    // only i1 names a deployment: 3 hours to recover; both incidents restore
    expect(shop['failed-deployment-recovery-time']).toMatchObject({ value: 3 * 3600, sampleSize: 1 });
    expect(shop['time-to-restore']).toMatchObject({ value: 2 * 3600, sampleSize: 2 });
    const recoveries = await explain('shop', 'failed-deployment-recovery-time');
    expect(recoveries.events.map(e => [e.event.id, e.event.startedAt, e.event.causedByDeploymentId, e.event.attribution, e.linkedBy])).toEqual([
      ['i1', '2026-06-05T07:00:00.000Z', 'd2', 'last-deployment', 'last-deployment'],
    ]);

    const status = await sources();
    expect(status.counts).toEqual({ received: 7, stored: 8, dropped: {}, ignoredReasons: {} });
    expect(status.lastError).toBeNull();
  });

  it('merges deliveries of one incident in any order and at the same time, keeping the earliest start', async () => {
    const delivery = (id: string, fields: Record<string, unknown>) => ({
      events: [{ entity: byName('acme/shop'), event: { type: 'incident', id, ...fields }, mergeWithStored: true }],
    });
    // the resolution first (its time doubles as a start), then the detection
    await send(delivery('late-start', { startedAt: '2026-06-21T03:00:00Z', resolvedAt: '2026-06-21T03:00:00Z' }));
    await send(delivery('late-start', { startedAt: '2026-06-21T01:00:00Z' }));
    // trigger and resolution delivered at once, ten times over
    const ids = Array.from({ length: 10 }, (_, i) => `race-${i}`);
    await Promise.all(
      ids.flatMap(id => [
        send(delivery(id, { startedAt: '2026-06-22T00:00:00Z', customerImpacting: true })),
        send(delivery(id, { startedAt: '2026-06-22T00:00:00Z', resolvedAt: '2026-06-22T00:30:00Z' })),
      ]),
    );
    // the resolution alone would be linked to the deployment before it (d-late, 02:30);
    // the detection moves the start before it, and the link moves with it
    await send({
      events: [
        {
          entity: byName('acme/shop'),
          event: { type: 'deployment', id: 'd-late', status: 'success', finishedAt: '2026-06-23T02:30:00Z' },
        },
      ],
    });
    await send(delivery('moved', { startedAt: '2026-06-23T03:00:00Z', resolvedAt: '2026-06-23T03:00:00Z' }));
    await send(delivery('moved', { startedAt: '2026-06-23T01:00:00Z' }));
    const restores = await explain('shop', 'time-to-restore');
    const byId = Object.fromEntries(restores.events.map(e => [e.event.id, e]));
    expect(byId['late-start'].figure).toBe(2 * 3600);
    for (const id of ids) {
      expect([id, byId[id]?.figure, byId[id]?.event.customerImpacting]).toEqual([id, 1800, true]);
    }
    expect(byId.moved.event).toMatchObject({ startedAt: '2026-06-23T01:00:00.000Z' });
    expect(byId.moved.event.causedByDeploymentId).not.toBe('d-late');
  });

  it('ships the changes merged since the previous deployment started, as many as fit an event', async () => {
    const change = (id: string, mergedAt: string): SourceEvent => ({
      entity: byName('acme/twin'),
      event: { type: 'change', id, createdAt: '2026-05-01T00:00:00Z', mergedAt },
    });
    const deployment = (id: string, startedAt: string, finishedAt: string): SourceEvent => ({
      entity: byName('acme/twin'),
      event: { type: 'deployment', id, status: 'success', startedAt, finishedAt },
      changesMergedUntil: startedAt,
    });
    // 300 changes with long ids: more than 16 KiB of ids
    const long = (i: number) => `${'x'.repeat(60)}-${String(i).padStart(3, '0')}`;
    await send({
      events: Array.from({ length: 300 }, (_, i) =>
        change(long(i), new Date(Date.parse('2026-06-01T00:00:00Z') + i * 60_000).toISOString()),
      ),
    });
    await send({ events: [deployment('w1', '2026-06-02T00:00:00Z', '2026-06-02T02:00:00Z')] });
    // merged while w1 rolled out: shipped by w2, not lost between the two
    await send({ events: [change('during', '2026-06-02T01:00:00Z')] });
    await send({ events: [deployment('w2', '2026-06-03T00:00:00Z', '2026-06-03T01:00:00Z')] });

    const leads = await explain('twin-a', 'lead-time-for-changes');
    const firstDeployment = Object.fromEntries(
      leads.events.filter(e => e.role === 'change').map(e => [e.event.id, e.note]),
    );
    expect(firstDeployment.during).toBe('first deployed by w2');
    const shippedByW1 = Object.keys(firstDeployment).filter(id => firstDeployment[id] === 'first deployed by w1');
    // the latest merges that fit 16 KiB, none dropped from the middle
    expect(shippedByW1.length).toBeGreaterThan(200);
    expect(shippedByW1.length).toBeLessThan(300);
    expect(shippedByW1).toContain(long(299));
    expect(shippedByW1).not.toContain(long(0));
    expect((await kpis('twin-a'))['deployment-frequency'].sampleSize).toBe(2);
  });

  it('drops and counts what it cannot store, and stores nothing of a payload with a bad event', async () => {
    const before = await sources();
    await send({
      events: [{ entity: byName('acme/nowhere'), event: { type: 'alert', id: 'a0', firedAt: '2026-06-20T00:00:00Z', actionable: true } }],
    });
    let status = await sources();
    expect(status.counts.dropped['unmapped-entity']).toBe(1);
    expect(status.lastError).toMatchObject({ reason: 'unmapped-entity' });
    expect(status.lastError!.message).toContain(`annotation ${ANNOTATION}: acme/nowhere`);
    // text from a payload is stored alike on both databases: control characters escaped
    await send({
      events: [{ entity: byName('acme/\u0000nul'), event: { type: 'alert', id: 'a00', firedAt: '2026-06-20T00:00:00Z', actionable: true } }],
    });
    expect((await sources()).lastError!.message).toContain('acme/\\u0000nul');

    await send({ ignore: 'push events are not counted' });
    await send({ fail: 'deployment.id is missing' });
    await send({
      events: [
        { entity: byName('acme/shop'), event: { type: 'alert', id: 'a1', firedAt: '2026-06-20T00:00:00Z', actionable: true } },
        { entity: byName('acme/shop'), event: { type: 'alert', id: 'a2', firedAt: 'yesterday', actionable: true } },
      ],
    });
    status = await sources();
    expect(status.counts.received).toBe(before.counts.received + 5);
    expect(status.counts.stored).toBe(before.counts.stored);
    expect(status.counts.dropped).toEqual({
      'unmapped-entity': 2,
      ignored: 1,
      'unreadable-payload': 1,
      'invalid-event': 2,
    });
    expect(status.counts.ignoredReasons).toEqual({ 'push events are not counted': 1 });
    expect(status.lastError).toMatchObject({ reason: 'invalid-event' });
    expect(status.lastError!.message).toMatch(/event 2 \(alert\): firedAt: must be an ISO 8601 timestamp/);
    // the valid alert of the rejected payload was not stored either
    expect((await kpis('shop'))['alert-noise'].sampleSize).toBe(0);
  });

  it('counts ignored payloads by their reason, up to 50 reasons a source', async () => {
    const before = (await sources()).counts.ignoredReasons;
    for (let i = 0; i < 55; i++) await send({ ignore: `kind-${String(i).padStart(2, '0')} ${'x'.repeat(80)}` });
    await send({ ignore: `kind-00 ${'x'.repeat(80)}` });
    const reasons = (await sources()).counts.ignoredReasons;
    const added = Object.keys(reasons).filter(r => !(r in before));
    // 50 reasons in all (one was counted by an earlier test), the rest together
    expect(Object.keys(reasons)).toHaveLength(51);
    expect(reasons[`kind-00 ${'x'.repeat(52)}`]).toBe(2);
    expect(reasons['other reasons']).toBe(6);
    expect(added.every(r => [...r].length <= 60)).toBe(true);
  });

  it('sends an event to the first of several entities with the value, and reports the ambiguity', async () => {
    await send({
      events: [{ entity: byName('acme/twin'), event: { type: 'alert', id: 't1', firedAt: '2026-06-20T00:00:00Z', actionable: false } }],
    });
    expect((await kpis('twin-a'))['alert-noise']).toMatchObject({ value: 1, sampleSize: 1 });
    expect((await kpis('twin-b'))['alert-noise'].sampleSize).toBe(0);
    expect((await sources()).ambiguities).toEqual([
      {
        annotation: ANNOTATION,
        value: 'acme/twin',
        entityRefs: ['component:default/twin-a', 'component:default/twin-b'],
        chosen: 'component:default/twin-a',
      },
    ]);
  });

  it('maps by entity ref when it names a catalog entity, and never attributes events posted to /v1/events', async () => {
    await send({
      events: [
        { entity: { entityRef: 'plain' }, event: { type: 'deployment', id: 'p1', status: 'success', finishedAt: '2026-06-20T00:00:00Z' } },
        { entity: { entityRef: 'component:default/ghost' }, event: { type: 'deployment', id: 'p2', status: 'success', finishedAt: '2026-06-20T00:00:00Z' } },
      ],
    });
    const posted = await request(server)
      .post('/api/devops-personas/v1/events')
      .set('Authorization', mockCredentials.service.header())
      .send({ events: [{ type: 'incident', id: 'pi', entityRef: 'plain', startedAt: '2026-06-20T01:00:00Z', resolvedAt: '2026-06-20T02:00:00Z' }] });
    expect(posted.status).toBe(202);
    // an alternative is tried when the first way names no entity
    await send({
      events: [
        {
          entity: { ...byName('acme/unknown'), alternatives: [{ entityRef: 'component:default/nobody' }, { entityRef: 'plain' }] },
          event: { type: 'alert', id: 'p3', firedAt: '2026-06-20T00:00:00Z', actionable: true },
        },
      ],
    });
    const plain = await kpis('plain');
    expect(plain['alert-noise']).toMatchObject({ value: 0, sampleSize: 1 });
    expect(plain['deployment-frequency'].sampleSize).toBe(1);
    expect(plain['change-failure-rate'].value).toBe(0);
    expect(plain['failed-deployment-recovery-time']).toMatchObject({ value: null, sampleSize: 0 });
    expect((await sources()).lastError!.message).toContain('entity ref component:default/ghost');
  });

  it('stores an event without a url validation refuses, rather than dropping the payload', async () => {
    const before = await sources();
    const alert = (id: string, url: string): SourceEvent => ({
      entity: { entityRef: 'plain' },
      event: { type: 'alert', id, firedAt: '2026-06-21T00:00:00Z', actionable: true, url },
    });
    await send({ events: [alert('u1', 'https://bad\u0000link'), alert('u2', 'https://example.com/alerts/u2')] });
    // an update with a bad link keeps the stored one
    const incident = (url: string): SourceEvent => ({
      entity: { entityRef: 'plain' },
      event: { type: 'incident', id: 'u3', startedAt: '2026-06-21T00:00:00Z', resolvedAt: '2026-06-21T01:00:00Z', url },
      mergeWithStored: true,
    });
    await send({ events: [incident('https://example.com/incidents/u3')] });
    await send({ events: [incident(`https://example.com/${'x'.repeat(2100)}`)] });
    const status = await sources();
    expect(status.counts.stored).toBe(before.counts.stored + 4);
    expect(status.counts.dropped).toEqual(before.counts.dropped);
    const alerts = Object.fromEntries((await explain('plain', 'alert-noise')).events.map(e => [e.event.id, e.event]));
    expect(alerts.u1).toBeDefined();
    expect(alerts.u1).not.toHaveProperty('url');
    expect(alerts.u2.url).toBe('https://example.com/alerts/u2');
    const restores = (await explain('plain', 'time-to-restore')).events;
    expect(restores.find(e => e.event.id === 'u3')?.event.url).toBe('https://example.com/incidents/u3');
  });

  it('drops a deployment whose changesMergedUntil is no timestamp as an invalid event, without retrying', async () => {
    const before = await sources();
    await send({
      events: [
        {
          entity: { entityRef: 'plain' },
          event: { type: 'deployment', id: 'bad-until', status: 'success', finishedAt: '2026-06-21T00:00:00Z' },
          changesMergedUntil: 'yesterday',
        },
      ],
    });
    const status = await sources();
    expect(status.counts.stored).toBe(before.counts.stored);
    expect(status.counts.dropped['invalid-event']).toBe((before.counts.dropped['invalid-event'] ?? 0) + 1);
    expect(status.counts.dropped['store-failed']).toBeUndefined();
    expect(status.lastError).toMatchObject({ reason: 'invalid-event' });
    expect(status.lastError!.message).toMatch(/deployment event: changesMergedUntil must be an ISO 8601 timestamp/);
  });

  it('logs a payload dropped for an unmapped entity at debug, other drops as warnings', async () => {
    const drops = (log: (typeof logger)['warn']) =>
      log.mock.calls.map(call => String(call[0])).filter(text => text.startsWith('Dropped a Tool payload'));
    logger.warn.mockClear();
    logger.debug.mockClear();
    await send({
      events: [{ entity: byName('acme/elsewhere'), event: { type: 'alert', id: 'e1', firedAt: '2026-06-21T00:00:00Z', actionable: true } }],
    });
    expect(drops(logger.warn)).toEqual([]);
    expect(drops(logger.debug)).toEqual([expect.stringContaining('acme/elsewhere')]);
    expect((await sources()).lastError).toMatchObject({ reason: 'unmapped-entity' });
    await send({ fail: 'no deployment in it' });
    expect(drops(logger.warn)).toEqual([expect.stringContaining('no deployment in it')]);
  });
});
