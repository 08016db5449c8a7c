import { ANNOTATION_PREFIX, BUILT_IN_PERSONA_IDS } from './ids';
import { BUILT_IN_KPIS } from './kpiDefinitions';
import { KpiTarget, KpiUnit, parseKpiTarget } from './kpis';
import { PersonaWarning } from './types';

/** @public */
export const SLO_REF_ANNOTATION = `${ANNOTATION_PREFIX}slo-ref`;
/** @public */
export const KPI_OWNER_ANNOTATION_PREFIX = `${ANNOTATION_PREFIX}kpi-owner.`;
/** @public */
export const KPI_TARGET_ANNOTATION_PREFIX = `${ANNOTATION_PREFIX}kpi-target.`;

/**
 * What the parser needs to know beyond the built-ins: custom personas and
 * measurement KPIs declared in config.
 *
 * @public
 */
export interface AnnotationVocabulary {
  /** Persona id by annotation key, e.g. `devops-personas.io/tech-lead` → `tech-lead`. */
  personaAnnotations: ReadonlyMap<string, string>;
  /** Unit of every known KPI id. */
  kpiUnits: ReadonlyMap<string, KpiUnit>;
}

/**
 * The vocabulary of the built-in personas and KPIs.
 *
 * @public
 */
export const BUILT_IN_VOCABULARY: AnnotationVocabulary = {
  personaAnnotations: new Map(
    BUILT_IN_PERSONA_IDS.map(id => [`${ANNOTATION_PREFIX}${id}`, id]),
  ),
  kpiUnits: new Map(BUILT_IN_KPIS.map(kpi => [kpi.id, kpi.unit])),
};

/**
 * Persona and KPI annotations of one entity, parsed.
 *
 * @public
 */
export interface ParsedAnnotations {
  /** Holder refs (full, lower case) by persona id; only valid refs. */
  personas: Record<string, string[]>;
  /** Explicit KPI owner refs by KPI id. */
  kpiOwners: Record<string, string[]>;
  /** KPI targets by KPI id, in the KPI's unit. */
  kpiTargets: Record<string, KpiTarget>;
  /** Raw `slo-ref` value. */
  sloRef?: string;
  /** One `invalid-annotation` warning per bad key or value. */
  warnings: PersonaWarning[];
}

// Catalog naming rules: names are up to 63 characters of letters, digits and
// `-_.` separators; namespaces are DNS labels.
const NAME_PATTERN = /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/i;
const NAMESPACE_PATTERN = /^[a-z0-9]+(?:-+[a-z0-9]+)*$/i;
const HOLDER_KINDS = new Set(['user', 'group']);

/**
 * Parses one holder ref: `alice`, `user:alice`, `group:platform-team`,
 * `group:ops/sre`. A bare name means `user:default/<name>`.
 *
 * @returns the full lower-case ref, or an error message
 * @public
 */
export function parseHolderRef(raw: string): { ref: string } | { error: string } {
  const value = raw.trim();
  if (!value) return { error: 'empty holder' };
  const colon = value.indexOf(':');
  const kind = colon >= 0 ? value.slice(0, colon).toLowerCase() : 'user';
  const rest = colon >= 0 ? value.slice(colon + 1) : value;
  if (!HOLDER_KINDS.has(kind)) {
    return {
      error: `"${value}" is a ${kind} ref; holders are users or groups (user:<name> or group:<name>)`,
    };
  }
  const slash = rest.indexOf('/');
  const namespace = slash >= 0 ? rest.slice(0, slash) : 'default';
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  if (!NAMESPACE_PATTERN.test(namespace) || namespace.length > 63) {
    return { error: `"${value}" has an invalid namespace "${namespace}"` };
  }
  if (!NAME_PATTERN.test(name) || name.length > 63) {
    return {
      error: `"${value}" is not a valid entity ref; expected a name like "alice", "user:alice" or "group:platform-team"`,
    };
  }
  return { ref: `${kind}:${namespace}/${name}`.toLowerCase() };
}

/**
 * Parses a comma-separated holder list. Valid refs are kept (without
 * duplicates) even when others in the list are bad.
 *
 * @public
 */
export function parseHolderList(raw: string): {
  refs: string[];
  errors: string[];
} {
  const refs: string[] = [];
  const errors: string[] = [];
  const parts = raw.split(',');
  if (parts.every(p => !p.trim())) {
    return { refs, errors: ['no holder given'] };
  }
  for (const part of parts) {
    if (!part.trim()) continue;
    const parsed = parseHolderRef(part);
    if ('error' in parsed) errors.push(parsed.error);
    else if (!refs.includes(parsed.ref)) refs.push(parsed.ref);
  }
  return { refs, errors };
}

function invalid(key: string, value: string, reason: string): PersonaWarning {
  return {
    code: 'invalid-annotation',
    message: `Annotation ${key}: "${value}" is invalid: ${reason}.`,
    key,
    value,
  };
}

/**
 * Parses the `devops-personas.io/*` annotations of an entity. Never throws:
 * an unknown key, an unknown KPI id, an unparseable ref or a malformed target
 * becomes an `invalid-annotation` warning that names the key and the value.
 *
 * @public
 */
export function parseAnnotations(
  annotations: Record<string, string> | undefined,
  vocabulary: AnnotationVocabulary = BUILT_IN_VOCABULARY,
): ParsedAnnotations {
  const result: ParsedAnnotations = {
    personas: {},
    kpiOwners: {},
    kpiTargets: {},
    warnings: [],
  };
  for (const [key, rawValue] of Object.entries(annotations ?? {})) {
    if (!key.startsWith(ANNOTATION_PREFIX)) continue;
    const value = typeof rawValue === 'string' ? rawValue : String(rawValue);

    const personaId = vocabulary.personaAnnotations.get(key);
    if (personaId) {
      const { refs, errors } = parseHolderList(value);
      for (const error of errors) result.warnings.push(invalid(key, value, error));
      if (refs.length) result.personas[personaId] = refs;
      continue;
    }

    if (key === SLO_REF_ANNOTATION) {
      if (value.trim()) result.sloRef = value.trim();
      else result.warnings.push(invalid(key, value, 'no location given'));
      continue;
    }

    const kpiKey = [KPI_OWNER_ANNOTATION_PREFIX, KPI_TARGET_ANNOTATION_PREFIX].find(
      p => key.startsWith(p),
    );
    if (kpiKey) {
      const kpiId = key.slice(kpiKey.length);
      const unit = vocabulary.kpiUnits.get(kpiId);
      if (unit === undefined) {
        result.warnings.push(
          invalid(key, value, `"${kpiId}" is not a known KPI id`),
        );
        continue;
      }
      if (kpiKey === KPI_OWNER_ANNOTATION_PREFIX) {
        const { refs, errors } = parseHolderList(value);
        for (const error of errors) result.warnings.push(invalid(key, value, error));
        if (refs.length) result.kpiOwners[kpiId] = refs;
      } else {
        const parsed = parseKpiTarget(value, unit);
        if ('error' in parsed) result.warnings.push(invalid(key, value, parsed.error));
        else result.kpiTargets[kpiId] = parsed.target;
      }
      continue;
    }

    result.warnings.push(
      invalid(
        key,
        value,
        `"${key.slice(ANNOTATION_PREFIX.length)}" is not a known persona, kpi-owner.<kpi>, kpi-target.<kpi> or slo-ref`,
      ),
    );
  }
  return result;
}
