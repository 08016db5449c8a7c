import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DORA_KPI_IDS,
  DoraTier,
  EntityKpisResponse,
  isTargetMet,
  KPI_OWNER_ANNOTATION_PREFIX,
  KPI_TARGET_ANNOTATION_PREFIX,
  KpiEventsResponse,
  KpiOwner,
  KpiResult,
  PersonaWarning,
} from '@internal/plugin-devops-personas-common';
import { EventStore } from '../database/EventStore';
import { EventType } from '../events/validateEvents';
import { KpiDefinition, PersonasConfig } from '../service/config';
import { SloService } from '../slos/SloService';
import {
  ChainLink,
  PersonaAssignment,
  PersonaResolver,
} from '../service/PersonaResolver';
import {
  buildEventSet,
  CALCULATORS,
  Calculator,
  deploymentFrequencyTier,
  doraTier,
  EventSet,
  measurementCalculator,
  overdueCriticalVulnerabilities,
} from './calculators';
import { Bucket, DAY_MS, iso, TimeWindow, trendBuckets, WEEK_MS } from './window';

/** The event types KPIs are computed from (`sli` events feed SLOs instead). */
const KPI_EVENT_TYPES: EventType[] = [
  'deployment',
  'change',
  'incident',
  'alert',
  'vulnerability',
  'pipeline-run',
  'postmortem-action',
  'measurement',
];

const BASELINE_MS = 4 * WEEK_MS;
const GUARDRAIL_IMPROVEMENT = 0.2;

interface SloCompliancePoints {
  value: number | null;
  sampleSize: number;
  trend: Array<number | null>;
}

export interface KpiQuery {
  windowMs: number;
  untilMs: number;
  bucket: Bucket;
}

/** What a KPI answer is computed from: the entity's chain, the events, the personas. */
interface KpiContext {
  chain: ChainLink[];
  entityRefs: string[];
  events: EventSet;
  window: TimeWindow;
}

function relationTargets(entity: Entity | undefined, type: string, kind: string): string[] {
  return (entity?.relations ?? [])
    .filter(r => r.type === type && parseEntityRef(r.targetRef).kind.toLowerCase() === kind)
    .map(r => r.targetRef.toLowerCase());
}

/** Computes the KPIs of SPEC §4 for an entity, or the rollup of a System, Domain or Group. */
export class KpiService {
  constructor(
    private readonly catalog: CatalogService,
    private readonly store: EventStore,
    private readonly personas: PersonaResolver,
    private readonly config: PersonasConfig,
    private readonly slos?: SloService,
  ) {}

  /**
   * The entities whose events count: the entity itself, plus a System's
   * Components, a Domain's Systems' Components, a Group's owned Components.
   */
  async entitySet(entity: Entity, credentials: BackstageCredentials): Promise<string[]> {
    const self = `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`.toLowerCase();
    const kind = entity.kind.toLowerCase();
    let children: string[] = [];
    if (kind === 'system') {
      children = relationTargets(entity, 'hasPart', 'component');
    } else if (kind === 'group') {
      children = relationTargets(entity, 'ownerOf', 'component');
    } else if (kind === 'domain') {
      const systems = relationTargets(entity, 'hasPart', 'system');
      if (systems.length) {
        const { items } = await this.catalog.getEntitiesByRefs(
          { entityRefs: systems, fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'] },
          { credentials },
        );
        children = [...systems, ...items.flatMap(s => relationTargets(s, 'hasPart', 'component'))];
      }
    }
    // The entity itself first, then its children in order.
    return [self, ...[...new Set(children)].filter(ref => ref !== self).sort()];
  }

  private async context(
    entityRef: string,
    query: { windowMs: number; untilMs: number },
    credentials: BackstageCredentials,
  ): Promise<KpiContext> {
    const chain = await this.personas.loadChain(entityRef, credentials);
    const entityRefs = await this.entitySet(chain[0].entity, credentials);
    const rows = await this.store.list({
      entityRefs,
      types: KPI_EVENT_TYPES,
      untilMs: query.untilMs,
    });
    return {
      chain,
      entityRefs,
      events: buildEventSet(rows, query.untilMs),
      window: { startMs: query.untilMs - query.windowMs, endMs: query.untilMs },
    };
  }

  private calculator(kpi: KpiDefinition): Calculator | undefined {
    if (kpi.kind === 'measurement') return measurementCalculator(kpi.id);
    return CALCULATORS[kpi.id];
  }

  private owner(
    kpi: KpiDefinition,
    chain: ChainLink[],
    assignments: PersonaAssignment[],
  ): KpiOwner {
    const index = chain.findIndex(link => link.parsed.kpiOwners[kpi.id]?.length);
    if (index >= 0) {
      return {
        holders: chain[index].parsed.kpiOwners[kpi.id],
        provenance: index === 0 ? 'explicit' : `inherited:${chain[index].ref}`,
      };
    }
    const persona = assignments.find(a => a.definition.id === kpi.ownerPersona);
    if (persona?.refs.length) {
      return { holders: persona.refs, provenance: `via-persona:${persona.definition.id}` };
    }
    return { holders: [], provenance: 'unassigned' };
  }

  private target(kpi: KpiDefinition, chain: ChainLink[]) {
    const link = chain.find(l => l.parsed.kpiTargets[kpi.id]);
    if (link) return { target: link.parsed.kpiTargets[kpi.id], source: `annotation:${link.ref}` };
    if (kpi.target) return { target: kpi.target, source: 'config' };
    return { target: null, source: null };
  }

  private baselineWindow(calculator: Calculator, ctx: KpiContext): TimeWindow | null {
    const period = this.config.baselinePeriod;
    if (period) {
      const endMs = Math.min(period.endMs, ctx.window.endMs);
      return endMs > period.startMs ? { startMs: period.startMs, endMs } : null;
    }
    // Not cut at `until`: a frequency over a cut period would be inflated.
    // Events at or after `until` are not loaded, so nothing unknown counts.
    const first = calculator.firstDataMs(ctx.events);
    if (first === undefined) return null;
    return { startMs: first, endMs: first + BASELINE_MS };
  }

  private computeKpi(
    kpi: KpiDefinition,
    ctx: KpiContext,
    assignments: PersonaAssignment[],
    bucket: Bucket,
    sloCompliance?: SloCompliancePoints,
  ): KpiResult {
    const calculator = this.calculator(kpi);
    const owner = this.owner(kpi, ctx.chain, assignments);
    const { target, source } = this.target(kpi, ctx.chain);
    const base = {
      id: kpi.id,
      title: kpi.title,
      unit: kpi.unit,
      direction: kpi.direction,
      kind: kpi.kind,
      dora: DORA_KPI_IDS.includes(kpi.id as any),
      target,
      targetSource: source,
      owner,
      response: kpi.response,
    };
    if (!calculator) {
      // slo-compliance comes from the SLO engine, each point at its own `until`.
      const value = sloCompliance?.value ?? null;
      return {
        ...base,
        value,
        tier: null,
        sampleSize: sloCompliance?.sampleSize ?? 0,
        baseline: null,
        baselineWindow: null,
        change: null,
        changeRatio: null,
        met: target ? isTargetMet(value, target) : null,
        trend: trendBuckets(ctx.window, bucket).map((b, i) => ({
          start: iso(b.startMs),
          end: iso(b.endMs),
          value: sloCompliance?.trend[i] ?? null,
        })),
      };
    }
    const current = calculator.compute(ctx.events, ctx.window);
    const baselineWindow = this.baselineWindow(calculator, ctx);
    const baseline = baselineWindow ? calculator.compute(ctx.events, baselineWindow).value : null;
    const change =
      current.value !== null && baseline !== null ? current.value - baseline : null;
    const measurement = kpi.kind === 'measurement' ? measurementCalculator(kpi.id) : undefined;
    const result: KpiResult = {
      ...base,
      value: current.value,
      tier:
        kpi.id === 'deployment-frequency'
          ? deploymentFrequencyTier(ctx.events, ctx.window.endMs)
          : doraTier(kpi.id, current.value),
      sampleSize: current.sampleSize,
      baseline,
      baselineWindow: baselineWindow
        ? { start: iso(baselineWindow.startMs), end: iso(baselineWindow.endMs) }
        : null,
      change,
      changeRatio: change !== null && baseline ? change / Math.abs(baseline) : null,
      met: target ? isTargetMet(current.value, target) : null,
      trend: trendBuckets(ctx.window, bucket).map(b => ({
        start: iso(b.startMs),
        end: iso(b.endMs),
        value: measurement
          ? measurement.mean(ctx.events, b)
          : calculator.compute(ctx.events, b).value,
      })),
    };
    if (kpi.id === 'critical-vulnerability-fix-time') {
      result.overdue = overdueCriticalVulnerabilities(
        ctx.events,
        ctx.window.endMs,
        this.config.vulnerabilitySlaMs,
      );
    }
    return result;
  }

  private async sloCompliance(ctx: KpiContext, bucket: Bucket): Promise<SloCompliancePoints | undefined> {
    const self = ctx.chain[0];
    if (!this.slos || !self.parsed.sloRef) return undefined;
    const at = (untilMs: number) =>
      this.slos!.compliance(self.entity, self.ref, self.parsed.sloRef, untilMs);
    const now = await at(ctx.window.endMs);
    const trend = await Promise.all(trendBuckets(ctx.window, bucket).map(b => at(b.endMs)));
    return { value: now.value, sampleSize: now.sampleSize, trend: trend.map(t => t.value) };
  }

  /** Fast but breaking: deployment frequency up by more than 20 % while CFR or TTR got worse. */
  private guardrail(ctx: KpiContext): PersonaWarning | undefined {
    const length = ctx.window.endMs - ctx.window.startMs;
    const previous = { startMs: ctx.window.startMs - length, endMs: ctx.window.startMs };
    const value = (id: string, window: TimeWindow) => CALCULATORS[id].compute(ctx.events, window).value;
    const dfNow = value('deployment-frequency', ctx.window)!;
    const dfBefore = value('deployment-frequency', previous)!;
    if (!(dfNow > dfBefore * (1 + GUARDRAIL_IMPROVEMENT) && dfNow > dfBefore)) return undefined;
    const worse = ['change-failure-rate', 'time-to-restore'].filter(id => {
      const now = value(id, ctx.window);
      const before = value(id, previous);
      return now !== null && before !== null && now > before;
    });
    if (!worse.length) return undefined;
    const pct = dfBefore ? `${Math.round((dfNow / dfBefore - 1) * 100)} %` : 'from zero';
    return {
      code: 'guardrail',
      message: `Deployment frequency rose ${pct} against the previous window while ${worse.join(' and ')} got worse: fast, but breaking. Slow down until stability recovers.`,
      kpi: 'deployment-frequency',
    };
  }

  /**
   * DORA tiers over the last 30 days for many entities at once (the
   * overview's page): one store read, children taken from the org index.
   */
  async doraTiers(
    items: Array<{ ref: string; entity: Entity }>,
    index: { byRef: Map<string, Entity> },
  ): Promise<Map<string, Record<string, DoraTier | null>>> {
    const untilMs = Date.now();
    const window = { startMs: untilMs - 30 * DAY_MS, endMs: untilMs };
    const sets = new Map(
      items.map(item => {
        const kind = item.entity.kind.toLowerCase();
        let children: string[] = [];
        if (kind === 'system') children = relationTargets(item.entity, 'hasPart', 'component');
        if (kind === 'group') children = relationTargets(item.entity, 'ownerOf', 'component');
        if (kind === 'domain') {
          const systems = relationTargets(item.entity, 'hasPart', 'system');
          children = [
            ...systems,
            ...systems.flatMap(s => relationTargets(index.byRef.get(s), 'hasPart', 'component')),
          ];
        }
        return [item.ref, new Set([item.ref, ...children])];
      }),
    );
    const rows = await this.store.list({
      entityRefs: [...new Set([...sets.values()].flatMap(s => [...s]))],
      types: ['deployment', 'change', 'incident'],
      untilMs,
    });
    const result = new Map<string, Record<string, DoraTier | null>>();
    for (const [ref, refs] of sets) {
      const events = buildEventSet(rows.filter(r => refs.has(r.entityRef)), untilMs);
      const tiers: Record<string, DoraTier | null> = {};
      for (const id of DORA_KPI_IDS) {
        if (id === 'deployment-frequency') {
          // a frequency of 0 is a value (tier low), not missing data
          tiers[id] = deploymentFrequencyTier(events, untilMs);
        } else {
          tiers[id] = doraTier(id, CALCULATORS[id].compute(events, window).value);
        }
      }
      result.set(ref, tiers);
    }
    return result;
  }

  async getKpis(
    entityRef: string,
    query: KpiQuery,
    credentials: BackstageCredentials,
  ): Promise<EntityKpisResponse> {
    const ctx = await this.context(entityRef, query, credentials);
    const assignments = this.personas.assignPersonas(ctx.chain);
    const sloCompliance = await this.sloCompliance(ctx, query.bucket);
    const kpis = this.config.kpis.map(kpi =>
      this.computeKpi(kpi, ctx, assignments, query.bucket, sloCompliance),
    );

    const warnings: PersonaWarning[] = [];
    const guardrail = this.guardrail(ctx);
    if (guardrail) warnings.push(guardrail);
    for (const kpi of kpis) {
      if (kpi.owner.provenance === 'unassigned') {
        const persona = this.config.kpis.find(k => k.id === kpi.id)?.ownerPersona;
        warnings.push({
          code: 'ownerless-kpi',
          message: persona
            ? `${kpi.title} has no owner: neither ${KPI_OWNER_ANNOTATION_PREFIX}${kpi.id} nor the ${persona} persona is set.`
            : `${kpi.title} has no owner: set ${KPI_OWNER_ANNOTATION_PREFIX}${kpi.id}.`,
          kpi: kpi.id,
          ...(persona ? { persona } : {}),
        });
      }
    }
    for (const link of ctx.chain) {
      for (const w of link.parsed.warnings) {
        if (
          w.key?.startsWith(KPI_OWNER_ANNOTATION_PREFIX) ||
          w.key?.startsWith(KPI_TARGET_ANNOTATION_PREFIX)
        ) {
          warnings.push(link === ctx.chain[0] ? w : { ...w, entityRef: link.ref });
        }
      }
    }

    return {
      entityRef: ctx.chain[0].ref,
      window: { start: iso(ctx.window.startMs), end: iso(ctx.window.endMs) },
      bucket: query.bucket,
      entities: ctx.entityRefs,
      kpis,
      warnings,
    };
  }

  async getKpiEvents(
    entityRef: string,
    kpiId: string,
    query: { windowMs: number; untilMs: number },
    credentials: BackstageCredentials,
  ): Promise<KpiEventsResponse> {
    const kpi = this.config.kpis.find(k => k.id === kpiId);
    if (!kpi) {
      throw new NotFoundError(
        `No KPI "${kpiId}"; known KPIs are ${this.config.kpis.map(k => k.id).join(', ')}`,
      );
    }
    const ctx = await this.context(entityRef, query, credentials);
    const calculator = this.calculator(kpi);
    const computed = calculator
      ? calculator.compute(ctx.events, ctx.window)
      : { value: null, sampleSize: 0, contributions: [] };
    return {
      entityRef: ctx.chain[0].ref,
      kpi: kpi.id,
      window: { start: iso(ctx.window.startMs), end: iso(ctx.window.endMs) },
      value: computed.value,
      sampleSize: computed.sampleSize,
      formula: calculator?.formula ?? 'SLOs meeting their objective over their own time window ÷ SLOs',
      events: computed.contributions.map(c => ({ role: c.role, event: c.payload as any })),
    };
  }
}
