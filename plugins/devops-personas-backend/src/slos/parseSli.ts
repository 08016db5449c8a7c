import { MetricSourceDefinition, RatioPart, SliDefinition } from './sloDefinition';
import { isGiven, isObject } from './yamlValues';

/** Reports a problem with one field of the SLI being read. */
export type FieldProblem = (field: string, reason: string) => void;

function readMetricSource(
  holder: unknown,
  field: string,
  problem: FieldProblem,
  dataSourceTypes: ReadonlyMap<string, string>,
): MetricSourceDefinition | undefined {
  if (!isObject(holder) || !isObject(holder.metricSource)) {
    problem(`${field}.metricSource`, 'is missing');
    return undefined;
  }
  const source = holder.metricSource;
  // "The required spec key will be used to pass extraneous data to the data source" (OpenSLO v1).
  if (!isObject(source.spec) || !Object.keys(source.spec).length) {
    problem(`${field}.metricSource.spec`, 'is missing (the query, and whatever else the source needs)');
    return undefined;
  }
  const sourceRef = typeof source.metricSourceRef === 'string' && source.metricSourceRef ? source.metricSourceRef : undefined;
  // "type can be omitted because it is inferred from the DataSource" (OpenSLO v1).
  const inferred = sourceRef ? dataSourceTypes.get(sourceRef) : undefined;
  const type = typeof source.type === 'string' && source.type ? source.type : inferred;
  const query = typeof source.spec.query === 'string' ? source.spec.query : undefined;
  return { type, sourceRef, query };
}

/**
 * Reads the `spec` of an OpenSLO v1 SLI (a document of kind SLI, or an SLO's
 * inline `indicator`). Every rule of the v1 schema that the computations rely
 * on is checked; a broken rule is reported through `problem` and leaves the
 * metric out (the SLO is then fed by `sli` events alone).
 */
export function parseSliSpec(
  name: string | undefined,
  spec: unknown,
  field: string,
  problem: FieldProblem,
  dataSourceTypes: ReadonlyMap<string, string>,
): SliDefinition {
  const sli: SliDefinition = { name };
  if (!isObject(spec)) {
    problem(field, 'is missing (an SLI needs a ratioMetric or a thresholdMetric)');
    return sli;
  }
  const { ratioMetric, thresholdMetric } = spec;
  if (isGiven(ratioMetric) && isGiven(thresholdMetric)) {
    problem(field, 'has both ratioMetric and thresholdMetric; give one');
    return sli;
  }
  if (isGiven(thresholdMetric)) {
    const threshold = readMetricSource(thresholdMetric, `${field}.thresholdMetric`, problem, dataSourceTypes);
    return threshold ? { ...sli, threshold } : sli;
  }
  if (!isObject(ratioMetric)) {
    problem(field, isGiven(ratioMetric) ? 'ratioMetric must be an object' : 'needs a ratioMetric or a thresholdMetric');
    return sli;
  }
  const ratioField = `${field}.ratioMetric`;
  if (isGiven(ratioMetric.counter) && typeof ratioMetric.counter !== 'boolean') {
    problem(`${ratioField}.counter`, 'must be true or false');
    return sli;
  }
  const has = (part: RatioPart) => isGiven(ratioMetric[part]);
  if (has('raw')) {
    const mixed = (['good', 'bad', 'total'] as const).filter(has);
    if (mixed.length) {
      problem(`${ratioField}.raw`, `cannot be used together with ${mixed.join(' and ')}`);
      return sli;
    }
    if (ratioMetric.rawType !== 'success' && ratioMetric.rawType !== 'failure') {
      problem(`${ratioField}.rawType`, 'must be success or failure when raw is given');
      return sli;
    }
  } else {
    if (has('good') && has('bad')) {
      problem(ratioField, 'has both good and bad; give one of them with total');
      return sli;
    }
    if (!has('good') && !has('bad')) {
      problem(ratioField, 'needs good or bad, and total (or raw with rawType)');
      return sli;
    }
    if (!has('total')) {
      problem(`${ratioField}.total`, 'is missing');
      return sli;
    }
    if (isGiven(ratioMetric.rawType)) {
      problem(`${ratioField}.rawType`, 'is only used with raw');
      return sli;
    }
  }
  const parts: Partial<Record<RatioPart, MetricSourceDefinition>> = {};
  for (const part of ['good', 'bad', 'total', 'raw'] as const) {
    if (!has(part)) continue;
    const source = readMetricSource(ratioMetric[part], `${ratioField}.${part}`, problem, dataSourceTypes);
    if (!source) return sli;
    parts[part] = source;
  }
  return {
    ...sli,
    ratio: {
      counter: ratioMetric.counter !== false,
      parts,
      ...(has('raw') ? { rawType: ratioMetric.rawType } : {}),
    },
  };
}
