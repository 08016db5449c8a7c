import {
  SourcePayload,
  SourceTranslation,
} from '@devops-personas/plugin-devops-personas-node';
import { PAGERDUTY_SERVICE_ANNOTATION } from './config';

/** What the translator needs from the configuration. */
export interface PagerDutyTranslatorOptions {
  /** Priority names that make an incident customer-impacting. */
  customerImpactingPriorities: string[];
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value : undefined;

const httpUrl = (value: unknown): string | undefined =>
  typeof value === 'string' && /^https?:\/\//i.test(value) ? value : undefined;

/**
 * Turns a PagerDuty V3 webhook (`{"event": {event_type, occurred_at, data}}`)
 * into §6 events (SPEC §8):
 *
 * - `incident.triggered` → an `incident` (id `data.id`, `startedAt`
 *   `data.created_at`, `severity` the urgency, `customerImpacting` from the
 *   priority, `url` the incident page);
 * - `incident.resolved` → the same incident with `resolvedAt` =
 *   `occurred_at`;
 * - every other event type is ignored.
 *
 * The incident belongs to the entity annotated
 * `pagerduty.com/service-id: <data.service.id>`.
 */
export function createPagerDutyTranslator(
  options: PagerDutyTranslatorOptions,
): (payload: SourcePayload) => SourceTranslation {
  const impacting = new Set(
    options.customerImpactingPriorities.map(name => name.trim().toLowerCase()),
  );

  /** Undefined when the payload names no priority. */
  const customerImpacting = (data: JsonObject): boolean | undefined => {
    const priority = data.priority;
    if (!isObject(priority)) return undefined;
    const name =
      nonEmptyString(priority.summary) ?? nonEmptyString(priority.name);
    return name === undefined
      ? undefined
      : impacting.has(name.trim().toLowerCase());
  };

  return payload => {
    const body = payload.body;
    if (!isObject(body) || !isObject(body.event)) {
      throw new Error(
        'Not a PagerDuty V3 webhook: the body has no "event" object (V1 and V2 webhooks are not read)',
      );
    }
    const event = body.event;
    const eventType = nonEmptyString(event.event_type);
    if (!eventType) {
      throw new Error('PagerDuty webhook without event.event_type');
    }
    if (
      eventType !== 'incident.triggered' &&
      eventType !== 'incident.resolved'
    ) {
      return {
        kind: 'ignored',
        reason: `PagerDuty ${eventType} events are not counted`,
      };
    }

    const data = event.data;
    if (!isObject(data)) {
      throw new Error(`PagerDuty ${eventType} webhook without event.data`);
    }
    const required = (value: unknown, field: string): string => {
      const text = nonEmptyString(value);
      if (!text) {
        throw new Error(
          `PagerDuty ${eventType} webhook: ${field} must be a non-empty string`,
        );
      }
      return text;
    };
    const id = required(data.id, 'event.data.id');
    const serviceId = required(
      isObject(data.service) ? data.service.id : undefined,
      'event.data.service.id',
    );

    const incident: JsonObject = { type: 'incident', id };
    if (eventType === 'incident.triggered') {
      // Payloads sent before PagerDuty added data.created_at (2021) only
      // carry when the trigger occurred, which is when the incident began.
      incident.startedAt = required(
        nonEmptyString(data.created_at) ?? event.occurred_at,
        'event.data.created_at',
      );
      // No priority on a new incident: not customer-impacting (yet).
      incident.customerImpacting = customerImpacting(data) ?? false;
    } else {
      const startedAt = nonEmptyString(data.created_at);
      if (startedAt) incident.startedAt = startedAt;
      incident.resolvedAt = required(event.occurred_at, 'event.occurred_at');
      // Raised to a customer-impacting priority meanwhile: the resolution
      // says so. Without a priority, the stored value stays.
      const impact = customerImpacting(data);
      if (impact !== undefined) incident.customerImpacting = impact;
    }
    const severity = nonEmptyString(data.urgency);
    if (severity) incident.severity = severity;
    const url = httpUrl(data.html_url);
    if (url) incident.url = url;

    return {
      kind: 'events',
      events: [
        {
          entity: {
            annotation: { key: PAGERDUTY_SERVICE_ANNOTATION, value: serviceId },
          },
          event: incident,
          // The resolution keeps what the trigger stored (start, priority,
          // attribution); a trigger redelivered after the resolution keeps
          // the resolution.
          mergeWithStored: true,
        },
      ],
    };
  };
}
