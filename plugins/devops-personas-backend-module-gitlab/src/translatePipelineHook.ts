import { SourceTranslation } from '@devops-personas/plugin-devops-personas-node';
import { JsonRecord, PayloadFields } from './payloadFields';
import { readProject } from './project';

// GitLab pipeline statuses that finish a run, and what they count as. The
// others (`created`, `pending`, `running`, `manual`, `skipped`, …) are
// ignored: a skipped pipeline never ran.
const STATUS = new Map<string, 'success' | 'failure' | 'cancelled'>([
  ['success', 'success'],
  ['failed', 'failure'],
  ['canceled', 'cancelled'],
]);

/**
 * A Pipeline Hook whose pipeline finished (`success`, `failed`, `canceled`)
 * becomes a `pipeline-run`: id `<path_with_namespace>#pipeline-<id>`,
 * `finishedAt` = `finished_at`, `durationSeconds` = `duration`. A retried
 * pipeline keeps its id, so its last outcome replaces the earlier one.
 */
export function translatePipelineHook(body: JsonRecord): SourceTranslation {
  const attributes = PayloadFields.of(body, 'object_attributes');
  const status = STATUS.get(attributes.string('status'));
  if (!status) {
    return { kind: 'ignored', reason: 'pipeline-status-not-counted' };
  }

  const project = readProject(body);
  const durationSeconds = attributes.optionalDuration('duration');
  const url = attributes.link('url');

  return {
    kind: 'events',
    events: [
      {
        entity: project.entity,
        event: {
          type: 'pipeline-run',
          id: `${project.path}#pipeline-${attributes.id('id')}`,
          finishedAt: attributes.timestamp('finished_at'),
          status,
          ...(durationSeconds !== undefined && { durationSeconds }),
          ...(url && { url }),
        },
      },
    ],
  };
}
