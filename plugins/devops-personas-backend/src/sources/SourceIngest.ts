import { LoggerService } from '@backstage/backend-plugin-api';
import { SourceDropReason } from '@devops-personas/plugin-devops-personas-common';
import {
  DevopsPersonasSource,
  SourceEvent,
  SourcePayload,
  SourceTranslation,
  SourceTranslationContext,
} from '@devops-personas/plugin-devops-personas-node';
import { EventStore } from '../database/EventStore';
import { reachedProduction } from '../database/facts';
import { SourceCountChange } from '../database/SourceCountStore';
import { SourceLookups } from '../database/SourceLookups';
import {
  CONTROL_CHARACTER,
  EVENT_TIME_FIELD,
  EventType,
  jsonByteSize,
  LONE_SURROGATE,
  MAX_EVENT_BYTES,
  NormalizedEvent,
  urlProblem,
  validateEvent,
} from '../events/validateEvents';
import { EntityDirectory } from './EntityDirectory';
import { SourcesConfig } from './sourcesConfig';

/** Events one payload may carry, at most (as one `POST /v1/events`). */
const MAX_EVENTS_PER_PAYLOAD = 5000;
/**
 * How long a translator or the catalog may take for one payload: the
 * events ingress waits for its subscribers before it answers the tool.
 */
const STEP_TIMEOUT_MS = 10_000;
/** Attempts to store a payload when the database fails (down, restarting). */
const STORE_ATTEMPTS = 3;

/**
 * Fields a later delivery may only move earlier when merged with the
 * stored event: the start of an incident (detected, then reported) or a
 * change (merged reported before created carries its merge time).
 */
const EARLIEST_WINS: Partial<Record<EventType, string>> = {
  incident: 'startedAt',
  change: 'createdAt',
};

/** Why a payload (or some of its events) was not stored, for the counts. */
class Dropped extends Error {
  constructor(readonly reason: SourceDropReason, message: string, readonly events = 1) {
    super(message);
  }
}

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function withTimeout<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${STEP_TIMEOUT_MS / 1000} s`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

// What validation refuses in a stored string, found anywhere in a text.
const UNSTORABLE = new RegExp(`${CONTROL_CHARACTER.source}|${LONE_SURROGATE.source}`, 'g');

/**
 * Text from a payload made safe to log and to store alike on SQLite and
 * PostgreSQL: what validation refuses in an event (control characters,
 * lone surrogates) shown escaped.
 */
function printable(text: string): string {
  return text.replace(UNSTORABLE, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Stores what the event sources translate: each payload's events are
 * mapped to their catalog entities, validated as `POST /v1/events`
 * validates, completed (an update merged with the stored event, a
 * deployment's changes, an incident's deployment) and written in one
 * idempotent transaction; what cannot be stored is dropped and counted with
 * its reason. Never throws: a webhook cannot break the backend it is
 * delivered to.
 */
export class SourceIngest {
  private readonly context: SourceTranslationContext;

  constructor(
    private readonly store: EventStore,
    private readonly directory: EntityDirectory,
    private readonly config: SourcesConfig,
    private readonly logger: LoggerService,
    private readonly now: () => number = Date.now,
  ) {
    const production = new Set(config.productionEnvironments);
    this.context = {
      environment: name =>
        production.has(String(name).trim().toLowerCase()) ? 'production' : String(name),
    };
  }

  /** Handles one payload of a source; resolves when it is stored or dropped. */
  async handle(source: DevopsPersonasSource, payload: SourcePayload): Promise<void> {
    const change: SourceCountChange = { received: 1, dropped: {} };
    const drop = (reason: SourceDropReason, n: number) => {
      change.dropped![reason] = (change.dropped![reason] ?? 0) + n;
    };
    let lastError: Dropped | undefined;
    try {
      const translation = await this.translate(source, payload);
      if (translation.kind === 'ignored') {
        drop('ignored', 1);
        change.ignoredReason = printable(String(translation.reason ?? ''));
        this.logger.debug(`Ignored a ${source.title} payload on topic ${payload.topic}: ${printable(String(translation.reason))}`);
      } else {
        const { stored, unmapped } = await this.storeEvents(source, translation.events);
        change.stored = stored;
        if (unmapped) {
          drop('unmapped-entity', unmapped.events);
          lastError = unmapped;
        }
      }
    } catch (error) {
      const dropped =
        error instanceof Dropped
          ? error
          : new Dropped('store-failed', `Could not store the events: ${(error as Error).message}`);
      drop(dropped.reason, dropped.events);
      lastError = dropped;
    }
    const message = lastError && printable(lastError.message);
    if (lastError) {
      // Events for entities outside the catalog are routine (an org-wide
      // webhook): counted and shown as the last error, not a warning each.
      const text = `Dropped a ${source.title} payload on topic ${payload.topic}: ${message}`;
      if (lastError.reason === 'unmapped-entity') this.logger.debug(text);
      else this.logger.warn(text);
    }
    try {
      await this.store.sourceCounts.add(source.id, change);
      if (lastError) {
        await this.store.sourceCounts.recordError(source.id, {
          atMs: this.now(),
          reason: lastError.reason,
          message: message!,
        });
      }
    } catch (error) {
      this.logger.warn(`Could not count a ${source.title} payload: ${(error as Error).message}`);
    }
  }

  private async translate(source: DevopsPersonasSource, payload: SourcePayload): Promise<SourceTranslation> {
    let translation: SourceTranslation;
    try {
      translation = await withTimeout(
        `The ${source.title} translator`,
        Promise.resolve().then(() => source.translate(payload, this.context)),
      );
    } catch (error) {
      throw new Dropped('unreadable-payload', `Unreadable payload: ${(error as Error).message}`);
    }
    if (translation?.kind === 'ignored') return translation;
    if (translation?.kind !== 'events' || !Array.isArray(translation.events)) {
      throw new Dropped('unreadable-payload', 'The source returned no translation');
    }
    const events = translation.events;
    if (events.length > MAX_EVENTS_PER_PAYLOAD) {
      throw new Dropped(
        'invalid-event',
        `The payload holds ${events.length} events; at most ${MAX_EVENTS_PER_PAYLOAD} are stored from one payload`,
        events.length,
      );
    }
    const malformed = events.findIndex(e => !isObject(e) || !isObject(e.event) || (e.entity !== undefined && !isObject(e.entity)));
    if (malformed >= 0) {
      throw new Dropped('unreadable-payload', `The source translated event ${malformed + 1} into something that is not an event`);
    }
    return translation;
  }

  /**
   * Maps, validates, completes and stores the events of one payload: all
   * of its mapped events or none of them. A database failure is tried
   * again (the whole payload: storing is idempotent) before it is dropped.
   */
  private async storeEvents(
    source: DevopsPersonasSource,
    events: SourceEvent[],
  ): Promise<{ stored: number; unmapped?: Dropped }> {
    const mapped: Array<{ input: SourceEvent; entityRef: string }> = [];
    const unmappedNames: string[] = [];
    for (const input of events) {
      let entityRef: string | undefined;
      try {
        entityRef = await withTimeout('The catalog', this.directory.locate(input.entity ?? {}));
      } catch (error) {
        throw new Dropped('store-failed', `Could not look up the entity in the catalog: ${(error as Error).message}`, events.length);
      }
      if (entityRef) mapped.push({ input, entityRef });
      else unmappedNames.push(describeLocator(input));
    }
    const unmapped = unmappedNames.length
      ? new Dropped(
          'unmapped-entity',
          `No catalog entity for ${unmappedNames[0]}${
            unmappedNames.length > 1 ? ` (and ${unmappedNames.length - 1} more events)` : ''
          }`,
          unmappedNames.length,
        )
      : undefined;
    if (!mapped.length) return { stored: 0, unmapped };

    const identities = mapped.map(({ input }) => ({
      type: String(input.event.type) as EventType,
      source: source.id,
      id: String(input.event.id),
    }));
    for (let attempt = 1; ; attempt++) {
      try {
        const stored = await this.store.upsertCompleted(identities, lookups => this.completeAll(source, mapped, lookups));
        return { stored, unmapped };
      } catch (error) {
        if (error instanceof Dropped) throw error;
        if (attempt >= STORE_ATTEMPTS) throw error;
        await new Promise(resolve => setTimeout(resolve, 250 * 4 ** (attempt - 1)));
      }
    }
  }

  private async completeAll(
    source: DevopsPersonasSource,
    mapped: Array<{ input: SourceEvent; entityRef: string }>,
    lookups: SourceLookups,
  ): Promise<NormalizedEvent[]> {
    const completed: NormalizedEvent[] = [];
    for (const [index, { input, entityRef }] of mapped.entries()) {
      const where = mapped.length > 1 ? `event ${index + 1} (${String(input.event.type)})` : `${String(input.event.type)} event`;
      let event: NormalizedEvent;
      let shippedUntilMs: number | undefined;
      // Outside the try: a database failure here is retried, not an invalid event.
      const fields = await this.merged(source, input, entityRef, lookups);
      try {
        event = validateEvent(fields);
        if (event.type === 'deployment' && input.changesMergedUntil !== undefined && reachedProduction(event.payload)) {
          shippedUntilMs = mergedUntilMs(event.entityRef, input.changesMergedUntil);
        }
      } catch (error) {
        throw new Dropped('invalid-event', `Invalid ${where}: ${(error as Error).message}`, mapped.length);
      }
      if (shippedUntilMs !== undefined) {
        event = await this.withShippedChanges(source, event, shippedUntilMs, lookups);
      }
      if (event.type === 'incident') event = await this.attribute(event, lookups);
      completed.push(event);
    }
    return completed;
  }

  /** The event as the source sent it, merged with the stored one when asked. */
  private async merged(
    source: DevopsPersonasSource,
    input: SourceEvent,
    entityRef: string,
    lookups: SourceLookups,
  ): Promise<Record<string, unknown>> {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input.event)) {
      if (value !== undefined) fields[key] = value;
    }
    // A link is decoration: one validation would refuse is left out, the event kept.
    const badUrl = fields.url === undefined || fields.url === null ? undefined : urlProblem(fields.url);
    if (badUrl) {
      delete fields.url;
      this.logger.debug(
        `Left out the url of a ${source.title} ${printable(String(fields.type))} event ${printable(String(fields.id))}: it ${printable(badUrl)}`,
      );
    }
    const raw: Record<string, unknown> = { ...fields, entityRef, source: source.id };
    const type = raw.type;
    if (!input.mergeWithStored || typeof type !== 'string' || !hasOwn(EVENT_TIME_FIELD, type) || typeof raw.id !== 'string') {
      return raw;
    }
    const stored = await lookups.storedPayload(type as EventType, source.id, raw.id);
    if (!stored) return raw;
    const result = { ...stored, ...raw };
    const earliest = EARLIEST_WINS[type as EventType];
    if (earliest && typeof stored[earliest] === 'string' && typeof raw[earliest] === 'string') {
      const before = Date.parse(stored[earliest] as string) <= Date.parse(raw[earliest] as string);
      result[earliest] = before ? stored[earliest] : raw[earliest];
    }
    // An inferred link is inferred again from the merged start (it may have moved).
    if (result.attribution === 'last-deployment' && !hasOwn(raw, 'causedByDeploymentId')) {
      delete result.causedByDeploymentId;
      delete result.attribution;
    }
    return result;
  }

  /**
   * A deployment that reached production ships the entity's changes merged
   * since its previous one: as many as fit the event's size, latest first.
   */
  private async withShippedChanges(
    source: DevopsPersonasSource,
    event: NormalizedEvent,
    until: number,
    lookups: SourceLookups,
  ): Promise<NormalizedEvent> {
    const shipped = await lookups.changesShippedBy({
      entityRef: event.entityRef,
      deployment: { source: source.id, id: event.id, finishedMs: event.timeMs },
      untilMs: until,
    });
    const changeIds = new Set(event.payload.changeIds as string[]);
    let bytes = jsonByteSize(event.payload);
    for (const id of shipped) {
      if (changeIds.has(id)) continue;
      const more = Buffer.byteLength(JSON.stringify(id)) + 1;
      if (bytes + more > MAX_EVENT_BYTES) break;
      changeIds.add(id);
      bytes += more;
    }
    return validateEvent({ ...event.payload, changeIds: [...changeIds].sort() });
  }

  /** SPEC §8: how an incident is linked to the deployment that caused it. */
  private async attribute(event: NormalizedEvent, lookups: SourceLookups): Promise<NormalizedEvent> {
    const payload = event.payload;
    if (typeof payload.causedByDeploymentId === 'string') {
      return hasOwn(payload, 'attribution') ? event : validateEvent({ ...payload, attribution: 'explicit' });
    }
    if (this.config.attribution.rule !== 'last-deployment') return event;
    const deploymentId = await lookups.lastProductionDeployment(
      event.entityRef,
      event.timeMs,
      event.timeMs - this.config.attribution.maxGapMs,
    );
    if (!deploymentId) {
      const { attribution: _dropped, ...rest } = payload;
      return validateEvent(rest);
    }
    return validateEvent({ ...payload, causedByDeploymentId: deploymentId, attribution: 'last-deployment' });
  }
}

/** A deployment's `changesMergedUntil` in epoch milliseconds; throws when it is no timestamp. */
function mergedUntilMs(entityRef: string, mergedUntil: unknown): number {
  try {
    return validateEvent({ type: 'change', id: 'until', entityRef, createdAt: mergedUntil }).timeMs;
  } catch (error) {
    throw new Error(`changesMergedUntil ${(error as Error).message.replace(/^createdAt: /, '')}`);
  }
}

function describeLocator(input: SourceEvent): string {
  const parts: string[] = [];
  for (const { annotation, entityRef } of [input.entity ?? {}, ...(input.entity?.alternatives ?? [])]) {
    if (annotation) parts.push(`annotation ${annotation.key}: ${annotation.value}`);
    if (entityRef !== undefined) parts.push(`entity ref ${String(entityRef)}`);
  }
  const what = `${String(input.event?.type ?? 'event')} ${String(input.event?.id ?? '')}`.trim();
  return parts.length ? `${what}: ${parts.join(', or ')}` : `${what}: the payload names no entity`;
}
