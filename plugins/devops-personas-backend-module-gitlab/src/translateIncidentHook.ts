import { SourceTranslation } from '@devops-personas/plugin-devops-personas-node';
import { JsonRecord, PayloadFields } from './payloadFields';
import { readProject } from './project';

/**
 * An Issue Hook (`object_kind` `issue` or `work_item`) of an incident
 * becomes an `incident`, id `<path_with_namespace>#incident-<iid>`, with
 * `startedAt` = `created_at`; a closed incident also has `resolvedAt` =
 * `closed_at` (else `updated_at`). Every hook carries the incident's whole
 * state, so each one replaces the stored incident: a reopened incident is
 * unresolved again, a changed severity is updated.
 */
export function translateIncidentHook(body: JsonRecord): SourceTranslation {
  const attributes = PayloadFields.of(body, 'object_attributes');
  // `type` since GitLab 17.2 ("Incident"); `issue_type` before ("incident").
  const type =
    attributes.optionalString('type') ??
    attributes.optionalString('issue_type');
  if (type?.toLowerCase() !== 'incident') {
    return { kind: 'ignored', reason: 'issue-not-incident' };
  }

  const project = readProject(body);
  const action = attributes.optionalString('action');
  const state = attributes.optionalString('state');
  const closed = action === 'close' || state === 'closed';
  if (
    !closed &&
    state !== 'opened' &&
    action !== 'open' &&
    action !== 'reopen'
  ) {
    throw new Error(
      `object_attributes.state must be "opened" or "closed"; got ${JSON.stringify(
        state ?? null,
      )} with action ${JSON.stringify(action ?? null)}`,
    );
  }

  const startedAt = attributes.timestamp('created_at');
  const resolvedAt = closed
    ? attributes.optionalTimestamp('closed_at') ??
      attributes.timestamp('updated_at')
    : undefined;
  // GitLab gives every incident a severity; `unknown` means nobody set one.
  const severity = attributes.optionalString('severity')?.toLowerCase();
  const url = attributes.link('url');

  return {
    kind: 'events',
    events: [
      {
        entity: project.entity,
        event: {
          type: 'incident',
          id: `${project.path}#incident-${attributes.id('iid')}`,
          startedAt,
          ...(resolvedAt && { resolvedAt }),
          ...(severity && severity !== 'unknown' && { severity }),
          ...(url && { url }),
        },
      },
    ],
  };
}
