import { startTestBackend } from '@backstage/backend-test-utils';
import {
  DevopsPersonasSource,
  devopsPersonasSourcesExtensionPoint,
} from '@internal/plugin-devops-personas-node';
import { devopsPersonasModuleGithubSource } from './module';
import { translateGithubPayload } from './translation/translateGithubPayload';

describe('devopsPersonasModuleGithubSource', () => {
  it('adds the GitHub source on the github topic', async () => {
    const added: DevopsPersonasSource[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          devopsPersonasSourcesExtensionPoint,
          { addSource: (...s: DevopsPersonasSource[]) => added.push(...s) },
        ],
      ],
      features: [devopsPersonasModuleGithubSource],
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
  });
});
