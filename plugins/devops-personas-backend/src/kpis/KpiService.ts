import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DoraTier,
  EntityKpisResponse,
  isTargetMet,
  KpiEventsResponse,
  KpiResult,
  PersonaWarning,
} from '@internal/plugin-devops-personas-common';
import { EventStore } from '../database/EventStore';
import { KpiDefinition, PersonasConfig } from '../service/config';
import { ChainLink, PersonaAssignment, PersonaResolver } from '../service/PersonaResolver';
import { SloService } from '../slos/SloService';
import { KpiEngine } from './compute';
import { guardrailWarning, kpiBase, kpiResult, kpiWarnings } from './decorate';
import { explainKpi } from './explain';
import { entityScope, indexedEntityScope } from './scope';
import { Bucket, DAY_MS, iso, TimeWindow, trendBuckets } from './window';

export interface KpiQuery {
  windowMs: number;
  untilMs: number;
  bucket: Bucket;
}

const SLO_COMPLIANCE_FORMULA = 'SLOs meeting their objective over their own time window ÷ SLOs';

/**
 * The KPIs of SPEC §4 for an entity, or the rollup of a System, Domain or
 * Group: the scope (which entities) comes from the catalog, the figures from
 * the engine over the store's facts, and owner, target, baseline and response
 * are added last.
 */
export class KpiService {
  private readonly engine: KpiEngine;

  constructor(
    private readonly catalog: CatalogService,
    private readonly store: EventStore,
    private readonly personas: PersonaResolver,
    private readonly config: PersonasConfig,
    private readonly slos?: SloService,
  ) {
    this.engine = new KpiEngine(store.facts, {
      baselinePeriod: config.baselinePeriod,
      vulnerabilitySlaMs: config.vulnerabilitySlaMs,
    });
  }

  /** The entities whose events count for an entity (itself first). */
  entitySet(entity: Entity, credentials: BackstageCredentials): Promise<string[]> {
    return entityScope(entity, this.catalog, credentials);
  }

  private async scope(
    entityRef: string,
    query: { windowMs: number; untilMs: number },
    credentials: BackstageCredentials,
  ): Promise<{ chain: ChainLink[]; entityRefs: string[]; window: TimeWindow }> {
    const chain = await this.personas.loadChain(entityRef, credentials);
    const entityRefs = await this.entitySet(chain[0].entity, credentials);
    return {
      chain,
      entityRefs,
      window: { startMs: query.untilMs - query.windowMs, endMs: query.untilMs },
    };
  }

  async getKpis(
    entityRef: string,
    query: KpiQuery,
    credentials: BackstageCredentials,
  ): Promise<EntityKpisResponse> {
    const { chain, entityRefs, window } = await this.scope(entityRef, query, credentials);
    const buckets = trendBuckets(window, query.bucket);
    const assignments = this.personas.assignPersonas(chain);
    const [computed, sloKpi] = await Promise.all([
      this.engine.compute(
        { entityRefs, untilMs: window.endMs },
        { window, buckets, kpis: this.config.kpis },
      ),
      this.sloComplianceKpi(chain, assignments, window, buckets),
    ]);
    const kpis = this.config.kpis.map(kpi => {
      const figures = computed.figures.get(kpi.id);
      if (figures) {
        return kpiResult({ kpi, figures, computed, chain, assignments, buckets });
      }
      return sloKpi(kpi);
    });

    const warnings: PersonaWarning[] = [];
    const guardrail = guardrailWarning(computed.figures);
    if (guardrail) warnings.push(guardrail);
    warnings.push(...kpiWarnings(kpis, this.config.kpis, chain));

    return {
      entityRef: chain[0].ref,
      window: { start: iso(window.startMs), end: iso(window.endMs) },
      bucket: query.bucket,
      entities: entityRefs,
      kpis,
      warnings,
    };
  }

  /**
   * `slo-compliance` comes from the SLO engine, each trend point at its own
   * `until`.
   */
  private async sloComplianceKpi(
    chain: ChainLink[],
    assignments: PersonaAssignment[],
    window: TimeWindow,
    buckets: TimeWindow[],
  ): Promise<(kpi: KpiDefinition) => KpiResult> {
    const self = chain[0];
    let points: { value: number | null; sampleSize: number; trend: Array<number | null> } | undefined;
    if (this.slos && self.parsed.sloRef && this.config.kpis.some(k => k.id === 'slo-compliance')) {
      const at = (untilMs: number) =>
        this.slos!.compliance(self.entity, self.ref, self.parsed.sloRef, untilMs);
      const [now, ...trend] = await Promise.all([at(window.endMs), ...buckets.map(b => at(b.endMs))]);
      points = { value: now.value, sampleSize: now.sampleSize, trend: trend.map(t => t.value) };
    }
    return kpi => {
      const base = kpiBase(kpi, chain, assignments);
      const value = points?.value ?? null;
      return {
        ...base,
        value,
        tier: null,
        sampleSize: points?.sampleSize ?? 0,
        baseline: null,
        baselineWindow: null,
        change: null,
        changeRatio: null,
        met: base.target ? isTargetMet(value, base.target) : null,
        trend: buckets.map((b, i) => ({
          start: iso(b.startMs),
          end: iso(b.endMs),
          value: points?.trend[i] ?? null,
        })),
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
    const { chain, entityRefs, window } = await this.scope(entityRef, query, credentials);
    const scope = { entityRefs, untilMs: window.endMs };
    const response = {
      entityRef: chain[0].ref,
      kpi: kpi.id,
      window: { start: iso(window.startMs), end: iso(window.endMs) },
    };
    if (kpi.id === 'slo-compliance') {
      return { ...response, value: null, sampleSize: 0, formula: SLO_COMPLIANCE_FORMULA, events: [] };
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
      events: explained.events.map(e => ({ role: e.role, event: e.payload as any })),
    };
  }
}
