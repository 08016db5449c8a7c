import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  DevopsPersonasSource,
  devopsPersonasSourcesExtensionPoint,
} from '@devops-personas/plugin-devops-personas-node';
import { devopsPersonasModuleGithubSource } from './module';
import { recordedPayload } from './__testUtils__/recordedPayloads';
import { translateGithubPayload } from './translation/translateGithubPayload';

async function startModule(config: object) {
  const added: DevopsPersonasSource[] = [];
  const logger = mockServices.logger.mock();
  await startTestBackend({
    extensionPoints: [
      [
        devopsPersonasSourcesExtensionPoint,
        { addSource: (...s: DevopsPersonasSource[]) => added.push(...s) },
      ],
    ],
    features: [
      devopsPersonasModuleGithubSource,
      logger.factory,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  return { added, logger };
}

const pingDelivery = {
  topic: 'github',
  body: recordedPayload('ping'),
  headers: { 'x-github-event': 'ping' },
};
const environment = { environment: (name: string) => name };

describe('devopsPersonasModuleGithubSource', () => {
  it('adds the GitHub source on the github topic', async () => {
    const { added, logger } = await startModule({
      events: { modules: { github: { webhookSecret: 's3cret' } } },
    });

    expect(added).toEqual([
      {
        id: 'github',
        title: 'GitHub',
        topics: ['github'],
        annotation: 'github.com/project-slug',
        translate: translateGithubPayload,
      },
    ]);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it("translates deliveries when only a GitHub App's webhook secret is configured", async () => {
    const { added, logger } = await startModule({
      integrations: {
        github: [
          {
            host: 'github.com',
            apps: [
              {
                appId: 1234,
                clientId: 'Iv1.0123456789abcdef',
                clientSecret: 'client-secret',
                privateKey: 'private-key',
                webhookSecret: 'app-secret',
              },
            ],
          },
        ],
      },
    });

    expect(added).toHaveLength(1);
    expect(added[0].translate).toBe(translateGithubPayload);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it.each([
    ['no secret at all', {}],
    [
      'a GitHub App without a webhook secret',
      {
        integrations: {
          github: [
            {
              host: 'github.com',
              apps: [
                {
                  appId: 1234,
                  clientId: 'Iv1.0123456789abcdef',
                  clientSecret: 'client-secret',
                  privateKey: 'private-key',
                },
              ],
            },
          ],
        },
      },
    ],
  ])(
    'stores nothing and logs how to fix it, with %s',
    async (_case, config) => {
      const { added, logger } = await startModule(config);

      // Still listed, so GET /v1/sources says why nothing arrives.
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({ id: 'github', topics: ['github'] });
      expect(() => added[0].translate(pingDelivery, environment)).toThrow(
        'No webhook secret is configured (events.modules.github.webhookSecret, or ' +
          'integrations.github[].apps[].webhookSecret of a GitHub App): unsigned GitHub deliveries are not stored',
      );
      expect(logger.error).toHaveBeenCalledTimes(1);
      const [message] = logger.error.mock.calls[0];
      expect(message).toContain('unsigned GitHub deliveries are not stored');
      expect(message).toContain(
        'Set events.modules.github.webhookSecret to the secret of the GitHub webhook',
      );
      expect(message).toContain(
        '@backstage/plugin-events-backend-module-github',
      );
    },
  );
});
