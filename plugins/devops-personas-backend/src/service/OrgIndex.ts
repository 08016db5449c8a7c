import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { parseAnnotations } from '@devops-personas/plugin-devops-personas-common';
import { PersonasConfig } from './config';
import {
  ChainLink,
  entityDisplayName,
  parentRefOf,
  PersonaAssignment,
  PersonaResolver,
} from './PersonaResolver';

const MAX_CHAIN_LENGTH = 5;

/** One entity of the org with its chain and persona assignments. */
export interface IndexedEntity {
  ref: string;
  entity: Entity;
  chain: ChainLink[];
  assignments: PersonaAssignment[];
}

export const displayNameOf = entityDisplayName;

/**
 * The whole catalog as the caller may see it, read in one query, with every
 * entity's inheritance chain and personas resolved in memory. Used by the
 * org-wide views (overview, holders), which must not ask per entity.
 */
export class OrgIndex {
  readonly byRef: Map<string, Entity>;
  private readonly resolved = new Map<string, IndexedEntity>();

  static async load(
    catalog: CatalogService,
    resolver: PersonaResolver,
    config: PersonasConfig,
    credentials: BackstageCredentials,
  ): Promise<OrgIndex> {
    const { items } = await catalog.getEntities(
      {
        filter: { kind: ['Component', 'System', 'Domain', 'API', 'Resource', 'Group', 'User'] },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'metadata.annotations',
          'spec.system',
          'spec.domain',
          'spec.owner',
          'spec.profile',
          'relations',
        ],
      },
      { credentials },
    );
    return new OrgIndex(items, resolver, config);
  }

  private constructor(
    entities: Entity[],
    private readonly resolver: PersonaResolver,
    private readonly config: PersonasConfig,
  ) {
    this.byRef = new Map(entities.map(e => [stringifyEntityRef(e).toLowerCase(), e]));
  }

  get(ref: string): IndexedEntity | undefined {
    const cached = this.resolved.get(ref);
    if (cached) return cached;
    const entity = this.byRef.get(ref);
    if (!entity) return undefined;
    const chain: ChainLink[] = [];
    let current: Entity | undefined = entity;
    while (current && chain.length < MAX_CHAIN_LENGTH) {
      const currentRef = stringifyEntityRef(current).toLowerCase();
      if (chain.some(l => l.ref === currentRef)) break;
      chain.push({
        ref: currentRef,
        entity: current,
        parsed: parseAnnotations(current.metadata.annotations, this.config.vocabulary),
      });
      const parent = parentRefOf(current);
      current = parent ? this.byRef.get(parent) : undefined;
    }
    const indexed = { ref, entity, chain, assignments: this.resolver.assignPersonas(chain) };
    this.resolved.set(ref, indexed);
    return indexed;
  }

  /** Entities that can carry personas (not users or groups themselves, unless annotated). */
  personaEntities(): IndexedEntity[] {
    const result: IndexedEntity[] = [];
    for (const [ref, entity] of this.byRef) {
      const kind = entity.kind.toLowerCase();
      if (kind === 'user') continue;
      if (kind === 'group' && !Object.keys(entity.metadata.annotations ?? {}).some(k => k.startsWith('devops-personas.io/'))) {
        continue;
      }
      result.push(this.get(ref)!);
    }
    return result;
  }

  displayName(ref: string): string {
    const entity = this.byRef.get(ref);
    return entity ? displayNameOf(entity) : ref.slice(ref.indexOf('/') + 1);
  }
}
