/**
 * The persona canvas: what a persona is for, decides, answers for and
 * delivers, which KPIs it drives, whom it works with and what it must not
 * turn into.
 *
 * @public
 */
export interface PersonaCanvas {
  mission: string;
  decisions: string[];
  accountability: string;
  deliverables: string[];
  /** KPI ids (3–6). */
  kpis: string[];
  /** Persona ids this persona works with. */
  interfaces: string[];
  antiGoals: string[];
}

/**
 * A persona known to the plugin: built in or added in config.
 *
 * @public
 */
export interface PersonaDefinition {
  id: string;
  title: string;
  /** The annotation that names its holders, e.g. `devops-personas.io/tech-lead`. */
  annotation: string;
  /** Whether a missing holder raises an `unassigned-persona` warning. */
  core: boolean;
  canvas: PersonaCanvas;
}

/**
 * Where a resolved value came from: `explicit`, `inherited:<entityRef>`,
 * `via-persona:<personaId>` (KPI owners), `config-default` or `unassigned`.
 *
 * @public
 */
export type Provenance = string;

/**
 * The codes of warnings returned by the API.
 *
 * @public
 */
export type WarningCode =
  | 'unassigned-persona'
  | 'ownerless-kpi'
  | 'unknown-holder'
  | 'hero-mode'
  | 'raci-accountability'
  | 'invalid-annotation'
  | 'guardrail'
  | 'invalid-slo'
  | 'slo-source-unavailable';

/**
 * A warning about an entity's personas, KPIs or annotations.
 *
 * @public
 */
export interface PersonaWarning {
  code: WarningCode;
  /** A sentence a person can act on. */
  message: string;
  /** The persona concerned, if any. */
  persona?: string;
  /** The KPI concerned, if any. */
  kpi?: string;
  /** The holder concerned (full entity ref), if any. */
  holder?: string;
  /** The annotation key concerned, for `invalid-annotation`. */
  key?: string;
  /** The offending annotation value, for `invalid-annotation`. */
  value?: string;
  /** The entity the warning is about, when it is not the one asked for. */
  entityRef?: string;
  /** For `hero-mode`: the personas the holder wears. */
  personas?: string[];
  /**
   * For a rollup's summarised `ownerless-kpi` warning: the Components that
   * have ownerless KPIs (full refs).
   */
  entities?: string[];
}

/**
 * A member of a group holder.
 *
 * @public
 */
export interface HolderMember {
  ref: string;
  displayName: string;
}

/**
 * Someone who wears a persona's hat: a user or a group.
 *
 * @public
 */
export interface PersonaHolder {
  /** Full, lower-case entity ref, e.g. `user:default/alice`. */
  ref: string;
  displayName: string;
  /** Members of a group holder (catalog `hasMember`); empty for users. */
  members: HolderMember[];
  /** False when the ref names no entity in the catalog. */
  inCatalog: boolean;
}

/**
 * One persona of an entity, resolved.
 *
 * @public
 */
export interface ResolvedPersona {
  id: string;
  title: string;
  holders: PersonaHolder[];
  provenance: Provenance;
  /** The annotation that sets this persona. */
  annotation: string;
  core: boolean;
  canvas: PersonaCanvas;
}

/**
 * Answer of `GET /entities/:kind/:namespace/:name/personas`.
 *
 * @public
 */
export interface EntityPersonasResponse {
  entityRef: string;
  /** The entities consulted, nearest first: the entity, its System, its Domain. */
  inheritanceChain: string[];
  personas: ResolvedPersona[];
  warnings: PersonaWarning[];
}

/**
 * DORA performance tier.
 *
 * @public
 */
export type DoraTier = 'elite' | 'high' | 'medium' | 'low';

/**
 * One point of a KPI trend: the value over one bucket (a UTC calendar week
 * or month, cut at the window's edges).
 *
 * @public
 */
export interface KpiTrendPoint {
  start: string;
  end: string;
  value: number | null;
  /**
   * The bucket is cut by the window's start or end: its value is over the
   * part inside the window (per-week figures divided by that part's length).
   */
  partial: boolean;
}

/**
 * How a KPI's value compares with its baseline, direction taken into
 * account: changes below the configured threshold are `steady`.
 *
 * @public
 */
export type KpiAssessment = 'better' | 'worse' | 'steady';

/**
 * Who owns a KPI and where that comes from: `explicit`,
 * `inherited:<entityRef>`, `via-persona:<personaId>`, or `unassigned`
 * (ownerless).
 *
 * @public
 */
export interface KpiOwner {
  holders: string[];
  provenance: string;
}

/**
 * One KPI of an entity over a window.
 *
 * @public
 */
export interface KpiResult {
  id: string;
  title: string;
  /** `seconds`, `fraction`, `per-week`, `count`, or a measurement KPI's unit. */
  unit: string;
  /** Whether a higher value is better. */
  direction: 'higher' | 'lower';
  /** Built-in KPIs computed from events, or `measurement` KPIs from config. */
  kind: 'built-in' | 'measurement';
  /**
   * The section of the KPIs tab it belongs to: a {@link KpiGroupId} of
   * {@link KPI_GROUPS} (`measurements` for measurement KPIs unless config
   * says otherwise).
   */
  group: string;
  dora: boolean;
  /** `null` means no data, never 0. */
  value: number | null;
  /**
   * DORA tier for the DORA KPIs; `null` without data, below the minimum
   * sample (see `tierNote`) or for other KPIs.
   */
  tier: DoraTier | null;
  /**
   * The period the tier is computed over: the window, or for
   * `deployment-frequency` the 12 weeks before its end. `null` for KPIs
   * without tiers.
   */
  tierPeriod: { start: string; end: string } | null;
  /** Why a DORA KPI has no tier (no data, or too small a sample); else `null`. */
  tierNote: string | null;
  /** How many data points (deployments, changes, incidents, …) the value stands on. */
  sampleSize: number;
  baseline: number | null;
  /** The baseline period used. */
  baselineWindow: { start: string; end: string } | null;
  /** value − baseline, in the KPI's unit. */
  change: number | null;
  /** (value − baseline) / baseline; null when the baseline is 0 or missing. */
  changeRatio: number | null;
  /**
   * The change against the baseline judged by the KPI's direction; `steady`
   * below the configured threshold (points for fractions, else relative).
   */
  assessment: KpiAssessment | null;
  /**
   * The value over the window of the same length just before this one (for
   * the KPIs the guardrail compares: deployment frequency, change failure
   * rate, time to restore).
   */
  previous?: { value: number | null; start: string; end: string };
  target: { op: string; value: number } | null;
  /** Where the target comes from: `annotation:<entityRef>` or `config`. */
  targetSource: string | null;
  met: boolean | null;
  trend: KpiTrendPoint[];
  owner: KpiOwner;
  /** The agreed response when the KPI deteriorates. */
  response: string;
  /** `critical-vulnerability-fix-time` only: critical ones open past the SLA at the window's end. */
  overdue?: number;
}

/**
 * What a rollup's KPIs are computed over.
 *
 * @public
 */
export type KpiRollupBasis = 'parts' | 'owned' | 'personas';

/**
 * Answer of `GET /entities/:kind/:namespace/:name/kpis`.
 *
 * @public
 */
export interface EntityKpisResponse {
  entityRef: string;
  window: { start: string; end: string };
  bucket: 'week' | 'month';
  /** The entities whose events were counted: the entity itself, or its Components for a rollup. */
  entities: string[];
  /**
   * What a rollup is over: `parts` (a System's or Domain's Components),
   * `owned` (a Group's owned Components) or `personas` (entities where a
   * Group holds a persona); `null` for a single entity.
   */
  rollup: KpiRollupBasis | null;
  kpis: KpiResult[];
  warnings: PersonaWarning[];
}

/**
 * An event as stored: the sent event with `entityRef` made full and
 * timestamps normalised to UTC.
 *
 * @public
 */
export interface StoredEvent {
  type: string;
  id: string;
  source: string;
  entityRef: string;
  [field: string]: unknown;
}

/**
 * Answer of `GET /entities/:kind/:namespace/:name/kpis/:kpiId/events`: the
 * events behind one KPI value.
 *
 * @public
 */
export interface KpiEventsResponse {
  entityRef: string;
  kpi: string;
  window: { start: string; end: string };
  value: number | null;
  sampleSize: number;
  /** How the value is computed, in words. */
  formula: string;
  /**
   * The events that went into the value, most contributing first; `role`
   * says how each counted, `figure` is its own figure in `figureUnit` (e.g.
   * the lead time of one change) and `note` what made it count (e.g. the
   * incident that made a deployment fail).
   */
  events: KpiExplainedEvent[];
  /** Unit of the events' `figure`s (`seconds`, or the measurement's unit). */
  figureUnit: string | null;
  /** `slo-compliance` only: the SLO objectives behind the value. */
  slos?: KpiExplainedSlo[];
}

/**
 * One event behind a KPI value.
 *
 * @public
 */
export interface KpiExplainedEvent {
  role: string;
  event: StoredEvent;
  figure: number | null;
  note?: string;
  /**
   * How the incident behind a failed deployment (or, for
   * failed-deployment-recovery-time, the incident itself) was linked to its
   * deployment: `explicit` (it named the deployment) or `last-deployment`
   * (a source module inferred it, SPEC §8).
   */
  linkedBy?: 'explicit' | 'last-deployment';
}

/**
 * One SLO objective behind a `slo-compliance` value.
 *
 * @public
 */
export interface KpiExplainedSlo {
  /** The entity whose SLO it is. */
  entityRef: string;
  name: string;
  displayName?: string;
  /** The objective's display name. */
  objective: string;
  target: number;
  attainment: number | null;
  met: boolean | null;
  /** Where the SLO's figures come from: `sli` events or Prometheus. */
  dataSource: SloDataSource['type'];
}

/**
 * One cell group of a RACI row: a role held by a persona, resolved to holders.
 *
 * @public
 */
export interface RaciAssignment {
  role: 'R' | 'A' | 'C' | 'I';
  persona: string;
  /** Full refs of the holders; empty when the persona is unassigned. */
  holders: string[];
  /** Where the holders come from (persona provenance, or `entity-owner` for stakeholders). */
  provenance: string;
  /** For split accountability: `business` or `operational`. */
  qualifier?: string;
}

/**
 * Answer of `GET /entities/:kind/:namespace/:name/raci`.
 *
 * @public
 */
export interface EntityRaciResponse {
  entityRef: string;
  scenarios: Array<{
    id: string;
    title: string;
    assignments: RaciAssignment[];
  }>;
  /** Display names of every holder named in the table. */
  holderNames: Record<string, string>;
  /** Titles of the personas, built-in and custom. */
  personaTitles: Record<string, string>;
  warnings: PersonaWarning[];
}

/**
 * One hat a user or group wears.
 *
 * @public
 */
export interface HolderHat {
  entityRef: string;
  entityTitle: string;
  persona: string;
  personaTitle: string;
  /**
   * `explicit`, `inherited:<entityRef>` or `config-default` for the
   * holder's own hats; `via-group:<groupRef>` for the hats of a group the
   * user belongs to.
   */
  provenance: string;
  /** How the entity got this persona: `explicit`, `inherited:<entityRef>` or `config-default`. */
  assignment: string;
}

/**
 * Answer of `GET /holders/:kind/:namespace/:name`.
 *
 * @public
 */
export interface HolderHatsResponse {
  holder: string;
  displayName: string;
  /** Groups the user belongs to (their hats are included). */
  groups: string[];
  hats: HolderHat[];
  /** KPIs the holder owns explicitly (kpi-owner annotations). */
  kpis: Array<{ entityRef: string; kpi: string; provenance: string }>;
  warnings: PersonaWarning[];
}

/**
 * One row of the org overview.
 *
 * @public
 */
export interface OverviewItem {
  entityRef: string;
  kind: string;
  title: string;
  owner: string | null;
  /** The owner's display name (its title, else its name). */
  ownerTitle: string | null;
  system: string | null;
  coverage: {
    explicit: number;
    inherited: number;
    missing: number;
    /** Assigned personas ÷ all personas, in [0, 1]. */
    ratio: number;
  };
  /** Provenance of each persona. */
  personas: Record<string, string>;
  missingCorePersonas: string[];
  /** KPIs with no owner; empty for rollups, whose gaps belong to their Components (see `rollup`). */
  ownerlessKpis: string[];
  /** Systems, Domains and Groups: how many Components they cover and how many have ownerless KPIs. */
  rollup: { components: number; withOwnerlessKpis: number } | null;
  warningCounts: Record<string, number>;
  /** DORA tiers of the entity over the last 30 days (null: no data). */
  doraTiers: Record<string, string | null>;
}

/**
 * Answer of `GET /overview`.
 *
 * @public
 */
export interface OverviewResponse {
  total: number;
  offset: number;
  limit: number;
  items: OverviewItem[];
  summary: {
    entities: number;
    /** Assigned personas ÷ all persona slots over the filtered entities. */
    coverage: number;
    entitiesWithGaps: number;
    /** Ownerless KPIs of the filtered entities that are not rollups (counted once, on their Components). */
    ownerlessKpis: number;
    /** People wearing the most hats across the filtered entities. */
    topHatWearers: Array<{ holder: string; displayName: string; hats: number; entities: number }>;
  };
}

/**
 * Burn rates of an objective over the windows of the multi-window alerts.
 *
 * @public
 */
export type BurnRates = Record<'5m' | '30m' | '1h' | '2h' | '6h' | '1d' | '3d', number | null>;

/**
 * One objective of an SLO, computed.
 *
 * @public
 */
export interface SloObjectiveResult {
  displayName: string;
  target: number;
  timeSliceTarget?: number;
  /**
   * Timeslices and RatioTimeslices: the length of a slice as the document
   * gives it (e.g. `1m`); slices are aligned to the Unix epoch. Absent when
   * each `sli` event is a slice.
   */
  timeSliceWindow?: string;
  /**
   * Good ÷ total (Occurrences), good slices ÷ slices (Timeslices) or the mean
   * of the slices' good ÷ total (RatioTimeslices); null without data.
   */
  attainment: number | null;
  /** 1 − target. */
  errorBudget: number;
  /** 1 − (1 − attainment) ÷ (1 − target); negative when overspent. */
  budgetRemaining: number | null;
  burnRates: BurnRates;
  /** Multi-window, multi-burn-rate alert state (SRE workbook). */
  alert: 'page' | 'ticket' | 'ok';
  /** Budget remaining over the window, for the burn-down chart. */
  burnDown: Array<{ at: string; budgetRemaining: number | null }>;
  met: boolean | null;
}

/**
 * OpenSLO v1 budgeting methods.
 *
 * @public
 */
export type SloBudgetingMethod = 'Occurrences' | 'Timeslices' | 'RatioTimeslices';

/**
 * One Prometheus query behind an SLO, as it is sent (after `{{.window}}`
 * substitution it varies with the window, so it is shown as written).
 *
 * @public
 */
export interface SloPrometheusQuery {
  /** Which part of the OpenSLO `ratioMetric` it is. */
  role: 'good' | 'bad' | 'total' | 'raw';
  /** The query as written in the SLI document. */
  query: string;
  /** The entry of `devopsPersonas.sources.prometheus` it is sent to. */
  source: string;
  /** The query in the Prometheus graph UI, when the entry has an `externalUrl`. */
  graphUrl?: string;
}

/**
 * Where an SLO's figures come from: `sli` events pushed to the plugin, or
 * Prometheus queried by the backend (SPEC §5).
 *
 * @public
 */
export type SloDataSource =
  | { type: 'events' }
  | {
      type: 'prometheus';
      queries: SloPrometheusQuery[];
      /** Whether the queries are counters (`increase` over each window). */
      counter: boolean;
      /** For a `raw` ratio: whether it is of successes or failures. */
      rawType?: 'success' | 'failure';
      /** Why the figures are missing, when Prometheus could not answer (also a `slo-source-unavailable` warning). */
      error?: string;
    };

/**
 * One SLO of an entity, computed.
 *
 * @public
 */
export interface SloResult {
  name: string;
  displayName?: string;
  description?: string;
  budgetingMethod: SloBudgetingMethod;
  /** The name of the SLI (inline or by `indicatorRef`), when it has one. */
  indicator?: string;
  /** Where the good and total counts come from. */
  dataSource: SloDataSource;
  /** The entity whose slo-ref defines it (a Component, for a rollup's SLOs). */
  entityRef: string;
  window: { duration: string; isRolling: boolean; start: string; end: string };
  objectives: SloObjectiveResult[];
  /**
   * How much data the figures rest on: `sli` events in the window (pushed
   * events), slices with data (Prometheus, Timeslices and RatioTimeslices),
   * or events counted by the total query (Prometheus, Occurrences; rounded;
   * 0 for a precomputed `raw` ratio, which counts no events).
   */
  sampleSize: number;
  source: string;
}

/**
 * Answer of `GET /entities/:kind/:namespace/:name/slos`.
 *
 * @public
 */
export interface EntitySlosResponse {
  entityRef: string;
  /** The slo-ref annotation, if any. */
  sloRef: string | null;
  /** Entities whose SLOs are listed: the entity itself, or a rollup's Components. */
  entities: string[];
  /** Sorted by remaining budget, least first. */
  slos: SloResult[];
  warnings: PersonaWarning[];
}

/**
 * Why a source dropped a payload or an event:
 * - `ignored`: of a kind the source does not count (a `push`, a pending deployment);
 * - `unmapped-entity`: no catalog entity carries the annotation value it names;
 * - `invalid-event`: its translation fails the checks of `POST /v1/events`;
 * - `unreadable-payload`: the translator could not read it;
 * - `store-failed`: the database refused it (down, locked); the tool's redelivery stores it later.
 *
 * @public
 */
export type SourceDropReason =
  | 'ignored'
  | 'unmapped-entity'
  | 'invalid-event'
  | 'unreadable-payload'
  | 'store-failed';

/**
 * Counts of one source since the plugin's database was created.
 * `received` counts payloads; `stored` counts events written (a redelivery
 * is written again, and replaces the first); `dropped` counts events (one
 * Alertmanager payload carries several alerts): a payload rejected for an
 * invalid event counts each of its events, a payload ignored or unreadable
 * before it became events counts once.
 *
 * @public
 */
export interface SourceCounts {
  received: number;
  stored: number;
  dropped: Partial<Record<SourceDropReason, number>>;
  /**
   * The `ignored` payloads by the source's own reason (`event:push`,
   * `deployment_status:pending`, …); at most 50 reasons per source, the
   * rest under `other reasons`.
   */
  ignoredReasons: Record<string, number>;
}

/**
 * Several catalog entities carry the same annotation value: events go to
 * the first in entity-ref order.
 *
 * @public
 */
export interface SourceAmbiguity {
  annotation: string;
  value: string;
  entityRefs: string[];
  chosen: string;
}

/**
 * One event source, as `GET /v1/sources` lists it.
 *
 * @public
 */
export interface SourceStatus {
  id: string;
  title: string;
  topics: string[];
  /** The annotation that maps payloads to entities, if the source uses one. */
  annotation: string | null;
  counts: SourceCounts;
  /** The last payload dropped for a reason other than `ignored`, or the last failure. */
  lastError: { at: string; reason: SourceDropReason; message: string } | null;
  ambiguities: SourceAmbiguity[];
}

/**
 * Answer of `GET /v1/sources`.
 *
 * @public
 */
export interface SourcesResponse {
  sources: SourceStatus[];
  /** How incidents without `causedByDeploymentId` are linked to a deployment. */
  attribution: { rule: 'explicit' | 'last-deployment'; maxGapSeconds: number };
}
