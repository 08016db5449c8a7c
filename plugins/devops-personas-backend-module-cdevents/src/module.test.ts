import eventsPlugin from '@backstage/plugin-events-backend';
// The test runs this module against the real backend plugin it feeds.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import devopsPersonasPlugin from '@devops-personas/plugin-devops-personas-backend';
import {
  SourceTestBackend,
  startSourceTestBackend,
} from '@devops-personas/plugin-devops-personas-node/testUtils';
import {
  Cdevent,
  CloudEventRequest,
  SpecRelease,
  binaryRequest,
  example,
  structuredRequest,
} from './__testUtils__/cloudEvents';
import cdeventsFeatures from './index';

jest.setTimeout(60_000);

const TOKEN = 'test-token-4f1c2a';
const UNTIL = '2026-06-30T00:00:00Z';

const component = (name: string, subject?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: (subject
      ? { 'devops-personas.io/cdevents-subject': subject }
      : {}) as Record<string, string>,
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

const entities = [
  component('payments', 'payments-svc'),
  // Receives the same events through POST /v1/events.
  component('payments-twin'),
  // Named by a CDEvent subject id read as an entity ref.
  component('orders'),
  // Receives events out of order.
  component('inventory', 'inventory-svc'),
];

/**
 * The shared source test backend with the DevOps Personas backend and
 * this package.
 */
const startBackend = (devopsPersonas: {
  sources?: { cdevents: { token: string } };
}) =>
  startSourceTestBackend({
    features: [eventsPlugin, devopsPersonasPlugin, cdeventsFeatures],
    topics: ['cdevents'],
    entities,
    config: { devopsPersonas },
  });

/** A spec example turned into another occurrence of the same event. */
function occurrence(
  release: SpecRelease,
  name: string,
  change: {
    id?: string;
    timestamp: string;
    subjectId: string;
    content?: Record<string, unknown>;
  },
): Cdevent {
  const cdevent = example(release, name);
  if (change.id) cdevent.context.id = change.id;
  cdevent.context.timestamp = change.timestamp;
  cdevent.subject.id = change.subjectId;
  cdevent.subject.content = { ...cdevent.subject.content, ...change.content };
  return cdevent;
}

const production = { environment: { id: 'prod' } };

describe('CDEvents through the events ingress', () => {
  let backend: SourceTestBackend;

  beforeAll(async () => {
    backend = await startBackend({ sources: { cdevents: { token: TOKEN } } });
  });

  const post = (
    { headers, body }: CloudEventRequest,
    authorization: string | null = `Bearer ${TOKEN}`,
  ) =>
    backend.deliver(
      'cdevents',
      body,
      authorization === null ? headers : { ...headers, authorization },
    );
  const source = () => backend.source('cdevents');
  const kpis = (name: string) =>
    backend.kpis(name, `window=30d&until=${UNTIL}`);

  it('lists the source with its topic and annotation', async () => {
    expect(await source()).toMatchObject({
      id: 'cdevents',
      title: 'CDEvents',
      topics: ['cdevents'],
      annotation: 'devops-personas.io/cdevents-subject',
    });
  });

  it('refuses a wrong or missing token with 401 and stores nothing', async () => {
    const before = await source();
    const deployed = occurrence('spec-v0.5.1', 'service_deployed', {
      id: 'refused-1',
      timestamp: '2026-06-03T10:00:00Z',
      subjectId: 'payments-svc',
      content: production,
    });
    for (const toRequest of [binaryRequest, structuredRequest]) {
      for (const authorization of [
        `Bearer ${TOKEN}x`,
        `Basic ${TOKEN}`,
        null,
      ]) {
        const res = await post(toRequest(deployed), authorization);
        expect(res.status).toBe(401);
      }
    }
    expect((await source()).counts).toEqual(before.counts);
    expect((await kpis('payments'))['deployment-frequency'].value).toBe(0);
  });

  it('answers 400 for a structured CloudEvent that is not JSON, and 415 for a batch', async () => {
    const before = await source();
    const malformed = await post({
      headers: { 'content-type': 'application/cloudevents+json' },
      body: '{"specversion": "1.0", "data": ',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/not valid JSON/);
    const batch = await post({
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: '[]',
    });
    expect(batch.status).toBe(415);
    expect((await source()).counts).toEqual(before.counts);
  });

  it('gives the same KPIs as the same events sent to POST /v1/events, in binary and structured mode, counting redeliveries once', async () => {
    const subject = { subjectId: 'payments-svc' };
    const deployments = [
      {
        id: 'dep-1',
        // What the backend fills in from the changes merged before it.
        changeIds: ['payments/pull/17'],
        name: 'service_deployed',
        release: 'spec-v0.3.0',
        at: '2026-06-02T10:00:00Z',
        status: 'success',
      },
      {
        id: 'dep-2',
        changeIds: ['payments/pull/18'],
        name: 'service_upgraded',
        release: 'spec-v0.5.1',
        at: '2026-06-09T10:00:00Z',
        status: 'success',
      },
      {
        id: 'dep-3',
        changeIds: [],
        name: 'service_deployed',
        release: 'spec-v0.5.1',
        at: '2026-06-16T10:00:00Z',
        status: 'success',
      },
      {
        id: 'dep-4',
        changeIds: [],
        name: 'service_rolledback',
        release: 'spec-v0.3.0',
        at: '2026-06-16T12:00:00Z',
        status: 'rolled_back',
      },
    ] as {
      id: string;
      name: string;
      release: SpecRelease;
      at: string;
      status: string;
      changeIds: string[];
    }[];
    const runs = [
      ['run-1', 'success', '2026-06-03T09:00:00Z', 'success'],
      ['run-2', 'success', '2026-06-10T09:00:00Z', 'success'],
      ['run-3', 'failure', '2026-06-11T09:00:00Z', 'failure'],
      ['run-4', 'error', '2026-06-12T09:00:00Z', 'failure'],
      ['run-5', 'cancel', '2026-06-13T09:00:00Z', 'cancelled'],
    ] as const;
    const incidents = [
      {
        id: 'INC-1',
        start: 'incident_detected',
        startedAt: '2026-06-16T13:00:00Z',
        resolvedAt: '2026-06-16T14:00:00Z',
      },
      {
        id: 'INC-2',
        start: 'incident_reported',
        startedAt: '2026-06-20T00:00:00Z',
        resolvedAt: '2026-06-20T00:30:00Z',
      },
    ] as const;
    const changes = [
      {
        id: 'payments/pull/17',
        createdAt: '2026-06-01T00:00:00Z',
        mergedAt: '2026-06-01T06:00:00Z',
      },
      {
        id: 'payments/pull/18',
        createdAt: '2026-06-08T00:00:00Z',
        mergedAt: '2026-06-08T12:00:00Z',
      },
    ];

    const sent: Cdevent[] = [
      ...changes.flatMap(change => {
        const repository = {
          repository: { id: 'payments-svc', source: 'https://git.example.com' },
        };
        return [
          occurrence('spec-v0.5.1', 'change_created', {
            timestamp: change.createdAt,
            subjectId: change.id,
            content: repository,
          }),
          occurrence('spec-v0.3.0', 'change_merged', {
            timestamp: change.mergedAt,
            subjectId: change.id,
            content: repository,
          }),
        ];
      }),
      ...deployments.map(d =>
        occurrence(d.release, d.name, {
          id: d.id,
          timestamp: d.at,
          ...subject,
          content: production,
        }),
      ),
      // Not production: no deployment of the KPIs.
      occurrence('spec-v0.5.1', 'service_deployed', {
        id: 'dep-staging',
        timestamp: '2026-06-20T10:00:00Z',
        ...subject,
        content: { environment: { id: 'staging' } },
      }),
      ...runs.map(([id, outcome, at]) =>
        occurrence('spec-v0.5.1', 'pipelinerun_finished', {
          id,
          timestamp: at,
          ...subject,
          content: { outcome },
        }),
      ),
      ...incidents.flatMap(incident => {
        const service = { service: { id: 'payments-svc' } };
        return [
          occurrence('spec-v0.5.1', incident.start, {
            timestamp: incident.startedAt,
            subjectId: incident.id,
            content: service,
          }),
          occurrence('spec-v0.3.0', 'incident_resolved', {
            timestamp: incident.resolvedAt,
            subjectId: incident.id,
            content: service,
          }),
        ];
      }),
    ];

    const before = (await source()).counts;
    // Each event in one mode, then all again in the other: a redelivery.
    for (const [index, cdevent] of sent.entries()) {
      const toRequest = index % 2 ? structuredRequest : binaryRequest;
      expect((await post(toRequest(cdevent))).status).toBe(202);
    }
    for (const [index, cdevent] of sent.entries()) {
      const toRequest = index % 2 ? binaryRequest : structuredRequest;
      expect((await post(toRequest(cdevent))).status).toBe(202);
    }
    // The start of INC-1 once more, after its resolution.
    expect(
      (await post(binaryRequest(sent.find(e => e.subject.id === 'INC-1')!)))
        .status,
    ).toBe(202);
    const after = (await source()).counts;
    expect(after.received - before.received).toBe(2 * sent.length + 1);
    expect(after.dropped).toEqual(before.dropped);

    const twin = 'component:default/payments-twin';
    await backend.ingest([
      ...changes.map(c => ({ type: 'change', entityRef: twin, ...c })),
      ...deployments.map(d => ({
        type: 'deployment',
        id: d.id,
        entityRef: twin,
        finishedAt: d.at,
        status: d.status,
        environment: 'production',
        changeIds: d.changeIds,
      })),
      {
        type: 'deployment',
        id: 'dep-staging',
        entityRef: twin,
        finishedAt: '2026-06-20T10:00:00Z',
        status: 'success',
        environment: 'staging',
      },
      ...runs.map(([id, , at, status]) => ({
        type: 'pipeline-run',
        id,
        entityRef: twin,
        finishedAt: at,
        status,
      })),
      ...incidents.map(i => ({
        type: 'incident',
        id: i.id,
        entityRef: twin,
        startedAt: i.startedAt,
        resolvedAt: i.resolvedAt,
      })),
    ]);

    const viaCdevents = await kpis('payments');
    const viaApi = await kpis('payments-twin');
    expect(viaCdevents['deployment-frequency'].value).toBeCloseTo(
      4 / (30 / 7),
      6,
    );
    expect(viaCdevents['rollback-rate'].value).toBe(0.25);
    expect(viaCdevents['pipeline-success-rate'].value).toBe(0.5);
    expect(viaCdevents['time-to-restore']).toMatchObject({
      value: 2700,
      sampleSize: 2,
    });
    // Each change merged 34 hours before the deployment that shipped it.
    expect(viaCdevents['lead-time-for-changes']).toMatchObject({
      value: 34 * 3600,
      sampleSize: 2,
    });
    expect(viaCdevents['pr-turnaround-time']).toMatchObject({
      value: 32400,
      sampleSize: 2,
    });
    for (const id of [
      'deployment-frequency',
      'rollback-rate',
      'pipeline-success-rate',
      'time-to-restore',
      'pr-turnaround-time',
      'lead-time-for-changes',
    ]) {
      expect({
        id,
        value: viaCdevents[id].value,
        sampleSize: viaCdevents[id].sampleSize,
      }).toEqual({
        id,
        value: viaApi[id].value,
        sampleSize: viaApi[id].sampleSize,
      });
    }
  });

  it('completes an incident and a change whose events arrive out of order', async () => {
    const service = { service: { id: 'inventory-svc' } };
    const repository = { repository: { id: 'inventory-svc' } };
    const post202 = async (cdevent: Cdevent) =>
      expect((await post(binaryRequest(cdevent))).status).toBe(202);

    await post202(
      occurrence('spec-v0.5.1', 'incident_resolved', {
        timestamp: '2026-06-10T12:00:00Z',
        subjectId: 'INV-1',
        content: service,
      }),
    );
    // Stored on its own, from its placeholder start: restored at once.
    expect((await kpis('inventory'))['time-to-restore']).toMatchObject({
      value: 0,
      sampleSize: 1,
    });
    await post202(
      occurrence('spec-v0.3.0', 'incident_detected', {
        timestamp: '2026-06-10T11:00:00Z',
        subjectId: 'INV-1',
        content: service,
      }),
    );
    // The detection's earlier start wins; the resolution stays.
    expect((await kpis('inventory'))['time-to-restore']).toMatchObject({
      value: 3600,
      sampleSize: 1,
    });

    await post202(
      occurrence('spec-v0.5.1', 'change_merged', {
        timestamp: '2026-06-12T06:00:00Z',
        subjectId: 'inventory/pull/3',
        content: repository,
      }),
    );
    await post202(
      occurrence('spec-v0.3.0', 'change_created', {
        timestamp: '2026-06-12T00:00:00Z',
        subjectId: 'inventory/pull/3',
        content: repository,
      }),
    );
    expect((await kpis('inventory'))['pr-turnaround-time']).toMatchObject({
      value: 6 * 3600,
      sampleSize: 1,
    });
  });

  it('reads a subject id as an entity ref when no entity carries it as annotation', async () => {
    const deployed = occurrence('spec-v0.5.1', 'service_deployed', {
      id: 'orders-dep-1',
      timestamp: '2026-06-05T10:00:00Z',
      subjectId: 'orders',
      content: production,
    });
    expect((await post(binaryRequest(deployed))).status).toBe(202);
    expect((await kpis('orders'))['deployment-frequency'].value).toBeCloseTo(
      1 / (30 / 7),
      6,
    );
  });

  it('drops an event whose subject names no entity as unmapped-entity, and ignores other CDEvents', async () => {
    const before = await source();
    const ghost = occurrence('spec-v0.5.1', 'service_deployed', {
      id: 'ghost-dep-1',
      timestamp: '2026-06-05T10:00:00Z',
      subjectId: 'ghost-svc',
      content: production,
    });
    expect((await post(structuredRequest(ghost))).status).toBe(202);
    expect(
      (await post(binaryRequest(example('spec-v0.5.1', 'pipelinerun_started'))))
        .status,
    ).toBe(202);
    const after = await source();
    expect(after.counts.received).toBe(before.counts.received + 2);
    expect(after.counts.stored).toBe(before.counts.stored);
    expect(after.counts.dropped['unmapped-entity']).toBe(
      (before.counts.dropped['unmapped-entity'] ?? 0) + 1,
    );
    expect(after.counts.dropped.ignored).toBe(
      (before.counts.dropped.ignored ?? 0) + 1,
    );
    expect(after.lastError).toMatchObject({ reason: 'unmapped-entity' });
    expect(after.lastError?.message).toContain('ghost-svc');
  });
});

describe('CDEvents without a configured token', () => {
  it('refuses every request', async () => {
    const backend = await startBackend({});
    const deployed = example('spec-v0.5.1', 'service_deployed');
    const { headers, body } = binaryRequest(deployed);
    const res = await backend.deliver('cdevents', body, {
      ...headers,
      Authorization: 'Bearer anything',
    });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/token is not configured/);
  });
});
