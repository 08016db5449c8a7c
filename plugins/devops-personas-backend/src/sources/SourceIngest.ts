import { LoggerService } from '@backstage/backend-plugin-api';
import { SourceDropReason } from '@internal/plugin-devops-personas-common';
import {
  DevopsPersonasSource,
  SourceEvent,
  SourcePayload,
  SourceTranslation,
  SourceTranslationContext,
} from '@internal/plugin-devops-personas-node';
import { EventStore } from '../database/EventStore';
import { reachedProduction } from '../database/facts';
import { SourceCountChange } from '../database/SourceCountStore';
import { NormalizedEvent, validateEvent } from '../events/validateEvents';
import { EntityDirectory } from './EntityDirectory';
import { SourcesConfig } from './sourcesConfig';

/** Events one payload may carry, at most (as one `POST /v1/events`). */
const MAX_EVENTS_PER_PAYLOAD = 5000;

/** Why a payload (or some of its events) was not stored, for the counts. */
class Dropped extends Error {
  constructor(readonly reason: SourceDropReason, message: string, readonly events = 1) {
    super(message);
  }
}

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * Stores what the event sources translate: each payload's events are
 * mapped to their catalog entities, validated as `POST /v1/events`
 * validates, completed (a deployment's changes, an incident's deployment)
 * and written in one idempotent upsert; what cannot be stored is dropped
 * and counted with its reason. Never throws: a webhook cannot break the
 * backend it is delivered to.
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
    if (lastError) {
      this.logger.warn(`Dropped ${source.title} payload on topic ${payload.topic}: ${lastError.message}`);
    }
    try {
      await this.store.sourceCounts.add(source.id, change);
      if (lastError) {
        await this.store.sourceCounts.recordError(source.id, {
          atMs: this.now(),
          reason: lastError.reason,
          message: lastError.message,
        });
      }
    } catch (error) {
      this.logger.warn(`Could not count a ${source.title} payload: ${(error as Error).message}`);
    }
  }

  private async translate(source: DevopsPersonasSource, payload: SourcePayload): Promise<SourceTranslation> {
    let translation: SourceTranslation;
    try {
      translation = await source.translate(payload, this.context);
    } catch (error) {
      throw new Dropped('unreadable-payload', `Unreadable payload: ${(error as Error).message}`);
    }
    if (translation?.kind === 'ignored') return translation;
    if (translation?.kind !== 'events' || !Array.isArray(translation.events)) {
      throw new Dropped('unreadable-payload', 'The source returned no translation');
    }
    if (translation.events.length > MAX_EVENTS_PER_PAYLOAD) {
      throw new Dropped(
        'invalid-event',
        `The payload holds ${translation.events.length} events; at most ${MAX_EVENTS_PER_PAYLOAD} are stored from one payload`,
        translation.events.length,
      );
    }
    return translation;
  }

  /**
   * Maps, validates, completes and stores the events of one payload: all
   * of its mapped events or none of them.
   */
  private async storeEvents(
    source: DevopsPersonasSource,
    events: SourceEvent[],
  ): Promise<{ stored: number; unmapped?: Dropped }> {
    const mapped: Array<{ input: SourceEvent; entityRef: string }> = [];
    const unmappedNames: string[] = [];
    for (const input of events) {
      const entityRef = await this.directory.locate(input.entity ?? {});
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

    const normalized: NormalizedEvent[] = [];
    for (const [index, { input, entityRef }] of mapped.entries()) {
      const where = mapped.length > 1 ? `event ${index + 1} (${String(input.event?.type)})` : `${String(input.event?.type)} event`;
      try {
        normalized.push(await this.complete(source, input, entityRef));
      } catch (error) {
        throw new Dropped('invalid-event', `Invalid ${where}: ${(error as Error).message}`, mapped.length);
      }
    }
    return { stored: await this.store.upsert(normalized), unmapped };
  }

  /** Validates one event and adds what the source left to the plugin. */
  private async complete(source: DevopsPersonasSource, input: SourceEvent, entityRef: string): Promise<NormalizedEvent> {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input.event ?? {})) {
      if (value !== undefined) fields[key] = value;
    }
    let raw: Record<string, unknown> = { ...fields, entityRef, source: source.id };
    if (input.mergeWithStored && typeof raw.type === 'string' && typeof raw.id === 'string') {
      const stored = await this.store.sourceLookups
        .storedPayload(raw.type as NormalizedEvent['type'], source.id, raw.id)
        .catch(() => undefined);
      if (stored) raw = { ...stored, ...raw };
    }
    let event = validateEvent(raw);

    if (event.type === 'deployment' && input.changesMergedUntil !== undefined && reachedProduction(event.payload)) {
      const until = validateEvent({
        type: 'change',
        id: 'until',
        entityRef,
        createdAt: input.changesMergedUntil,
      }).timeMs;
      const changeIds = await this.store.sourceLookups.changesShippedBy({
        entityRef,
        deployment: { source: source.id, id: event.id, finishedMs: event.timeMs },
        untilMs: until,
      });
      const named = Array.isArray(raw.changeIds) ? (raw.changeIds as string[]) : [];
      event = validateEvent({ ...event.payload, changeIds: [...new Set([...named, ...changeIds])] });
    }

    if (event.type === 'incident') {
      event = await this.attribute(event);
    }
    return event;
  }

  /** SPEC §8: how an incident is linked to the deployment that caused it. */
  private async attribute(event: NormalizedEvent): Promise<NormalizedEvent> {
    const payload = event.payload;
    if (typeof payload.causedByDeploymentId === 'string') {
      return hasOwn(payload, 'attribution') ? event : validateEvent({ ...payload, attribution: 'explicit' });
    }
    if (this.config.attribution.rule !== 'last-deployment') return event;
    const deploymentId = await this.store.sourceLookups.lastProductionDeployment(
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

function describeLocator(input: SourceEvent): string {
  const parts: string[] = [];
  for (const { annotation, entityRef } of [input.entity ?? {}, ...(input.entity?.alternatives ?? [])]) {
    if (annotation) parts.push(`annotation ${annotation.key}: ${annotation.value}`);
    if (entityRef !== undefined) parts.push(`entity ref ${String(entityRef)}`);
  }
  const what = `${String(input.event?.type ?? 'event')} ${String(input.event?.id ?? '')}`.trim();
  return parts.length ? `${what}: ${parts.join(', or ')}` : `${what}: the payload names no entity`;
}
