import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AnnotationVocabulary,
  KpiRollupBasis,
  parseAnnotations,
} from '@devops-personas/plugin-devops-personas-common';
import { PersonasConfig } from '../service/config';
import { OrgIndex } from '../service/OrgIndex';
import { PersonaResolver } from '../service/PersonaResolver';
import { entityScope } from './scope';

/** An entity of a scope whose slo-ref names SLOs. */
export interface SloMember {
  ref: string;
  entity: Entity;
  sloRef: string;
  /** The entity asked about (its warnings are its own). */
  isSelf: boolean;
}

/**
 * The members of a scope that name SLOs, in scope order, from its entities
 * (aligned with `scope.entityRefs`; missing ones undefined).
 */
export function sloMembersOf(
  scope: RollupScope,
  entities: Array<Entity | undefined | null>,
  vocabulary: AnnotationVocabulary,
): SloMember[] {
  const members: SloMember[] = [];
  entities.forEach((entity, i) => {
    if (!entity) return;
    const sloRef = parseAnnotations(entity.metadata.annotations, vocabulary).sloRef;
    if (sloRef) members.push({ ref: scope.entityRefs[i], entity, sloRef, isSelf: i === 0 });
  });
  return members;
}

/** What a Group's rollup may be asked over (`?rollup=`). */
export type GroupRollup = 'owned' | 'personas';

/** Parses `?rollup=`: `owned` (default) or `personas`; anything else is a 400. */
export function parseRollup(raw: unknown): GroupRollup | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'owned' || raw === 'personas') return raw;
  throw new InputError(`rollup must be owned or personas; got "${raw}"`);
}

/** The entities a KPI or SLO answer covers, and what a rollup is over. */
export interface RollupScope {
  /** The entity itself first, then the entities it rolls up. */
  entityRefs: string[];
  basis: KpiRollupBasis | null;
}

/**
 * The scope of an entity's KPIs and SLOs (SPEC §7): a System's Components,
 * a Domain's Systems and their Components, a Group's owned Components or,
 * asked with `rollup=personas`, the entities where the Group holds a
 * persona (explicitly or inherited).
 */
export class RollupScopes {
  constructor(
    private readonly catalog: CatalogService,
    private readonly personas: PersonaResolver,
    private readonly config: PersonasConfig,
  ) {}

  async of(
    entity: Entity,
    requested: GroupRollup | undefined,
    credentials: BackstageCredentials,
  ): Promise<RollupScope> {
    const kind = entity.kind.toLowerCase();
    if (kind === 'group' && requested === 'personas') {
      return { entityRefs: await this.heldBy(entity, credentials), basis: 'personas' };
    }
    const entityRefs = await entityScope(entity, this.catalog, credentials);
    if (kind === 'system' || kind === 'domain') return { entityRefs, basis: 'parts' };
    if (kind === 'group') return { entityRefs, basis: 'owned' };
    return { entityRefs, basis: null };
  }

  /**
   * The entities of a scope that name SLOs (`slo-ref`), read in one catalog
   * request; `self` is the already loaded first entity.
   */
  async sloMembers(scope: RollupScope, self: Entity, credentials: BackstageCredentials): Promise<SloMember[]> {
    const others = scope.entityRefs.slice(1);
    const { items } = others.length
      ? await this.catalog.getEntitiesByRefs(
          { entityRefs: others, fields: ['kind', 'metadata', 'spec.system', 'spec.domain'] },
          { credentials },
        )
      : { items: [] };
    return sloMembersOf(scope, [self, ...items], this.config.vocabulary);
  }

  /** The group, then every entity where it holds a persona, sorted. */
  private async heldBy(group: Entity, credentials: BackstageCredentials): Promise<string[]> {
    const self = stringifyEntityRef(group).toLowerCase();
    const index = await OrgIndex.load(this.catalog, this.personas, this.config, credentials);
    const held = index
      .personaEntities()
      .filter(item => item.ref !== self && item.assignments.some(a => a.refs.includes(self)))
      .map(item => item.ref)
      .sort();
    return [self, ...held];
  }
}
