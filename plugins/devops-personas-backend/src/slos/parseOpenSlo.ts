import { PersonaWarning } from '@devops-personas/plugin-devops-personas-common';
import { readYamlDocuments, YamlReadError } from './readYamlDocuments';
import { FieldProblem, parseSliSpec } from './parseSli';
import {
  MAX_OBJECTIVES_PER_SLO,
  MAX_SLO_DOCUMENT_BYTES,
  MAX_SLOS_PER_LOCATION,
  SloDocuments,
} from './SloDocuments';
import { SliDefinition, SloDefinition, SloObjective, TimeSliceWindow } from './sloDefinition';
import { SloTimeWindow, timeWindowProblem } from './sloWindow';
import { isGiven, isObject } from './yamlValues';

/** OpenSLO objects read from one slo-ref location; more are left out with a warning. */
export const MAX_DOCUMENTS_PER_LOCATION = 500;
/** Warnings kept per location; the rest are counted in one more. */
export const MAX_WARNINGS_PER_LOCATION = 50;
// With the worker's start-up, an answer within the second SPEC allows.
const PARSE_TIMEOUT_MS = 750;

/** Kinds of OpenSLO v1 that are valid but carry nothing the figures use. */
const OTHER_V1_KINDS = new Set(['Service', 'AlertPolicy', 'AlertCondition', 'AlertNotificationTarget', 'DataSource']);
const BUDGETING_METHODS = ['Occurrences', 'Timeslices', 'RatioTimeslices'] as const;
/** An objective's `op`: how a thresholdMetric's value compares with `value`. */
const THRESHOLD_OPERATORS = ['lte', 'gte', 'lt', 'gt'];
/** A window used when an SLO gives none (`timeWindow` is optional in v1). */
const DEFAULT_TIME_WINDOW: SloTimeWindow = { duration: '30d', isRolling: true };

const SLICE_UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
/** The longest slice, as long as the longest window. */
const MAX_SLICE_MS = 366 * 86_400_000;

function warn(source: string, message: string): PersonaWarning {
  return { code: 'invalid-slo', message: `${source}: ${message}` };
}

/** Whether an SLO spec or objective names its indicator, inline or by ref. */
const hasIndicator = (holder: unknown) =>
  isObject(holder) && (isGiven(holder.indicator) || isGiven(holder.indicatorRef));

/** One OpenSLO object of the location, with the label its warnings carry. */
interface LabelledObject {
  label: string;
  doc: Record<string, any>;
}

/**
 * A `timeSliceWindow`: a number of minutes or a duration such as `1m`, `5m`,
 * `1h`, `1d` (fixed lengths only). Throws with the reason.
 */
export function parseTimeSliceWindow(value: unknown): TimeSliceWindow {
  if (typeof value === 'number') {
    // At least a second: a slice rounded down to 0 ms would silently make each sli event a slice.
    if (!(value * 60_000 >= 1000) || value * 60_000 > MAX_SLICE_MS || !Number.isFinite(value)) {
      throw new Error(`${value} must be a number of minutes from one second (1/60) to 366 days`);
    }
    return { text: `${value}m`, ms: Math.round(value * 60_000) };
  }
  const text = typeof value === 'string' ? value.trim() : '';
  const match = /^(\d{1,9})([mhdw])$/.exec(text);
  if (!match && /^\d{1,9}[MQY]$/.test(text)) {
    throw new Error(`"${text}" has no fixed length; give minutes, hours, days or weeks, e.g. 1m, 5m, 1h or 1d`);
  }
  if (!match) {
    throw new Error(`${JSON.stringify(value ?? null)} is not a slice length like 1m, 5m, 1h or 1d (minutes when a number)`);
  }
  const ms = Number(match[1]) * SLICE_UNIT_MS[match[2]];
  if (ms <= 0 || ms > MAX_SLICE_MS) throw new Error(`"${value}" must be longer than zero and at most 366 days`);
  return { text, ms };
}

/**
 * Splits the YAML documents into OpenSLO objects: a document is one object,
 * or a top-level list of objects (the layout of OpenSLO's Go SDK).
 */
function objectsOf(
  documents: Array<{ value: unknown } | { error: string }>,
  label: string,
  warnings: PersonaWarning[],
): LabelledObject[] {
  const objects: LabelledObject[] = [];
  let total = 0;
  const add = (value: unknown, docLabel: string) => {
    total++;
    if (objects.length >= MAX_DOCUMENTS_PER_LOCATION) return;
    if (!isObject(value)) {
      warnings.push(warn(docLabel, 'is not an OpenSLO object (apiVersion, kind, metadata, spec)'));
      return;
    }
    const name = value.metadata?.name;
    objects.push({ label: typeof name === 'string' && name ? `${docLabel} (${name})` : docLabel, doc: value });
  };
  documents.forEach((document, index) => {
    const docLabel = `${label} document ${index + 1}`;
    if ('error' in document) {
      warnings.push(warn(docLabel, document.error));
      return;
    }
    const value = document.value;
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      // Bounded by the document size and by MAX_DOCUMENTS_PER_LOCATION kept.
      value.forEach((item, i) => add(item, `${docLabel} item ${i + 1}`));
    } else {
      add(value, docLabel);
    }
  });
  if (total > MAX_DOCUMENTS_PER_LOCATION) {
    warnings.push(warn(label, `holds ${total} OpenSLO objects; only the first ${MAX_DOCUMENTS_PER_LOCATION} are read`));
  }
  return objects;
}

function readTarget(o: Record<string, any>, field: string, problem: FieldProblem): number | undefined {
  if (o.target !== undefined && o.targetPercent !== undefined) {
    problem(field, 'has both target and targetPercent; give one');
    return undefined;
  }
  if (o.targetPercent !== undefined) {
    if (typeof o.targetPercent !== 'number' || !(o.targetPercent >= 0 && o.targetPercent < 100)) {
      problem(`${field}.targetPercent`, 'must be a number from 0 up to (not including) 100, e.g. 99.5');
      return undefined;
    }
    // 99.9 / 100 is 0.9990000000000001 in floating point; the same target as 0.999 should be 0.999.
    return Number((o.targetPercent / 100).toPrecision(15));
  }
  if (typeof o.target !== 'number' || !(o.target >= 0 && o.target < 1)) {
    problem(`${field}.target`, o.target === undefined
      ? 'is missing (give target, e.g. 0.995, or targetPercent, e.g. 99.5)'
      : 'must be a number from 0 up to (not including) 1, e.g. 0.995');
    return undefined;
  }
  return o.target;
}

/**
 * Parses OpenSLO v1 documents as OpenSLO's own tools write them (several
 * YAML documents, or a top-level list of objects); every problem becomes a
 * warning naming the document (by `label`, the slo-ref value) and the field.
 * `source` is what each SLO says it was read from (default: the label).
 * However odd the text, the answer comes within a second and the event loop
 * is never held.
 */
export async function parseSloDocuments(label: string, text: string, source = label): Promise<SloDocuments> {
  const warnings: PersonaWarning[] = [];
  const slos: SloDefinition[] = [];
  if (Buffer.byteLength(text) > MAX_SLO_DOCUMENT_BYTES) {
    return { slos, warnings: [warn(label, `is larger than ${MAX_SLO_DOCUMENT_BYTES / 1024} KiB`)] };
  }
  let stream;
  try {
    stream = await readYamlDocuments(text, {
      timeoutMs: PARSE_TIMEOUT_MS,
      maxDocuments: MAX_DOCUMENTS_PER_LOCATION,
    });
  } catch (e) {
    const reason = e instanceof YamlReadError ? e.message : `cannot be read: ${(e as Error).message}`;
    return { slos, warnings: [warn(label, `${reason}; keep OpenSLO files small and plain`)] };
  }
  if (stream.total > MAX_DOCUMENTS_PER_LOCATION) {
    warnings.push(
      warn(label, `holds ${stream.total} documents; only the first ${MAX_DOCUMENTS_PER_LOCATION} are read`),
    );
  }

  const sloObjects: LabelledObject[] = [];
  const sliObjects: LabelledObject[] = [];
  const dataSourceTypes = new Map<string, string>();
  for (const object of objectsOf(stream.documents, label, warnings)) {
    const { doc } = object;
    if (doc.apiVersion !== 'openslo/v1') {
      warnings.push(warn(object.label, `apiVersion "${doc.apiVersion ?? ''}" is not supported; use openslo/v1`));
      continue;
    }
    if (doc.kind === 'SLO') sloObjects.push(object);
    else if (doc.kind === 'SLI') sliObjects.push(object);
    else if (OTHER_V1_KINDS.has(doc.kind)) {
      if (doc.kind === 'DataSource' && typeof doc.metadata?.name === 'string' && typeof doc.spec?.type === 'string') {
        dataSourceTypes.set(doc.metadata.name, doc.spec.type);
      }
    } else {
      warnings.push(warn(object.label, `kind "${doc.kind ?? ''}" is not an OpenSLO v1 kind`));
    }
  }

  // SLIs first: an SLO may name one that comes later in the location.
  const indicators = new Map<string, SliDefinition>();
  for (const { label: sliLabel, doc } of sliObjects) {
    const problem: FieldProblem = (field, reason) => warnings.push(warn(sliLabel, `${field} ${reason}`));
    const name = doc.metadata?.name;
    if (typeof name !== 'string' || !name) {
      problem('metadata.name', 'is missing');
      continue;
    }
    if (indicators.has(name)) {
      problem('metadata.name', `"${name}" is used by an earlier SLI of ${label}; SLI names must be unique`);
      continue;
    }
    indicators.set(name, parseSliSpec(name, doc.spec, 'spec', problem, dataSourceTypes));
  }

  /** The SLI an SLO or objective names, inline or by ref; warns when a ref finds none. */
  const indicatorOf = (holder: Record<string, any>, field: string, problem: FieldProblem) => {
    const { indicator, indicatorRef } = holder;
    if (isGiven(indicator) && isGiven(indicatorRef)) {
      problem(field, 'has both indicator and indicatorRef; give one (the inline indicator is read)');
    }
    if (isGiven(indicator)) {
      if (!isObject(indicator)) {
        problem(`${field}.indicator`, 'must be an SLI with metadata and spec');
        return undefined;
      }
      const name = typeof indicator.metadata?.name === 'string' && indicator.metadata.name ? indicator.metadata.name : undefined;
      if (!name) problem(`${field}.indicator.metadata.name`, 'is missing');
      // An inline indicator that only names its SLI is fed by sli events; nothing to check.
      if (indicator.spec === undefined) return { name };
      return parseSliSpec(name, indicator.spec, `${field}.indicator.spec`, problem, dataSourceTypes);
    }
    if (isGiven(indicatorRef)) {
      if (typeof indicatorRef !== 'string' || !indicatorRef) {
        problem(`${field}.indicatorRef`, 'must be the name of an SLI');
        return undefined;
      }
      const sli = indicators.get(indicatorRef);
      if (!sli) {
        problem(`${field}.indicatorRef`, `"${indicatorRef}" names no SLI in ${label}; the SLO is computed from its sli events`);
      }
      return sli ?? { name: indicatorRef };
    }
    return undefined;
  };

  const names = new Set<string>();
  for (const { label: sloLabel, doc } of sloObjects) {
    const problem: FieldProblem = (field, reason) => warnings.push(warn(sloLabel, `${field} ${reason}`));
    const spec = isObject(doc.spec) ? doc.spec : {};
    const name = doc.metadata?.name;
    if (!name || typeof name !== 'string') {
      problem('metadata.name', 'is missing');
      continue;
    }
    if (names.has(name)) {
      problem('metadata.name', `"${name}" is used by an earlier SLO of ${label}; SLO names must be unique`);
      continue;
    }
    if (slos.length >= MAX_SLOS_PER_LOCATION) {
      warnings.push(warn(sloLabel, `is left out: at most ${MAX_SLOS_PER_LOCATION} SLOs are read from one slo-ref`));
      continue;
    }
    const method = spec.budgetingMethod;
    if (!BUDGETING_METHODS.includes(method)) {
      problem(
        'spec.budgetingMethod',
        method ? `"${method}" is not supported; use Occurrences, Timeslices or RatioTimeslices` : 'is missing',
      );
      continue;
    }
    const timeWindow = readTimeWindow(spec.timeWindow, problem);
    if (!timeWindow) continue;
    if (!Array.isArray(spec.objectives) || !spec.objectives.length) {
      problem('spec.objectives', 'is missing');
      continue;
    }
    // A composite SLO names its indicators per objective instead (OpenSLO v1).
    const composite = !hasIndicator(spec);
    if (composite && !spec.objectives.some(hasIndicator)) {
      problem('spec.indicator', 'is missing (give an inline indicator or an indicatorRef, or one per objective)');
      continue;
    }
    const sli = composite ? undefined : indicatorOf(spec, 'spec', problem);
    if (spec.objectives.length > MAX_OBJECTIVES_PER_SLO) {
      problem('spec.objectives', `has ${spec.objectives.length} entries; only the first ${MAX_OBJECTIVES_PER_SLO} are read`);
    }
    const objectives: SloObjective[] = [];
    spec.objectives.slice(0, MAX_OBJECTIVES_PER_SLO).forEach((o: unknown, i: number) => {
      const field = `spec.objectives[${i}]`;
      if (!isObject(o)) {
        problem(field, 'must be an object with a target');
        return;
      }
      if (composite && !hasIndicator(o)) {
        problem(`${field}.indicator`, 'is missing: each objective of a composite SLO gives an indicator or indicatorRef');
        return;
      }
      if (!composite && hasIndicator(o)) {
        problem(field, 'names an indicator, which only a composite SLO (no spec.indicator or spec.indicatorRef) reads; the SLO\'s own is used');
      }
      const objective = readObjective(o, field, method, problem);
      if (!objective) return;
      if (composite && isGiven(o.compositeWeight) && !(typeof o.compositeWeight === 'number' && o.compositeWeight > 0)) {
        problem(`${field}.compositeWeight`, 'must be a number above 0 (default 1)');
      }
      const own = composite ? indicatorOf(o, field, problem) : undefined;
      objectives.push(own ? { ...objective, sli: own } : objective);
    });
    if (!objectives.length) continue;
    names.add(name);
    slos.push({
      name,
      displayName: typeof doc.metadata?.displayName === 'string' ? doc.metadata.displayName : undefined,
      description: typeof spec.description === 'string' ? spec.description : undefined,
      budgetingMethod: method,
      timeWindow,
      objectives,
      indicator: sli?.name,
      ...(sli ? { sli } : {}),
      source,
    });
  }
  if (!sloObjects.length && sliObjects.length) {
    const sliNames = [...indicators.keys()];
    warnings.push(
      warn(
        label,
        `holds only SLIs${sliNames.length ? ` (${sliNames.slice(0, 10).join(', ')})` : ''}, no SLO; ` +
          'add an SLO (kind: SLO) that names one in spec.indicatorRef to see its budget',
      ),
    );
  }
  if (warnings.length > MAX_WARNINGS_PER_LOCATION) {
    const more = warnings.length - MAX_WARNINGS_PER_LOCATION;
    warnings.splice(MAX_WARNINGS_PER_LOCATION, more, warn(label, `has ${more} more problems`));
  }
  return { slos, warnings };
}

function readTimeWindow(value: unknown, problem: FieldProblem): SloTimeWindow | undefined {
  if (value === undefined || value === null) return DEFAULT_TIME_WINDOW;
  if (Array.isArray(value) && value.length > 1) {
    problem('spec.timeWindow', `has ${value.length} entries; OpenSLO allows exactly one`);
    return undefined;
  }
  const window = Array.isArray(value) ? value[0] : value;
  if (!isObject(window)) {
    problem('spec.timeWindow[0]', 'must be an object with a duration');
    return undefined;
  }
  if (isGiven(window.isRolling) && typeof window.isRolling !== 'boolean') {
    problem('spec.timeWindow[0].isRolling', 'must be true or false');
    return undefined;
  }
  if (isGiven(window.calendar) && !isObject(window.calendar)) {
    problem('spec.timeWindow[0].calendar', 'must be an object with startTime and timeZone');
    return undefined;
  }
  const hasCalendar = isObject(window.calendar);
  // "isRolling: if omitted assumed false if calendar is present" (OpenSLO v1).
  const isRolling = window.isRolling ?? !hasCalendar;
  if (!isRolling && !hasCalendar) {
    problem('spec.timeWindow[0].calendar', 'is required when isRolling is false');
    return undefined;
  }
  if (isRolling && hasCalendar) {
    // Still a usable window: the calendar is what is left out.
    problem('spec.timeWindow[0].calendar', 'cannot be used with isRolling: true; the window rolls (set isRolling: false for a calendar window)');
  }
  const timeWindow: SloTimeWindow = {
    duration: window.duration,
    isRolling,
    ...(isRolling ? {} : { calendar: window.calendar }),
  };
  const windowProblem = timeWindowProblem(timeWindow);
  if (windowProblem) {
    problem(`spec.timeWindow[0].${windowProblem.field}`, windowProblem.reason);
    return undefined;
  }
  return timeWindow;
}

function readObjective(
  o: Record<string, any>,
  field: string,
  method: SloDefinition['budgetingMethod'],
  problem: FieldProblem,
): SloObjective | undefined {
  const target = readTarget(o, field, problem);
  if (target === undefined) return undefined;
  // op and value compare a thresholdMetric's values; the figures come from good and total, so a bad one only warns.
  if (isGiven(o.op) && !(typeof o.op === 'string' && THRESHOLD_OPERATORS.includes(o.op))) {
    problem(`${field}.op`, `${JSON.stringify(o.op)} is not one of ${THRESHOLD_OPERATORS.join(', ')}`);
  }
  if (isGiven(o.value) && (typeof o.value !== 'number' || !Number.isFinite(o.value))) {
    problem(`${field}.value`, 'must be a number');
  }
  const sliced = method !== 'Occurrences';
  if (method === 'Timeslices' && (typeof o.timeSliceTarget !== 'number' || !(o.timeSliceTarget > 0 && o.timeSliceTarget <= 1))) {
    problem(`${field}.timeSliceTarget`, 'is required for Timeslices: a number above 0 and at most 1, e.g. 0.95');
    return undefined;
  }
  let timeSliceWindow: TimeSliceWindow | undefined;
  if (sliced && o.timeSliceWindow !== undefined && o.timeSliceWindow !== null) {
    try {
      timeSliceWindow = parseTimeSliceWindow(o.timeSliceWindow);
    } catch (e) {
      problem(`${field}.timeSliceWindow`, `${(e as Error).message}; each sli event is a slice meanwhile`);
    }
  }
  const percent = Math.round(target * 1e6) / 1e4;
  return {
    displayName: typeof o.displayName === 'string' && o.displayName ? o.displayName : `${percent} %`,
    target,
    ...(method === 'Timeslices' ? { timeSliceTarget: o.timeSliceTarget } : {}),
    ...(timeSliceWindow ? { timeSliceWindow } : {}),
  };
}
