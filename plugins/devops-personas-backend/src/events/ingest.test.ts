import { policyPermissionsFactory } from '../__testUtils__/policyPermissions';
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

/** An event whose JSON is exactly `bytes` long, padded in an unknown field. */
function eventOfSize(bytes: number) {
  const event = deployment('sized', { pad: '' });
  const padding = bytes - Buffer.byteLength(JSON.stringify(event));
  return { ...event, pad: 'x'.repeat(padding) };
}

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
        policyPermissionsFactory(permission),
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      ],
    });
    const stored = async () => {
      const [{ n }] = await knex('devops_personas_events').count({ n: '*' });
      return Number(n);
    };
    // Every stored row as the store wrote it, in identity order.
    const rows = async () =>
      (await knex('devops_personas_events').orderBy(['type', 'source', 'event_id'])).map(row => ({
        type: row.type,
        source: row.source,
        id: row.event_id,
        entityRef: row.entity_ref,
        timeMs: Number(row.time_ms),
        payload: JSON.parse(row.payload),
      }));
    const post = (body: unknown, header = mockCredentials.service.header()) =>
      request(server).post(PATH).set('Authorization', header).send(body as object);
    return { post, stored, rows, knex, server };
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

  // Hostile input: nothing a sender writes may crash the backend or be stored
  // differently on the two databases.
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'refuses the inherited name %p as a type with 400, not 500',
    async type => {
      const { post, rows } = await start();
      const res = await post({ events: [{ type, id: 'x', entityRef: 'x' }] });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^events\[0\]\.type: must be one of deployment, change/);
      expect(await rows()).toEqual([]);
    },
  );

  it('ignores an own __proto__ field rather than taking a type from it', async () => {
    const { server, rows } = await start();
    const res = await request(server)
      .post(PATH)
      .set('Authorization', mockCredentials.service.header())
      .set('Content-Type', 'application/json')
      .send('{"events":[{"__proto__":{"type":"deployment"},"id":"x","entityRef":"x","finishedAt":"2026-06-01T10:00:00Z","status":"success"}]}');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^events\[0\]\.type: must be one of/);
    expect(await rows()).toEqual([]);
  });

  it.each([
    ['a NUL byte in id', { id: 'a\u0000b' }, /^events\[0\]\.id: must not contain control characters/],
    ['a NUL byte in source', { source: 'git\u0000hub' }, /^events\[0\]\.source: must not contain control characters/],
    ['a tab in id', { id: 'a\tb' }, /^events\[0\]\.id: must not contain control characters/],
    ['a line feed in a change id', { changeIds: ['ok', 'c\n1'] }, /^events\[0\]\.changeIds\[1\]: must not contain control characters/],
    ['a lone high surrogate in id', { id: 'a\ud800' }, /^events\[0\]\.id: must be valid Unicode/],
    ['a lone low surrogate in source', { source: '\udc00x' }, /^events\[0\]\.source: must be valid Unicode/],
    ['an id of 256 characters', { id: 'i'.repeat(256) }, /^events\[0\]\.id: must be at most 255 characters long; got 256/],
    ['a source of 256 characters', { source: 's'.repeat(256) }, /^events\[0\]\.source: must be at most 255 characters/],
    // 240 characters as a short ref, 258 once made full (component:default/…)
    ['an entityRef that grows past 255 when made full', { entityRef: 'e'.repeat(240) }, /^events\[0\]\.entityRef: must be at most 255 characters long as a full ref \(258/],
    ['an offset of +25:00', { finishedAt: '2026-06-01T10:00:00+25:00' }, /^events\[0\]\.finishedAt: has an impossible offset \+25:00/],
    ['an offset of +99', { finishedAt: '2026-06-01T10:00:00+99' }, /^events\[0\]\.finishedAt: has an impossible offset \+99:00/],
    ['an offset of +12:75', { finishedAt: '2026-06-01T10:00:00+12:75' }, /^events\[0\]\.finishedAt: has an impossible offset \+12:75/],
    ['an offset of -14:01', { finishedAt: '2026-06-01T10:00:00-14:01' }, /impossible offset -14:01/],
    ['the year 0000', { finishedAt: '0000-06-01T10:00:00Z' }, /^events\[0\]\.finishedAt: is not a valid date: there is no year 0000/],
    ['the 30th of February', { finishedAt: '2026-02-30T10:00:00Z' }, /^events\[0\]\.finishedAt: is not a valid date/],
    ['hour 24', { finishedAt: '2026-06-01T24:00:00Z' }, /^events\[0\]\.finishedAt: is not a valid time/],
    ['a url that is not http', { url: 'data:text/html,<script>alert(1)</script>' }, /^events\[0\]\.url: must be an absolute http or https URL/],
    ['a url of 2,049 characters', { url: `https://ci.example.com/${'u'.repeat(2049 - 23)}` }, /^events\[0\]\.url: must be at most 2048 characters/],
    ['an unknown attribution', { type: 'incident', startedAt: '2026-06-01T10:00:00Z', attribution: 'guess' }, /^events\[0\]\.attribution: must be one of explicit, last-deployment/],
  ])('refuses %s with 400 naming the field, storing nothing', async (_what, extra, message) => {
    const { post, rows } = await start();
    const res = await post({ events: [deployment('ok'), deployment('bad', extra)].reverse() });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(message);
    expect(await rows()).toEqual([]);
  });

  it('takes an event of exactly 16 KiB of JSON and refuses one byte more', async () => {
    const { post, rows } = await start();
    const tooBig = await post({ events: [deployment('a'), eventOfSize(16 * 1024 + 1)] });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.message).toMatch(/^events\[1\]: is more than 16384 bytes of JSON/);
    expect(await rows()).toEqual([]);
    expect((await post({ events: [eventOfSize(16 * 1024)] })).status).toBe(202);
    const [stored] = await rows();
    // the padding was an unknown field: counted for the limit, not stored
    expect(stored.payload).not.toHaveProperty('pad');
  });

  it('refuses a 5 MB unknown field and deeply nested arrays with 400', async () => {
    const { post, rows } = await start();
    const junk = await post({ events: [deployment('j', { junk: 'x'.repeat(5 * 1024 * 1024) })] });
    expect(junk.status).toBe(400);
    expect(junk.body.error.message).toMatch(/^events\[0\]: is more than 16384 bytes/);
    const depth = 100_000;
    const nested = `{"events":[${JSON.stringify(deployment('n')).slice(0, -1)},"deep":${'['.repeat(depth)}${']'.repeat(depth)}}]}`;
    const deep = await request((await start()).server)
      .post(PATH)
      .set('Authorization', mockCredentials.service.header())
      .set('Content-Type', 'application/json')
      .send(nested);
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toMatch(/^events\[0\]: is more than 16384 bytes/);
    expect(await rows()).toEqual([]);
  });

  it('stores only the fields SPEC lists for the type, and the same on every database', async () => {
    const { post, rows } = await start();
    const res = await post({
      events: [
        deployment('d1', {
          finishedAt: '2026-06-01T12:00:00+14:00',
          url: 'https://ci.example.com/runs/1',
          junk: { nested: [1, 2, 3] },
        }),
        {
          type: 'vulnerability',
          id: 'v1',
          source: 'dependabot',
          entityRef: 'Component:Default/Checkout',
          severity: 'critical',
          detectedAt: '2026-05-01T00:00:00-12:00',
          dismissedAt: '2026-05-03T00:00:00Z',
          cvss: 9.8,
        },
        {
          type: 'incident',
          id: 'ünïcødé-🚀',
          entityRef: `${'e'.repeat(237)}`, // 255 once made full
          startedAt: '2026-06-02T00:00:00.123456789Z',
          attribution: 'explicit',
          resolvedAt: null,
        },
      ],
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 3 });
    expect(await rows()).toEqual([
      {
        type: 'deployment',
        source: '',
        id: 'd1',
        entityRef: 'component:default/checkout',
        timeMs: Date.parse('2026-05-31T22:00:00Z'),
        payload: {
          type: 'deployment',
          id: 'd1',
          source: '',
          entityRef: 'component:default/checkout',
          url: 'https://ci.example.com/runs/1',
          finishedAt: '2026-05-31T22:00:00.000Z',
          status: 'success',
          environment: 'production',
          changeIds: [],
          rework: false,
        },
      },
      {
        type: 'incident',
        source: '',
        id: 'ünïcødé-🚀',
        entityRef: `component:default/${'e'.repeat(237)}`,
        timeMs: Date.parse('2026-06-02T00:00:00.123Z'),
        payload: {
          type: 'incident',
          id: 'ünïcødé-🚀',
          source: '',
          entityRef: `component:default/${'e'.repeat(237)}`,
          startedAt: '2026-06-02T00:00:00.123Z',
          customerImpacting: false,
          attribution: 'explicit',
        },
      },
      {
        type: 'vulnerability',
        source: 'dependabot',
        id: 'v1',
        entityRef: 'component:default/checkout',
        timeMs: Date.parse('2026-05-01T12:00:00Z'),
        payload: {
          type: 'vulnerability',
          id: 'v1',
          source: 'dependabot',
          entityRef: 'component:default/checkout',
          severity: 'critical',
          detectedAt: '2026-05-01T12:00:00.000Z',
          dismissedAt: '2026-05-03T00:00:00.000Z',
        },
      },
    ]);
  });

  it('takes no source, a null source and an empty source as the same: none', async () => {
    const { post, rows } = await start();
    const res = await post({ events: [deployment('s'), deployment('s', { source: null }), deployment('s', { source: '' })] });
    expect(res.body).toEqual({ accepted: 1 });
    expect((await rows()).map(r => [r.id, r.source])).toEqual([['s', '']]);
    expect((await post({ events: [deployment('s', { source: '  ' })] })).body.error.message).toMatch(/^events\[0\]\.source: must be a non-empty string/);
  });

  it('keeps ids that differ only in characters outside the BMP apart', async () => {
    const { post, rows } = await start();
    const res = await post({ events: [deployment('a😀'), deployment('a😁'), deployment('a\u{1F600}')] });
    expect(res.body).toEqual({ accepted: 2 });
    expect((await rows()).map(r => r.id).sort()).toEqual(['a😀', 'a😁']);
  });

  it.each([
    ['application/json; charset=utf-16', Buffer.from(JSON.stringify({ events: [deployment('x')] }), 'utf16le'), /charset "utf-16" is not supported/],
    ['application/json; charset=latin1', JSON.stringify({ events: [deployment('x')] }), /charset "latin1" is not supported/],
    ['text/plain', JSON.stringify({ events: [deployment('x')] }), /Content-Type must be application\/json; got "text\/plain"/],
    ['application/x-www-form-urlencoded', 'events=1', /Content-Type must be application\/json/],
  ])('answers %p with 415 naming the content type, storing nothing', async (type, body, message) => {
    const { server, rows } = await start();
    const res = await request(server)
      .post(PATH)
      .set('Authorization', mockCredentials.service.header())
      .set('Content-Type', type)
      .send(body);
    expect(res.status).toBe(415);
    expect(res.body.error.message).toMatch(message);
    expect(await rows()).toEqual([]);
  });

  it('takes UTF-8 JSON with or without a charset, and answers malformed JSON with 400', async () => {
    const { server, rows } = await start();
    const send = (type: string, body: string) =>
      request(server).post(PATH).set('Authorization', mockCredentials.service.header()).set('Content-Type', type).send(body);
    expect((await send('application/json; charset=UTF-8', JSON.stringify({ events: [deployment('é1')] }))).status).toBe(202);
    expect((await send('application/cloudevents+json', JSON.stringify({ events: [deployment('é2')] }))).status).toBe(202);
    const malformed = await send('application/json', '{"events": [');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.name).toBe('InputError');
    expect(malformed.body.error.message).toMatch(/^The request body is not valid JSON/);
    expect((await rows()).map(r => r.id)).toEqual(['é1', 'é2']);
  });

  it('answers a body over the size limit with 413, storing nothing', async () => {
    const { server, rows } = await start();
    const res = await request(server)
      .post(PATH)
      .set('Authorization', mockCredentials.service.header())
      .set('Content-Type', 'application/json')
      .send(`{"events":[],"pad":"${'x'.repeat(26 * 1024 * 1024)}"}`);
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/send the events in several requests/);
    expect(await rows()).toEqual([]);
  });

  it('refuses anonymous senders before reading the body', async () => {
    const { server, rows } = await start();
    const res = await request(server).post(PATH).set('Content-Type', 'text/plain').send('x');
    expect(res.status).toBe(401);
    expect(await rows()).toEqual([]);
  });

  it('stores each event once when concurrent requests name the same events in opposite orders', async () => {
    const { post, rows } = await start();
    const events = Array.from({ length: 400 }, (_, i) =>
      i % 2 ? deployment(`d${i}`) : { type: 'change', id: `c${i}`, entityRef: `svc-${i % 7}`, createdAt: '2026-05-01T00:00:00Z' },
    );
    const reversed = [...events].reverse();
    const responses = await Promise.all(
      Array.from({ length: 4 }, (_, round) => [post({ events }), post({ events: reversed })][round % 2]).concat(
        Array.from({ length: 4 }, (_, round) => [post({ events: reversed }), post({ events })][round % 2]),
      ),
    );
    expect(responses.map(r => r.status)).toEqual(Array(8).fill(202));
    const stored = await rows();
    expect(stored).toHaveLength(400);
    expect(new Set(stored.map(r => `${r.type}/${r.id}`)).size).toBe(400);
  });
});
