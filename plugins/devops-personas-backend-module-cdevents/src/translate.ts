import {
  SourceEvent,
  SourcePayload,
  SourceTranslation,
  SourceTranslationContext,
} from '@devops-personas/plugin-devops-personas-node';
import {
  JsonObject,
  isObject,
  nonEmptyString,
  readCdevent,
} from './cloudEvent';
import { CDEVENTS_SUBJECT_ANNOTATION } from './constants';

/**
 * `dev.cdevents.<subject>.<predicate>.<major>.<minor>.<patch>`; the version
 * is the event's own schema version, which is 0.x for every published
 * CDEvents release.
 */
const CDEVENT_TYPE =
  /^dev\.cdevents\.([a-z][a-z0-9]*)\.([a-z][a-z0-9]*)\.(\d+)\.\d+\.\d+(?:-[0-9a-z.-]+)?$/i;

const PIPELINE_OUTCOMES = new Map<string, 'success' | 'failure' | 'cancelled'>([
  ['success', 'success'],
  ['failure', 'failure'],
  ['error', 'failure'],
  ['cancel', 'cancelled'],
]);

const httpUrl = (value: unknown): string | undefined =>
  typeof value === 'string' && /^https?:\/\//i.test(value) ? value : undefined;

/** What every mapped CDEvent gives: its event id, time and subject. */
interface ReadEvent {
  kind: string;
  id: string;
  timestamp: string;
  subjectId: string;
  content: JsonObject;
}

/** SPEC §8: by annotation, else read as an entity ref. */
const entityNamed = (value: string): SourceEvent['entity'] => ({
  annotation: { key: CDEVENTS_SUBJECT_ANNOTATION, value },
  entityRef: value,
});

/** `content.<field>.id`, e.g. `content.service.id`, when given. */
const referencedId = (content: JsonObject, field: string) => {
  const reference = content[field];
  return isObject(reference) ? nonEmptyString(reference.id) : undefined;
};

/**
 * SPEC §8: the entity named by `subject.id` first; only when that names
 * none, the one `content.<field>.id` references (a change's repository, an
 * incident's service).
 */
function subjectOrReferenced(
  read: ReadEvent,
  field: string,
): SourceEvent['entity'] {
  const referenced = referencedId(read.content, field);
  if (!referenced || referenced === read.subjectId)
    return entityNamed(read.subjectId);
  return {
    ...entityNamed(read.subjectId),
    alternatives: [entityNamed(referenced)],
  };
}

function deployment(
  read: ReadEvent,
  status: 'success' | 'rolled_back',
  context: SourceTranslationContext,
): SourceEvent {
  const environment = referencedId(read.content, 'environment');
  if (!environment) {
    throw new Error(
      `CDEvent ${read.kind}: subject.content.environment.id must be a non-empty string`,
    );
  }
  return {
    entity: entityNamed(read.subjectId),
    event: {
      type: 'deployment',
      id: read.id,
      finishedAt: read.timestamp,
      status,
      environment: context.environment(environment),
    },
    // A deployment ships the entity's changes merged since the previous
    // one; a rollback ships none.
    ...(status === 'success' ? { changesMergedUntil: read.timestamp } : {}),
  };
}

function change(read: ReadEvent, predicate: 'created' | 'merged'): SourceEvent {
  const event: JsonObject = {
    type: 'change',
    id: read.subjectId,
    createdAt: read.timestamp,
  };
  // A merge carries its own time as a placeholder creation time, so that a
  // merge arriving before (or without) its creation is still stored; the
  // backend keeps the earliest `createdAt`, so the creation wins whenever
  // it arrives.
  if (predicate === 'merged') event.mergedAt = read.timestamp;
  return {
    // The change's subject id is the change itself; its repository names
    // the entity when the subject names none.
    entity: subjectOrReferenced(read, 'repository'),
    event,
    // change.created and change.merged fill one change, in either order of
    // arrival.
    mergeWithStored: true,
  };
}

function incident(
  read: ReadEvent,
  predicate: 'started' | 'resolved',
): SourceEvent {
  // Detection and report carry their time as the start; a resolution
  // carries it as a placeholder start too, so that a resolution arriving
  // before its detection is stored (lasting 0 s). The backend keeps the
  // earliest `startedAt`, so the detection's earlier start wins.
  const event: JsonObject = {
    type: 'incident',
    id: read.subjectId,
    startedAt: read.timestamp,
  };
  if (predicate === 'resolved') event.resolvedAt = read.timestamp;
  const ticket = httpUrl(read.content.ticketURI);
  if (ticket) event.url = ticket;
  return {
    // The incident's subject id is the incident itself; the service it
    // occurred in names the entity when the subject names none.
    entity: subjectOrReferenced(read, 'service'),
    event,
    // The resolution keeps the start (and attribution); a start redelivered
    // after the resolution keeps the resolution.
    mergeWithStored: true,
  };
}

function pipelineRun(read: ReadEvent): SourceEvent | string {
  const outcome = nonEmptyString(read.content.outcome);
  const status = outcome
    ? PIPELINE_OUTCOMES.get(outcome.toLowerCase())
    : undefined;
  if (!status) {
    return outcome
      ? `CDEvent pipelinerun.finished with outcome "${outcome}" is not counted`
      : 'CDEvent pipelinerun.finished without an outcome is not counted';
  }
  const event: JsonObject = {
    type: 'pipeline-run',
    id: read.id,
    finishedAt: read.timestamp,
    status,
  };
  // `url` in event version 0.1, `uri` since.
  const url = httpUrl(read.content.url) ?? httpUrl(read.content.uri);
  if (url) event.url = url;
  return { entity: entityNamed(read.subjectId), event };
}

/** The §6 event for each counted CDEvent, or why it is not counted. */
const MAPPINGS = new Map<
  string,
  (read: ReadEvent, context: SourceTranslationContext) => SourceEvent | string
>([
  ['service.deployed', (read, context) => deployment(read, 'success', context)],
  ['service.upgraded', (read, context) => deployment(read, 'success', context)],
  [
    'service.rolledback',
    (read, context) => deployment(read, 'rolled_back', context),
  ],
  ['change.created', read => change(read, 'created')],
  ['change.merged', read => change(read, 'merged')],
  ['pipelinerun.finished', read => pipelineRun(read)],
  ['incident.detected', read => incident(read, 'started')],
  ['incident.reported', read => incident(read, 'started')],
  ['incident.resolved', read => incident(read, 'resolved')],
]);

/**
 * Turns a CDEvent (SPEC §8) into a §6 event: service deployed, upgraded
 * and rolled back → `deployment`; change created and merged → one
 * `change`; pipeline run finished → `pipeline-run`; incident detected,
 * reported and resolved → one `incident`. Every other CDEvent is ignored.
 * The entity is the one `devops-personas.io/cdevents-subject` = `subject.id`
 * names, else `subject.id` read as an entity ref; only then, for changes
 * and incidents, the repository or service the CDEvent references.
 */
export function translateCdevent(
  payload: SourcePayload,
  context: SourceTranslationContext,
): SourceTranslation {
  const received = readCdevent(payload);
  if (!received.type) {
    throw new Error(
      'The CloudEvent has no type: neither context.type in the CDEvent nor the CloudEvent type',
    );
  }
  const match = CDEVENT_TYPE.exec(received.type);
  if (!match) {
    return {
      kind: 'ignored',
      reason: `${received.type} is not a CDEvent type`,
    };
  }
  const [, subject, predicate, major] = match;
  const kind = `${subject}.${predicate}`.toLowerCase();
  const map = MAPPINGS.get(kind);
  if (!map) {
    return { kind: 'ignored', reason: `CDEvent ${kind} is not counted` };
  }
  if (major !== '0') {
    return {
      kind: 'ignored',
      reason: `CDEvent ${received.type}: only event versions 0.x are read`,
    };
  }

  const required = (value: string | undefined, field: string): string => {
    if (!value) {
      throw new Error(`CDEvent ${kind}: ${field} must be a non-empty string`);
    }
    return value;
  };
  if (!isObject(received.subject)) {
    throw new Error(`CDEvent ${kind}: subject must be an object`);
  }
  const read: ReadEvent = {
    kind,
    id: required(received.id, 'context.id'),
    timestamp: required(received.timestamp, 'context.timestamp'),
    subjectId: required(nonEmptyString(received.subject.id), 'subject.id'),
    content: isObject(received.subject.content) ? received.subject.content : {},
  };
  const result = map(read, context);
  return typeof result === 'string'
    ? { kind: 'ignored', reason: result }
    : { kind: 'events', events: [result] };
}
