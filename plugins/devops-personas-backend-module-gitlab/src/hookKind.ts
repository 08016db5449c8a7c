import { SourcePayload } from '@devops-personas/plugin-devops-personas-node';
import { JsonRecord } from './payloadFields';

// `X-Gitlab-Event` names of the hooks this source reads, by `object_kind`.
const KIND_BY_EVENT_HEADER = new Map([
  ['deployment hook', 'deployment'],
  ['merge request hook', 'merge_request'],
  ['pipeline hook', 'pipeline'],
  ['issue hook', 'issue'],
  ['confidential issue hook', 'issue'],
]);

/**
 * The kind of a GitLab hook: the body's `object_kind` (`deployment`,
 * `merge_request`, `pipeline`, `issue`, `work_item`, `push`, …), else the
 * kind the `X-Gitlab-Event` header names, else undefined.
 */
export function hookKind(
  body: JsonRecord,
  headers: SourcePayload['headers'],
): string | undefined {
  if (typeof body.object_kind === 'string' && body.object_kind !== '') {
    return body.object_kind;
  }
  const header = headers['x-gitlab-event'];
  const eventName = Array.isArray(header) ? header[0] : header;
  return eventName
    ? KIND_BY_EVENT_HEADER.get(eventName.trim().toLowerCase())
    : undefined;
}
