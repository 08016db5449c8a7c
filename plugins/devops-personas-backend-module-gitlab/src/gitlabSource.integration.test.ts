import { TestDatabases } from '@backstage/backend-test-utils';
import eventsPlugin from '@backstage/plugin-events-backend';
// The integration test runs the plugin this module extends.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import devopsPersonasPlugin from '@devops-personas/plugin-devops-personas-backend';
import {
  SourceTestBackend,
  sourceTestDatabaseIds,
  startSourceTestBackend,
} from '@devops-personas/plugin-devops-personas-node/testUtils';
import deploymentHook from './__fixtures__/deployment-hook.json';
import incidentClosedHook from './__fixtures__/incident-closed-hook.json';
import incidentOpenedHook from './__fixtures__/incident-opened-hook.json';
import issueHook from './__fixtures__/issue-hook.json';
import mergeRequestMergedHook from './__fixtures__/merge-request-merged-hook.json';
import pipelineHook from './__fixtures__/pipeline-hook.json';
import pushHook from './__fixtures__/push-hook.json';
import gitlabSourceModule from '.';
import { eventsModuleGitlabWebhook } from './__testUtils__/eventsModuleGitlabWebhook';

jest.setTimeout(60_000);

const SECRET = 'gitlab-webhook-secret';
const UNTIL = '2026-06-30T00:00:00Z';
// SQLite always; PostgreSQL too when the test run provides one (npm test does).
const databaseIds = sourceTestDatabaseIds();

const component = (name: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

// `shop` gets its events from GitLab webhooks; `twin` gets the same events
// posted to POST /v1/events, so both must show the same KPIs.
const entities = [
  component('shop', { 'gitlab.com/project-slug': 'Acme/Shop' }),
  component('twin'),
];

/** A fixture moved to project acme/shop, with fields changed at the top and in object_attributes. */
function shopHook(
  fixture: object,
  top: Record<string, unknown>,
  attributes?: Record<string, unknown>,
  projectPath = 'acme/shop',
): object {
  const copy = JSON.parse(JSON.stringify(fixture));
  Object.assign(copy, top);
  copy.project = { ...copy.project, path_with_namespace: projectPath };
  if (attributes) Object.assign(copy.object_attributes, attributes);
  return copy;
}

const deployment = (
  id: number,
  status: string,
  at: string,
  environment = 'production',
) =>
  shopHook(deploymentHook, {
    deployment_id: id,
    status,
    status_changed_at: at,
    environment,
    environment_slug: environment,
    environment_tier: environment === 'production' ? 'production' : 'staging',
  });

const merge = (iid: number, createdAt: string, updatedAt: string) =>
  shopHook(
    mergeRequestMergedHook,
    {},
    { iid, id: 1000 + iid, created_at: createdAt, updated_at: updatedAt },
  );

const pipeline = (id: number, status: string, finishedAt: string | null) =>
  shopHook(
    pipelineHook,
    {},
    { id, status, finished_at: finishedAt, duration: 120 },
  );

const incident = (fixture: object, attributes: Record<string, unknown>) =>
  shopHook(fixture, {}, { iid: 7, ...attributes });

// What the hooks above mean, as SPEC §6 events for POST /v1/events: the
// changes and the incident's deployment named explicitly, as the backend
// infers them for GitLab.
const postedEvents = [
  {
    type: 'change',
    id: 'twin!1',
    createdAt: '2026-06-01T08:00:00Z',
    mergedAt: '2026-06-02T10:00:00Z',
  },
  {
    type: 'change',
    id: 'twin!2',
    createdAt: '2026-06-03T09:00:00Z',
    mergedAt: '2026-06-04T12:00:00Z',
  },
  {
    type: 'deployment',
    id: 'twin#101',
    status: 'success',
    environment: 'production',
    finishedAt: '2026-06-03T12:00:00Z',
    changeIds: ['twin!1'],
  },
  {
    type: 'deployment',
    id: 'twin#102',
    status: 'failure',
    environment: 'production',
    finishedAt: '2026-06-04T13:00:00Z',
  },
  {
    type: 'deployment',
    id: 'twin#103',
    status: 'success',
    environment: 'production',
    finishedAt: '2026-06-05T10:00:00Z',
    changeIds: ['twin!2'],
  },
  {
    type: 'deployment',
    id: 'twin#104',
    status: 'success',
    environment: 'staging',
    finishedAt: '2026-06-06T10:00:00Z',
  },
  {
    type: 'incident',
    id: 'twin#incident-7',
    startedAt: '2026-06-05T13:00:00Z',
    resolvedAt: '2026-06-05T15:30:00Z',
    severity: 'high',
    causedByDeploymentId: 'twin#103',
  },
  {
    type: 'pipeline-run',
    id: 'twin#pipeline-501',
    status: 'success',
    finishedAt: '2026-06-10T10:00:00Z',
    durationSeconds: 120,
  },
  {
    type: 'pipeline-run',
    id: 'twin#pipeline-502',
    status: 'failure',
    finishedAt: '2026-06-10T11:00:00Z',
    durationSeconds: 120,
  },
  {
    type: 'pipeline-run',
    id: 'twin#pipeline-503',
    status: 'cancelled',
    finishedAt: '2026-06-10T12:00:00Z',
    durationSeconds: 120,
  },
].map(event => ({ ...event, entityRef: 'component:default/twin' }));

const COMPARED_KPIS = [
  'deployment-frequency',
  'lead-time-for-changes',
  'change-failure-rate',
  'time-to-restore',
  'failed-deployment-recovery-time',
  'pipeline-success-rate',
  'pr-turnaround-time',
];

interface ExplainedEvent {
  role: string;
  note?: string;
  linkedBy?: string;
  event: { id: string; causedByDeploymentId?: string };
}

describe.each(databaseIds)('GitLab webhooks on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });
  let backend: SourceTestBackend;

  beforeAll(async () => {
    backend = await startSourceTestBackend({
      features: [
        eventsPlugin,
        eventsModuleGitlabWebhook,
        devopsPersonasPlugin,
        gitlabSourceModule,
      ],
      topics: ['gitlab'],
      entities,
      knex: await databases.init(databaseId),
      config: { events: { modules: { gitlab: { webhookSecret: SECRET } } } },
    });
  });

  /** POSTs a hook as GitLab does; `token: null` sends no X-Gitlab-Token. */
  const post = (
    body: object,
    gitlabEvent: string,
    token: string | null = SECRET,
  ) =>
    backend.deliver('gitlab', body, {
      'X-Gitlab-Event': gitlabEvent,
      ...(token === null ? {} : { 'X-Gitlab-Token': token }),
    });
  const deliver = async (body: object, gitlabEvent: string) => {
    const res = await post(body, gitlabEvent);
    expect(res.status).toBe(202);
  };
  const gitlabSource = () => backend.source('gitlab');
  const kpis = (name: string) =>
    backend.kpis(name, `window=30d&until=${UNTIL}`);

  const explain = async (
    name: string,
    kpi: string,
  ): Promise<{ events: ExplainedEvent[] }> => {
    const res = await backend.get(
      `/entities/component/default/${name}/kpis/${kpi}/events?window=30d&until=${UNTIL}`,
    );
    expect(res.status).toBe(200);
    return res.body;
  };

  it('lists the GitLab source before anything arrived', async () => {
    expect(await gitlabSource()).toMatchObject({
      title: 'GitLab',
      topics: ['gitlab'],
      annotation: 'gitlab.com/project-slug',
      counts: { received: 0, stored: 0, dropped: {} },
      lastError: null,
    });
  });

  it('refuses a wrong or missing X-Gitlab-Token with 403 and stores nothing', async () => {
    const wrong = await post(
      deployment(101, 'success', '2026-06-03 14:00:00 +0200'),
      'Deployment Hook',
      'not-the-secret',
    );
    expect(wrong.status).toBe(403);
    const missing = await post(
      deployment(101, 'success', '2026-06-03 14:00:00 +0200'),
      'Deployment Hook',
      null,
    );
    expect(missing.status).toBe(403);

    expect((await gitlabSource()).counts).toEqual({
      received: 0,
      stored: 0,
      dropped: {},
      ignoredReasons: {},
    });
    expect((await kpis('shop'))['deployment-frequency'].sampleSize).toBe(0);
  });

  it('turns GitLab hooks into the same KPIs as the equivalent POST /v1/events events', async () => {
    await deliver(
      merge(1, '2026-06-01T08:00:00Z', '2026-06-02 10:00:00 UTC'),
      'Merge Request Hook',
    );
    await deliver(
      merge(2, '2026-06-03T09:00:00Z', '2026-06-04 12:00:00 UTC'),
      'Merge Request Hook',
    );
    await deliver(
      deployment(101, 'success', '2026-06-03 14:00:00 +0200'),
      'Deployment Hook',
    );
    // GitLab redelivers a hook whose first delivery timed out
    await deliver(
      deployment(101, 'success', '2026-06-03 14:00:00 +0200'),
      'Deployment Hook',
    );
    await deliver(
      deployment(102, 'failed', '2026-06-04 15:00:00 +0200'),
      'Deployment Hook',
    );
    await deliver(
      deployment(103, 'running', '2026-06-05 09:55:00 UTC'),
      'Deployment Hook',
    );
    await deliver(
      deployment(103, 'success', '2026-06-05 10:00:00 UTC'),
      'Deployment Hook',
    );
    await deliver(
      deployment(104, 'success', '2026-06-06 10:00:00 UTC', 'staging'),
      'Deployment Hook',
    );
    // three hours after #103 reached production; closed two and a half hours later
    await deliver(
      incident(incidentOpenedHook, {
        created_at: '2026-06-05T13:00:00Z',
        updated_at: '2026-06-05T13:00:00Z',
      }),
      'Issue Hook',
    );
    await deliver(
      incident(incidentClosedHook, {
        created_at: '2026-06-05T13:00:00Z',
        closed_at: '2026-06-05T15:30:00Z',
        updated_at: '2026-06-05T15:30:00Z',
      }),
      'Issue Hook',
    );
    await deliver(
      pipeline(501, 'success', '2026-06-10 10:00:00 UTC'),
      'Pipeline Hook',
    );
    await deliver(
      pipeline(502, 'failed', '2026-06-10 11:00:00 UTC'),
      'Pipeline Hook',
    );
    await deliver(
      pipeline(503, 'canceled', '2026-06-10 12:00:00 UTC'),
      'Pipeline Hook',
    );
    await deliver(pipeline(504, 'running', null), 'Pipeline Hook');
    await deliver(shopHook(pushHook, {}), 'Push Hook');
    await deliver(shopHook(issueHook, {}), 'Issue Hook');

    // ingest() fails the test unless POST /v1/events answers 202.
    await backend.ingest(postedEvents);

    const shop = await kpis('shop');
    const twin = await kpis('twin');
    for (const id of COMPARED_KPIS) {
      expect({
        id,
        value: shop[id].value,
        sampleSize: shop[id].sampleSize,
      }).toEqual({
        id,
        value: twin[id].value,
        sampleSize: twin[id].sampleSize,
      });
    }
    // …and the values are the ones the hooks mean, not equal by both being empty:
    // #101 (delivered twice) and #103 reached production; #102 failed, #104 is staging.
    expect(shop['deployment-frequency']).toMatchObject({
      value: (2 * 7) / 30,
      sampleSize: 2,
    });
    // !1 shipped by #101 after 52 h, !2 by #103 after 49 h
    expect(shop['lead-time-for-changes']).toMatchObject({
      value: 50.5 * 3600,
      sampleSize: 2,
    });
    // the incident is linked to #103, the last production deployment before it
    expect(shop['change-failure-rate']).toMatchObject({
      value: 0.5,
      sampleSize: 2,
    });
    expect(shop['time-to-restore']).toMatchObject({
      value: 2.5 * 3600,
      sampleSize: 1,
    });
    expect(shop['failed-deployment-recovery-time']).toMatchObject({
      value: 2.5 * 3600,
      sampleSize: 1,
    });
    expect(shop['pipeline-success-rate']).toMatchObject({ value: 0.5 });
    expect(shop['pr-turnaround-time']).toMatchObject({
      value: 26.5 * 3600,
      sampleSize: 2,
    });

    // The events behind the values carry GitLab's ids, linked as GitLab meant.
    const leadTime = await explain('shop', 'lead-time-for-changes');
    expect(
      leadTime.events
        .filter(e => e.role === 'change')
        .map(e => [e.event.id, e.note])
        .sort(),
    ).toEqual([
      ['acme/shop!1', 'first deployed by acme/shop#101'],
      ['acme/shop!2', 'first deployed by acme/shop#103'],
    ]);
    const recovery = await explain('shop', 'failed-deployment-recovery-time');
    expect(
      recovery.events.map(e => [
        e.event.id,
        e.event.causedByDeploymentId,
        e.linkedBy,
      ]),
    ).toEqual([['acme/shop#incident-7', 'acme/shop#103', 'last-deployment']]);

    // 16 deliveries; the running deployment and pipeline, the push and the plain issue ignored
    const status = await gitlabSource();
    expect(status.counts.received).toBe(16);
    expect(status.counts.dropped).toEqual({ ignored: 4 });
    expect(status.lastError).toBeNull();
  });

  it('drops a hook of a project no entity carries as unmapped-entity', async () => {
    const before = await gitlabSource();
    await deliver(
      shopHook(
        deploymentHook,
        { deployment_id: 900, environment_tier: 'production' },
        undefined,
        'acme/unknown',
      ),
      'Deployment Hook',
    );

    const status = await gitlabSource();
    expect(status.counts.received).toBe(before.counts.received + 1);
    expect(status.counts.stored).toBe(before.counts.stored);
    expect(status.counts.dropped['unmapped-entity']).toBe(1);
    expect(status.lastError).toMatchObject({ reason: 'unmapped-entity' });
    expect(status.lastError!.message).toContain(
      'gitlab.com/project-slug: acme/unknown',
    );
  });

  it('counts a hook it cannot read as unreadable, with the field in the last error', async () => {
    await deliver(
      shopHook(
        pipelineHook,
        {},
        { status: 'success', finished_at: 'yesterday' },
      ),
      'Pipeline Hook',
    );

    const status = await gitlabSource();
    expect(status.counts.dropped['unreadable-payload']).toBe(1);
    expect(status.lastError).toMatchObject({ reason: 'unreadable-payload' });
    expect(status.lastError!.message).toContain(
      'GitLab pipeline hook: object_attributes.finished_at must be a GitLab timestamp',
    );
  });
});
