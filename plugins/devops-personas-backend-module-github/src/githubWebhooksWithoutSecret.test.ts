import { TestDatabases } from '@backstage/backend-test-utils';
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
  deploymentStatusDelivery,
  githubHeaders,
  mergedPullRequestDelivery,
} from './__testUtils__/githubDeliveries';

jest.setTimeout(60_000);

/*
 * A portal that forgot events.modules.github.webhookSecret: Backstage's
 * GitHub module then registers no signature check and its ingress accepts
 * whatever is posted to the unauthenticated events route. This source must
 * store none of it, and say why in GET /v1/sources.
 */

const UNTIL = '2026-06-30T00:00:00Z';
const REPOSITORY = 'Octo-Org/Shop';
const NO_SECRET =
  'Unreadable payload: No webhook secret is configured (events.modules.github.webhookSecret, or ' +
  'integrations.github[].apps[].webhookSecret of a GitHub App): unsigned GitHub deliveries are not stored';

// SQLite always; PostgreSQL too when the test run provides one (npm test does).
const databaseIds = sourceTestDatabaseIds();

describe.each(databaseIds)(
  'GitHub webhooks without a webhook secret on %s',
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
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'shop',
              namespace: 'default',
              annotations: { 'github.com/project-slug': 'octo-org/shop' },
            },
            spec: {
              type: 'service',
              lifecycle: 'production',
              owner: 'team-shop',
            },
          },
        ],
        knex: await databases.init(databaseId),
      });
    });

    /** Posts a delivery with GitHub's headers but no signature. */
    const deliverUnsigned = (eventName: string, body: unknown) =>
      backend.deliver('github', body, githubHeaders(eventName));

    const githubSource = () => backend.source('github');

    const shopKpi = async (id: string) =>
      (await backend.kpis('shop', `window=30d&until=${UNTIL}`))[id];

    it('lists the GitHub source before anything arrived', async () => {
      expect(await githubSource()).toMatchObject({
        id: 'github',
        title: 'GitHub',
        topics: ['github'],
        annotation: 'github.com/project-slug',
        counts: { received: 0, stored: 0, dropped: {} },
        lastError: null,
      });
    });

    it('accepts unsigned deliveries at the ingress but stores none of them', async () => {
      const deliveries: Array<[string, unknown]> = [
        [
          'deployment_status',
          deploymentStatusDelivery({
            fullName: REPOSITORY,
            deploymentId: 101,
            state: 'success',
            environment: 'production',
            createdAt: '2026-06-03T00:00:00Z',
            finishedAt: '2026-06-03T00:30:00Z',
          }),
        ],
        [
          'pull_request',
          mergedPullRequestDelivery({
            fullName: REPOSITORY,
            number: 1,
            createdAt: '2026-06-01T08:00:00Z',
            mergedAt: '2026-06-02T10:00:00Z',
          }),
        ],
        ['ping', recordedPayload('ping')],
      ];
      for (const [eventName, body] of deliveries) {
        // Backstage's ingress has no check to refuse them with.
        expect((await deliverUnsigned(eventName, body)).status).toBe(202);
      }

      const source = await githubSource();
      expect(source.counts).toEqual({
        received: 3,
        stored: 0,
        dropped: { 'unreadable-payload': 3 },
        ignoredReasons: {},
      });
      expect(source.lastError).toMatchObject({
        reason: 'unreadable-payload',
        message: NO_SECRET,
      });
      expect(await shopKpi('deployment-frequency')).toMatchObject({
        sampleSize: 0,
      });
      expect(await shopKpi('pr-turnaround-time')).toMatchObject({
        sampleSize: 0,
      });
    });
  },
);
