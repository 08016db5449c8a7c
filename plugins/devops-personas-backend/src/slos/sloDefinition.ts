import { SloBudgetingMethod } from '@devops-personas/plugin-devops-personas-common';
import { SloTimeWindow } from './sloWindow';

/** The parts of an OpenSLO `ratioMetric`. */
export type RatioPart = 'good' | 'bad' | 'total' | 'raw';

/** An OpenSLO `metricSource`, reduced to what the plugin reads. */
export interface MetricSourceDefinition {
  /** `metricSource.type`, or the type of the DataSource document `metricSourceRef` names. */
  type?: string;
  /** `metricSource.metricSourceRef`. */
  sourceRef?: string;
  /** `metricSource.spec.query`, when it is a string. */
  query?: string;
}

/** An OpenSLO `ratioMetric`. */
export interface RatioMetricDefinition {
  /** Whether the queries are monotonically increasing counters (default true). */
  counter: boolean;
  /** good or bad, and total; or raw alone. */
  parts: Partial<Record<RatioPart, MetricSourceDefinition>>;
  /** With `raw`: whether the ratio is of successes or of failures. */
  rawType?: 'success' | 'failure';
}

/** An OpenSLO SLI (inline or a document of its own), reduced to what the plugin reads. */
export interface SliDefinition {
  name?: string;
  ratio?: RatioMetricDefinition;
  threshold?: MetricSourceDefinition;
}

/** A `timeSliceWindow`: as written, and its length. */
export interface TimeSliceWindow {
  text: string;
  ms: number;
}

/** One objective of an SLO. */
export interface SloObjective {
  displayName: string;
  target: number;
  /** Timeslices: a slice is good when good / total ≥ this. */
  timeSliceTarget?: number;
  /** Timeslices and RatioTimeslices: slices of this length aligned to the Unix epoch. */
  timeSliceWindow?: TimeSliceWindow;
  /** A composite SLO's own indicator for this objective. */
  sli?: SliDefinition;
}

/** An OpenSLO v1 SLO, reduced to what the computations need. */
export interface SloDefinition {
  name: string;
  displayName?: string;
  description?: string;
  budgetingMethod: SloBudgetingMethod;
  timeWindow: SloTimeWindow;
  objectives: SloObjective[];
  /** The SLI's name (inline or by `indicatorRef`). */
  indicator?: string;
  /** The SLI, when it is inline or found among the location's documents. */
  sli?: SliDefinition;
  /** Where it was read from. */
  source: string;
}
