import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  EntityKpisResponse,
  KPI_OWNER_ANNOTATION_PREFIX,
  KpiOwner,
  PersonaWarning,
  ReviewAgendaResponse,
  ReviewKpiLine,
  ReviewPostmortemActionLine,
  ReviewSloLine,
  ReviewVulnerabilityLine,
  SloResult,
} from '@devops-personas/plugin-devops-personas-common';
import { FactQueries } from '../database/FactQueries';
import { assessChange, kpiOwner } from '../kpis/decorate';
import { KpiService } from '../kpis/KpiService';
import { RollupScopes, SloMember } from '../kpis/rollup';
import { DAY_MS, iso, WEEK_MS } from '../kpis/window';
import { KpiDefinition, PersonasConfig } from '../service/config';
import { ChainLink, PersonaResolver } from '../service/PersonaResolver';
import { SloService } from '../slos/SloService';

/** Lines of one kind read at most: a review is a meeting, not an export. */
const MAX_FACT_LINES = 200;
/** Components whose KPIs one agenda compares (in ref order); the rest are counted in `kpisOmitted`. */
const MAX_REVIEWED_COMPONENTS = 300;
/** KPI answers computed at once for a rollup's Components. */
const KPI_CONCURRENCY = 4;

/** `30d` for whole days, else hours: how the KPI window is named. */
export function windowLabel(windowMs: number): string {
  return windowMs % DAY_MS === 0 ? `${windowMs / DAY_MS}d` : `${Math.round(windowMs / 3_600_000)}h`;
}

async function mapInBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  }
  return out;
}

function stringField(payload: Record<string, unknown>, field: string): string | undefined {
  const value = payload[field];
  return typeof value === 'string' && value ? value : undefined;
}

const ALERT_RANK = { page: 2, ticket: 1, ok: 0 } as const;

/**
 * The weekly review (SPEC §9): for a System, Group (its owned Components) or
 * any entity, what needs deciding this week, each line with its owner and
 * the agreed response.
 */
export class ReviewAgendas {
  constructor(
    private readonly deps: {
      kpis: KpiService;
      slos: SloService;
      personas: PersonaResolver;
      rollups: RollupScopes;
      facts: FactQueries;
      config: PersonasConfig;
      /** The KPI window compared, ending at `until` and a week before. */
      windowMs: number;
    },
  ) {}

  async agenda(entityRef: string, untilMs: number, credentials: BackstageCredentials): Promise<ReviewAgendaResponse> {
    const { personas, rollups, config } = this.deps;
    const chain = await personas.loadChain(entityRef, credentials);
    const self = chain[0];
    const scope = await rollups.of(self.entity, undefined, credentials);
    const parts = scope.entityRefs.slice(1);
    const chains = parts.length ? await personas.loadChains(parts, credentials) : new Map<string, ChainLink[]>();
    chains.set(self.ref, chain);
    // KPI lines are per Component of a rollup (or the entity itself); the
    // rollup's own figures would repeat them without an owner who acts.
    const components = scope.basis ? parts.filter(ref => ref.startsWith('component:') && chains.has(ref)) : [self.ref];
    // Two KPI answers per Component: a review of a very large Group stays bounded.
    const reviewed = components.slice(0, MAX_REVIEWED_COMPONENTS);

    const [kpisWorse, slos, overdueVulnerabilities, postmortemActions] = await Promise.all([
      this.kpisWorse(reviewed, untilMs, credentials),
      rollups.sloMembers(scope, self.entity, credentials).then(members => this.slosBurning(members, untilMs)),
      this.overdueVulnerabilities(scope.entityRefs, untilMs),
      this.postmortemActions(scope.entityRefs, untilMs),
    ]);

    // Owners of the fact and SLO lines come from their own entity's chain.
    const lineRefs = [...slos.lines, ...overdueVulnerabilities, ...postmortemActions].map(l => l.entityRef);
    const missing = [...new Set(lineRefs)].filter(ref => !chains.has(ref));
    if (missing.length) {
      for (const [ref, links] of await personas.loadChains(missing, credentials)) chains.set(ref, links);
    }
    const ownerOf = (ref: string, kpiId: string): { owner: KpiOwner; response: string } => {
      const kpi = config.kpis.find(k => k.id === kpiId);
      const links = chains.get(ref);
      if (!kpi || !links) return { owner: { holders: [], provenance: 'unassigned' }, response: kpi?.response ?? '' };
      return { owner: kpiOwner(kpi, links, personas.assignPersonas(links)), response: kpi.response };
    };
    const slosBurning: ReviewSloLine[] = slos.lines.map(line => ({ ...line, ...ownerOf(line.entityRef, 'slo-compliance') }));
    const vulnerabilities: ReviewVulnerabilityLine[] = overdueVulnerabilities.map(line => ({
      ...line,
      ...ownerOf(line.entityRef, 'critical-vulnerability-fix-time'),
    }));
    const actions: ReviewPostmortemActionLine[] = postmortemActions.map(line => ({
      ...line,
      ...ownerOf(line.entityRef, 'postmortem-action-closure-rate'),
    }));

    const lines = [
      ...kpisWorse.map(l => ({ entityRef: l.entityRef, kpi: l.kpi, owner: l.owner })),
      ...slosBurning.map(l => ({ entityRef: l.entityRef, kpi: 'slo-compliance', owner: l.owner })),
      ...vulnerabilities.map(l => ({ entityRef: l.entityRef, kpi: 'critical-vulnerability-fix-time', owner: l.owner })),
      ...actions.map(l => ({ entityRef: l.entityRef, kpi: 'postmortem-action-closure-rate', owner: l.owner })),
    ];
    const holders = await personas.describeHolders(
      lines.flatMap(l => l.owner.holders),
      credentials,
    );
    const holderNames: Record<string, string> = {};
    holders.forEach((holder, ref) => {
      holderNames[ref] = holder.displayName;
    });

    return {
      entityRef: self.ref,
      week: { start: iso(untilMs - WEEK_MS), end: iso(untilMs) },
      kpiWindow: windowLabel(this.deps.windowMs),
      entities: reviewed,
      kpisWorse,
      slosBurning,
      overdueVulnerabilities: vulnerabilities,
      postmortemActions: actions,
      holderNames,
      warnings: [...slos.warnings, ...ownerlessWarnings(lines, config.kpis)],
      ...(components.length > reviewed.length ? { kpisOmitted: components.length - reviewed.length } : {}),
    };
  }

  /** KPIs of each entity over the window ending now against the one ending a week ago. */
  private async kpisWorse(refs: string[], untilMs: number, credentials: BackstageCredentials): Promise<ReviewKpiLine[]> {
    const { kpis, config, windowMs } = this.deps;
    const answer = (ref: string, until: number) =>
      kpis.getKpis(ref, { windowMs, untilMs: until, bucket: 'month' }, credentials);
    const answers = await mapInBatches(refs, KPI_CONCURRENCY, async ref => {
      const [now, before] = await Promise.all([answer(ref, untilMs), answer(ref, untilMs - WEEK_MS)]);
      return { ref, now, before };
    });
    const order = new Map(config.kpis.map((k, i) => [k.id, i]));
    const lines = answers.flatMap(({ ref, now, before }) => worseLines(ref, now, before, config));
    return lines.sort(
      (a, b) =>
        Number(b.met === false) - Number(a.met === false) ||
        a.entityRef.localeCompare(b.entityRef) ||
        (order.get(a.kpi) ?? 0) - (order.get(b.kpi) ?? 0),
    );
  }

  /** Objectives that spent budget this week or alert now, most spent first. */
  private async slosBurning(members: SloMember[], untilMs: number) {
    const { slos } = this.deps;
    const [now, before] = await Promise.all([
      slos.computeAll(members, untilMs),
      slos.computeAll(members, untilMs - WEEK_MS),
    ]);
    const key = (slo: SloResult, index: number) => `${slo.entityRef}\n${slo.name}\n${index}`;
    const earlier = new Map<string, number | null>();
    for (const slo of before.slos) slo.objectives.forEach((o, i) => earlier.set(key(slo, i), o.budgetRemaining));
    const lines: Array<Omit<ReviewSloLine, 'owner' | 'response'>> = [];
    for (const slo of now.slos) {
      slo.objectives.forEach((objective, index) => {
        const previous = earlier.get(key(slo, index)) ?? null;
        const spent =
          previous !== null && objective.budgetRemaining !== null ? previous - objective.budgetRemaining : null;
        if (objective.alert === 'ok' && !(spent !== null && spent > 0)) return;
        lines.push({
          entityRef: slo.entityRef,
          slo: slo.name,
          ...(slo.displayName ? { displayName: slo.displayName } : {}),
          objective: objective.displayName,
          target: objective.target,
          budgetRemaining: objective.budgetRemaining,
          previousBudgetRemaining: previous,
          budgetSpent: spent,
          alert: objective.alert,
        });
      });
    }
    lines.sort(
      (a, b) =>
        (b.budgetSpent ?? -Infinity) - (a.budgetSpent ?? -Infinity) ||
        ALERT_RANK[b.alert] - ALERT_RANK[a.alert] ||
        a.entityRef.localeCompare(b.entityRef) ||
        a.slo.localeCompare(b.slo),
    );
    return { lines, warnings: now.warnings };
  }

  private async overdueVulnerabilities(entityRefs: string[], untilMs: number) {
    const slaMs = this.deps.config.vulnerabilitySlaMs;
    const rows = await this.deps.facts.overdueCriticalVulnerabilities({ entityRefs, untilMs }, untilMs - slaMs, MAX_FACT_LINES);
    return rows.map(row => {
      const url = stringField(row.payload, 'url');
      return {
        entityRef: row.entityRef,
        id: String(row.payload.id),
        source: stringField(row.payload, 'source') ?? '',
        detectedAt: iso(row.atMs),
        overdueSince: iso(row.atMs + slaMs),
        ...(url ? { url } : {}),
      };
    });
  }

  private async postmortemActions(entityRefs: string[], untilMs: number) {
    const rows = await this.deps.facts.openPostmortemActions({ entityRefs, untilMs }, untilMs + WEEK_MS, MAX_FACT_LINES);
    return rows.map(row => {
      const url = stringField(row.payload, 'url');
      const incidentId = stringField(row.payload, 'incidentId');
      return {
        entityRef: row.entityRef,
        id: String(row.payload.id),
        source: stringField(row.payload, 'source') ?? '',
        dueAt: iso(row.dueMs),
        status: row.dueMs < untilMs ? ('late' as const) : ('due' as const),
        ...(incidentId ? { incidentId } : {}),
        ...(url ? { url } : {}),
      };
    });
  }
}

/** The KPIs of one entity that got worse (by direction, beyond the steady threshold). */
function worseLines(
  entityRef: string,
  now: EntityKpisResponse,
  before: EntityKpisResponse,
  config: PersonasConfig,
): ReviewKpiLine[] {
  const earlier = new Map(before.kpis.map(k => [k.id, k]));
  return now.kpis.flatMap(kpi => {
    const previous = earlier.get(kpi.id);
    if (kpi.value === null || previous?.value === null || previous?.value === undefined) return [];
    const change = kpi.value - previous.value;
    const changeRatio = previous.value !== 0 ? change / previous.value : null;
    if (assessChange(kpi, change, changeRatio, config.steadyChange) !== 'worse') return [];
    return [
      {
        entityRef,
        kpi: kpi.id,
        title: kpi.title,
        unit: kpi.unit,
        direction: kpi.direction,
        value: kpi.value,
        previous: previous.value,
        change,
        changeRatio,
        target: kpi.target,
        met: kpi.met,
        ...(kpi.dora ? { tier: kpi.tier, previousTier: previous.tier } : {}),
        owner: kpi.owner,
        response: kpi.response,
      },
    ];
  });
}

/** One warning per entity and KPI whose lines have nobody to answer for them. */
function ownerlessWarnings(
  lines: Array<{ entityRef: string; kpi: string; owner: KpiOwner }>,
  kpis: KpiDefinition[],
): PersonaWarning[] {
  const seen = new Set<string>();
  const warnings: PersonaWarning[] = [];
  for (const line of lines) {
    const key = `${line.entityRef}\n${line.kpi}`;
    if (line.owner.holders.length || seen.has(key)) continue;
    seen.add(key);
    const title = kpis.find(k => k.id === line.kpi)?.title ?? line.kpi;
    warnings.push({
      code: 'ownerless-kpi',
      message: `${title} has lines on this agenda but no owner: add ${KPI_OWNER_ANNOTATION_PREFIX}${line.kpi} or a holder of its persona.`,
      kpi: line.kpi,
      entityRef: line.entityRef,
    });
  }
  return warnings;
}
