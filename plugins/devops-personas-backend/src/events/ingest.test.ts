import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { devopsPersonasPlugin } from '../plugin';
import { testDatabaseIds } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const PATH = '/api/devops-personas/v1/events';

const deployment = (id: string, extra: Record<string, unknown> = {}) => ({
  type: 'deployment',
  id,
  entityRef: 'component:default/checkout',
  finishedAt: '2026-06-01T10:00:00Z',
  status: 'success',
  ...extra,
});

describe.each(testDatabaseIds())('POST /events on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });

  async function start(
    permission: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  ) {
    const knex = await databases.init(databaseId);
    const { server } = await startTestBackend({
      features: [
        devopsPersonasPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.database.factory({ knex }),
        mockServices.permissions.factory({ result: permission }),
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      ],
    });
    const stored = async () => {
      const [{ n }] = await knex('devops_personas_events').count({ n: '*' });
      return Number(n);
    };
    const post = (body: unknown, header = mockCredentials.service.header()) =>
      request(server).post(PATH).set('Authorization', header).send(body as object);
    return { post, stored, knex, server };
  }

  it('stores a batch and answers 202 with the count, for entities not in the catalog too', async () => {
    const { post, stored, knex } = await start();
    const res = await post({
      events: [
        deployment('d1', { finishedAt: '2026-06-01T12:00:00+02:00', changeIds: ['c1', 'c1'] }),
        { type: 'change', id: 'c1', entityRef: 'checkout', createdAt: '2026-05-31T09:00:00.123456Z', source: 'github' },
        { type: 'sli', id: 's1', entityRef: 'Component:Default/Checkout', slo: 'availability', windowStart: '2026-06-01T00:00:00Z', windowEnd: '2026-06-01T00:05:00Z', good: 99, total: 100 },
      ],
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 3 });
    expect(await stored()).toBe(3);
    const rows = await knex('devops_personas_events').orderBy('event_id');
    const byId = Object.fromEntries(rows.map(r => [r.event_id, r]));
    const d1 = JSON.parse(byId.d1.payload);
    // normalised: UTC timestamps, default environment, duplicate ids dropped
    expect(d1).toMatchObject({
      finishedAt: '2026-06-01T10:00:00.000Z',
      environment: 'production',
      rework: false,
      changeIds: ['c1'],
      source: '',
    });
    expect(byId.s1.entity_ref).toBe('component:default/checkout');
    expect(byId.c1.entity_ref).toBe('component:default/checkout');
    expect(Number(byId.d1.time_ms)).toBe(Date.parse('2026-06-01T10:00:00Z'));
  });

  it('replaces an event resent with the same type, source and id', async () => {
    const { post, stored, knex } = await start();
    const incident = { type: 'incident', id: 'INC-1', source: 'pagerduty', entityRef: 'checkout', startedAt: '2026-06-01T10:00:00Z' };
    expect((await post({ events: [incident] })).status).toBe(202);
    expect((await post({ events: [{ ...incident, resolvedAt: '2026-06-01T11:00:00Z' }] })).status).toBe(202);
    // same id from another source is another event; in one batch the last one wins
    expect((await post({ events: [{ ...incident, source: 'opsgenie' }, { ...incident, source: 'opsgenie', severity: 'sev1' }] })).body).toEqual({ accepted: 1 });
    expect(await stored()).toBe(2);
    const row = await knex('devops_personas_events').where({ source: 'pagerduty' }).first();
    expect(JSON.parse(row.payload).resolvedAt).toBe('2026-06-01T11:00:00.000Z');
  });

  it.each([
    [{ events: 'nope' }, /\{"events": \[ \.\.\. \]\}/],
    [{ events: [deployment('ok'), 'text'] }, /^events\[1\]: must be an object/],
    [{ events: [deployment('ok'), { ...deployment('x'), type: 'deploy' }] }, /^events\[1\]\.type: must be one of deployment, change/],
    [{ events: [{ ...deployment('x'), id: '' }] }, /^events\[0\]\.id: must be a non-empty string/],
    [{ events: [{ ...deployment('x'), entityRef: undefined }] }, /^events\[0\]\.entityRef: must be an entity ref/],
    [{ events: [{ ...deployment('x'), entityRef: 'component:default/a b' }] }, /^events\[0\]\.entityRef: is not a valid entity ref/],
    [{ events: [{ ...deployment('x'), finishedAt: '2026-06-01T10:00:00' }] }, /^events\[0\]\.finishedAt: must be an ISO 8601 timestamp with an offset/],
    [{ events: [{ ...deployment('x'), finishedAt: '2026-02-30T10:00:00Z' }] }, /^events\[0\]\.finishedAt: is not a valid date/],
    [{ events: [{ ...deployment('x'), finishedAt: undefined }] }, /^events\[0\]\.finishedAt: is required for a deployment event/],
    [{ events: [{ ...deployment('x'), status: 'done' }] }, /^events\[0\]\.status: must be one of success, failure, rolled_back/],
    [{ events: [{ ...deployment('x'), rework: 'yes' }] }, /^events\[0\]\.rework: must be true or false/],
    [{ events: [{ ...deployment('x'), changeIds: ['a', 7] }] }, /^events\[0\]\.changeIds\[1\]: must be a non-empty string/],
    [{ events: [{ ...deployment('x'), startedAt: '2026-06-01T11:00:00Z' }] }, /^events\[0\]\.finishedAt: must not be before startedAt/],
    [{ events: [{ type: 'alert', id: 'a', entityRef: 'c', firedAt: '2026-06-01T10:00:00Z' }] }, /^events\[0\]\.actionable: is required/],
    [{ events: [{ type: 'vulnerability', id: 'v', entityRef: 'c', severity: 'urgent', detectedAt: '2026-06-01T10:00:00Z' }] }, /^events\[0\]\.severity: must be one of critical, high, medium, low/],
    [{ events: [{ type: 'pipeline-run', id: 'p', entityRef: 'c', finishedAt: '2026-06-01T10:00:00Z', status: 'success', durationSeconds: -1 }] }, /^events\[0\]\.durationSeconds: must be 0 or more/],
    [{ events: [{ type: 'sli', id: 's', entityRef: 'c', slo: 'x', windowStart: '2026-06-01T00:00:00Z', windowEnd: '2026-06-01T00:05:00Z', good: 5, total: 4 }] }, /^events\[0\]\.good: must not exceed total/],
    [{ events: [{ type: 'sli', id: 's', entityRef: 'c', slo: 'x', windowStart: '2026-06-01T00:00:00Z', windowEnd: '2026-06-01T00:00:00Z', good: 1, total: 4 }] }, /^events\[0\]\.windowEnd: must be after windowStart/],
    [{ events: [{ type: 'measurement', id: 'm', entityRef: 'c', kpi: 'Test Coverage', timestamp: '2026-06-01T00:00:00Z', value: 3 }] }, /^events\[0\]\.kpi: must be a KPI id/],
    [{ events: [{ type: 'measurement', id: 'm', entityRef: 'c', kpi: 'cov', timestamp: '2026-06-01T00:00:00Z', value: 'high' }] }, /^events\[0\]\.value: must be a number/],
    [{ events: [{ type: 'change', id: 'c', entityRef: 'c', createdAt: '2026-06-01T00:00:00Z', mergedAt: '2026-05-01T00:00:00Z' }] }, /^events\[0\]\.mergedAt: must not be before createdAt/],
  ])('rejects %j with 400 naming index and field, storing nothing', async (body, message) => {
    const { post, stored } = await start();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(message);
    expect(await stored()).toBe(0);
  });

  it('accepts 5,000 events and rejects 5,001', async () => {
    const { post, stored } = await start();
    const many = (n: number) => Array.from({ length: n }, (_, i) => deployment(`d${i}`));
    const tooMany = await post({ events: many(5001) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/at most 5000 events per request; got 5001/);
    expect(await stored()).toBe(0);
    expect((await post({ events: many(5000) })).body).toEqual({ accepted: 5000 });
    expect(await stored()).toBe(5000);
  });

  it('lets services and permitted users send, refuses anonymous callers', async () => {
    const { post, server, stored } = await start();
    expect((await post({ events: [deployment('u1')] }, mockCredentials.user.header())).status).toBe(202);
    const anonymous = await request(server).post(PATH).send({ events: [deployment('a1')] });
    expect(anonymous.status).toBe(401);
    expect(await stored()).toBe(1);
  });

  it('refuses a user without the ingest permission, but not a service', async () => {
    const { post, stored } = await start(AuthorizeResult.DENY);
    const res = await post({ events: [deployment('u1')] }, mockCredentials.user.header());
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/devops-personas\.events\.ingest/);
    expect(await stored()).toBe(0);
    expect((await post({ events: [deployment('s1')] })).status).toBe(202);
  });
});
