import { describeWhenInstalled } from './strictTests';

/** A series as `toOpenMetrics` takes it: samples are `[timeMs, value]`. */
export interface PrometheusSeries {
  name: string;
  labels: Record<string, string>;
  samples: Array<[number, number]>;
}

export interface RunningPrometheus {
  baseUrl: string;
  port: number;
  stop(): Promise<void>;
  logTail(): string;
}

interface PrometheusServer {
  startPrometheus(options: {
    openMetrics?: string;
  }): Promise<RunningPrometheus>;
  toOpenMetrics(series: PrometheusSeries[]): string;
  prometheusBinary(): string | null;
  promtoolBinary(): string | null;
  PROMETHEUS_INSTALL_HINT: string;
}

// The launcher is plain CommonJS, shared with the repository's scripts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server: PrometheusServer = require('./prometheusServer');

/** A throw-away Prometheus (prometheusServer.js), with history backfilled through promtool. */
export const startPrometheus = server.startPrometheus;
/** OpenMetrics text for the backfill. */
export const toOpenMetrics = server.toOpenMetrics;

/**
 * `describe` for a suite that needs a real Prometheus and promtool (Debian
 * package `prometheus`): skipped without them, an error without them when the
 * tests are strict (see strictTests.ts).
 */
export function describeWithPrometheus(): jest.Describe {
  const installed = server.prometheusBinary() && server.promtoolBinary();
  return describeWhenInstalled(
    installed ? null : server.PROMETHEUS_INSTALL_HINT,
  );
}
