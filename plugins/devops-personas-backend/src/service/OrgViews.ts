import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  HolderHat,
  HolderHatsResponse,
  OverviewItem,
  OverviewResponse,
  PersonaWarning,
} from '@internal/plugin-devops-personas-common';
import { KpiService } from '../kpis/KpiService';
import { PersonasConfig } from './config';
import { displayNameOf, IndexedEntity, OrgIndex } from './OrgIndex';
import { parentRefOf, PersonaResolver } from './PersonaResolver';
import { ownerRefOf } from './RaciResolver';

export interface OverviewQuery {
  kind?: string[];
  owner?: string;
  system?: string;
  sort: 'entity' | 'coverage' | 'warnings' | 'kind';
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

const SORTS = ['entity', 'coverage', 'warnings', 'kind'];

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
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw new InputError(`${name} must be a whole number from 0 to ${max}; got "${raw}"`);
    }
    return value;
  };
  const sort = str('sort') ?? 'entity';
  if (!SORTS.includes(sort)) throw new InputError(`sort must be one of ${SORTS.join(', ')}; got "${sort}"`);
  const order = str('order') ?? (sort === 'warnings' ? 'desc' : 'asc');
  if (order !== 'asc' && order !== 'desc') throw new InputError(`order must be asc or desc; got "${order}"`);
  const limit = int('limit', 50, 500);
  return {
    kind: str('kind')?.toLowerCase().split(',').map(k => k.trim()).filter(Boolean),
    owner: str('owner')?.toLowerCase(),
    system: str('system')?.toLowerCase(),
    sort: sort as OverviewQuery['sort'],
    order,
    offset: int('offset', 0, 1_000_000),
    limit: limit === 0 ? 50 : limit,
  };
}

function fullRef(raw: string, defaultKind: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(raw, { defaultKind, defaultNamespace: 'default' }),
    ).toLowerCase();
  } catch {
    throw new InputError(`"${raw}" is not an entity ref`);
  }
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

  private item(index: OrgIndex, entry: IndexedEntity): OverviewItem {
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
    const ownerlessKpis = this.config.kpis
      .filter(kpi => {
        if (entry.chain.some(l => l.parsed.kpiOwners[kpi.id]?.length)) return false;
        return !entry.assignments.find(a => a.definition.id === kpi.ownerPersona)?.refs.length;
      })
      .map(kpi => kpi.id);
    count('ownerless-kpi', ownerlessKpis.length);
    const total = entry.assignments.length;
    const entity = entry.entity;
    const system = parentRefOf(entity)?.startsWith('system:') ? parentRefOf(entity)! : null;
    return {
      entityRef: entry.ref,
      kind: entity.kind.toLowerCase(),
      title: displayNameOf(entity),
      owner: ownerRefOf(entity) ?? null,
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
      warningCounts,
      doraTiers: {},
    };
  }

  async getOverview(query: OverviewQuery, credentials: BackstageCredentials): Promise<OverviewResponse> {
    const index = await OrgIndex.load(this.catalog, this.resolver, this.config, credentials);
    let items = index.personaEntities().map(entry => this.item(index, entry));
    if (query.kind?.length) items = items.filter(i => query.kind!.includes(i.kind));
    if (query.owner) {
      const owner = fullRef(query.owner, 'group');
      items = items.filter(i => i.owner === owner);
    }
    if (query.system) {
      const system = fullRef(query.system, 'system');
      items = items.filter(i => i.system === system || i.entityRef === system);
    }

    const warningsOf = (i: OverviewItem) => Object.values(i.warningCounts).reduce((a, b) => a + b, 0);
    const key: Record<OverviewQuery['sort'], (i: OverviewItem) => number | string> = {
      entity: i => i.entityRef,
      kind: i => `${i.kind} ${i.entityRef}`,
      coverage: i => i.coverage.ratio,
      warnings: warningsOf,
    };
    const sign = query.order === 'asc' ? 1 : -1;
    items.sort((a, b) => {
      const ka = key[query.sort](a);
      const kb = key[query.sort](b);
      const cmp = typeof ka === 'number' ? ka - (kb as number) : String(ka).localeCompare(String(kb));
      return sign * cmp || a.entityRef.localeCompare(b.entityRef);
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
    const tiers = await this.kpis.doraTiers(
      page.map(i => ({ ref: i.entityRef, entity: index.byRef.get(i.entityRef)! })),
      index,
    );
    for (const item of page) item.doraTiers = tiers.get(item.entityRef) ?? {};

    return {
      total: items.length,
      offset: query.offset,
      limit: query.limit,
      items: page,
      summary: {
        entities: items.length,
        coverage: slots ? assigned / slots : 0,
        entitiesWithGaps: items.filter(i => i.missingCorePersonas.length).length,
        ownerlessKpis: items.reduce((n, i) => n + i.ownerlessKpis.length, 0),
        topHatWearers,
      },
    };
  }
}
