import { TestDatabases } from '@backstage/backend-test-utils';
import { createHmac } from 'node:crypto';
import eventsPlugin from '@backstage/plugin-events-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the end-to-end test runs the plugin this module feeds
import devopsPersonasPlugin from '@devops-personas/plugin-devops-personas-backend';
import {
  SourceTestBackend,
  sourceTestDatabaseIds,
  startSourceTestBackend,
} from '@devops-personas/plugin-devops-personas-node/testUtils';
import githubSourceModule from './index';
import { backstageGithubEventsModules } from './__testUtils__/backstageGithubEventsModule';
import { recordedPayload } from './__testUtils__/recordedPayloads';
import {
  dependabotAlertDelivery,
  deploymentStatusDelivery,
  githubHeaders,
  mergedPullRequestDelivery,
  workflowRunDelivery,
} from './__testUtils__/githubDeliveries';

jest.setTimeout(60_000);

/*
 * The whole path a GitHub webhook takes in a portal: Backstage's events
 * backend receives it, Backstage's GitHub module checks its signature, this
 * module translates it and the DevOps Personas backend stores it. The KPIs
 * it yields must equal those of the same events posted to /v1/events.
 */

const SECRET = 'It is a secret to everybody';
const UNTIL = '2026-06-30T00:00:00Z';
const KPI_QUERY = `window=30d&until=${UNTIL}`;
// GitHub spells the repository with capitals; the catalog does not.
const REPOSITORY = 'Octo-Org/Shop';

const component = (name: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-shop' },
});

const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

// SQLite always; PostgreSQL too when the test run provides one (npm test does).
const databaseIds = sourceTestDatabaseIds();

const COMPARED_KPIS = [
  'deployment-frequency',
  'change-failure-rate',
  'lead-time-for-changes',
  'pipeline-success-rate',
  'critical-vulnerability-fix-time',
  'flaky-test-rate',
  'pr-turnaround-time',
];

describe.each(databaseIds)(
  'GitHub webhooks through Backstage events on %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });
    let backend: SourceTestBackend;

    beforeAll(async () => {
      backend = await startSourceTestBackend({
        features: [
          eventsPlugin,
          ...backstageGithubEventsModules(),
          devopsPersonasPlugin,
          githubSourceModule,
        ],
        topics: ['github'],
        entities: [
          component('shop', { 'github.com/project-slug': 'octo-org/shop' }),
          component('twin'),
        ],
        config: { events: { modules: { github: { webhookSecret: SECRET } } } },
        knex: await databases.init(databaseId),
      });
    });

    /** Posts a delivery as GitHub does: the exact bytes it signed. */
    function deliver(
      eventName: string,
      body: unknown,
      options: {
        deliveryId?: string;
        signature?: string | null;
        contentType?: string;
      } = {},
    ) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      return backend.deliver('github', raw, {
        'Content-Type': options.contentType ?? 'application/json',
        ...githubHeaders(eventName, options.deliveryId),
        ...(options.signature === null
          ? {}
          : { 'X-Hub-Signature-256': options.signature ?? sign(raw) }),
      });
    }

    /** The KPIs of a component over the month, as value and sample size. */
    async function kpis(name: string) {
      const found = await backend.kpis(name, KPI_QUERY);
      return Object.fromEntries(
        Object.entries(found).map(([id, k]) => [
          id,
          { value: k.value, sampleSize: k.sampleSize },
        ]),
      );
    }

    const githubSource = () => backend.source('github');

    describe('a month of one repository', () => {
      const statuses: number[] = [];
      const pullRequest = (n: number, createdAt: string, mergedAt: string) =>
        mergedPullRequestDelivery({
          fullName: REPOSITORY,
          number: n,
          createdAt,
          mergedAt,
        });
      const deployment = (
        id: number,
        state: string,
        environment: string,
        createdAt: string,
        finishedAt: string,
      ) =>
        deploymentStatusDelivery({
          fullName: REPOSITORY,
          deploymentId: id,
          state,
          environment,
          createdAt,
          finishedAt,
        });
      const run = (
        id: number,
        attempt: number,
        conclusion: string,
        startedAt: string,
        finishedAt: string,
      ) =>
        workflowRunDelivery({
          fullName: REPOSITORY,
          runId: id,
          attempt,
          conclusion,
          startedAt,
          finishedAt,
        });
      const alert = (
        n: number,
        severity: string,
        createdAt: string,
        closed: { fixedAt?: string; dismissedAt?: string } = {},
      ) =>
        dependabotAlertDelivery({
          fullName: REPOSITORY,
          number: n,
          severity,
          createdAt,
          ...closed,
        });

      beforeAll(async () => {
        const redelivered = deployment(
          101,
          'success',
          'production',
          '2026-06-03T00:00:00Z',
          '2026-06-03T00:30:00Z',
        );
        const deliveries: Array<[string, unknown, string?]> = [
          ['ping', recordedPayload('ping')],
          [
            'pull_request',
            pullRequest(1, '2026-06-01T08:00:00Z', '2026-06-02T10:00:00Z'),
          ],
          [
            'pull_request',
            pullRequest(2, '2026-06-03T09:00:00Z', '2026-06-04T12:00:00Z'),
          ],
          ['deployment_status', redelivered, 'delivery-101'],
          // GitHub's "Redeliver" button sends the same delivery again
          ['deployment_status', redelivered, 'delivery-101'],
          [
            'deployment_status',
            deployment(
              102,
              'failure',
              'production',
              '2026-06-04T13:00:00Z',
              '2026-06-04T13:20:00Z',
            ),
          ],
          [
            'deployment_status',
            deployment(
              103,
              'success',
              'Prod',
              '2026-06-05T00:00:00Z',
              '2026-06-05T01:00:00Z',
            ),
          ],
          [
            'deployment_status',
            deployment(
              104,
              'success',
              'staging',
              '2026-06-06T00:00:00Z',
              '2026-06-06T00:10:00Z',
            ),
          ],
          [
            'deployment_status',
            deployment(
              105,
              'in_progress',
              'production',
              '2026-06-07T00:00:00Z',
              '2026-06-07T00:01:00Z',
            ),
          ],
          [
            'workflow_run',
            run(
              201,
              1,
              'success',
              '2026-06-10T10:00:00Z',
              '2026-06-10T10:05:00Z',
            ),
          ],
          [
            'workflow_run',
            run(
              202,
              1,
              'failure',
              '2026-06-11T10:00:00Z',
              '2026-06-11T10:07:00Z',
            ),
          ],
          [
            'workflow_run',
            run(
              202,
              2,
              'success',
              '2026-06-11T10:10:00Z',
              '2026-06-11T10:16:00Z',
            ),
          ],
          [
            'workflow_run',
            run(
              203,
              1,
              'cancelled',
              '2026-06-12T10:00:00Z',
              '2026-06-12T10:01:00Z',
            ),
          ],
          [
            'workflow_run',
            run(
              204,
              1,
              'timed_out',
              '2026-06-13T10:00:00Z',
              '2026-06-13T16:00:00Z',
            ),
          ],
          ['dependabot_alert', alert(5, 'critical', '2026-06-01T00:00:00Z')],
          [
            'dependabot_alert',
            alert(5, 'critical', '2026-06-01T00:00:00Z', {
              fixedAt: '2026-06-03T00:00:00Z',
            }),
          ],
          ['dependabot_alert', alert(6, 'critical', '2026-06-10T00:00:00Z')],
          [
            'dependabot_alert',
            alert(6, 'critical', '2026-06-10T00:00:00Z', {
              dismissedAt: '2026-06-11T00:00:00Z',
            }),
          ],
          [
            'dependabot_alert',
            alert(7, 'high', '2026-06-02T00:00:00Z', {
              fixedAt: '2026-06-04T00:00:00Z',
            }),
          ],
          ['push', recordedPayload('push')],
        ];
        for (const [eventName, body, deliveryId] of deliveries) {
          statuses.push(
            (await deliver(eventName, body, { deliveryId })).status,
          );
        }

        // The incident comes from another tool and names GitHub's deployment.
        // (ingest throws unless /v1/events answers 202)
        await backend.ingest([
          {
            type: 'incident',
            id: 'shop-incident',
            entityRef: 'component:default/shop',
            startedAt: '2026-06-05T02:00:00Z',
            resolvedAt: '2026-06-05T03:00:00Z',
            causedByDeploymentId: `${REPOSITORY}#103`,
          },
        ]);
        statuses.push(202);

        // The same month, posted as §6 events for a second component.
        const twin = (event: Record<string, unknown>) => ({
          ...event,
          entityRef: 'component:default/twin',
        });
        await backend.ingest([
          twin({
            type: 'change',
            id: 'twin#1',
            createdAt: '2026-06-01T08:00:00Z',
            mergedAt: '2026-06-02T10:00:00Z',
          }),
          twin({
            type: 'change',
            id: 'twin#2',
            createdAt: '2026-06-03T09:00:00Z',
            mergedAt: '2026-06-04T12:00:00Z',
          }),
          twin({
            type: 'deployment',
            id: 'twin#101',
            status: 'success',
            environment: 'production',
            startedAt: '2026-06-03T00:00:00Z',
            finishedAt: '2026-06-03T00:30:00Z',
            changeIds: ['twin#1'],
          }),
          twin({
            type: 'deployment',
            id: 'twin#102',
            status: 'failure',
            environment: 'production',
            startedAt: '2026-06-04T13:00:00Z',
            finishedAt: '2026-06-04T13:20:00Z',
          }),
          twin({
            type: 'deployment',
            id: 'twin#103',
            status: 'success',
            environment: 'production',
            startedAt: '2026-06-05T00:00:00Z',
            finishedAt: '2026-06-05T01:00:00Z',
            changeIds: ['twin#2'],
          }),
          twin({
            type: 'deployment',
            id: 'twin#104',
            status: 'success',
            environment: 'staging',
            startedAt: '2026-06-06T00:00:00Z',
            finishedAt: '2026-06-06T00:10:00Z',
          }),
          twin({
            type: 'incident',
            id: 'twin-incident',
            startedAt: '2026-06-05T02:00:00Z',
            resolvedAt: '2026-06-05T03:00:00Z',
            causedByDeploymentId: 'twin#103',
          }),
          twin({
            type: 'pipeline-run',
            id: 'twin#201-1',
            status: 'success',
            finishedAt: '2026-06-10T10:05:00Z',
            durationSeconds: 300,
          }),
          twin({
            type: 'pipeline-run',
            id: 'twin#202-1',
            status: 'failure',
            finishedAt: '2026-06-11T10:07:00Z',
            durationSeconds: 420,
          }),
          twin({
            type: 'pipeline-run',
            id: 'twin#202-2',
            status: 'success',
            flaky: true,
            finishedAt: '2026-06-11T10:16:00Z',
            durationSeconds: 360,
          }),
          twin({
            type: 'pipeline-run',
            id: 'twin#203-1',
            status: 'cancelled',
            finishedAt: '2026-06-12T10:01:00Z',
            durationSeconds: 60,
          }),
          twin({
            type: 'pipeline-run',
            id: 'twin#204-1',
            status: 'failure',
            finishedAt: '2026-06-13T16:00:00Z',
            durationSeconds: 21600,
          }),
          twin({
            type: 'vulnerability',
            id: 'twin#5',
            severity: 'critical',
            detectedAt: '2026-06-01T00:00:00Z',
            fixedAt: '2026-06-03T00:00:00Z',
          }),
          twin({
            type: 'vulnerability',
            id: 'twin#6',
            severity: 'critical',
            detectedAt: '2026-06-10T00:00:00Z',
            dismissedAt: '2026-06-11T00:00:00Z',
          }),
          twin({
            type: 'vulnerability',
            id: 'twin#7',
            severity: 'high',
            detectedAt: '2026-06-02T00:00:00Z',
            fixedAt: '2026-06-04T00:00:00Z',
          }),
        ]);
        statuses.push(202);
      });

      it('accepts every signed delivery, and the events posted alongside', () => {
        expect(statuses).toHaveLength(22);
        expect(new Set(statuses)).toEqual(new Set([202]));
      });

      it('yields the KPIs the same events posted to /v1/events yield', async () => {
        const shop = await kpis('shop');
        const twin = await kpis('twin');
        for (const id of COMPARED_KPIS) {
          expect({ id, ...shop[id] }).toEqual({ id, ...twin[id] });
        }
        // and those are the values of the month above
        expect(shop['deployment-frequency']).toEqual({
          value: 2 / (30 / 7),
          sampleSize: 2,
        }); // 101 and 103, once each
        expect(shop['change-failure-rate']).toEqual({
          value: 0.5,
          sampleSize: 2,
        });
        // PR 1 shipped by 101 after 40.5 h, PR 2 by 103 after 40 h
        expect(shop['lead-time-for-changes']).toEqual({
          value: 144900,
          sampleSize: 2,
        });
        expect(shop['pipeline-success-rate']).toEqual({
          value: 0.5,
          sampleSize: 4,
        });
        expect(shop['flaky-test-rate']).toEqual({ value: 0.2, sampleSize: 5 });
        // only the fixed critical alert: the dismissed one is no fix
        expect(shop['critical-vulnerability-fix-time']).toEqual({
          value: 172800,
          sampleSize: 1,
        });
        expect(shop['pr-turnaround-time']).toEqual({
          value: 95400,
          sampleSize: 2,
        });
      });

      it("fills a deployment's changes from the pull requests merged before it", async () => {
        const res = await backend.get(
          `/entities/component/default/shop/kpis/lead-time-for-changes/events?${KPI_QUERY}`,
        );
        expect(res.status).toBe(200);
        const changes = (
          res.body.events as Array<{
            role: string;
            event: { id: string; url?: string };
            note?: string;
          }>
        )
          .filter(e => e.role === 'change')
          .map(e => [e.event.id, e.note, e.event.url])
          .sort();
        expect(changes).toEqual([
          [
            `${REPOSITORY}#1`,
            `first deployed by ${REPOSITORY}#101`,
            `https://github.com/${REPOSITORY}/pull/1`,
          ],
          [
            `${REPOSITORY}#2`,
            `first deployed by ${REPOSITORY}#103`,
            `https://github.com/${REPOSITORY}/pull/2`,
          ],
        ]);
      });

      it('counts what it received, stored and ignored', async () => {
        const source = await githubSource();
        expect(source).toMatchObject({
          id: 'github',
          title: 'GitHub',
          topics: ['github'],
          annotation: 'github.com/project-slug',
          ambiguities: [],
        });
        // The redelivery is received and written again; it replaced itself, so
        // the KPIs above count deployment 101 once.
        expect(source.counts).toEqual({
          received: 20,
          stored: 17,
          dropped: { ignored: 3 }, // ping, the in-progress deployment, push
          ignoredReasons: {
            'deployment_status:in_progress': 1,
            'event:ping': 1,
            'event:push': 1,
          },
        });
        expect(source.lastError).toBeNull();
      });
    });

    describe('deliveries it refuses or drops', () => {
      const signedDeployment = () =>
        JSON.stringify(
          deploymentStatusDelivery({
            fullName: REPOSITORY,
            deploymentId: 999,
            state: 'success',
            environment: 'production',
            createdAt: '2026-06-20T00:00:00Z',
            finishedAt: '2026-06-20T00:05:00Z',
          }),
        );

      it('refuses a wrong, missing or stale signature with 403 and stores nothing', async () => {
        const before = await githubSource();
        const kpisBefore = await kpis('shop');
        const body = signedDeployment();

        const wrongSecret = await deliver('deployment_status', body, {
          signature: sign(body, 'not the secret'),
        });
        expect(wrongSecret.status).toBe(403);
        expect(wrongSecret.body).toEqual({ message: 'invalid signature' });

        const unsigned = await deliver('deployment_status', body, {
          signature: null,
        });
        expect(unsigned.status).toBe(403);

        // signed, then changed on the way
        const tampered = await deliver(
          'deployment_status',
          body.replace('"id":999', '"id":998'),
          {
            signature: sign(body),
          },
        );
        expect(tampered.status).toBe(403);

        const after = await githubSource();
        expect(after.counts).toEqual(before.counts);
        expect(await kpis('shop')).toEqual(kpisBefore);
      });

      it('refuses a form-encoded delivery: the webhook must send application/json', async () => {
        const body = `payload=${encodeURIComponent(signedDeployment())}`;
        const res = await deliver('deployment_status', body, {
          contentType: 'application/x-www-form-urlencoded',
        });
        expect(res.status).toBe(415);
      });

      it('drops a repository no entity names as unmapped-entity', async () => {
        const before = await githubSource();
        const res = await deliver(
          'pull_request',
          mergedPullRequestDelivery({
            fullName: 'octo-org/not-in-the-catalog',
            number: 3,
            createdAt: '2026-06-20T00:00:00Z',
            mergedAt: '2026-06-21T00:00:00Z',
          }),
        );
        expect(res.status).toBe(202);
        const after = await githubSource();
        expect(after.counts.received).toBe(before.counts.received + 1);
        expect(after.counts.stored).toBe(before.counts.stored);
        expect(after.counts.dropped['unmapped-entity']).toBe(
          (before.counts.dropped['unmapped-entity'] ?? 0) + 1,
        );
        expect(after.lastError).toMatchObject({ reason: 'unmapped-entity' });
        expect(after.lastError?.message).toContain(
          'github.com/project-slug: octo-org/not-in-the-catalog',
        );
      });

      it('drops a delivery it cannot read, naming the missing field', async () => {
        const before = await githubSource();
        const body = JSON.parse(signedDeployment());
        delete body.deployment;
        const res = await deliver('deployment_status', body);
        expect(res.status).toBe(202);
        const after = await githubSource();
        expect(after.counts.dropped['unreadable-payload']).toBe(
          (before.counts.dropped['unreadable-payload'] ?? 0) + 1,
        );
        expect(after.lastError).toMatchObject({ reason: 'unreadable-payload' });
        expect(after.lastError?.message).toContain(
          'deployment.created_at must be an ISO 8601 timestamp; it is missing',
        );
      });
    });
  },
);
