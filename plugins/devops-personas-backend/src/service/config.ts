import { Config } from '@backstage/config';
import {
  AnnotationVocabulary,
  BUILT_IN_KPIS,
  BUILT_IN_PERSONAS,
  ANNOTATION_PREFIX,
  DEFAULT_RACI_SCENARIOS,
  DORA_KPI_GROUP,
  KPI_GROUPS,
  KpiGroupId,
  MEASUREMENT_KPI_GROUP,
  KPI_OWNER_ANNOTATION_PREFIX,
  KPI_TARGET_ANNOTATION_PREFIX,
  SLO_REF_ANNOTATION,
  STAKEHOLDERS,
  KpiTarget,
  parseHolderList,
  parseKpiTarget,
  PersonaDefinition,
  RaciScenario,
} from '@devops-personas/plugin-devops-personas-common';
import { DateTime } from 'luxon';
import { DAY_MS, parseWindowLength } from '../kpis/window';

/** A KPI as configured: built in, or a measurement KPI declared in config. */
export interface KpiDefinition {
  id: string;
  title: string;
  unit: string;
  direction: 'higher' | 'lower';
  kind: 'built-in' | 'measurement';
  /** The section of the KPIs tab: the built-in definition's, `measurements` for measurement KPIs, or set in config. */
  group: KpiGroupId;
  /** One of the four DORA KPIs, given a performance tier. */
  dora: boolean;
  /** The persona that owns the KPI when no kpi-owner annotation names someone. */
  ownerPersona?: string;
  target?: KpiTarget;
  response: string;
}

/** The plugin's effective configuration, built-in defaults merged with `devopsPersonas`. */
export interface PersonasConfig {
  personas: readonly PersonaDefinition[];
  vocabulary: AnnotationVocabulary;
  /** Holders used when no entity in the inheritance chain names one. */
  defaultHolders: Record<string, string[]>;
  heroMode: { personasPerEntity: number; entitiesPerPerson: number };
  raciScenarios: readonly RaciScenario[];
  kpis: KpiDefinition[];
  /** A critical vulnerability open longer than this is overdue. */
  vulnerabilitySlaMs: number;
  /** How long SLO documents read through slo-ref are cached. */
  sloRefreshMs: number;
  /** A fixed baseline period instead of "the first 4 weeks with data". */
  baselinePeriod?: { startMs: number; endMs: number };
  /** A DORA tier needs at least this many deployments, changes or incidents. */
  tierMinimumSample: number;
  /** Changes against the baseline below these are `steady`. */
  steadyChange: { points: number; ratio: number };
}

const DEFAULT_PERSONAS_PER_ENTITY = 4;
const DEFAULT_ENTITIES_PER_PERSON = 10;
const DEFAULT_TIER_MINIMUM_SAMPLE = 5;
const DEFAULT_STEADY_POINTS = 2;
const DEFAULT_STEADY_RATIO = 0.05;
const KPI_ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
const PERSONA_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

class ConfigError extends Error {
  constructor(key: string, reason: string) {
    super(`Invalid config at ${key}: ${reason}`);
  }
}

function readKpis(root: Config | undefined, personaIds: Set<string>): KpiDefinition[] {
  const checkPersona = (key: string, persona: string | undefined) => {
    if (persona !== undefined && !personaIds.has(persona)) {
      throw new ConfigError(key, `"${persona}" is not a persona; known personas are ${[...personaIds].join(', ')}`);
    }
    return persona;
  };
  const readTarget = (key: string, raw: string | undefined, unit: string) => {
    if (raw === undefined) return undefined;
    const parsed = parseKpiTarget(raw, unit);
    if ('error' in parsed) throw new ConfigError(key, parsed.error);
    return parsed.target;
  };

  // The DORA group holds the four DORA KPIs and nothing else; config may move any other KPI between the other groups.
  const movableGroups = KPI_GROUPS.map(g => g.id).filter(id => id !== DORA_KPI_GROUP);
  const readGroup = (key: string, raw: string | undefined, kpi: Pick<KpiDefinition, 'group' | 'dora'>) => {
    if (raw === undefined || raw === kpi.group) return kpi.group;
    if (kpi.dora) throw new ConfigError(key, `a DORA KPI stays in the "${DORA_KPI_GROUP}" group`);
    const group = movableGroups.find(id => id === raw);
    if (!group) throw new ConfigError(key, `"${raw}" is not a KPI group; use one of ${movableGroups.join(', ')}`);
    return group;
  };

  const kpis: KpiDefinition[] = BUILT_IN_KPIS.map(definition => ({ ...definition, kind: 'built-in' as const }));

  const overrides = root?.getOptionalConfig('kpis');
  for (const id of overrides?.keys() ?? []) {
    const key = `devopsPersonas.kpis.${id}`;
    const kpi = kpis.find(k => k.id === id);
    if (!kpi) {
      throw new ConfigError(key, `"${id}" is not a built-in KPI; declare new KPIs under devopsPersonas.measurementKpis`);
    }
    const entry = overrides!.getConfig(id);
    kpi.ownerPersona = checkPersona(`${key}.owner`, entry.getOptionalString('owner')) ?? kpi.ownerPersona;
    kpi.target = readTarget(`${key}.target`, entry.getOptionalString('target'), kpi.unit);
    kpi.response = entry.getOptionalString('response') ?? kpi.response;
    kpi.group = readGroup(`${key}.group`, entry.getOptionalString('group'), kpi);
  }

  (root?.getOptionalConfigArray('measurementKpis') ?? []).forEach((entry, index) => {
    const key = `devopsPersonas.measurementKpis[${index}]`;
    const id = entry.getString('id');
    if (!KPI_ID_PATTERN.test(id)) {
      throw new ConfigError(`${key}.id`, `"${id}" must be lower-case letters, digits and -_.`);
    }
    if (kpis.some(k => k.id === id)) {
      throw new ConfigError(`${key}.id`, `"${id}" is already a KPI`);
    }
    const direction = entry.getOptionalString('direction') ?? 'higher';
    if (direction !== 'higher' && direction !== 'lower') {
      throw new ConfigError(`${key}.direction`, `must be higher or lower; got "${direction}"`);
    }
    const unit = entry.getString('unit');
    kpis.push({
      id,
      title: entry.getOptionalString('title') ?? id,
      unit,
      direction,
      kind: 'measurement',
      group: readGroup(`${key}.group`, entry.getOptionalString('group'), { group: MEASUREMENT_KPI_GROUP, dora: false }),
      dora: false,
      ownerPersona: checkPersona(`${key}.owner`, entry.getOptionalString('owner')),
      target: readTarget(`${key}.target`, entry.getOptionalString('target'), unit),
      response: entry.getOptionalString('response') ?? '',
    });
  });
  return kpis;
}

function readBaselinePeriod(root: Config | undefined) {
  const period = root?.getOptionalConfig('baseline');
  if (!period) return undefined;
  const read = (field: 'start' | 'end') => {
    const raw = period.getString(field);
    const parsed = DateTime.fromISO(raw, { zone: 'utc' });
    if (!parsed.isValid) {
      throw new ConfigError(`devopsPersonas.baseline.${field}`, `"${raw}" is not an ISO 8601 date`);
    }
    return parsed.toMillis();
  };
  const startMs = read('start');
  const endMs = read('end');
  if (endMs <= startMs) {
    throw new ConfigError('devopsPersonas.baseline.end', 'must be after devopsPersonas.baseline.start');
  }
  return { startMs, endMs };
}

const CANVAS_LISTS = ['decisions', 'deliverables', 'kpis', 'interfaces', 'antiGoals'] as const;
const CANVAS_TEXTS = ['mission', 'accountability'] as const;
const RESERVED_KEYS = [SLO_REF_ANNOTATION, KPI_OWNER_ANNOTATION_PREFIX, KPI_TARGET_ANNOTATION_PREFIX];

/** Built-in personas with config changes applied, then custom personas. */
function readPersonas(root: Config | undefined): PersonaDefinition[] {
  const personas: PersonaDefinition[] = BUILT_IN_PERSONAS.map(p => ({ ...p, canvas: { ...p.canvas } }));
  const section = root?.getOptionalConfig('personas');
  for (const id of section?.keys() ?? []) {
    const key = `devopsPersonas.personas.${id}`;
    if (!PERSONA_ID_PATTERN.test(id)) {
      throw new ConfigError(key, `"${id}" must be lower-case letters, digits and dashes`);
    }
    const entry = section!.getConfig(id);
    let persona = personas.find(p => p.id === id);
    if (!persona) {
      persona = {
        id,
        title: entry.getOptionalString('title') ?? id,
        annotation: `${ANNOTATION_PREFIX}${id}`,
        core: false,
        canvas: { mission: '', decisions: [], accountability: '', deliverables: [], kpis: [], interfaces: [], antiGoals: [] },
      };
      personas.push(persona);
    }
    persona.title = entry.getOptionalString('title') ?? persona.title;
    persona.core = entry.getOptionalBoolean('core') ?? persona.core;
    const annotation = entry.getOptionalString('annotation');
    if (annotation !== undefined) {
      if (!annotation.startsWith(ANNOTATION_PREFIX) || RESERVED_KEYS.some(r => annotation.startsWith(r))) {
        throw new ConfigError(`${key}.annotation`, `"${annotation}" must start with ${ANNOTATION_PREFIX} and not be slo-ref, kpi-owner.* or kpi-target.*`);
      }
      persona.annotation = annotation;
    }
    const canvas = entry.getOptionalConfig('canvas');
    for (const field of CANVAS_TEXTS) {
      const value = canvas?.getOptionalString(field);
      if (value !== undefined) persona.canvas[field] = value;
    }
    for (const field of CANVAS_LISTS) {
      const value = canvas?.getOptionalStringArray(field);
      if (value !== undefined) persona.canvas[field] = value;
    }
  }
  const byAnnotation = new Map<string, string>();
  for (const p of personas) {
    const other = byAnnotation.get(p.annotation);
    if (other) {
      throw new ConfigError(`devopsPersonas.personas.${p.id}.annotation`, `"${p.annotation}" is already the annotation of ${other}`);
    }
    byAnnotation.set(p.annotation, p.id);
  }
  return personas;
}

/** The default RACI scenarios, replaced or extended by config. */
function readRaciScenarios(root: Config | undefined, personaIds: Set<string>): RaciScenario[] {
  const section = root?.getOptionalConfig('raci');
  const scenarios: RaciScenario[] = section?.getOptionalBoolean('replaceDefaults') ? [] : [...DEFAULT_RACI_SCENARIOS];
  (section?.getOptionalConfigArray('scenarios') ?? []).forEach((entry, index) => {
    const key = `devopsPersonas.raci.scenarios[${index}]`;
    const id = entry.getString('id');
    const roles = {} as Record<'R' | 'A' | 'C' | 'I', string[]>;
    for (const role of ['R', 'A', 'C', 'I'] as const) {
      roles[role] = entry.getOptionalStringArray(role) ?? [];
      for (const persona of roles[role]) {
        if (persona !== STAKEHOLDERS && !personaIds.has(persona)) {
          throw new ConfigError(`${key}.${role}`, `"${persona}" is not a persona; known personas are ${[...personaIds].join(', ')} and ${STAKEHOLDERS}`);
        }
      }
    }
    if (!roles.A.length) throw new ConfigError(`${key}.A`, 'a scenario needs an accountable persona');
    const qualifiers = entry.getOptionalConfig('accountableQualifiers');
    const scenario: RaciScenario = {
      id,
      title: entry.getOptionalString('title') ?? id,
      ...roles,
      ...(qualifiers ? { accountableQualifiers: Object.fromEntries(qualifiers.keys().map(k => [k, qualifiers.getString(k)])) } : {}),
    };
    const existing = scenarios.findIndex(s => s.id === id);
    if (existing >= 0) scenarios[existing] = scenario;
    else scenarios.push(scenario);
  });
  return scenarios;
}

/**
 * Reads `devopsPersonas` from config. A bad value fails startup with a
 * message naming the key.
 */
export function readPersonasConfig(config: Config): PersonasConfig {
  const root = config.getOptionalConfig('devopsPersonas');
  const personas = readPersonas(root);
  const knownIds = new Set(personas.map(p => p.id));

  const defaultHolders: Record<string, string[]> = {};
  const holdersConfig = root?.getOptionalConfig('defaultHolders');
  for (const personaId of holdersConfig?.keys() ?? []) {
    const key = `devopsPersonas.defaultHolders.${personaId}`;
    if (!knownIds.has(personaId)) {
      throw new ConfigError(key, `"${personaId}" is not a persona; known personas are ${[...knownIds].join(', ')}`);
    }
    const { refs, errors } = parseHolderList(holdersConfig!.getString(personaId));
    if (errors.length) throw new ConfigError(key, errors.join('; '));
    defaultHolders[personaId] = refs;
  }

  const personasPerEntity =
    root?.getOptionalNumber('heroMode.personasPerEntity') ?? DEFAULT_PERSONAS_PER_ENTITY;
  if (!Number.isInteger(personasPerEntity) || personasPerEntity < 2) {
    throw new ConfigError('devopsPersonas.heroMode.personasPerEntity', 'must be a whole number of 2 or more');
  }

  const entitiesPerPerson = root?.getOptionalNumber('heroMode.entitiesPerPerson') ?? DEFAULT_ENTITIES_PER_PERSON;
  if (!Number.isInteger(entitiesPerPerson) || entitiesPerPerson < 1) {
    throw new ConfigError('devopsPersonas.heroMode.entitiesPerPerson', 'must be a whole number of 1 or more');
  }

  const kpis = readKpis(root, knownIds);

  let vulnerabilitySlaMs = 7 * DAY_MS;
  const sla = root?.getOptionalString('vulnerabilitySla');
  if (sla !== undefined) {
    try {
      vulnerabilitySlaMs = parseWindowLength(sla, 'devopsPersonas.vulnerabilitySla');
    } catch (e) {
      throw new ConfigError('devopsPersonas.vulnerabilitySla', (e as Error).message);
    }
  }

  let sloRefreshMs = 5 * 60_000;
  const refresh = root?.getOptionalString('slo.refreshInterval');
  if (refresh !== undefined) {
    try {
      sloRefreshMs = parseWindowLength(refresh, 'devopsPersonas.slo.refreshInterval');
    } catch (e) {
      throw new ConfigError('devopsPersonas.slo.refreshInterval', (e as Error).message);
    }
  }

  const tierMinimumSample = root?.getOptionalNumber('tiers.minimumSample') ?? DEFAULT_TIER_MINIMUM_SAMPLE;
  if (!Number.isInteger(tierMinimumSample) || tierMinimumSample < 1) {
    throw new ConfigError('devopsPersonas.tiers.minimumSample', 'must be a whole number of 1 or more');
  }
  const steadyChange = {
    points: root?.getOptionalNumber('steadyChange.points') ?? DEFAULT_STEADY_POINTS,
    ratio: root?.getOptionalNumber('steadyChange.ratio') ?? DEFAULT_STEADY_RATIO,
  };
  if (!Number.isFinite(steadyChange.points) || steadyChange.points < 0 || steadyChange.points > 100) {
    throw new ConfigError('devopsPersonas.steadyChange.points', 'must be a number of percentage points from 0 to 100');
  }
  if (!Number.isFinite(steadyChange.ratio) || steadyChange.ratio < 0 || steadyChange.ratio > 1) {
    throw new ConfigError('devopsPersonas.steadyChange.ratio', 'must be a fraction from 0 to 1');
  }

  return {
    personas,
    sloRefreshMs,
    tierMinimumSample,
    steadyChange,
    vocabulary: {
      personaAnnotations: new Map(personas.map(p => [p.annotation, p.id])),
      kpiUnits: new Map(kpis.map(k => [k.id, k.unit])),
    },
    defaultHolders,
    heroMode: { personasPerEntity, entitiesPerPerson },
    raciScenarios: readRaciScenarios(root, knownIds),
    kpis,
    vulnerabilitySlaMs,
    baselinePeriod: readBaselinePeriod(root),
  };
}
