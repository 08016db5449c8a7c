import { SourcePayload } from '@devops-personas/plugin-devops-personas-node';
import { CLOUDEVENTS_JSON } from './constants';

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value : undefined;

/**
 * A CDEvent taken out of its CloudEvent. `type`, `id` and `timestamp` come
 * from the CDEvent's `context` (the CDEvents binding makes the CloudEvent's
 * `type`, `id` and `time` copies of them), else from the CloudEvent.
 */
export interface ReceivedCdevent {
  type?: string;
  id?: string;
  timestamp?: string;
  /** The CDEvent's `subject`, as sent. */
  subject: unknown;
}

function header(payload: SourcePayload, name: string): string | undefined {
  const value = payload.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The CloudEvent's data: a structured-mode CloudEvent carries it in `data`
 * (or base64 in `data_base64`); in binary mode the body is the data.
 */
function cloudEventData(payload: SourcePayload): {
  data: unknown;
  attributes: { type?: unknown; id?: unknown; time?: unknown };
} {
  const body =
    typeof payload.body === 'string'
      ? parseJson(payload.body, 'The body')
      : payload.body;
  const mediaType = header(payload, 'content-type')
    ?.split(';')[0]
    .trim()
    .toLowerCase();
  const binary = header(payload, 'ce-specversion') !== undefined;
  // Structured mode is announced by its media type; a sender that posts the
  // same JSON as application/json is understood too.
  const structured =
    mediaType === CLOUDEVENTS_JSON ||
    (!binary &&
      isObject(body) &&
      typeof body.specversion === 'string' &&
      !isObject(body.context));
  if (!structured) {
    return {
      data: body,
      attributes: {
        type: header(payload, 'ce-type'),
        id: header(payload, 'ce-id'),
        time: header(payload, 'ce-time'),
      },
    };
  }
  if (!isObject(body)) {
    throw new Error('A structured CloudEvent must be a JSON object');
  }
  let data = body.data;
  if (data === undefined && typeof body.data_base64 === 'string') {
    data = parseJson(
      Buffer.from(body.data_base64, 'base64').toString('utf-8'),
      'The CloudEvent data_base64',
    );
  }
  return { data, attributes: body };
}

/**
 * Reads the CDEvent a `cdevents` payload carries: CloudEvents binary mode
 * (`ce-*` headers, the CDEvent as body), structured mode (the CloudEvent as
 * JSON, the CDEvent in `data`), or a bare CDEvent. Throws when the payload
 * holds no CDEvent.
 */
export function readCdevent(payload: SourcePayload): ReceivedCdevent {
  const { data, attributes } = cloudEventData(payload);
  const cdevent =
    typeof data === 'string' ? parseJson(data, 'The CloudEvent data') : data;
  if (!isObject(cdevent)) {
    throw new Error(
      'The CloudEvent carries no CDEvent: its data must be a JSON object with context and subject',
    );
  }
  const context = isObject(cdevent.context) ? cdevent.context : {};
  return {
    type: nonEmptyString(context.type) ?? nonEmptyString(attributes.type),
    id: nonEmptyString(context.id) ?? nonEmptyString(attributes.id),
    timestamp:
      nonEmptyString(context.timestamp) ?? nonEmptyString(attributes.time),
    subject: cdevent.subject,
  };
}
