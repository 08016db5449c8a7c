import { SourceTranslation } from '@devops-personas/plugin-devops-personas-node';
import { JsonRecord, PayloadFields } from './payloadFields';
import { readProject } from './project';

/**
 * A Merge Request Hook with action `merge` becomes a `change`: id
 * `<path_with_namespace>!<iid>` (GitLab's own reference for a merge request),
 * `createdAt` = `created_at`, `mergedAt` = `merged_at` where GitLab sends
 * it, else `updated_at` (merging is the update this hook reports).
 */
export function translateMergeRequestHook(body: JsonRecord): SourceTranslation {
  const attributes = PayloadFields.of(body, 'object_attributes');
  if (attributes.optionalString('action') !== 'merge') {
    return { kind: 'ignored', reason: 'merge-request-not-merged' };
  }

  const project = readProject(body);
  const mergedAt =
    attributes.optionalTimestamp('merged_at') ??
    attributes.timestamp('updated_at');
  const url = attributes.link('url');

  return {
    kind: 'events',
    events: [
      {
        entity: project.entity,
        event: {
          type: 'change',
          id: `${project.path}!${attributes.id('iid')}`,
          createdAt: attributes.timestamp('created_at'),
          mergedAt,
          ...(url && { url }),
        },
      },
    ],
  };
}
