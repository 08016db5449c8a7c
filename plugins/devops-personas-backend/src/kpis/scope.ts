import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

function relationTargets(entity: Entity | undefined, type: string, kind: string): string[] {
  return (entity?.relations ?? [])
    .filter(r => r.type === type && parseEntityRef(r.targetRef).kind.toLowerCase() === kind)
    .map(r => r.targetRef.toLowerCase());
}

/** The entity itself first, then its children, sorted and without repeats. */
function withChildren(entity: Entity, children: string[]): string[] {
  const self = stringifyEntityRef(entity).toLowerCase();
  return [self, ...[...new Set(children)].filter(ref => ref !== self).sort()];
}

/**
 * The entities whose events count for an entity's KPIs (SPEC §7): the entity
 * itself, plus a System's Components (`hasPart`), a Domain's Systems and
 * their Components, a Group's owned Components (`ownerOf`). Systems of a
 * Domain are looked up with `lookupSystems`.
 */
async function scopeOf(
  entity: Entity,
  lookupSystems: (refs: string[]) => Promise<Array<Entity | undefined>>,
): Promise<string[]> {
  const kind = entity.kind.toLowerCase();
  if (kind === 'system') return withChildren(entity, relationTargets(entity, 'hasPart', 'component'));
  if (kind === 'group') return withChildren(entity, relationTargets(entity, 'ownerOf', 'component'));
  if (kind === 'domain') {
    const systems = relationTargets(entity, 'hasPart', 'system');
    const found = systems.length ? await lookupSystems(systems) : [];
    return withChildren(entity, [
      ...systems,
      ...found.flatMap(s => relationTargets(s, 'hasPart', 'component')),
    ]);
  }
  return withChildren(entity, []);
}

/** An entity's scope, its Domain's Systems read from the catalog. */
export function entityScope(
  entity: Entity,
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<string[]> {
  return scopeOf(entity, async refs => {
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'] },
      { credentials },
    );
    return items;
  });
}

/** An entity's scope, its Domain's Systems taken from an already loaded index. */
export function indexedEntityScope(entity: Entity, byRef: Map<string, Entity>): Promise<string[]> {
  return scopeOf(entity, async refs => refs.map(ref => byRef.get(ref)));
}
