import { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { SourceAmbiguity } from '@devops-personas/plugin-devops-personas-common';
import { SourceEntityLocator } from '@devops-personas/plugin-devops-personas-node';
import { normalizeEventEntityRef } from '../events/validateEvents';

/** How long an annotation index or an entity's existence is trusted. */
const CACHE_MS = 60_000;
/** A value not found re-reads an index at most this often (a new entity maps soon). */
const MISS_REFRESH_MS = 10_000;
/** Alternative locators tried, at most (theirs are not followed). */
const MAX_ALTERNATIVES = 5;
/** Entity refs whose existence is remembered, at most. */
const MAX_KNOWN_REFS = 10_000;

interface AnnotationIndex {
  readAtMs: number;
  /** Lower-case annotation value → entity refs carrying it, in ref order. */
  byValue: Map<string, string[]>;
}

/**
 * Finds the catalog entity a source's event belongs to. Each annotation's
 * index is read from the catalog once a minute (one query, not one per
 * webhook), so a backfill of thousands of payloads costs a handful of
 * catalog reads.
 */
export class EntityDirectory {
  private readonly indexes = new Map<string, Promise<AnnotationIndex>>();
  private readonly reading = new Map<string, Promise<AnnotationIndex>>();
  private readonly knownRefs = new Map<string, { exists: boolean; readAtMs: number }>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly now: () => number = Date.now,
  ) {}

  /** The entity ref the locator (or one of its alternatives) finds, or undefined. */
  async locate(locator: SourceEntityLocator): Promise<string | undefined> {
    // Bounded: a payload cannot make the lookup recurse without end.
    const candidates = [locator, ...(locator.alternatives ?? []).slice(0, MAX_ALTERNATIVES)];
    for (const candidate of candidates) {
      const found = await this.locateOne(candidate);
      if (found) return found;
    }
    return undefined;
  }

  private async locateOne(locator: SourceEntityLocator): Promise<string | undefined> {
    if (locator.annotation) {
      const refs = await this.refsWith(locator.annotation.key, locator.annotation.value);
      if (refs.length) return refs[0];
    }
    if (locator.entityRef !== undefined) {
      let ref: string;
      try {
        ref = normalizeEventEntityRef(locator.entityRef);
      } catch {
        return undefined;
      }
      return (await this.exists(ref)) ? ref : undefined;
    }
    return undefined;
  }

  /** Values of the annotation that several entities carry. */
  async ambiguities(key: string): Promise<SourceAmbiguity[]> {
    const index = await this.index(key, false);
    const found: SourceAmbiguity[] = [];
    for (const [value, refs] of index.byValue) {
      if (refs.length > 1) found.push({ annotation: key, value, entityRefs: refs, chosen: refs[0] });
    }
    return found.sort((a, b) => (a.value < b.value ? -1 : 1));
  }

  private async refsWith(key: string, value: string): Promise<string[]> {
    const wanted = value.trim().toLowerCase();
    let index = await this.index(key, false);
    if (!index.byValue.has(wanted) && this.now() - index.readAtMs > MISS_REFRESH_MS) {
      index = await this.index(key, true);
    }
    return index.byValue.get(wanted) ?? [];
  }

  private index(key: string, refresh: boolean): Promise<AnnotationIndex> {
    const cached = this.indexes.get(key);
    if (cached && !refresh) {
      return cached.then(index =>
        this.now() - index.readAtMs > CACHE_MS ? this.index(key, true) : index,
      );
    }
    // One read per annotation at a time: the payloads waiting share it.
    const inFlight = this.reading.get(key);
    if (inFlight) return inFlight;
    const reading = this.readIndex(key).finally(() => this.reading.delete(key));
    this.reading.set(key, reading);
    reading.then(
      index => this.indexes.set(key, Promise.resolve(index)),
      // A failed read is not cached: the next payload tries again.
      () => undefined,
    );
    return reading;
  }

  private async readIndex(key: string): Promise<AnnotationIndex> {
    const readAtMs = this.now();
    const { items } = await this.catalog.getEntities(
      {
        filter: { [`metadata.annotations.${key}`]: CATALOG_FILTER_EXISTS },
        fields: ['kind', 'metadata.namespace', 'metadata.name', 'metadata.annotations'],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    const byValue = new Map<string, string[]>();
    for (const entity of items) {
      const value = entity.metadata.annotations?.[key];
      if (typeof value !== 'string' || !value.trim()) continue;
      const normalized = value.trim().toLowerCase();
      const refs = byValue.get(normalized) ?? [];
      refs.push(stringifyEntityRef(entity).toLowerCase());
      byValue.set(normalized, refs);
    }
    for (const refs of byValue.values()) refs.sort();
    return { readAtMs, byValue };
  }

  private async exists(ref: string): Promise<boolean> {
    const known = this.knownRefs.get(ref);
    if (known && this.now() - known.readAtMs <= (known.exists ? CACHE_MS : MISS_REFRESH_MS)) {
      return known.exists;
    }
    const entity = await this.catalog.getEntityByRef(ref, {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
    if (this.knownRefs.size >= MAX_KNOWN_REFS) this.knownRefs.clear();
    this.knownRefs.set(ref, { exists: Boolean(entity), readAtMs: this.now() });
    return Boolean(entity);
  }
}
