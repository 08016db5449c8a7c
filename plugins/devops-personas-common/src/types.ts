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
  | 'guardrail';

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
}

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
  dora: boolean;
  /** `null` means no data, never 0. */
  value: number | null;
  /** DORA tier for the four DORA KPIs; `null` without data or for other KPIs. */
  tier: DoraTier | null;
  /** How many data points (deployments, changes, incidents, …) the value stands on. */
  sampleSize: number;
  baseline: number | null;
  /** The baseline period used. */
  baselineWindow: { start: string; end: string } | null;
  /** value − baseline, in the KPI's unit. */
  change: number | null;
  /** (value − baseline) / baseline; null when the baseline is 0 or missing. */
  changeRatio: number | null;
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
  /** The events that went into the value; `role` says how each counted. */
  events: Array<{ role: string; event: StoredEvent }>;
}
