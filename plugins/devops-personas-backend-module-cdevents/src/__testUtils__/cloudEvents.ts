import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SourcePayload } from '@devops-personas/plugin-devops-personas-node';

/** The CDEvents spec releases whose examples are kept as fixtures. */
export const SPEC_RELEASES = ['spec-v0.3.0', 'spec-v0.5.1'] as const;
export type SpecRelease = (typeof SPEC_RELEASES)[number];

/** A CDEvent as the spec examples write it. */
export interface Cdevent {
  context: {
    id: string;
    source: string;
    type: string;
    timestamp: string;
  } & Record<string, unknown>;
  subject: { id: string; content?: Record<string, any> } & Record<
    string,
    unknown
  >;
  [key: string]: unknown;
}

/** One spec example, read afresh (tests may change their copy). */
export function example(release: SpecRelease, name: string): Cdevent {
  return JSON.parse(
    readFileSync(
      join(__dirname, '..', '__fixtures__', release, `${name}.json`),
      'utf-8',
    ),
  );
}

/** An HTTP request carrying a CDEvent, as a sender would post it. */
export interface CloudEventRequest {
  headers: Record<string, string>;
  body: string;
}

/** CloudEvents HTTP binary mode, as the CDEvents binding describes it. */
export function binaryRequest(cdevent: Cdevent): CloudEventRequest {
  return {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'ce-specversion': '1.0',
      'ce-id': cdevent.context.id,
      'ce-source': cdevent.context.source,
      'ce-type': cdevent.context.type,
      'ce-time': cdevent.context.timestamp,
      'ce-subject': cdevent.subject.id,
    },
    body: JSON.stringify(cdevent),
  };
}

/** CloudEvents HTTP structured mode (JSON event format). */
export function structuredRequest(cdevent: Cdevent): CloudEventRequest {
  return {
    headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
    body: JSON.stringify({
      specversion: '1.0',
      // Optional chaining: tests break examples on purpose.
      id: cdevent.context?.id,
      source: cdevent.context?.source,
      type: cdevent.context?.type,
      time: cdevent.context?.timestamp,
      subject: cdevent.subject?.id,
      datacontenttype: 'application/json',
      data: cdevent,
    }),
  };
}

export const MODES = {
  binary: binaryRequest,
  structured: structuredRequest,
} as const;

/** The payload Backstage's events ingress publishes for such a request. */
export function payloadOf(request: CloudEventRequest): SourcePayload {
  return {
    topic: 'cdevents',
    headers: request.headers,
    body: JSON.parse(request.body),
  };
}
