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
import mergeRequestMergedHook from './__fixtures__/merge-request-merged-hook.json';
import pushHook from './__fixtures__/push-hook.json';
import gitlabSourceModule from '.';
import { eventsModuleGitlabWebhook } from './__testUtils__/eventsModuleGitlabWebhook';

jest.setTimeout(60_000);

/*
 * A portal that forgot events.modules.gitlab.webhookSecret: Backstage's
 * gitlab module then registers no token check and its ingress accepts
 * whatever is posted to the unauthenticated events route. This source must
 * store none of it, and say why in GET /v1/sources.
 */

const UNTIL = '2026-06-30T00:00:00Z';
const NO_SECRET =
  'Unreadable payload: No webhook secret is configured (events.modules.gitlab.webhookSecret): ' +
  'GitLab deliveries are not stored without a token check';
// SQLite always; PostgreSQL too when the test run provides one (npm test does).
const databaseIds = sourceTestDatabaseIds();

/** A fixture moved to project acme/shop, with fields changed at the top. */
const shopHook = (fixture: object, top: Record<string, unknown> = {}) => {
  const copy = JSON.parse(JSON.stringify(fixture));
  Object.assign(copy, top);
  copy.project = { ...copy.project, path_with_namespace: 'acme/shop' };
  return copy;
};

describe.each(databaseIds)(
  'GitLab webhooks without a webhook secret on %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });
    let backend: SourceTestBackend;

    beforeAll(async () => {
      // No events.modules.gitlab.webhookSecret in the config.
      backend = await startSourceTestBackend({
        features: [
          eventsPlugin,
          eventsModuleGitlabWebhook,
          devopsPersonasPlugin,
          gitlabSourceModule,
        ],
        topics: ['gitlab'],
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'shop',
              namespace: 'default',
              annotations: { 'gitlab.com/project-slug': 'acme/shop' },
            },
            spec: {
              type: 'service',
              owner: 'team-a',
              lifecycle: 'production',
            },
          },
        ],
        knex: await databases.init(databaseId),
      });
    });

    /** POSTs a hook as GitLab does when its webhook has no secret token. */
    const postWithoutToken = (body: object, gitlabEvent: string) =>
      backend.deliver('gitlab', body, { 'X-Gitlab-Event': gitlabEvent });

    const gitlabSource = () => backend.source('gitlab');

    const shopKpi = async (id: string) =>
      (await backend.kpis('shop', `window=30d&until=${UNTIL}`))[id];

    it('lists the GitLab source before anything arrived', async () => {
      expect(await gitlabSource()).toMatchObject({
        title: 'GitLab',
        topics: ['gitlab'],
        annotation: 'gitlab.com/project-slug',
        counts: { received: 0, stored: 0, dropped: {} },
        lastError: null,
      });
    });

    it('accepts hooks without a token at the ingress but stores none of them', async () => {
      const hooks: Array<[object, string]> = [
        [
          shopHook(deploymentHook, {
            deployment_id: 101,
            status: 'success',
            status_changed_at: '2026-06-03 14:00:00 +0200',
            environment: 'production',
            environment_tier: 'production',
          }),
          'Deployment Hook',
        ],
        [shopHook(mergeRequestMergedHook), 'Merge Request Hook'],
        [shopHook(pushHook), 'Push Hook'],
      ];
      for (const [body, gitlabEvent] of hooks) {
        // Backstage's ingress has no check to refuse them with.
        expect((await postWithoutToken(body, gitlabEvent)).status).toBe(202);
      }

      const source = await gitlabSource();
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
    });
  },
);
