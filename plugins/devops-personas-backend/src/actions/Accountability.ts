import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { PersonaHolder } from '@devops-personas/plugin-devops-personas-common';
import { KpiService } from '../kpis/KpiService';
import { PersonaResolver } from '../service/PersonaResolver';
import { RaciResolver } from '../service/RaciResolver';

/** What `who-is-accountable` is asked about: a RACI scenario, a KPI or a persona. */
export type AccountabilitySubject =
  | { type: 'scenario'; id: string }
  | { type: 'kpi'; id: string }
  | { type: 'persona'; id: string };

/** One `A` row of a scenario: split accountability has several. */
export interface AccountableRow {
  persona: string;
  personaTitle: string;
  qualifier?: string;
  holders: string[];
  provenance: string;
}

/** The answer of `who-is-accountable` (SPEC §10). */
export interface AccountabilityAnswer {
  entityRef: string;
  subject: { type: AccountabilitySubject['type']; id: string; title: string };
  /** `A` for a scenario, `owner` for a KPI, `holder` for a persona. */
  role: 'A' | 'owner' | 'holder';
  holders: PersonaHolder[];
  provenance: string;
  /** A scenario's `A` rows, each with its persona and provenance. */
  accountable?: AccountableRow[];
  /** The answer in one sentence. */
  summary: string;
}

/**
 * Answers "who is accountable for X on this entity?" from the same
 * resolvers as the RACI, KPIs and Personas answers.
 */
export class Accountability {
  constructor(
    private readonly personas: PersonaResolver,
    private readonly raci: RaciResolver,
    private readonly kpis: KpiService,
  ) {}

  async answer(
    entityRef: string,
    subject: AccountabilitySubject,
    credentials: BackstageCredentials,
  ): Promise<AccountabilityAnswer> {
    switch (subject.type) {
      case 'scenario':
        return this.scenario(entityRef, subject.id, credentials);
      case 'kpi':
        return this.kpi(entityRef, subject.id, credentials);
      default:
        return this.persona(entityRef, subject.id, credentials);
    }
  }

  private async scenario(entityRef: string, id: string, credentials: BackstageCredentials) {
    const raci = await this.raci.resolve(entityRef, credentials);
    const titles = this.raci.titles;
    const scenario = raci.scenarios.find(s => s.id === id)!;
    const accountable: AccountableRow[] = scenario.assignments
      .filter(a => a.role === 'A')
      .map(a => ({
        persona: a.persona,
        personaTitle: titles[a.persona] ?? a.persona,
        ...(a.qualifier ? { qualifier: a.qualifier } : {}),
        holders: a.holders,
        provenance: a.provenance,
      }));
    const holders = [...new Set(accountable.flatMap(a => a.holders))].map(ref => raci.holders.get(ref)!);
    const who = accountable.map(a => {
      const names = a.holders.map(ref => raci.holders.get(ref)!.displayName);
      const label = `${a.personaTitle}${a.qualifier ? `, ${a.qualifier}` : ''}`;
      return names.length
        ? `${listOf(names)} (${label}, ${this.provenanceInWords(a.provenance)})`
        : `nobody: the ${label} is unassigned`;
    });
    return {
      entityRef: raci.entityRef,
      subject: { type: 'scenario' as const, id, title: scenario.title },
      role: 'A' as const,
      holders,
      provenance: accountable[0]?.provenance ?? 'unassigned',
      accountable,
      summary: accountable.length
        ? `Accountable for "${scenario.title}" on ${raci.entityRef}: ${who.join('; ')}.`
        : `"${scenario.title}" names no accountable persona.`,
    };
  }

  private async kpi(entityRef: string, id: string, credentials: BackstageCredentials) {
    const { entityRef: ref, kpi, owner } = await this.kpis.getKpiOwner(entityRef, id, credentials);
    const holders = await this.holders(owner.holders, credentials);
    return {
      entityRef: ref,
      subject: { type: 'kpi' as const, id, title: kpi.title },
      role: 'owner' as const,
      holders,
      provenance: owner.provenance,
      summary: holders.length
        ? `${listOf(holders.map(h => h.displayName))} ${holders.length === 1 ? 'owns' : 'own'} ${kpi.title} on ${ref} (${this.provenanceInWords(owner.provenance)}).`
        : `${kpi.title} on ${ref} has no owner: set devops-personas.io/kpi-owner.${kpi.id}${kpi.ownerPersona ? ` or the ${this.personaTitle(kpi.ownerPersona)}` : ''}.`,
    };
  }

  private async persona(entityRef: string, id: string, credentials: BackstageCredentials) {
    const answer = await this.personas.getPersonas(entityRef, credentials);
    const persona = answer.personas.find(p => p.id === id)!;
    return {
      entityRef: answer.entityRef,
      subject: { type: 'persona' as const, id, title: persona.title },
      role: 'holder' as const,
      holders: persona.holders,
      provenance: persona.provenance,
      summary: persona.holders.length
        ? `The ${persona.title} of ${answer.entityRef} is ${listOf(persona.holders.map(describeHolder))} (${this.provenanceInWords(persona.provenance)}).`
        : `${answer.entityRef} has no ${persona.title}: add ${persona.annotation} to it, its System or its Domain.`,
    };
  }

  private async holders(refs: string[], credentials: BackstageCredentials): Promise<PersonaHolder[]> {
    const unique = [...new Set(refs)];
    const described = await this.personas.describeHolders(unique, credentials);
    return unique.map(ref => described.get(ref)!);
  }

  private personaTitle(id: string): string {
    return this.raci.titles[id] ?? id;
  }

  /** A provenance (SPEC §2) in words. */
  private provenanceInWords(provenance: string): string {
    if (provenance === 'explicit') return 'set on the entity';
    if (provenance === 'config-default') return 'the configured default';
    if (provenance === 'entity-owner') return "the entity's owner";
    if (provenance.startsWith('inherited:')) return `inherited from ${provenance.slice('inherited:'.length)}`;
    if (provenance.startsWith('via-persona:')) return `as its ${this.personaTitle(provenance.slice('via-persona:'.length))}`;
    return provenance;
  }
}

function describeHolder(holder: PersonaHolder): string {
  if (!holder.ref.startsWith('group:')) return holder.displayName;
  const n = holder.members.length;
  return `${holder.displayName} (a group of ${n} ${n === 1 ? 'member' : 'members'})`;
}

function listOf(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
