import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { SourcesResponse, SourceStatus } from '@devops-personas/plugin-devops-personas-common';
import { DevopsPersonasSource } from '@devops-personas/plugin-devops-personas-node';
import { EventStore } from '../database/EventStore';
import { EntityDirectory } from './EntityDirectory';
import { SourceIngest } from './SourceIngest';
import { SourcesConfig } from './sourcesConfig';

const SOURCE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Checks what modules registered: unique, well-formed ids and topics. */
export function checkSources(sources: DevopsPersonasSource[]): void {
  const seen = new Set<string>();
  for (const source of sources) {
    if (!SOURCE_ID_PATTERN.test(source.id)) {
      throw new Error(`Event source id "${source.id}" must be lower-case letters, digits and dashes`);
    }
    if (seen.has(source.id)) {
      throw new Error(`Two modules register the event source "${source.id}"; install one of them`);
    }
    seen.add(source.id);
    if (!source.topics.length || source.topics.some(topic => typeof topic !== 'string' || !topic)) {
      throw new Error(`Event source "${source.id}" must name at least one events topic`);
    }
  }
}

/**
 * The event sources registered through the extension point: subscribed to
 * their topics on Backstage's events service, and described by
 * `GET /v1/sources`.
 */
export class EventSources {
  constructor(
    private readonly sources: DevopsPersonasSource[],
    private readonly ingest: SourceIngest,
    private readonly directory: EntityDirectory,
    private readonly store: EventStore,
    private readonly config: SourcesConfig,
  ) {
    checkSources(sources);
  }

  /**
   * Subscribes each source to its topics. Replicas share the subscriber id,
   * so each payload is handled once across them.
   */
  async subscribe(events: EventsService, logger: LoggerService): Promise<void> {
    for (const source of this.sources) {
      await events.subscribe({
        id: `devops-personas-source-${source.id}`,
        topics: source.topics,
        onEvent: params =>
          this.ingest.handle(source, {
            topic: params.topic,
            body: params.eventPayload,
            headers: params.metadata ?? {},
          }),
      });
      logger.info(`Event source ${source.title} reads topics ${source.topics.join(', ')}`);
    }
  }

  async status(): Promise<SourcesResponse> {
    const stored = await this.store.sourceCounts.read();
    const sources: SourceStatus[] = [];
    for (const source of this.sources) {
      const found = stored.get(source.id);
      let ambiguities: SourceStatus['ambiguities'] = [];
      if (source.annotation) {
        // The catalog being unreachable must not hide the counts.
        ambiguities = await this.directory.ambiguities(source.annotation).catch(() => []);
      }
      sources.push({
        id: source.id,
        title: source.title,
        topics: [...source.topics],
        annotation: source.annotation ?? null,
        counts: found?.counts ?? { received: 0, stored: 0, dropped: {}, ignoredReasons: {} },
        lastError: found?.lastError
          ? {
              at: new Date(found.lastError.atMs).toISOString(),
              reason: found.lastError.reason,
              message: found.lastError.message,
            }
          : null,
        ambiguities,
      });
    }
    return {
      // in a stable order people can scan, whatever order modules started in
      sources: sources.sort((a, b) => a.title.localeCompare(b.title, 'en')),
      attribution: {
        rule: this.config.attribution.rule,
        maxGapSeconds: Math.round(this.config.attribution.maxGapMs / 1000),
      },
    };
  }
}
