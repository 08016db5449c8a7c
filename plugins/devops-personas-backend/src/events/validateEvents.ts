import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { parseOffsetTimestamp } from './timestamps';

/** The most events one request may carry. */
export const MAX_EVENTS_PER_REQUEST = 5000;

/** The event types of SPEC §6, each with the field that places it in time. */
export const EVENT_TIME_FIELD = {
  deployment: 'finishedAt',
  change: 'createdAt',
  incident: 'startedAt',
  alert: 'firedAt',
  vulnerability: 'detectedAt',
  'pipeline-run': 'finishedAt',
  'postmortem-action': 'createdAt',
  sli: 'windowStart',
  measurement: 'timestamp',
} as const;

export type EventType = keyof typeof EVENT_TIME_FIELD;

/** A validated event: ref made full, timestamps in UTC, defaults applied. */
export interface NormalizedEvent {
  type: EventType;
  id: string;
  source: string;
  entityRef: string;
  /** Epoch milliseconds of the event's time field. */
  timeMs: number;
  /** The event as stored and returned by the explain endpoint. */
  payload: Record<string, unknown>;
}

type FieldRule =
  | { kind: 'timestamp'; required: boolean }
  | { kind: 'enum'; values: string[]; required: boolean; default?: string }
  | { kind: 'boolean'; required: boolean; default?: boolean }
  | { kind: 'string'; required: boolean }
  | { kind: 'url'; required: boolean }
  | { kind: 'string-list'; required: boolean }
  | { kind: 'number'; required: boolean; min?: number };

const ts = (required: boolean): FieldRule => ({ kind: 'timestamp', required });

const FIELDS: Record<EventType, Record<string, FieldRule>> = {
  deployment: {
    finishedAt: ts(true),
    status: { kind: 'enum', values: ['success', 'failure', 'rolled_back'], required: true },
    environment: { kind: 'string', required: false },
    changeIds: { kind: 'string-list', required: false },
    rework: { kind: 'boolean', required: false, default: false },
    startedAt: ts(false),
  },
  change: { createdAt: ts(true), mergedAt: ts(false) },
  incident: {
    startedAt: ts(true),
    resolvedAt: ts(false),
    severity: { kind: 'string', required: false },
    customerImpacting: { kind: 'boolean', required: false, default: false },
    causedByDeploymentId: { kind: 'string', required: false },
    attribution: { kind: 'enum', values: ['explicit', 'last-deployment'], required: false },
  },
  alert: {
    firedAt: ts(true),
    actionable: { kind: 'boolean', required: true },
  },
  vulnerability: {
    severity: { kind: 'enum', values: ['critical', 'high', 'medium', 'low'], required: true },
    detectedAt: ts(true),
    fixedAt: ts(false),
    dismissedAt: ts(false),
  },
  'pipeline-run': {
    finishedAt: ts(true),
    status: { kind: 'enum', values: ['success', 'failure', 'cancelled'], required: true },
    flaky: { kind: 'boolean', required: false, default: false },
    durationSeconds: { kind: 'number', required: false, min: 0 },
  },
  'postmortem-action': {
    createdAt: ts(true),
    dueAt: ts(false),
    closedAt: ts(false),
    incidentId: { kind: 'string', required: false },
  },
  sli: {
    slo: { kind: 'string', required: true },
    windowStart: ts(true),
    windowEnd: ts(true),
    good: { kind: 'number', required: true, min: 0 },
    total: { kind: 'number', required: true, min: 0 },
  },
  measurement: {
    kpi: { kind: 'string', required: true },
    timestamp: ts(true),
    value: { kind: 'number', required: true },
  },
};

/** Pairs of fields where the second must not come before the first. */
const ORDERED_FIELDS: Partial<Record<EventType, Array<[string, string]>>> = {
  deployment: [['startedAt', 'finishedAt']],
  change: [['createdAt', 'mergedAt']],
  incident: [['startedAt', 'resolvedAt']],
  vulnerability: [
    ['detectedAt', 'fixedAt'],
    ['detectedAt', 'dismissedAt'],
  ],
  'postmortem-action': [['createdAt', 'closedAt']],
};

/** Longest `id`, `source`, normalised `entityRef` and other short strings, in characters. */
export const MAX_STRING_LENGTH = 255;
/** Longest `url`, in characters. */
export const MAX_URL_LENGTH = 2048;
/** Largest event, as JSON, in bytes. */
export const MAX_EVENT_BYTES = 16 * 1024;

// Control characters (PostgreSQL cannot store U+0000 at all) and lone UTF-16
// surrogates (PostgreSQL stores them as U+FFFD, so two ids would collide):
// refused so that both databases store exactly the same.
// eslint-disable-next-line no-control-regex -- finding them is the point
export const CONTROL_CHARACTER = /[\u0000-\u001f]/;
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A bad value, with the path of the field inside the event. */
class FieldError extends Error {
  constructor(message: string, readonly path: string = '') {
    super(message);
  }
  /** The same error one level further out: `changeIds` then `[2]`. */
  within(name: string): FieldError {
    const sep = this.path.startsWith('[') || !this.path ? '' : '.';
    return new FieldError(this.message, `${name}${sep}${this.path}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    const shown = [...value.slice(0, 41)].slice(0, 40).join('');
    // JSON quoting makes control characters and lone surrogates visible.
    return JSON.stringify(shown.length < value.length ? `${shown}…` : value);
  }
  return typeof value === 'object' ? 'an object' : String(value);
}

function parseTimestamp(value: unknown): number {
  if (typeof value !== 'string') {
    throw new FieldError(
      `must be an ISO 8601 timestamp with an offset, like 2026-06-30T12:00:00Z or 2026-06-30T14:00:00+02:00; got ${describe(value)}`,
    );
  }
  try {
    return parseOffsetTimestamp(value);
  } catch (e) {
    throw new FieldError(`${(e as Error).message}; got ${describe(value)}`);
  }
}

function checkString(value: unknown, what = 'a non-empty string', maxLength = MAX_STRING_LENGTH): string {
  if (typeof value !== 'string' || !value.trim()) {
    throw new FieldError(`must be ${what}; got ${describe(value)}`);
  }
  // Characters are code points, as PostgreSQL counts them.
  if (value.length > maxLength && [...value].length > maxLength) {
    throw new FieldError(`must be at most ${maxLength} characters long; got ${[...value].length}`);
  }
  if (CONTROL_CHARACTER.test(value)) {
    throw new FieldError(`must not contain control characters (U+0000 to U+001F); got ${describe(value)}`);
  }
  if (LONE_SURROGATE.test(value)) {
    throw new FieldError('must be valid Unicode: it holds a lone UTF-16 surrogate');
  }
  return value;
}

function checkUrl(value: unknown): string {
  const url = checkString(value, 'an http(s) URL', MAX_URL_LENGTH);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new FieldError(`must be an absolute http or https URL; got ${describe(url)}`);
  }
  return url;
}

/**
 * Why a `url` field is refused (as validation would refuse it: control
 * characters, lone surrogates, length in code points, not http(s));
 * undefined when it is accepted.
 */
export function urlProblem(value: unknown): string | undefined {
  try {
    checkUrl(value);
    return undefined;
  } catch (e) {
    if (e instanceof FieldError) return e.message;
    throw e;
  }
}

/**
 * The size of an event as JSON, in UTF-8 bytes. A structure nested deeper
 * than JSON.stringify can follow is counted as too large: every level of
 * nesting costs at least two bytes, so it is far beyond the limit anyway.
 */
export function jsonByteSize(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value));
  } catch {
    return Infinity;
  }
}

/**
 * Makes an event's entity ref full and lower case. A short ref means a
 * Component in the default namespace: `checkout` is `component:default/checkout`.
 */
export function normalizeEventEntityRef(value: unknown): string {
  const raw = checkString(value, 'an entity ref such as component:default/checkout');
  let ref: string;
  try {
    ref = stringifyEntityRef(
      parseEntityRef(raw.trim(), { defaultKind: 'component', defaultNamespace: 'default' }),
    ).toLowerCase();
  } catch (e) {
    throw new FieldError(`is not a valid entity ref: ${(e as Error).message}`);
  }
  if (!/^[a-z0-9._-]+:[a-z0-9._-]+\/[a-z0-9._-]+$/.test(ref)) {
    throw new FieldError(`is not a valid entity ref; got ${describe(raw)}`);
  }
  if (ref.length > MAX_STRING_LENGTH) {
    throw new FieldError(
      `must be at most ${MAX_STRING_LENGTH} characters long as a full ref (${ref.length} as ${describe(ref)})`,
    );
  }
  return ref;
}

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

function checkValue(rule: FieldRule, value: unknown): unknown {
  switch (rule.kind) {
    case 'timestamp':
      return parseTimestamp(value);
    case 'enum':
      if (typeof value !== 'string' || !rule.values.includes(value)) {
        throw new FieldError(`must be one of ${rule.values.join(', ')}; got ${describe(value)}`);
      }
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') {
        throw new FieldError(`must be true or false; got ${describe(value)}`);
      }
      return value;
    case 'string':
      return checkString(value);
    case 'url':
      return checkUrl(value);
    case 'string-list':
      if (!Array.isArray(value)) {
        throw new FieldError(`must be an array of ids; got ${describe(value)}`);
      }
      value.forEach((item, i) => {
        try {
          checkString(item);
        } catch (e) {
          throw new FieldError((e as Error).message, `[${i}]`);
        }
      });
      return [...new Set(value as string[])];
    default:
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new FieldError(`must be a number; got ${describe(value)}`);
      }
      if (rule.min !== undefined && value < rule.min) {
        throw new FieldError(`must be ${rule.min} or more; got ${value}`);
      }
      return value;
  }
}

// Every event may link to the item in its own tool.
const COMMON_FIELDS: Record<string, FieldRule> = { url: { kind: 'url', required: false } };
// The rules of each type as a list, built once rather than per event.
const RULES = Object.fromEntries(
  Object.entries(FIELDS).map(([type, fields]) => [type, Object.entries({ ...COMMON_FIELDS, ...fields })]),
) as Record<EventType, Array<[string, FieldRule]>>;

function normalizeOne(event: unknown): NormalizedEvent {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new FieldError(`must be an object; got ${describe(event)}`);
  }
  const bytes = jsonByteSize(event);
  if (bytes > MAX_EVENT_BYTES) {
    throw new FieldError(
      `is more than ${MAX_EVENT_BYTES} bytes of JSON (16 KiB); send large details as a url to the item instead`,
    );
  }
  const input = event as Record<string, unknown>;
  const field = (name: string, check: () => unknown) => {
    try {
      return check();
    } catch (e) {
      if (e instanceof FieldError) throw e.within(name);
      throw e;
    }
  };
  // Own properties only: `constructor` or `__proto__` is no event type.
  const own = (name: string) => (hasOwn(input, name) ? input[name] : undefined);

  const type = field('type', () => {
    const value = own('type');
    if (typeof value !== 'string' || !hasOwn(FIELDS, value)) {
      throw new FieldError(`must be one of ${Object.keys(FIELDS).join(', ')}; got ${describe(value)}`);
    }
    return value;
  }) as EventType;
  const id = field('id', () => checkString(own('id'))) as string;
  const entityRef = field('entityRef', () => normalizeEventEntityRef(own('entityRef'))) as string;
  const source = field('source', () => {
    const value = own('source');
    // No source, null and "" all mean the same: none.
    return value === undefined || value === null || value === '' ? '' : checkString(value);
  }) as string;

  // Only the fields SPEC lists for the type are kept; the rest is dropped.
  const payload: Record<string, unknown> = { type, id, source, entityRef };
  const times: Record<string, number> = {};
  for (const [name, rule] of RULES[type]) {
    const value = own(name);
    if (value === undefined || value === null) {
      if (rule.required) {
        throw new FieldError(`is required for a ${type} event`, name);
      }
      if ('default' in rule && rule.default !== undefined) payload[name] = rule.default;
      continue;
    }
    const checked = field(name, () => checkValue(rule, value));
    if (rule.kind === 'timestamp') {
      times[name] = checked as number;
      payload[name] = new Date(checked as number).toISOString();
    } else {
      payload[name] = checked;
    }
  }

  if (type === 'deployment' && payload.environment === undefined) {
    payload.environment = 'production';
  }
  if (type === 'deployment' && payload.changeIds === undefined) payload.changeIds = [];
  for (const [before, after] of ORDERED_FIELDS[type] ?? []) {
    if (times[before] !== undefined && times[after] !== undefined && times[after] < times[before]) {
      throw new FieldError(`must not be before ${before}`, after);
    }
  }
  if (type === 'sli') {
    if (times.windowEnd <= times.windowStart) {
      throw new FieldError('must be after windowStart', 'windowEnd');
    }
    if ((payload.good as number) > (payload.total as number)) {
      throw new FieldError(`must not exceed total (${payload.good} > ${payload.total})`, 'good');
    }
  }
  if (type === 'measurement') {
    payload.kpi = field('kpi', () => {
      const kpi = (payload.kpi as string).trim();
      if (!/^[a-z0-9][a-z0-9._-]*$/.test(kpi)) {
        throw new FieldError(`must be a KPI id of lower-case letters, digits and -_.; got ${describe(kpi)}`);
      }
      return kpi;
    });
  }

  const timeField = EVENT_TIME_FIELD[type];
  return {
    type,
    id,
    source,
    entityRef,
    timeMs: times[timeField],
    payload,
  };
}

/**
 * Validates one event, as an element of a request is validated; the
 * InputError names the field and the reason.
 */
export function validateEvent(event: unknown): NormalizedEvent {
  try {
    return normalizeOne(event);
  } catch (e) {
    if (e instanceof FieldError) {
      throw new InputError(e.path ? `${e.path}: ${e.message}` : e.message);
    }
    throw e;
  }
}

/**
 * Validates a whole ingest request. The first bad event rejects the request
 * with an InputError naming its index, the field and the reason.
 */
export function validateEventsRequest(body: unknown): NormalizedEvent[] {
  const events =
    typeof body === 'object' && body !== null && hasOwn(body, 'events')
      ? (body as { events: unknown }).events
      : undefined;
  if (!Array.isArray(events)) {
    throw new InputError('The request body must be JSON of the form {"events": [ ... ]}');
  }
  if (events.length > MAX_EVENTS_PER_REQUEST) {
    throw new InputError(
      `events: at most ${MAX_EVENTS_PER_REQUEST} events per request; got ${events.length}. Split them into several requests.`,
    );
  }
  return events.map((event, index) => {
    try {
      return normalizeOne(event);
    } catch (e) {
      if (e instanceof FieldError) {
        const where = e.path ? `events[${index}].${e.path}` : `events[${index}]`;
        throw new InputError(`${where}: ${e.message}`);
      }
      throw e;
    }
  });
}
