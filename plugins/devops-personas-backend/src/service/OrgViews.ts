import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  HolderHat,
  HolderHatsResponse,
  OverviewItem,
  OverviewResponse,
  PersonaWarning,
} from '@devops-personas/plugin-devops-personas-common';
import { kpisWithoutOwner } from '../kpis/decorate';
import { KpiService } from '../kpis/KpiService';
import { indexedEntityScope } from '../kpis/scope';
import { PersonasConfig } from './config';
import { displayNameOf, IndexedEntity, OrgIndex } from './OrgIndex';
import { parentRefOf, PersonaResolver } from './PersonaResolver';
import { ownerRefOf } from './RaciResolver';
import { plural } from './wording';

export const OVERVIEW_SORTS = ['entity', 'title', 'kind', 'owner', 'coverage', 'gaps', 'warnings'] as const;
export const OVERVIEW_GAPS = ['ownerless-kpis', 'missing-personas'] as const;
/** Kinds whose overview row rolls up Components instead of carrying KPIs itself. */
const ROLLUP_KINDS = ['system', 'domain', 'group'];

export interface OverviewQuery {
  kind?: string[];
  /** Lower-cased; matched as a substring of the owner's ref, name and display name. */
  owner?: string;
  system?: string;
  /** Full ref of a System, Domain or Group: only the Components it rolls up. */
  within?: string;
  gap?: (typeof OVERVIEW_GAPS)[number];
  sort: (typeof OVERVIEW_SORTS)[number];
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** Parses the overview's query string; bad values are 400s naming the parameter. */
export function parseOverviewQuery(query: Record<string, unknown>): OverviewQuery {
  const str = (name: string) => {
    const value = query[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw new InputError(`${name} must be given once`);
    return value;
  };
  const int = (name: string, fallback: number, max: number) => {
    const raw = str(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isInteger(value) || value < 0 || value > max) {
      throw new InputError(`${name} must be a whole number from 0 to ${max}; got "${raw}"`);
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const value = str(name);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      throw new InputError(`${name} must be one of ${allowed.join(', ')}; got "${value}"`);
    }
    return value as T;
  };
  const sort = oneOf('sort', OVERVIEW_SORTS) ?? 'entity';
  const order =
    oneOf('order', ['asc', 'desc'] as const) ?? (sort === 'warnings' || sort === 'gaps' ? 'desc' : 'asc');
  const limit = int('limit', 50, 500);
  const owner = str('owner')?.trim().toLowerCase();
  return {
    kind: str('kind')?.toLowerCase().split(',').map(k => k.trim()).filter(Boolean),
    owner: owner || undefined,
    system: str('system')?.toLowerCase(),
    within: parseWithin(str('within')),
    gap: oneOf('gap', OVERVIEW_GAPS),
    sort,
    order,
    offset: int('offset', 0, 1_000_000),
    limit: limit === 0 ? 50 : limit,
  };
}

function parseWithin(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const problem = `within must be the full ref of a System, Domain or Group (e.g. system:default/payments); got "${raw.slice(0, 200)}"`;
  let ref;
  try {
    ref = parseEntityRef(raw.trim(), { defaultNamespace: 'default' });
  } catch {
    throw new InputError(problem);
  }
  if (!ROLLUP_KINDS.includes(ref.kind.toLowerCase())) throw new InputError(problem);
  return stringifyEntityRef(ref).toLowerCase();
}

function fullRef(raw: string, defaultKind: string, field: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(raw, { defaultKind, defaultNamespace: 'default' }),
    ).toLowerCase();
  } catch {
    throw new InputError(`${field}: "${raw.slice(0, 200)}" is not an entity ref`);
  }
}

/** A full ref the owner filter may also be, or undefined when it is no ref. */
function ownerRefOrUndefined(raw: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(raw, { defaultKind: 'group', defaultNamespace: 'default' }),
    ).toLowerCase();
  } catch {
    return undefined;
  }
}

/** Code-point order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Warnings of every code on a row. */
function warningsOf(item: OverviewItem): number {
  return Object.values(item.warningCounts).reduce((a, b) => a + b, 0);
}

/** Ownership gaps of a row: missing core personas, plus ownerless KPIs (a rollup's: its Components with some). */
function gapsOf(item: OverviewItem): number {
  return item.missingCorePersonas.length + (item.rollup ? item.rollup.withOwnerlessKpis : item.ownerlessKpis.length);
}

/**
 * An overview row that has a gap, and the gaps in words, for
 * `find-gaps` (SPEC §10).
 */
export interface GapRow extends OverviewItem {
  gaps: string[];
}

/** The org-wide answers: holders ("what am I accountable for?") and the overview. */
export class OrgViews {
  constructor(
    private readonly catalog: CatalogService,
    private readonly resolver: PersonaResolver,
    private readonly kpis: KpiService,
    private readonly config: PersonasConfig,
  ) {}

  async getHolder(holderRef: string, credentials: BackstageCredentials): Promise<HolderHatsResponse> {
    const kind = parseEntityRef(holderRef).kind;
    if (kind !== 'user' && kind !== 'group') {
      throw new InputError(`Holders are users or groups; got ${holderRef}`);
    }
    const index = await OrgIndex.load(this.catalog, this.resolver, this.config, credentials);
    const holder = index.byRef.get(holderRef);
    if (!holder) throw new NotFoundError(`No ${kind} ${holderRef} in the catalog`);
    const groups =
      kind === 'user'
        ? (holder.relations ?? [])
            .filter(r => r.type === 'memberOf')
            .map(r => r.targetRef.toLowerCase())
            .sort()
        : [];
    const wearers = new Map([[holderRef, ''], ...groups.map(g => [g, `via-group:${g}`] as const)]);

    const hats: HolderHat[] = [];
    const kpis: HolderHatsResponse['kpis'] = [];
    for (const item of index.personaEntities()) {
      for (const assignment of item.assignments) {
        for (const ref of assignment.refs) {
          const via = wearers.get(ref);
          if (via === undefined) continue;
          hats.push({
            entityRef: item.ref,
            entityTitle: displayNameOf(item.entity),
            persona: assignment.definition.id,
            personaTitle: assignment.definition.title,
            provenance: via || assignment.provenance,
            assignment: assignment.provenance,
          });
        }
      }
      const own = item.chain[0].parsed.kpiOwners;
      for (const [kpi, refs] of Object.entries(own)) {
        if (refs.includes(holderRef)) kpis.push({ entityRef: item.ref, kpi, provenance: 'explicit' });
      }
    }
    hats.sort((a, b) => a.entityRef.localeCompare(b.entityRef) || a.persona.localeCompare(b.persona));

    const warnings: PersonaWarning[] = [];
    const explicitEntities = new Set(
      hats.filter(h => h.provenance === 'explicit').map(h => h.entityRef),
    );
    const limit = this.config.heroMode.entitiesPerPerson;
    if (kind === 'user' && explicitEntities.size > limit) {
      warnings.push({
        code: 'hero-mode',
        message: `${displayNameOf(holder)} is named on ${explicitEntities.size} entities (more than ${limit}): hero mode.`,
        holder: holderRef,
      });
    }
    const perEntity = new Map<string, Set<string>>();
    for (const hat of hats.filter(h => !h.provenance.startsWith('via-group:'))) {
      perEntity.set(hat.entityRef, (perEntity.get(hat.entityRef) ?? new Set()).add(hat.persona));
    }
    for (const [entityRef, personas] of perEntity) {
      if (kind === 'user' && personas.size >= this.config.heroMode.personasPerEntity) {
        warnings.push({
          code: 'hero-mode',
          message: `${displayNameOf(holder)} wears ${personas.size} hats on ${entityRef}.`,
          holder: holderRef,
          entityRef,
          personas: [...personas],
        });
      }
    }
    return {
      holder: holderRef,
      displayName: displayNameOf(holder),
      groups,
      hats,
      kpis,
      warnings,
    };
  }

  private item(
    index: OrgIndex,
    entry: IndexedEntity,
    ownerlessOf: (entry: IndexedEntity) => string[],
    rollupComponents: string[] | undefined,
  ): OverviewItem {
    const personas: Record<string, string> = {};
    let explicit = 0;
    let inherited = 0;
    const missingCorePersonas: string[] = [];
    const warningCounts: Record<string, number> = {};
    const count = (code: string, n = 1) => {
      if (n) warningCounts[code] = (warningCounts[code] ?? 0) + n;
    };
    for (const a of entry.assignments) {
      personas[a.definition.id] = a.provenance;
      if (a.provenance === 'explicit') explicit++;
      else if (a.provenance !== 'unassigned') inherited++;
      if (a.definition.core && !a.refs.length) missingCorePersonas.push(a.definition.id);
    }
    count('unassigned-persona', missingCorePersonas.length);
    const allRefs = new Set(entry.assignments.flatMap(a => a.refs));
    count('unknown-holder', [...allRefs].filter(r => !index.byRef.has(r)).length);
    const hatsPerUser = new Map<string, number>();
    for (const a of entry.assignments) {
      for (const r of a.refs) if (r.startsWith('user:')) hatsPerUser.set(r, (hatsPerUser.get(r) ?? 0) + 1);
    }
    count('hero-mode', [...hatsPerUser.values()].filter(n => n >= this.config.heroMode.personasPerEntity).length);
    count('invalid-annotation', entry.chain.reduce((n, l) => n + l.parsed.warnings.length, 0));
    const entity = entry.entity;
    const kind = entity.kind.toLowerCase();
    // A rollup's ownerless KPIs are its Components' (counted there, once).
    const ownerlessKpis = rollupComponents ? [] : ownerlessOf(entry);
    count('ownerless-kpi', ownerlessKpis.length);
    const total = entry.assignments.length;
    const system = parentRefOf(entity)?.startsWith('system:') ? parentRefOf(entity)! : null;
    const owner = ownerRefOf(entity) ?? null;
    const ownerEntity = owner ? index.byRef.get(owner) : undefined;
    let rollup: OverviewItem['rollup'] = null;
    if (rollupComponents) {
      rollup = {
        components: rollupComponents.length,
        withOwnerlessKpis: rollupComponents.filter(c => {
          const component = index.get(c);
          return component ? ownerlessOf(component).length > 0 : false;
        }).length,
      };
    }
    return {
      entityRef: entry.ref,
      kind,
      title: displayNameOf(entity),
      owner,
      ownerTitle: ownerEntity ? displayNameOf(ownerEntity) : null,
      system,
      coverage: {
        explicit,
        inherited,
        missing: total - explicit - inherited,
        ratio: total ? (explicit + inherited) / total : 0,
      },
      personas,
      missingCorePersonas,
      ownerlessKpis,
      rollup,
      warningCounts,
      doraTiers: {},
    };
  }

  /** Whether an owner filter (lower case) matches an entity's owner: its ref, name or display names, in part. */
  private static ownerMatches(index: OrgIndex, owner: string | null, needle: string, needleRef?: string) {
    if (!owner) return false;
    if (owner === needleRef || owner.includes(needle)) return true;
    const entity = index.byRef.get(owner);
    if (!entity) return false;
    const names = [
      entity.metadata.name,
      entity.metadata.title,
      (entity.spec?.profile as { displayName?: unknown } | undefined)?.displayName,
    ];
    return names.some(n => typeof n === 'string' && n.toLowerCase().includes(needle));
  }

  /** The overview's rows for a query, filtered but neither sorted nor paged (no DORA tiers yet). */
  private async rows(
    query: Pick<OverviewQuery, 'kind' | 'owner' | 'system' | 'within' | 'gap'>,
    credentials: BackstageCredentials,
  ): Promise<{ index: OrgIndex; items: OverviewItem[] }> {
    const index = await OrgIndex.load(this.catalog, this.resolver, this.config, credentials);
    // The Components a System, Domain or Group rolls up: the KPI rollup's own scope (SPEC §7).
    const componentsOf = async (entity: Entity) =>
      (await indexedEntityScope(entity, index.byRef)).filter(ref => ref.startsWith('component:'));
    let within: Set<string> | undefined;
    if (query.within) {
      const rollupEntity = index.byRef.get(query.within);
      if (!rollupEntity) {
        throw new InputError(`within: there is no ${query.within} in the catalog`);
      }
      within = new Set(await componentsOf(rollupEntity));
    }
    // each entity's ownerless KPIs once: a rollup row asks again for its Components
    const ownerless = new Map<string, string[]>();
    const ownerlessOf = (entry: IndexedEntity) => {
      let ids = ownerless.get(entry.ref);
      if (!ids) {
        ids = kpisWithoutOwner(this.config.kpis, entry.chain, entry.assignments).map(kpi => kpi.id);
        ownerless.set(entry.ref, ids);
      }
      return ids;
    };
    let items = await Promise.all(
      index.personaEntities().map(async entry =>
        this.item(
          index,
          entry,
          ownerlessOf,
          ROLLUP_KINDS.includes(entry.entity.kind.toLowerCase()) ? await componentsOf(entry.entity) : undefined,
        ),
      ),
    );
    if (query.kind?.length) items = items.filter(i => query.kind!.includes(i.kind));
    if (query.owner) {
      const needle = query.owner;
      const needleRef = ownerRefOrUndefined(needle);
      items = items.filter(i => OrgViews.ownerMatches(index, i.owner, needle, needleRef));
    }
    if (query.system) {
      const system = fullRef(query.system, 'system', 'system');
      items = items.filter(i => i.system === system || i.entityRef === system);
    }
    if (within) items = items.filter(i => within!.has(i.entityRef));
    if (query.gap === 'ownerless-kpis') items = items.filter(i => i.ownerlessKpis.length > 0);
    if (query.gap === 'missing-personas') items = items.filter(i => i.missingCorePersonas.length > 0);

    return { index, items };
  }

  async getOverview(query: OverviewQuery, credentials: BackstageCredentials): Promise<OverviewResponse> {
    const { index, items } = await this.rows(query, credentials);
    // Keys per sort; null sorts last in either order.
    const key: Record<OverviewQuery['sort'], (i: OverviewItem) => number | string | null> = {
      entity: i => i.entityRef,
      title: i => i.title.toLowerCase(),
      kind: i => i.kind,
      owner: i => (i.owner ? (i.ownerTitle ?? i.owner).toLowerCase() : null),
      coverage: i => i.coverage.ratio,
      gaps: gapsOf,
      warnings: warningsOf,
    };
    const sign = query.order === 'asc' ? 1 : -1;
    const sortKey = key[query.sort];
    items.sort((a, b) => {
      const ka = sortKey(a);
      const kb = sortKey(b);
      let cmp: number;
      if (ka === null && kb === null) cmp = 0;
      else if (ka === null) cmp = 1;
      else if (kb === null) cmp = -1;
      else {
        cmp =
          sign *
          (typeof ka === 'number' && typeof kb === 'number' ? ka - kb : compareText(String(ka), String(kb)));
      }
      // Ties: by entity ref, ascending, whatever the order.
      return cmp || compareText(a.entityRef, b.entityRef);
    });

    const slots = items.reduce((n, i) => n + i.coverage.explicit + i.coverage.inherited + i.coverage.missing, 0);
    const assigned = items.reduce((n, i) => n + i.coverage.explicit + i.coverage.inherited, 0);
    const hats = new Map<string, { hats: number; entities: Set<string> }>();
    for (const item of items) {
      for (const a of index.get(item.entityRef)!.assignments) {
        for (const ref of a.refs) {
          if (!ref.startsWith('user:')) continue;
          const entry = hats.get(ref) ?? { hats: 0, entities: new Set<string>() };
          // Hats count where a person is named; inherited ones would
          // multiply one System-level assignment by its Components.
          if (a.provenance === 'explicit') entry.hats++;
          entry.entities.add(item.entityRef);
          hats.set(ref, entry);
        }
      }
    }
    const topHatWearers = [...hats.entries()]
      .map(([holder, h]) => ({ holder, displayName: index.displayName(holder), hats: h.hats, entities: h.entities.size }))
      .sort((a, b) => b.hats - a.hats || b.entities - a.entities || a.holder.localeCompare(b.holder))
      .slice(0, 5);

    const page = items.slice(query.offset, query.offset + query.limit);
    await this.addDoraTiers(page, index);

    return {
      total: items.length,
      offset: query.offset,
      limit: query.limit,
      items: page,
      summary: {
        entities: items.length,
        coverage: slots ? assigned / slots : 0,
        entitiesWithGaps: items.filter(i => i.missingCorePersonas.length).length,
        // Rollups carry no ownerless KPIs of their own: each is counted once, on its Component.
        ownerlessKpis: items.filter(i => !i.rollup).reduce((n, i) => n + i.ownerlessKpis.length, 0),
        topHatWearers,
      },
    };
  }

  /**
   * The rows with a gap (an unassigned core persona, an ownerless KPI, hero
   * mode or any other warning), worst first: most gaps, then most warnings.
   */
  async findGaps(
    query: Pick<OverviewQuery, 'kind' | 'owner' | 'system'> & { limit: number },
    credentials: BackstageCredentials,
  ): Promise<{ total: number; items: GapRow[] }> {
    const { index, items } = await this.rows(query, credentials);
    const withGaps = items
      .filter(i => gapsOf(i) > 0 || warningsOf(i) > 0)
      .sort(
        (a, b) =>
          gapsOf(b) - gapsOf(a) || warningsOf(b) - warningsOf(a) || compareText(a.entityRef, b.entityRef),
      );
    const page = withGaps.slice(0, query.limit);
    await this.addDoraTiers(page, index);
    return { total: withGaps.length, items: page.map(item => ({ ...item, gaps: this.describeGaps(item) })) };
  }

  /** A row's gaps as sentences an assistant can repeat. */
  private describeGaps(item: OverviewItem): string[] {
    const title = (id: string) => this.config.personas.find(p => p.id === id)?.title ?? id;
    const gaps: string[] = [];
    if (item.missingCorePersonas.length) {
      gaps.push(`No ${item.missingCorePersonas.map(title).join(', ')} assigned`);
    }
    if (item.ownerlessKpis.length) {
      gaps.push(`${plural(item.ownerlessKpis.length, 'KPI has', 'KPIs have')} no owner: ${item.ownerlessKpis.join(', ')}`);
    }
    if (item.rollup?.withOwnerlessKpis) {
      gaps.push(
        `${item.rollup.withOwnerlessKpis} of ${plural(item.rollup.components, 'Component', 'Components')} ${item.rollup.withOwnerlessKpis === 1 ? 'has' : 'have'} ownerless KPIs`,
      );
    }
    const counted = new Set(['unassigned-persona', 'ownerless-kpi']);
    for (const [code, n] of Object.entries(item.warningCounts)) {
      if (counted.has(code) || !n) continue;
      gaps.push(code === 'hero-mode' ? `Hero mode: ${plural(n, 'person wears', 'people wear')} too many hats` : plural(n, `${code} warning`, `${code} warnings`));
    }
    return gaps;
  }

  private async addDoraTiers(items: OverviewItem[], index: OrgIndex) {
    const tiers = await this.kpis.doraTiers(
      items.map(i => ({ ref: i.entityRef, entity: index.byRef.get(i.entityRef)! })),
      index,
    );
    for (const item of items) item.doraTiers = tiers.get(item.entityRef) ?? {};
  }
}
