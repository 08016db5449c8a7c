import { SourceEntityLocator } from '@devops-personas/plugin-devops-personas-node';
import { JsonRecord, PayloadFields } from './payloadFields';

/**
 * The annotation that maps a GitLab project to a catalog entity: its value
 * is the project's full path, `group/subgroup/project`, as GitLab's own
 * Backstage plugins use it.
 *
 * @public
 */
export const GITLAB_PROJECT_SLUG_ANNOTATION = 'gitlab.com/project-slug';

/** The project a hook is about: its full path and the entity it maps to. */
export interface GitlabProject {
  /** `project.path_with_namespace`, e.g. `gitlab-org/gitlab-test`. */
  path: string;
  entity: SourceEntityLocator;
}

/** Reads `project.path_with_namespace`, which every project hook carries. */
export function readProject(body: JsonRecord): GitlabProject {
  const path = PayloadFields.of(body, 'project').string('path_with_namespace');
  return {
    path,
    entity: {
      annotation: { key: GITLAB_PROJECT_SLUG_ANNOTATION, value: path },
    },
  };
}
