import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityPersonasResponse,
  HolderMember,
  parseAnnotations,
  ParsedAnnotations,
  PersonaDefinition,
  PersonaHolder,
  PersonaWarning,
  ResolvedPersona,
} from '@devops-personas/plugin-devops-personas-common';
import { PersonasConfig } from './config';

/**
 * One entity of an inheritance chain (the entity, its System, its Domain)
 * with its parsed annotations.
 */
export interface ChainLink {
  ref: string;
  entity: Entity;
  parsed: ParsedAnnotations;
}

const MAX_CHAIN_LENGTH = 5;

/** The holders of one persona before they are looked up in the catalog. */
export interface PersonaAssignment {
  definition: PersonaDefinition;
  refs: string[];
  provenance: string;
}

/** A person's or team's profile name, else the entity's title, else its name. */
export function entityDisplayName(entity: Entity): string {
  const profileName = (entity.spec?.profile as { displayName?: string })
    ?.displayName;
  return profileName || entity.metadata.title || entity.metadata.name;
}

/**
 * Where an entity inherits from: a Component's (or API's, Resource's)
 * System, a System's Domain. Spec fields are resolved relative to the
 * entity's namespace, as the catalog does.
 */
export function parentRefOf(entity: Entity): string | undefined {
  const kind = entity.kind.toLowerCase();
  const namespace = entity.metadata.namespace ?? 'default';
  const specRef = (field: string, defaultKind: string) => {
    const value = entity.spec?.[field];
    if (typeof value !== 'string' || !value) return undefined;
    try {
      return stringifyEntityRef(
        parseEntityRef(value, { defaultKind, defaultNamespace: namespace }),
      ).toLowerCase();
    } catch {
      return undefined;
    }
  };
  if (kind === 'system') return specRef('domain', 'domain');
  if (kind === 'domain' || kind === 'group' || kind === 'user') return undefined;
  return specRef('system', 'system');
}

/**
 * Resolves personas of catalog entities: annotations, inheritance, holders
 * with display names and group members, and warnings.
 */
export class PersonaResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly config: PersonasConfig,
    private readonly logger: LoggerService,
  ) {}

  /** Loads the entity and its ancestors; 404 when the entity is unknown. */
  async loadChain(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ChainLink[]> {
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    const chain: ChainLink[] = [];
    let current: Entity | undefined = entity;
    while (current && chain.length < MAX_CHAIN_LENGTH) {
      const ref = stringifyEntityRef(current).toLowerCase();
      if (chain.some(link => link.ref === ref)) break;
      chain.push({
        ref,
        entity: current,
        parsed: parseAnnotations(
          current.metadata.annotations,
          this.config.vocabulary,
        ),
      });
      const parentRef = parentRefOf(current);
      current = parentRef
        ? await this.catalog.getEntityByRef(parentRef, { credentials })
        : undefined;
    }
    return chain;
  }

  /**
   * The chains of many entities, read level by level: one catalog read for
   * the entities, then one per level of ancestors not yet known (at most
   * the chain's length). Unknown entities are left out.
   */
  async loadChains(
    entityRefs: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, ChainLink[]>> {
    const known = new Map<string, Entity>();
    const fetch = async (refs: string[]) => {
      const missing = [...new Set(refs)].filter(r => !known.has(r));
      if (!missing.length) return;
      const { items } = await this.catalog.getEntitiesByRefs(
        { entityRefs: missing },
        { credentials },
      );
      for (const entity of items) {
        if (entity) known.set(stringifyEntityRef(entity).toLowerCase(), entity);
      }
    };
    await fetch(entityRefs);
    let level = entityRefs.map(ref => known.get(ref)).filter((e): e is Entity => !!e);
    for (let depth = 1; depth < MAX_CHAIN_LENGTH && level.length; depth++) {
      const parents = level.map(parentRefOf).filter((r): r is string => !!r);
      await fetch(parents);
      level = parents.map(ref => known.get(ref)).filter((e): e is Entity => !!e);
    }
    const chains = new Map<string, ChainLink[]>();
    for (const ref of entityRefs) {
      const chain: ChainLink[] = [];
      let current = known.get(ref);
      while (current && chain.length < MAX_CHAIN_LENGTH) {
        const currentRef = stringifyEntityRef(current).toLowerCase();
        if (chain.some(link => link.ref === currentRef)) break;
        chain.push({
          ref: currentRef,
          entity: current,
          parsed: parseAnnotations(current.metadata.annotations, this.config.vocabulary),
        });
        const parentRef = parentRefOf(current);
        current = parentRef ? known.get(parentRef) : undefined;
      }
      if (chain.length) chains.set(ref, chain);
    }
    return chains;
  }

  /** Looks up holders (and the members of group holders) in one or two catalog reads. */
  async describeHolders(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, PersonaHolder>> {
    const unique = [...new Set(refs)];
    const holders = new Map<string, PersonaHolder>();
    if (!unique.length) return holders;

    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs: unique, fields: ['kind', 'metadata', 'spec.profile', 'relations'] },
      { credentials },
    );
    const memberRefs = new Set<string>();
    items.forEach(entity => {
      entity?.relations
        ?.filter(r => r.type === 'hasMember')
        .forEach(r => memberRefs.add(r.targetRef.toLowerCase()));
    });
    const memberNames = new Map<string, string>();
    if (memberRefs.size) {
      const members = await this.catalog.getEntitiesByRefs(
        { entityRefs: [...memberRefs], fields: ['kind', 'metadata', 'spec.profile'] },
        { credentials },
      );
      members.items.forEach(member => {
        if (member) {
          memberNames.set(
            stringifyEntityRef(member).toLowerCase(),
            entityDisplayName(member),
          );
        }
      });
    }

    unique.forEach((ref, index) => {
      const entity = items[index];
      if (!entity) {
        holders.set(ref, {
          ref,
          displayName: parseEntityRef(ref).name,
          members: [],
          inCatalog: false,
        });
        return;
      }
      const members: HolderMember[] = (entity.relations ?? [])
        .filter(r => r.type === 'hasMember')
        .map(r => r.targetRef.toLowerCase())
        .sort()
        .map(memberRef => ({
          ref: memberRef,
          displayName: memberNames.get(memberRef) ?? parseEntityRef(memberRef).name,
        }));
      holders.set(ref, {
        ref,
        displayName: entityDisplayName(entity),
        members,
        inCatalog: true,
      });
    });
    return holders;
  }

  /**
   * Which refs hold each persona, and where that comes from: the nearest
   * entity of the chain that names holders, else config, else unassigned.
   */
  assignPersonas(chain: ChainLink[]): PersonaAssignment[] {
    return this.config.personas.map(definition => {
      const index = chain.findIndex(
        link => link.parsed.personas[definition.id]?.length,
      );
      if (index >= 0) {
        return {
          definition,
          refs: chain[index].parsed.personas[definition.id],
          provenance: index === 0 ? 'explicit' : `inherited:${chain[index].ref}`,
        };
      }
      const defaults = this.config.defaultHolders[definition.id];
      if (defaults?.length) {
        return { definition, refs: defaults, provenance: 'config-default' };
      }
      return { definition, refs: [] as string[], provenance: 'unassigned' };
    });
  }

  async getPersonas(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityPersonasResponse> {
    const chain = await this.loadChain(entityRef, credentials);
    const self = chain[0];
    const warnings: PersonaWarning[] = [];

    chain.forEach(link => {
      link.parsed.warnings.forEach(w =>
        warnings.push(link === self ? w : { ...w, entityRef: link.ref }),
      );
    });

    const assignments = this.assignPersonas(chain);

    const holders = await this.describeHolders(
      assignments.flatMap(a => a.refs),
      credentials,
    );

    const personas: ResolvedPersona[] = assignments.map(
      ({ definition, refs, provenance }) => ({
        id: definition.id,
        title: definition.title,
        holders: refs.map(ref => holders.get(ref)!),
        provenance,
        annotation: definition.annotation,
        core: definition.core,
        canvas: definition.canvas,
      }),
    );

    for (const persona of personas) {
      if (persona.core && persona.holders.length === 0) {
        warnings.push({
          code: 'unassigned-persona',
          message: `No ${persona.title} is assigned. Add the annotation ${persona.annotation} to this entity, its System or its Domain.`,
          persona: persona.id,
        });
      }
    }

    const reported = new Set<string>();
    for (const persona of personas) {
      for (const holder of persona.holders) {
        if (holder.inCatalog || reported.has(holder.ref)) continue;
        reported.add(holder.ref);
        warnings.push({
          code: 'unknown-holder',
          message: `${holder.ref} (${persona.title}) is not in the catalog. Check the spelling or add the ${parseEntityRef(holder.ref).kind} to the catalog.`,
          persona: persona.id,
          holder: holder.ref,
        });
      }
    }

    warnings.push(...this.heroModeWarnings(personas));

    this.logger.debug('Resolved personas', {
      entityRef: self.ref,
      warnings: warnings.length,
    });
    return {
      entityRef: self.ref,
      inheritanceChain: chain.map(link => link.ref),
      personas,
      warnings,
    };
  }

  private heroModeWarnings(personas: ResolvedPersona[]): PersonaWarning[] {
    const hats = new Map<string, { name: string; personas: string[] }>();
    for (const persona of personas) {
      for (const holder of persona.holders) {
        if (!holder.ref.startsWith('user:')) continue;
        const entry = hats.get(holder.ref) ?? {
          name: holder.displayName,
          personas: [],
        };
        entry.personas.push(persona.id);
        hats.set(holder.ref, entry);
      }
    }
    const threshold = this.config.heroMode.personasPerEntity;
    return [...hats.entries()]
      .filter(([, entry]) => entry.personas.length >= threshold)
      .map(([ref, entry]) => ({
        code: 'hero-mode' as const,
        message: `${entry.name} wears ${entry.personas.length} of ${personas.length} hats here (${entry.personas.join(', ')}). Spread them so that no one person is the bottleneck.`,
        holder: ref,
        personas: entry.personas,
      }));
  }
}
