import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EntityRaciResponse,
  PersonaHolder,
  PersonaWarning,
  RaciAssignment,
  RaciScenario,
  STAKEHOLDERS,
} from '@devops-personas/plugin-devops-personas-common';
import { PersonaAssignment, PersonaResolver } from './PersonaResolver';

const ROLES = ['R', 'A', 'C', 'I'] as const;

/** The owner of an entity as a full ref (`spec.owner`, a group by default). */
export function ownerRefOf(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Resolves RACI scenarios to holders. Pure: it works on persona assignments
 * already resolved, so the org-wide views can use it for many entities.
 */
export function resolveRaci(
  scenarios: readonly RaciScenario[],
  assignments: PersonaAssignment[],
  entity: Entity,
  personaTitles: Map<string, string>,
): { scenarios: EntityRaciResponse['scenarios']; warnings: PersonaWarning[] } {
  const byPersona = new Map(assignments.map(a => [a.definition.id, a]));
  const owner = ownerRefOf(entity);
  const warnings: PersonaWarning[] = [];

  const resolved = scenarios.map(scenario => {
    const rows: RaciAssignment[] = [];
    for (const role of ROLES) {
      for (const persona of scenario[role]) {
        const assignment = byPersona.get(persona);
        const row: RaciAssignment =
          persona === STAKEHOLDERS
            ? { role, persona, holders: owner ? [owner] : [], provenance: owner ? 'entity-owner' : 'unassigned' }
            : {
                role,
                persona,
                holders: assignment?.refs ?? [],
                provenance: assignment?.provenance ?? 'unassigned',
              };
        const qualifier = role === 'A' ? scenario.accountableQualifiers?.[persona] : undefined;
        if (qualifier) row.qualifier = qualifier;
        rows.push(row);
      }
    }

    const accountable = rows.filter(r => r.role === 'A');
    const title = (p: string) => personaTitles.get(p) ?? p;
    if (!accountable.length) {
      warnings.push({
        code: 'raci-accountability',
        message: `"${scenario.title}" names no accountable persona.`,
      });
    }
    for (const row of accountable) {
      const label = row.qualifier ? ` (${row.qualifier})` : '';
      if (!row.holders.length) {
        warnings.push({
          code: 'raci-accountability',
          message: `"${scenario.title}" has no accountable holder${label}: the ${title(row.persona)} is unassigned.`,
          persona: row.persona,
        });
      } else if (row.holders.length > 1) {
        warnings.push({
          code: 'raci-accountability',
          message: `"${scenario.title}" has ${row.holders.length} accountable holders${label} (${row.holders.join(', ')}); one should be accountable.`,
          persona: row.persona,
        });
      }
    }
    return { id: scenario.id, title: scenario.title, assignments: rows };
  });
  return { scenarios: resolved, warnings };
}

/** `GET …/raci`: the scenarios of config resolved for one entity. */
export class RaciResolver {
  constructor(
    private readonly personas: PersonaResolver,
    private readonly scenarios: readonly RaciScenario[],
    private readonly personaTitles: Map<string, string>,
  ) {}

  /**
   * The scenarios resolved for one entity, with every holder they name
   * described (display name, group members): one catalog read for all.
   */
  async resolve(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{
    entityRef: string;
    scenarios: EntityRaciResponse['scenarios'];
    warnings: PersonaWarning[];
    holders: Map<string, PersonaHolder>;
  }> {
    const chain = await this.personas.loadChain(entityRef, credentials);
    const assignments = this.personas.assignPersonas(chain);
    const { scenarios, warnings } = resolveRaci(
      this.scenarios,
      assignments,
      chain[0].entity,
      this.personaTitles,
    );
    const refs = scenarios.flatMap(s => s.assignments.flatMap(a => a.holders));
    const holders = await this.personas.describeHolders(refs, credentials);
    return { entityRef: chain[0].ref, scenarios, warnings, holders };
  }

  /** Titles of the personas, built-in and custom, and of the stakeholders. */
  get titles(): Record<string, string> {
    return { ...Object.fromEntries(this.personaTitles), [STAKEHOLDERS]: 'Stakeholders' };
  }

  async getRaci(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityRaciResponse> {
    const { entityRef: ref, scenarios, warnings, holders } = await this.resolve(entityRef, credentials);
    const holderNames: Record<string, string> = {};
    holders.forEach((holder, holderRef) => {
      holderNames[holderRef] = holder.displayName;
    });
    return {
      entityRef: ref,
      scenarios,
      holderNames,
      personaTitles: this.titles,
      warnings,
    };
  }
}
