import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  DevopsPersonasSource,
  devopsPersonasSourcesExtensionPoint,
} from '@devops-personas/plugin-devops-personas-node';
import deploymentHook from './__fixtures__/deployment-hook.json';
import { devopsPersonasModuleGitlabSource } from './module';

async function startModule(config: object) {
  const added: DevopsPersonasSource[] = [];
  const logger = mockServices.logger.mock();
  await startTestBackend({
    extensionPoints: [
      [
        devopsPersonasSourcesExtensionPoint,
        { addSource: (...sources) => added.push(...sources) },
      ],
    ],
    features: [
      devopsPersonasModuleGitlabSource,
      logger.factory,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  return { added, logger };
}

describe('devopsPersonasModuleGitlabSource', () => {
  it('adds the GitLab source on the gitlab topic', async () => {
    const { added, logger } = await startModule({
      events: { modules: { gitlab: { webhookSecret: 's3cret' } } },
    });

    expect(added).toHaveLength(1);
    const [source] = added;
    expect(source).toMatchObject({
      id: 'gitlab',
      title: 'GitLab',
      topics: ['gitlab'],
      annotation: 'gitlab.com/project-slug',
    });
    const translation = await source.translate(
      { topic: 'gitlab', body: deploymentHook, headers: {} },
      { environment: name => name },
    );
    expect(translation.kind).toBe('events');
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('stores nothing and logs how to fix it when no webhook secret is configured', async () => {
    const { added, logger } = await startModule({});

    // Still listed, so GET /v1/sources says why nothing arrives.
    expect(added).toHaveLength(1);
    const [source] = added;
    expect(source).toMatchObject({ id: 'gitlab', topics: ['gitlab'] });
    expect(() =>
      source.translate(
        {
          topic: 'gitlab',
          body: deploymentHook,
          headers: { 'x-gitlab-event': 'Deployment Hook' },
        },
        { environment: name => name },
      ),
    ).toThrow(
      'No webhook secret is configured (events.modules.gitlab.webhookSecret): ' +
        'GitLab deliveries are not stored without a token check',
    );
    expect(logger.error).toHaveBeenCalledTimes(1);
    const [message] = logger.error.mock.calls[0];
    expect(message).toContain(
      'GitLab deliveries are not stored without a token check',
    );
    expect(message).toContain(
      'Set events.modules.gitlab.webhookSecret to the secret token of the GitLab webhook',
    );
    expect(message).toContain('@backstage/plugin-events-backend-module-gitlab');
  });
});
