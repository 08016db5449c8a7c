import {
  SloBudgetingMethod,
  SloDataSource,
  SloPrometheusQuery,
  SloResult,
} from '@devops-personas/plugin-devops-personas-common';
import { plural } from '../shared/plural';

const BUDGETING_METHODS: Record<SloBudgetingMethod, string> = {
  Occurrences: 'Occurrences',
  Timeslices: 'Timeslices',
  RatioTimeslices: 'Ratio timeslices',
};

/** "Occurrences", "Timeslices", "Ratio timeslices". */
export function budgetingMethodInWords(method: SloBudgetingMethod): string {
  return BUDGETING_METHODS[method] ?? method;
}

const SLICE_UNITS: Record<string, string> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
};

/**
 * "1-minute slices", "5-minute slices"; "slices of 1h30m" for a length
 * written some other way (shown as the document gives it).
 */
export function sliceLengthInWords(timeSliceWindow: string): string {
  const match = /^(\d+)([smhdw])$/.exec(timeSliceWindow.trim());
  if (!match) return `slices of ${timeSliceWindow}`;
  return `${Number(match[1])}-${SLICE_UNITS[match[2]]} slices`;
}

/**
 * The slice length that every objective of the SLO shares, or undefined when
 * there is none (Occurrences, or each `sli` event is a slice) or when the
 * objectives differ (each objective then says its own).
 */
export function sharedTimeSliceWindow(slo: SloResult): string | undefined {
  const windows = new Set(
    slo.objectives
      .map(objective => objective.timeSliceWindow)
      .filter((window): window is string => window !== undefined),
  );
  return windows.size === 1 ? [...windows][0] : undefined;
}

/**
 * What the SLO's `sampleSize` counts, in words: pushed `sli` events, slices
 * with data (Prometheus, Timeslices and RatioTimeslices) or the events the
 * total query counted (Prometheus, Occurrences); nothing for a precomputed
 * ratio read as Occurrences.
 */
export function sampleSizeInWords(slo: SloResult): string | undefined {
  const count = Math.round(slo.sampleSize);
  if (slo.dataSource.type === 'events') {
    return plural(count, 'sli event');
  }
  if (slo.budgetingMethod === 'Occurrences') {
    // A precomputed ratio counts no events: nothing to say.
    if (slo.dataSource.rawType) return undefined;
    return plural(count, 'event counted', 'events counted');
  }
  return plural(count, 'slice with data', 'slices with data');
}

type PrometheusSource = Extract<SloDataSource, { type: 'prometheus' }>;

/**
 * How a query's result is read: "counter" (its increase over each window),
 * "gauge (summed)", or for a raw ratio "ratio of successes" / "ratio of
 * failures".
 */
export function queryKindInWords(
  source: PrometheusSource,
  query: SloPrometheusQuery,
): string {
  if (query.role === 'raw' && source.rawType) {
    return source.rawType === 'success'
      ? 'ratio of successes'
      : 'ratio of failures';
  }
  return source.counter ? 'counter' : 'gauge (summed)';
}

/** The configured Prometheus entries the queries go to, each once, in order. */
export function prometheusEntries(source: PrometheusSource): string[] {
  return [...new Set(source.queries.map(query => query.source))];
}
