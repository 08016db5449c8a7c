/** The `{{.window}}` placeholder of Sloth-style queries (spaces inside the braces allowed). */
const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/;
const EVERY_WINDOW_PLACEHOLDER = new RegExp(WINDOW_PLACEHOLDER.source, 'g');
// A metric name with optional label matchers, or label matchers alone; the
// query is trimmed first, so no two whitespace runs compete (no backtracking).
const SELECTOR = /^(?:[a-zA-Z_:][a-zA-Z0-9_:]*(?:\s*\{[^{}]*\})?|\{[^{}]*\})$/;
/** The longest query read from an SLI; longer ones are a document problem. */
export const MAX_QUERY_LENGTH = 4096;

/** A window length as Prometheus writes durations: whole seconds, else milliseconds. */
export function promDuration(ms: number): string {
  const whole = Math.round(ms);
  return whole % 1000 === 0 ? `${whole / 1000}s` : `${whole}ms`;
}

/** Whether a query uses `{{.window}}` (then the window goes into it, Sloth style). */
export function hasWindowPlaceholder(query: string): boolean {
  return WINDOW_PLACEHOLDER.test(query);
}

/** What a query's values are, per OpenSLO's `ratioMetric`. */
export type QueryKind = 'counter' | 'gauge' | 'ratio';

/**
 * The PromQL that answers one number for a window of `windowMs` ending at
 * the evaluation time (SPEC §5):
 * - `{{.window}}` in the query: the window is put in, and the series are
 *   added up (`avg` for a ratio);
 * - a counter: `sum(increase(<query>[W]))`;
 * - a gauge (`counter: false`): its values over the window added up,
 *   `sum(sum_over_time(<query>[W]))`;
 * - a precomputed ratio (`raw`): its mean over the window.
 * An expression that is not a plain selector is read over the window as a
 * subquery (`(<query>)[W:]`).
 */
export function windowQuery(query: string, kind: QueryKind, windowMs: number): string {
  const window = promDuration(windowMs);
  const outer = kind === 'ratio' ? 'avg' : 'sum';
  if (hasWindowPlaceholder(query)) return `${outer}(${query.replace(EVERY_WINDOW_PLACEHOLDER, window)})`;
  const trimmed = query.trim();
  const range = SELECTOR.test(trimmed) ? `${trimmed}[${window}]` : `(${trimmed})[${window}:]`;
  const overTime = { counter: 'increase', gauge: 'sum_over_time', ratio: 'avg_over_time' }[kind];
  return `${outer}(${overTime}(${range}))`;
}

/** The Prometheus graph page of a query, for people to look at. */
export function graphUrl(externalUrl: string, query: string): string {
  return `${externalUrl}/graph?${new URLSearchParams({ 'g0.expr': query, 'g0.tab': '0' }).toString()}`;
}
