import { SourceTranslation } from '@devops-personas/plugin-devops-personas-node';
import { GithubPayload } from './GithubPayload';
import { ignored } from './ignored';
import { firstHttpUrl } from './links';
import { readRepository } from './repository';

/**
 * `pull_request` closed with `merged: true` → a `change`. Every other action,
 * and a pull request closed without merging, is ignored: only a merged
 * change can reach production.
 */
export function translatePullRequest(
  payload: GithubPayload,
): SourceTranslation {
  const action = payload.string('action');
  if (action !== 'closed') return ignored('pull_request', action);
  if (!payload.boolean('pull_request.merged')) {
    return ignored('pull_request', 'closed_unmerged');
  }

  const { fullName, entity } = readRepository(payload);
  const url = firstHttpUrl(payload.optionalString('pull_request.html_url'));
  return {
    kind: 'events',
    events: [
      {
        entity,
        event: {
          type: 'change',
          id: `${fullName}#${payload.integer('pull_request.number')}`,
          createdAt: payload.timestamp('pull_request.created_at'),
          mergedAt: payload.timestamp('pull_request.merged_at'),
          ...(url && { url }),
        },
      },
    ],
  };
}
