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
