import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  DevopsPersonasSource,
  devopsPersonasSourcesExtensionPoint,
} from '@internal/plugin-devops-personas-node';
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
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('warns when GitLab webhooks are accepted without a token check', async () => {
    const { added, logger } = await startModule({});

    expect(added).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('events.modules.gitlab.webhookSecret'),
    );
  });
});
