import { createHmac } from 'node:crypto';
import eventsPlugin from '@backstage/plugin-events-backend';
// The test runs this module against the real backend plugin it feeds.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import devopsPersonasPlugin from '@devops-personas/plugin-devops-personas-backend';
import {
  SourceTestBackend,
  startSourceTestBackend,
} from '@devops-personas/plugin-devops-personas-node/testUtils';
import { recordedAccount } from './__fixtures__/recordedDeliveries';
import pagerDutyFeatures from './index';

jest.setTimeout(60_000);

/** The recorded deliveries were signed with this subscription secret. */
const SECRET = recordedAccount.secret;

const component = (name: string, serviceId?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: (serviceId
      ? { 'pagerduty.com/service-id': serviceId }
      : {}) as Record<string, string>,
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

const entities = [
  // The service of the recorded deliveries.
  component('webhook-tester', 'PNE3JZM'),
  component('checkout', 'PCHECK1'),
  // Receives the same incidents through POST /v1/events.
  component('checkout-twin'),
  component('recorded-twin'),
];

/**
 * The shared source test backend with the DevOps Personas backend and
 * this package.
 */
const startBackend = (devopsPersonas: {
  sources?: { pagerduty: { webhookSecret: string } };
}) =>
  startSourceTestBackend({
    features: [eventsPlugin, devopsPersonasPlugin, pagerDutyFeatures],
    topics: ['pagerduty'],
    entities,
    config: { devopsPersonas },
  });

const sign = (body: string, secret = SECRET) =>
  `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

const template = (name: 'triggered' | 'resolved') =>
  JSON.parse(recordedAccount.deliveries[name].body);

/** A delivery like the recorded one, for another incident. */
function delivery(
  eventType: 'incident.triggered' | 'incident.resolved',
  incident: {
    id: string;
    serviceId: string;
    createdAt: string;
    occurredAt: string;
    priority: string | null;
    urgency?: string;
  },
): string {
  const body = template(
    eventType === 'incident.triggered' ? 'triggered' : 'resolved',
  );
  body.event.id = `01EVT${incident.id}${eventType.length}`;
  body.event.occurred_at = incident.occurredAt;
  Object.assign(body.event.data, {
    id: incident.id,
    html_url: `https://acme.pagerduty.com/incidents/${incident.id}`,
    created_at: incident.createdAt,
    urgency: incident.urgency ?? 'high',
    priority:
      incident.priority === null
        ? null
        : {
            html_url: 'https://acme.pagerduty.com/account/incident_priorities',
            id: `PRIO${incident.priority}`,
            self: `https://api.pagerduty.com/priorities/PRIO${incident.priority}`,
            summary: incident.priority,
            type: 'priority_reference',
          },
  });
  body.event.data.service.id = incident.serviceId;
  return JSON.stringify(body);
}

describe('PagerDuty webhooks through the events ingress', () => {
  let backend: SourceTestBackend;

  beforeAll(async () => {
    backend = await startBackend({
      sources: { pagerduty: { webhookSecret: SECRET } },
    });
  });

  const post = (body: string, signature?: string) =>
    backend.deliver(
      'pagerduty',
      body,
      signature === undefined ? {} : { 'X-PagerDuty-Signature': signature },
    );
  const source = () => backend.source('pagerduty');
  const kpis = (name: string, until: string) =>
    backend.kpis(name, `window=30d&until=${until}`);

  it('lists the source with its topic and annotation', async () => {
    expect(await source()).toMatchObject({
      id: 'pagerduty',
      title: 'PagerDuty',
      topics: ['pagerduty'],
      annotation: 'pagerduty.com/service-id',
    });
  });

  it('refuses a wrong or missing signature with 401 and stores nothing', async () => {
    const before = await source();
    const { body } = recordedAccount.deliveries.triggered;
    for (const signature of [
      sign(body, 'another-secret'),
      undefined,
      'v1=00',
    ]) {
      const res = await post(body, signature);
      expect(res.status).toBe(401);
    }
    // Signed over other bytes than those sent.
    const res = await post(
      body.replace('"Test"', '"Changed"'),
      recordedAccount.deliveries.triggered.signature,
    );
    expect(res.status).toBe(401);
    expect((await source()).counts).toEqual(before.counts);
    expect(
      (await kpis('webhook-tester', '2025-04-30T00:00:00Z'))[
        'customer-impacting-incidents'
      ].value,
    ).toBe(0);
  });

  it('stores the recorded deliveries byte for byte as PagerDuty signed them, ignoring the acknowledgement', async () => {
    const before = (await source()).counts;
    for (const name of [
      'triggered',
      'acknowledged',
      'annotated',
      'resolved',
    ] as const) {
      const { body, signature } = recordedAccount.deliveries[name];
      const res = await post(body, signature);
      expect(res.status).toBe(202);
    }
    const after = (await source()).counts;
    expect(after.received - before.received).toBe(4);
    expect(after.stored - before.stored).toBe(2);
    expect((after.dropped.ignored ?? 0) - (before.dropped.ignored ?? 0)).toBe(
      2,
    );

    const until = '2025-04-30T00:00:00Z';
    const viaWebhook = await kpis('webhook-tester', until);
    // 03:47:13 → 03:49:36.358
    expect(viaWebhook['time-to-restore']).toMatchObject({
      value: 143.358,
      sampleSize: 1,
    });
    expect(viaWebhook['customer-impacting-incidents'].value).toBe(0);

    await backend.ingest([
      {
        type: 'incident',
        id: 'Q2CKYRLH85UNN4',
        entityRef: 'component:default/recorded-twin',
        startedAt: '2025-04-07T03:47:13Z',
        resolvedAt: '2025-04-07T03:49:36.358Z',
        severity: 'low',
        customerImpacting: false,
      },
    ]);
    const viaApi = await kpis('recorded-twin', until);
    for (const id of ['time-to-restore', 'customer-impacting-incidents']) {
      expect(viaWebhook[id].value).toEqual(viaApi[id].value);
      expect(viaWebhook[id].sampleSize).toEqual(viaApi[id].sampleSize);
    }
  });

  it('gives the same time-to-restore and customer-impacting incidents as the same incidents sent to POST /v1/events, counting redeliveries once', async () => {
    const incidents = [
      // P1 at trigger; the resolution names no priority: stays customer-impacting.
      {
        id: 'PINCA01',
        createdAt: '2026-06-10T10:00:00Z',
        resolvedAt: '2026-06-10T11:30:00Z',
        trigger: 'P1',
        resolve: null,
      },
      // No priority at trigger, raised to P2 before the resolution.
      {
        id: 'PINCB02',
        createdAt: '2026-06-12T08:00:00Z',
        resolvedAt: '2026-06-12T08:20:00Z',
        trigger: null,
        resolve: 'P2',
      },
      {
        id: 'PINCC03',
        createdAt: '2026-06-20T00:00:00Z',
        resolvedAt: '2026-06-21T00:00:00Z',
        trigger: 'P3',
        resolve: 'P3',
      },
      // Still open.
      {
        id: 'PINCD04',
        createdAt: '2026-06-25T09:00:00Z',
        resolvedAt: undefined,
        trigger: 'P1',
        resolve: null,
      },
    ];
    const deliveries: string[] = [];
    for (const incident of incidents) {
      const common = {
        id: incident.id,
        serviceId: 'PCHECK1',
        createdAt: incident.createdAt,
      };
      deliveries.push(
        delivery('incident.triggered', {
          ...common,
          occurredAt: incident.createdAt,
          priority: incident.trigger,
        }),
      );
      if (incident.resolvedAt) {
        deliveries.push(
          delivery('incident.resolved', {
            ...common,
            occurredAt: incident.resolvedAt,
            priority: incident.resolve,
          }),
        );
      }
    }
    const before = (await source()).counts;
    for (const body of deliveries) {
      expect((await post(body, sign(body))).status).toBe(202);
    }
    // PagerDuty retries: every delivery again, and a trigger once more
    // after its resolution (which must stay resolved).
    for (const body of [...deliveries, deliveries[0]]) {
      expect((await post(body, sign(body))).status).toBe(202);
    }
    const after = (await source()).counts;
    expect(after.received - before.received).toBe(2 * deliveries.length + 1);
    expect(after.dropped).toEqual(before.dropped);

    await backend.ingest(
      incidents.map(incident => ({
        type: 'incident',
        id: incident.id,
        entityRef: 'component:default/checkout-twin',
        startedAt: incident.createdAt,
        ...(incident.resolvedAt ? { resolvedAt: incident.resolvedAt } : {}),
        severity: 'high',
        customerImpacting: ['P1', 'P2'].includes(
          incident.trigger ?? incident.resolve ?? '',
        ),
      })),
    );

    const until = '2026-06-30T00:00:00Z';
    const viaWebhook = await kpis('checkout', until);
    const viaApi = await kpis('checkout-twin', until);
    expect(viaWebhook['time-to-restore']).toMatchObject({
      value: 5400,
      sampleSize: 3,
    });
    expect(viaWebhook['customer-impacting-incidents'].value).toBe(3);
    for (const id of ['time-to-restore', 'customer-impacting-incidents']) {
      expect(viaWebhook[id].value).toEqual(viaApi[id].value);
      expect(viaWebhook[id].sampleSize).toEqual(viaApi[id].sampleSize);
    }
  });

  it('drops an incident of a service no entity carries as unmapped-entity', async () => {
    const before = await source();
    const body = delivery('incident.triggered', {
      id: 'PORPHAN',
      serviceId: 'PNOBODY',
      createdAt: '2026-06-15T00:00:00Z',
      occurredAt: '2026-06-15T00:00:00Z',
      priority: 'P1',
    });
    expect((await post(body, sign(body))).status).toBe(202);
    const after = await source();
    expect(after.counts.received).toBe(before.counts.received + 1);
    expect(after.counts.stored).toBe(before.counts.stored);
    expect(after.counts.dropped['unmapped-entity']).toBe(
      (before.counts.dropped['unmapped-entity'] ?? 0) + 1,
    );
    expect(after.lastError).toMatchObject({ reason: 'unmapped-entity' });
    expect(after.lastError?.message).toContain('PNOBODY');
  });

  it('counts a signed payload it cannot read as unreadable, without failing the request', async () => {
    const before = await source();
    const body = JSON.stringify({ messages: [{ event: 'incident.trigger' }] });
    expect((await post(body, sign(body))).status).toBe(202);
    const after = await source();
    expect(after.counts.dropped['unreadable-payload']).toBe(
      (before.counts.dropped['unreadable-payload'] ?? 0) + 1,
    );
    expect(after.lastError?.message).toContain('Not a PagerDuty V3 webhook');
  });
});

describe('PagerDuty webhooks without a configured secret', () => {
  it('refuses even correctly signed deliveries', async () => {
    const backend = await startBackend({});
    const { body, signature } = recordedAccount.deliveries.triggered;
    const res = await backend.deliver('pagerduty', body, {
      'X-PagerDuty-Signature': signature,
    });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/webhookSecret is not configured/);
    expect((await backend.source('pagerduty')).counts.received).toBe(0);
  });
});
