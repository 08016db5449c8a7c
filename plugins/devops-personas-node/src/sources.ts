/**
 * How a source's event names its catalog entity. The backend looks it up:
 * first the annotation (values compared case-insensitively, as GitHub and
 * GitLab names are), then the entity ref. When several entities carry the
 * same annotation value, the first in entity-ref order gets the event and
 * `GET /v1/sources` reports the ambiguity.
 *
 * @public
 */
export interface SourceEntityLocator {
  /** An annotation and the value the entity must carry, e.g. `github.com/project-slug` = `octo/shop`. */
  annotation?: { key: string; value: string };
  /**
   * An entity ref read from the payload (a bare name is
   * `component:default/<name>`), used when no entity carries the annotation.
   * It must name an entity of the catalog.
   */
  entityRef?: string;
  /**
   * Other ways to name the entity, tried in order when this one finds none:
   * a CDEvents incident names its service, and failing that its subject.
   */
  alternatives?: SourceEntityLocator[];
}

/**
 * One event of SPEC §6 as a source produces it, without `entityRef` and
 * `source`: the backend sets `source` to the source's id and `entityRef` to
 * the entity the locator finds.
 *
 * @public
 */
export interface SourceEvent {
  /** The catalog entity the event belongs to. */
  entity: SourceEntityLocator;
  /**
   * The §6 event: `type`, `id` and the fields of its type (timestamps as ISO
   * 8601 strings with an offset). Validated as `POST /v1/events` validates.
   */
  event: Record<string, unknown>;
  /**
   * Fills the fields this event lacks from the stored event of the same
   * type, source and id: an `incident.resolved` that carries only the
   * resolution time keeps the start, severity and attribution the
   * `incident.triggered` stored.
   */
  mergeWithStored?: boolean;
  /**
   * For a deployment: its `changeIds` are the entity's changes merged after
   * its previous production deployment that reached production and at or
   * before the given time (ISO 8601), usually when the deployment was
   * created. GitHub's deployment webhooks name no pull requests.
   */
  changesMergedUntil?: string;
}

/**
 * What a translator made of one payload.
 *
 * - `events`: the events to store (possibly none);
 * - `ignored`: a payload of a kind the source does not count (a `push`, a
 *   pending deployment); dropped and counted under `reason`, never an error.
 *
 * A translator that cannot read a payload throws: the payload is dropped,
 * counted as `unreadable-payload`, and the error's message becomes the
 * source's last error.
 *
 * @public
 */
export type SourceTranslation =
  | { kind: 'events'; events: SourceEvent[] }
  | { kind: 'ignored'; reason: string };

/**
 * One payload as Backstage's events service delivered it.
 *
 * @public
 */
export interface SourcePayload {
  /** The topic it arrived on, e.g. `github`. */
  topic: string;
  /** The parsed body. */
  body: unknown;
  /** The request headers, names in lower case (`x-github-event`, `ce-type`, …). */
  headers: Record<string, string | string[] | undefined>;
}

/**
 * What the backend tells a translator about its configuration.
 *
 * @public
 */
export interface SourceTranslationContext {
  /**
   * The environment name to store: `production` when `name` is one of
   * `devopsPersonas.sources.productionEnvironments` (default `production`,
   * `prod`, `live`; case-insensitive), else the name as given.
   */
  environment(name: string): string;
}

/**
 * An event source: a tool whose webhooks arrive on Backstage's events
 * service and become KPI events.
 *
 * @public
 */
export interface DevopsPersonasSource {
  /** Short id, stored as the events' `source`: `github`, `pagerduty`, … */
  id: string;
  /** Name shown to people: `GitHub`, `PagerDuty`, … */
  title: string;
  /** The events topics it reads, e.g. `['github']`. */
  topics: string[];
  /** The annotation that maps a payload to an entity, shown when an entity has none. */
  annotation?: string;
  /** Turns one payload into events. */
  translate(
    payload: SourcePayload,
    context: SourceTranslationContext,
  ): SourceTranslation | Promise<SourceTranslation>;
}
