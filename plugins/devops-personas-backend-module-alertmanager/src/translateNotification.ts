import {
  SourceEvent,
  SourceTranslation,
} from '@devops-personas/plugin-devops-personas-node';
import { AlertmanagerTranslationOptions } from './options';
import { readAlertStart } from './startsAt';

/** The only webhook payload version Alertmanager has ever sent. */
const SUPPORTED_VERSION = '4';
/** Longest `url` an event may carry (SPEC §6). */
const MAX_URL_LENGTH = 2048;
/** The label that says, per alert, whether it asks a person to act. */
const ACTIONABLE_LABEL = 'actionable';
const SEVERITY_LABEL = 'severity';

/**
 * Turns one Alertmanager webhook notification (payload version 4) into
 * `alert` events, one per alert of `alerts[]`:
 *
 * - id `<fingerprint>@<startsAt>`, `startsAt` in UTC as precisely as
 *   Alertmanager gave it, so the resolved notification of an alert replaces
 *   the firing one instead of counting twice, while the same label set
 *   firing again later is a new alert;
 * - `firedAt` = `startsAt`, cut to milliseconds;
 * - `actionable` from the label `actionable` when it is exactly `true` or
 *   `false`, else whether the label `severity` is one of
 *   `actionableSeverities` (compared case-insensitively);
 * - the entity is the entity ref in the label named `entityLabel`;
 * - `url` is the alert's `generatorURL` when it is an http(s) URL that fits
 *   the 2,048 characters an event allows.
 *
 * An alert without the entity label (or with an empty one) becomes an event
 * that names no entity: the backend drops it and counts it as
 * `unmapped-entity` (SPEC §8), its last error naming the alert, while the
 * other alerts of the notification are stored. A notification without
 * alerts is ignored. A body that is not an Alertmanager notification throws
 * an Error saying what is wrong with it.
 *
 * @public
 */
export function translateAlertmanagerNotification(
  body: unknown,
  options: AlertmanagerTranslationOptions,
): SourceTranslation {
  if (!isRecord(body)) {
    throw new Error(
      `Not an Alertmanager webhook notification: the body is ${describe(
        body,
      )}, not a JSON object`,
    );
  }
  if (body.version !== undefined && body.version !== SUPPORTED_VERSION) {
    throw new Error(
      `Unsupported Alertmanager webhook payload version ${JSON.stringify(
        body.version,
      )}; this source reads version "${SUPPORTED_VERSION}"`,
    );
  }
  if (!Array.isArray(body.alerts)) {
    throw new Error(
      `Not an Alertmanager webhook notification: "alerts" is ${describe(
        body.alerts,
      )}, not a list`,
    );
  }
  if (body.alerts.length === 0) {
    return { kind: 'ignored', reason: 'the notification has no alerts' };
  }

  const events = body.alerts.map((alert: unknown, index: number) =>
    translateAlert(alert, `alerts[${index}]`, options),
  );
  return { kind: 'events', events };
}

function translateAlert(
  alert: unknown,
  path: string,
  options: AlertmanagerTranslationOptions,
): SourceEvent {
  if (!isRecord(alert)) {
    throw new Error(`${path} is ${describe(alert)}, not an alert object`);
  }
  const labels = alert.labels;
  if (!isRecord(labels)) {
    throw new Error(`${path}.labels is ${describe(labels)}, not a label set`);
  }
  const fingerprint = alert.fingerprint;
  if (typeof fingerprint !== 'string' || !fingerprint.trim()) {
    throw new Error(
      `${path}.fingerprint is ${describe(
        fingerprint,
      )}; Alertmanager gives every alert one`,
    );
  }
  const startsAt =
    typeof alert.startsAt === 'string'
      ? readAlertStart(alert.startsAt)
      : undefined;
  if (!startsAt) {
    throw new Error(
      `${path}.startsAt is ${describe(alert.startsAt)}, not an RFC 3339 time`,
    );
  }

  const event: Record<string, unknown> = {
    type: 'alert',
    id: `${fingerprint.trim()}@${startsAt.canonical}`,
    firedAt: startsAt.firedAt,
    actionable: isActionable(labels, options.actionableSeverities),
  };
  const url = linkableUrl(alert.generatorURL);
  if (url) event.url = url;
  const entityRef = stringLabel(labels, options.entityLabel)?.trim();
  // Without the label the event names no entity: the backend counts it as
  // unmapped, so an alert routed here without its label shows up.
  return { entity: entityRef ? { entityRef } : {}, event };
}

function isActionable(
  labels: Record<string, unknown>,
  actionableSeverities: string[],
): boolean {
  const explicit = stringLabel(labels, ACTIONABLE_LABEL);
  if (explicit === 'true') return true;
  if (explicit === 'false') return false;
  const severity = stringLabel(labels, SEVERITY_LABEL)?.trim().toLowerCase();
  return (
    severity !== undefined &&
    actionableSeverities.some(s => s.toLowerCase() === severity)
  );
}

function linkableUrl(value: unknown): string | undefined {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > MAX_URL_LENGTH
  )
    return undefined;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}

// Own properties only: a label named `constructor` must not find Object's.
function stringLabel(
  labels: Record<string, unknown>,
  name: string,
): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(labels, name)) return undefined;
  const value = labels[name];
  return typeof value === 'string' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
  }
  return typeof value === 'object'
    ? 'an object'
    : `${typeof value} ${String(value)}`;
}
