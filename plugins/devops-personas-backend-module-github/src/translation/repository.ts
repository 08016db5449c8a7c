import { SourceEntityLocator } from '@devops-personas/plugin-devops-personas-node';
import { GithubPayload } from './GithubPayload';

/**
 * The annotation that names a component's GitHub repository (`owner/name`),
 * the one Backstage's GitHub integrations already use.
 *
 * @public
 */
export const GITHUB_PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';

/** The repository a payload is about: its `owner/name` and the entity it maps to. */
export function readRepository(payload: GithubPayload): {
  fullName: string;
  entity: SourceEntityLocator;
} {
  const fullName = payload.string('repository.full_name');
  return {
    fullName,
    entity: {
      annotation: { key: GITHUB_PROJECT_SLUG_ANNOTATION, value: fullName },
    },
  };
}
