import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  DoraTier,
  EntityKpisResponse,
  isTargetMet,
  KpiEventsResponse,
  KpiExplainedSlo,
  KpiOwner,
  KpiResult,
  PersonaWarning,
  StoredEvent,
} from '@devops-personas/plugin-devops-personas-common';
import { EventStore } from '../database/EventStore';
import { KpiDefinition, PersonasConfig } from '../service/config';
import { ChainLink, PersonaAssignment, PersonaResolver } from '../service/PersonaResolver';
import { MAX_PROMETHEUS_SLICES_PER_LOCATION, SloService } from '../slos/SloService';
import { KpiEngine } from './compute';
import {
  guardrailWarning,
  kpiAnnotationWarnings,
  kpiBase,
  kpiOwner,
  kpiResult,
  kpisWithoutOwner,
  ownerlessKpiWarnings,
  rollupOwnerlessWarning,
  trendPoints,
} from './decorate';
import { explainKpi } from './explain';
import { indexedEntityScope } from './scope';
import { GroupRollup, RollupScope, RollupScopes, SloMember, sloMembersOf } from './rollup';
import { Bucket, DAY_MS, iso, TimeWindow, TrendBucket, trendBuckets } from './window';

export interface KpiQuery {
  windowMs: number;
  untilMs: number;
  bucket: Bucket;
  /** A Group's rollup: owned Components (default) or entities where it holds a persona. */
  rollup?: GroupRollup;
}

const SLO_COMPLIANCE_FORMULA =
  'SLOs meeting every objective over their own time window ÷ SLOs with data; a rollup counts the SLOs of all its Components';

const ROLLUP_KINDS = new Set(['system', 'domain', 'group']);

/**
 * The KPIs of SPEC §4 for an entity, or the rollup of a System, Domain or
 * Group: the scope (which entities) comes from the catalog, the figures from
 * the engine over the store's facts, and owner, target, baseline and response
 * are added last.
 */
export class KpiService {
  private readonly engine: KpiEngine;

  constructor(
    private readonly store: EventStore,
    private readonly personas: PersonaResolver,
    private readonly config: PersonasConfig,
    private readonly rollups: RollupScopes,
    private readonly slos?: SloService,
  ) {
    this.engine = new KpiEngine(store.facts, {
      baselinePeriod: config.baselinePeriod,
      vulnerabilitySlaMs: config.vulnerabilitySlaMs,
      tierMinimumSample: config.tierMinimumSample,
    });
  }

  private async scope(
    entityRef: string,
    query: { windowMs: number; untilMs: number; rollup?: GroupRollup },
    credentials: BackstageCredentials,
  ): Promise<{ chain: ChainLink[]; rollup: RollupScope; window: TimeWindow }> {
    const chain = await this.personas.loadChain(entityRef, credentials);
    const rollup = await this.rollups.of(chain[0].entity, query.rollup, credentials);
    return {
      chain,
      rollup,
      window: { startMs: query.untilMs - query.windowMs, endMs: query.untilMs },
    };
  }

  async getKpis(
    entityRef: string,
    query: KpiQuery,
    credentials: BackstageCredentials,
  ): Promise<EntityKpisResponse> {
    const { chain, rollup, window } = await this.scope(entityRef, query, credentials);
    const { entityRefs } = rollup;
    const buckets = trendBuckets(window, query.bucket);
    const assignments = this.personas.assignPersonas(chain);
    const isRollup = ROLLUP_KINDS.has(chain[0].entity.kind.toLowerCase());
    // A rollup's children are read once: for their ownerless KPIs and their SLOs.
    const childrenRead = isRollup
      ? this.personas.loadChains(entityRefs.slice(1), credentials)
      : Promise.resolve(new Map<string, ChainLink[]>());
    const [computed, children, sloKpi] = await Promise.all([
      this.engine.compute(
        { entityRefs, untilMs: window.endMs },
        { window, buckets, kpis: this.config.kpis },
      ),
      childrenRead,
      childrenRead.then(read => {
        const entities = [chain[0].entity, ...entityRefs.slice(1).map(ref => read.get(ref)?.[0].entity)];
        const members = sloMembersOf(rollup, entities, this.config.vocabulary);
        return this.sloComplianceKpi(chain, members, assignments, window, buckets);
      }),
    ]);
    const judgement = {
      tierMinimumSample: this.config.tierMinimumSample,
      steadyChange: this.config.steadyChange,
    };
    const kpis = this.config.kpis.map(kpi => {
      const figures = computed.figures.get(kpi.id);
      if (figures) {
        return kpiResult({ kpi, figures, computed, chain, assignments, window, buckets, judgement });
      }
      return sloKpi(kpi);
    });

    const warnings: PersonaWarning[] = [];
    const guardrail = guardrailWarning(computed.figures, window);
    if (guardrail) warnings.push(guardrail);
    warnings.push(...kpiAnnotationWarnings(chain));
    if (isRollup) {
      // A rollup's ownerless KPIs belong to its Components: one summary, not one per KPI.
      const components = [...children].filter(([ref]) => ref.startsWith('component:'));
      const withGaps = components
        .filter(([, links]) => kpisWithoutOwner(this.config.kpis, links, this.personas.assignPersonas(links)).length)
        .map(([ref]) => ref);
      warnings.push(...rollupOwnerlessWarning(components.length, withGaps));
    } else {
      warnings.push(...ownerlessKpiWarnings(kpis, this.config.kpis));
    }

    return {
      entityRef: chain[0].ref,
      window: { start: iso(window.startMs), end: iso(window.endMs) },
      bucket: query.bucket,
      entities: entityRefs,
      rollup: rollup.basis,
      kpis,
      warnings,
    };
  }

  /**
   * `slo-compliance` comes from the SLO engine over the SLOs of the scope
   * (a rollup's union of its children's SLOs), each trend point at its own
   * `until`.
   */
  private async sloComplianceKpi(
    chain: ChainLink[],
    members: SloMember[],
    assignments: PersonaAssignment[],
    window: TimeWindow,
    buckets: TrendBucket[],
  ): Promise<(kpi: KpiDefinition) => KpiResult> {
    let points: { value: number | null; sampleSize: number; trend: Array<number | null> } | undefined;
    const slos = this.slos;
    if (slos && members.length && this.config.kpis.some(k => k.id === 'slo-compliance')) {
      // Each trend point is its own Prometheus reading: together they may
      // read what the value alone may, so a long window of short buckets
      // cannot hold millions of slices at once.
      const trendLimit = Math.floor(MAX_PROMETHEUS_SLICES_PER_LOCATION / Math.max(1, buckets.length));
      const [now, ...trend] = await Promise.all([
        slos.compliance(members, window.endMs),
        ...buckets.map(b => slos.compliance(members, b.endMs, trendLimit)),
      ]);
      points = { value: now.value, sampleSize: now.sampleSize, trend: trend.map(t => t.value) };
    }
    return kpi => {
      const base = kpiBase(kpi, chain, assignments);
      const value = points?.value ?? null;
      return {
        ...base,
        value,
        tier: null,
        tierPeriod: null,
        tierNote: null,
        sampleSize: points?.sampleSize ?? 0,
        baseline: null,
        baselineWindow: null,
        change: null,
        changeRatio: null,
        assessment: null,
        met: base.target ? isTargetMet(value, base.target) : null,
        trend: trendPoints(buckets, buckets.map((_, i) => points?.trend[i] ?? null)),
      };
    };
  }

  /**
   * DORA tiers over the last 30 days for many entities at once (the
   * overview's page): children taken from the org index, one statement per
   * KPI family for the whole page.
   */
  async doraTiers(
    items: Array<{ ref: string; entity: Entity }>,
    index: { byRef: Map<string, Entity> },
  ): Promise<Map<string, Record<string, DoraTier | null>>> {
    const untilMs = Date.now();
    const scopes = await Promise.all(
      items.map(async item => ({
        entityRefs: await indexedEntityScope(item.entity, index.byRef),
        untilMs,
      })),
    );
    const tiers = await this.engine.doraTiers(scopes, { startMs: untilMs - 30 * DAY_MS, endMs: untilMs });
    return new Map(items.map((item, i) => [item.ref, tiers[i]]));
  }

  /**
   * Who owns one KPI of an entity, as its KPI answer says, without computing
   * any figure (`who-is-accountable`, SPEC §10).
   */
  async getKpiOwner(
    entityRef: string,
    kpiId: string,
    credentials: BackstageCredentials,
  ): Promise<{ entityRef: string; kpi: KpiDefinition; owner: KpiOwner }> {
    const kpi = this.config.kpis.find(k => k.id === kpiId);
    if (!kpi) {
      throw new NotFoundError(
        `No KPI "${kpiId}"; known KPIs are ${this.config.kpis.map(k => k.id).join(', ')}`,
      );
    }
    const chain = await this.personas.loadChain(entityRef, credentials);
    return { entityRef: chain[0].ref, kpi, owner: kpiOwner(kpi, chain, this.personas.assignPersonas(chain)) };
  }

  async getKpiEvents(
    entityRef: string,
    kpiId: string,
    query: { windowMs: number; untilMs: number; rollup?: GroupRollup },
    credentials: BackstageCredentials,
  ): Promise<KpiEventsResponse> {
    const kpi = this.config.kpis.find(k => k.id === kpiId);
    if (!kpi) {
      throw new NotFoundError(
        `No KPI "${kpiId}"; known KPIs are ${this.config.kpis.map(k => k.id).join(', ')}`,
      );
    }
    const { chain, rollup, window } = await this.scope(entityRef, query, credentials);
    const scope = { entityRefs: rollup.entityRefs, untilMs: window.endMs };
    const response = {
      entityRef: chain[0].ref,
      kpi: kpi.id,
      window: { start: iso(window.startMs), end: iso(window.endMs) },
    };
    if (kpi.id === 'slo-compliance') {
      return { ...response, ...(await this.explainSloCompliance(chain, rollup, window, credentials)) };
    }
    const [values, explained] = await Promise.all([
      this.engine.currentValues(scope, window, [kpi]),
      explainKpi(this.store.facts, kpi, scope, window),
    ]);
    const current = values.get(kpi.id);
    return {
      ...response,
      value: current?.value ?? null,
      sampleSize: current?.sampleSize ?? 0,
      formula: explained.formula,
      figureUnit: explained.figureUnit,
      events: explained.events.map(e => ({
        role: e.role,
        event: e.payload as StoredEvent,
        figure: e.figure,
        ...(e.note ? { note: e.note } : {}),
        ...(e.linkedBy ? { linkedBy: e.linkedBy } : {}),
      })),
    };
  }

  /**
   * The SLO objectives behind slo-compliance, computed exactly as the KPI
   * value is (same SLOs, same `until`).
   */
  private async explainSloCompliance(
    chain: ChainLink[],
    rollup: RollupScope,
    window: TimeWindow,
    credentials: BackstageCredentials,
  ) {
    const members = this.slos ? await this.rollups.sloMembers(rollup, chain[0].entity, credentials) : [];
    const compliance = members.length ? await this.slos!.compliance(members, window.endMs) : undefined;
    const slos: KpiExplainedSlo[] = (compliance?.slos ?? []).flatMap(slo =>
      slo.objectives.map(o => ({
        entityRef: slo.entityRef,
        name: slo.name,
        ...(slo.displayName ? { displayName: slo.displayName } : {}),
        objective: o.displayName,
        target: o.target,
        attainment: o.attainment,
        met: o.met,
        dataSource: slo.dataSource.type,
      })),
    );
    return {
      value: compliance?.value ?? null,
      sampleSize: compliance?.sampleSize ?? 0,
      formula: SLO_COMPLIANCE_FORMULA,
      figureUnit: 'fraction',
      events: [],
      slos,
    };
  }
}
