import {
  BackstageCredentials,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntitySlosResponse,
  PersonaWarning,
  SLO_REF_ANNOTATION,
  SloResult,
} from '@devops-personas/plugin-devops-personas-common';
import { GroupRollup, RollupScopes, SloMember } from '../kpis/rollup';
import { EventStore } from '../database/EventStore';
import { PersonaResolver } from '../service/PersonaResolver';
import { byRemainingBudget, BURN_RATE_WINDOWS, computeSlo, sloWindow } from './computeSlo';
import { parseSloDocuments } from './parseOpenSlo';
import { PrometheusSlis } from './prometheus/PrometheusSlis';
import { readSloFigures } from './prometheus/prometheusFigures';
import { SliSample } from './sliFigures';
import { SloDefinition } from './sloDefinition';
import { readSloRef, SloDocuments } from './SloDocuments';

const MAX_BURN_WINDOW_MS = BURN_RATE_WINDOWS['3d'];
/** Slices read from Prometheus for one slo-ref location at most (two years of one-minute slices). */
export const MAX_PROMETHEUS_SLICES_PER_LOCATION = 1_060_000;
/** A location that could not be read is read again after this long, not after the whole refresh interval. */
const FAILED_READ_RETRY_MS = 30_000;
const EMPTY_DOCUMENTS: SloDocuments = { slos: [], warnings: [] };

/** Reads SLO documents (cached) and computes them from `sli` events or Prometheus. */
export class SloService {
  private readonly cache = new Map<string, { expiresMs: number; documents: Promise<SloDocuments> }>();

  constructor(
    private readonly personas: PersonaResolver,
    private readonly store: EventStore,
    private readonly urlReader: UrlReaderService,
    private readonly logger: LoggerService,
    private readonly refreshMs: number,
    private readonly rollups: RollupScopes,
    private readonly prometheus: PrometheusSlis = new PrometheusSlis(new Map(), refreshMs, logger),
    private readonly now: () => number = Date.now,
  ) {}

  /** The SLO documents an entity's slo-ref names; read at most once per refresh interval. */
  async documents(entity: Entity, sloRef: string): Promise<SloDocuments> {
    const key = `${entity.metadata.annotations?.['backstage.io/managed-by-location'] ?? ''}|${sloRef}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresMs > this.now()) return cached.documents;
    // Viewers arriving while a read is under way share it: one fetch, one parse.
    const entry = { expiresMs: this.now() + this.refreshMs, documents: Promise.resolve(EMPTY_DOCUMENTS) };
    // A location that could not be read (a server down, a timeout) is tried again soon.
    entry.documents = this.read(entity, sloRef, () => {
      entry.expiresMs = Math.min(entry.expiresMs, this.now() + FAILED_READ_RETRY_MS);
    });
    this.cache.set(key, entry);
    return entry.documents;
  }

  /** Reads and parses; never rejects: a failure is a warning. */
  private async read(entity: Entity, sloRef: string, failed: () => void): Promise<SloDocuments> {
    try {
      const { source, text } = await readSloRef(entity, sloRef, this.urlReader);
      const parsed = await parseSloDocuments(`${SLO_REF_ANNOTATION} "${sloRef}"`, text, source);
      return {
        slos: parsed.slos,
        warnings: parsed.warnings.map(w => ({ ...w, key: SLO_REF_ANNOTATION, value: sloRef })),
      };
    } catch (e) {
      this.logger.warn('Could not read SLO documents', { sloRef, error: (e as Error).message });
      failed();
      const warning: PersonaWarning = {
        code: 'invalid-slo',
        message: `${SLO_REF_ANNOTATION} "${sloRef}": ${(e as Error).message}`,
        key: SLO_REF_ANNOTATION,
        value: sloRef,
      };
      return { slos: [], warnings: [warning] };
    }
  }

  private async samples(entityRef: string, fromMs: number, untilMs: number) {
    const rows = await this.store.list({ entityRefs: [entityRef], types: ['sli'], fromMs, untilMs });
    const bySlo = new Map<string, SliSample[]>();
    for (const row of rows) {
      const slo = String(row.payload.slo);
      const list = bySlo.get(slo) ?? [];
      list.push({ startMs: row.timeMs, good: Number(row.payload.good), total: Number(row.payload.total) });
      bySlo.set(slo, list);
    }
    return bySlo;
  }

  /**
   * Computes every SLO of an entity at `untilMs`, each tagged with the
   * entity. Objectives whose Prometheus slices would pass `sliceLimit` for
   * the location are read from `sli` events instead.
   */
  async compute(
    entity: Entity,
    entityRef: string,
    sloRef: string | undefined,
    untilMs: number,
    sliceLimit = MAX_PROMETHEUS_SLICES_PER_LOCATION,
  ) {
    if (!sloRef) return { slos: [] as SloResult[], warnings: [] as PersonaWarning[] };
    const documents = await this.documents(entity, sloRef);
    const { slos } = documents;
    const warnings = [...documents.warnings];
    if (!slos.length) return { slos: [] as SloResult[], warnings };
    const warn = (code: PersonaWarning['code'], slo: SloDefinition, message: string) =>
      warnings.push({ code, message: `${SLO_REF_ANNOTATION} "${sloRef}": SLO "${slo.name}" ${message}`, key: SLO_REF_ANNOTATION, value: sloRef });

    // Each objective is read from Prometheus or from its SLO's sli events (SPEC §5),
    // within a budget of slices for the whole location.
    // Objectives sharing a reading (same SLI, slice length and window) pay for it once.
    let slicesLeft = sliceLimit;
    const charged = new Set<string>();
    const sources = slos.map(slo => {
      const problems = new Set<string>();
      const perObjective = slo.objectives.map(objective => {
        const sli = objective.sli ?? slo.sli;
        const source = this.prometheus.sourceOf(sli);
        const named = sli?.name ? `SLI "${sli.name}" ` : '';
        if (source.from === 'events') {
          if (source.problem) problems.add(`${named}${source.problem.field} ${source.problem.reason}`);
          return source;
        }
        const reading = this.prometheus.readingKey(slo, source.plan, untilMs, objective.timeSliceWindow?.ms);
        if (charged.has(reading)) return source;
        const slices = this.prometheus.slicesToRead(slo, untilMs, objective.timeSliceWindow?.ms);
        if (slices > slicesLeft) {
          problems.add(
            `${named}is read from sli events: reading this location from Prometheus would take more than ` +
              `${sliceLimit} slices; use longer timeSliceWindows or fewer SLOs`,
          );
          return { from: 'events' as const };
        }
        slicesLeft -= slices;
        charged.add(reading);
        return source;
      });
      for (const problem of problems) warn('invalid-slo', slo, problem);
      return perObjective;
    });
    const withEvents = slos.filter((_, i) => sources[i].some(r => r.from === 'events'));
    const samples = withEvents.length
      ? await this.samples(
          entityRef,
          Math.min(untilMs - MAX_BURN_WINDOW_MS, ...withEvents.map(s => sloWindow(s, untilMs).startMs)),
          untilMs,
        )
      : new Map<string, SliSample[]>();

    const results = await Promise.all(
      slos.map(async (slo, i) => {
        const { figures, at, errors } = await readSloFigures(slo, sources[i], this.prometheus, samples.get(slo.name) ?? [], untilMs);
        for (const error of errors) warn('slo-source-unavailable', slo, `has no figures: ${error}`);
        return { ...computeSlo(slo, figures, at), entityRef };
      }),
    );
    return { slos: results.sort(byRemainingBudget), warnings };
  }

  /**
   * The SLOs of many entities (a rollup's union), sorted by remaining
   * budget; warnings of other entities than the first name their entity.
   */
  async computeAll(members: SloMember[], untilMs: number, sliceLimit?: number) {
    const answers = await Promise.all(
      members.map(m => this.compute(m.entity, m.ref, m.sloRef, untilMs, sliceLimit)),
    );
    return {
      slos: answers.flatMap(a => a.slos).sort(byRemainingBudget),
      warnings: answers.flatMap((a, i) =>
        members[i].isSelf ? a.warnings : a.warnings.map(w => ({ ...w, entityRef: members[i].ref })),
      ),
    };
  }

  async getSlos(
    entityRef: string,
    untilMs: number,
    credentials: BackstageCredentials,
    rollup?: GroupRollup,
  ): Promise<EntitySlosResponse> {
    const [self] = await this.personas.loadChain(entityRef, credentials);
    const scope = await this.rollups.of(self.entity, rollup, credentials);
    const members = await this.rollups.sloMembers(scope, self.entity, credentials);
    const { slos, warnings } = await this.computeAll(members, untilMs);
    return {
      entityRef: self.ref,
      sloRef: self.parsed.sloRef ?? null,
      entities: scope.entityRefs,
      slos,
      warnings,
    };
  }

  /**
   * The slo-compliance KPI at `untilMs` over the SLOs of every member (a
   * rollup's union of its children's SLOs): SLOs meeting every objective
   * over their own window ÷ SLOs with data. Null without data.
   * `sliceLimit` bounds the Prometheus slices of each location.
   */
  async compliance(members: SloMember[], untilMs: number, sliceLimit?: number) {
    const { slos } = await this.computeAll(members, untilMs, sliceLimit);
    const judged = slos.filter(s => s.objectives.every(o => o.met !== null));
    const met = judged.filter(s => s.objectives.every(o => o.met));
    return {
      value: judged.length ? met.length / judged.length : null,
      sampleSize: judged.length,
      slos,
    };
  }
}
