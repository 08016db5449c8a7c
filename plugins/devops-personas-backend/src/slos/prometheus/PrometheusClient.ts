import { PrometheusSourceConfig } from './prometheusConfig';

/** Why Prometheus gave no answer: its own error text, or what went wrong on the way. */
export class PrometheusQueryError extends Error {}

/** A point of a range query: its time and value. */
export interface PrometheusPoint {
  atMs: number;
  value: number;
}

// Queries to one Prometheus at a time; more wait their turn, so a rollup of
// many SLOs never floods it.
const MAX_CONCURRENT_QUERIES = 6;
// A summed query answers one series; far more than that is not an answer we asked for.
const MAX_RESPONSE_CHARS = 32 * 1024 * 1024;

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * A small client for the Prometheus HTTP API (`/api/v1/query` and
 * `/api/v1/query_range`), with the configured headers, a timeout on every
 * request and a bound on concurrent requests. Only configured URLs are
 * called; nothing in an SLO document can change them.
 */
export class PrometheusClient {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly source: PrometheusSourceConfig,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** The value of a query that answers one number (a one-series vector or a scalar) at `atMs`; null when empty. */
  async instant(query: string, atMs: number): Promise<number | null> {
    const data = await this.request('query', { query, time: seconds(atMs) });
    if (data.resultType === 'scalar') return readValue(data.result?.[1]);
    if (data.resultType !== 'vector' || !Array.isArray(data.result)) {
      throw new PrometheusQueryError(`answered a ${data.resultType ?? 'malformed'} result; expected a vector`);
    }
    if (data.result.length > 1) {
      throw new PrometheusQueryError(`answered ${data.result.length} series; the query must add up to one`);
    }
    return data.result.length ? readValue(data.result[0]?.value?.[1]) : null;
  }

  /** The points of a one-series query from `startMs` to `endMs` every `stepMs`. */
  async range(query: string, startMs: number, endMs: number, stepMs: number): Promise<PrometheusPoint[]> {
    const data = await this.request('query_range', {
      query,
      start: seconds(startMs),
      end: seconds(endMs),
      step: seconds(stepMs),
    });
    if (data.resultType !== 'matrix' || !Array.isArray(data.result)) {
      throw new PrometheusQueryError(`answered a ${data.resultType ?? 'malformed'} result; expected a matrix`);
    }
    if (data.result.length > 1) {
      throw new PrometheusQueryError(`answered ${data.result.length} series; the query must add up to one`);
    }
    const points: PrometheusPoint[] = [];
    for (const [at, raw] of data.result[0]?.values ?? []) {
      const value = readValue(raw);
      if (value !== null) points.push({ atMs: Math.round(Number(at) * 1000), value });
    }
    return points;
  }

  private async request(path: string, params: Record<string, string>): Promise<any> {
    await this.acquire();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.source.timeoutMs);
    try {
      let response: Response;
      try {
        response = await this.fetchImpl(`${this.source.baseUrl}/api/v1/${path}`, {
          method: 'POST',
          headers: { ...this.source.headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams(params).toString(),
          signal: controller.signal,
          redirect: 'error',
        });
      } catch (e) {
        if (controller.signal.aborted) {
          throw new PrometheusQueryError(`did not answer within ${this.source.timeoutMs / 1000} s`);
        }
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        throw new PrometheusQueryError(`cannot be reached at ${this.source.baseUrl} (${cause?.code ?? cause?.message ?? (e as Error).message})`);
      }
      const text = await response.text();
      if (text.length > MAX_RESPONSE_CHARS) throw new PrometheusQueryError('answered more than 32 MB');
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        throw new PrometheusQueryError(`answered HTTP ${response.status} that is not the Prometheus API: ${text.slice(0, 200)}`);
      }
      if (body?.status !== 'success') {
        throw new PrometheusQueryError(
          `answered HTTP ${response.status}: ${body?.errorType ? `${body.errorType}: ` : ''}${String(body?.error ?? 'no error text')}`,
        );
      }
      return body.data ?? {};
    } catch (e) {
      if (e instanceof PrometheusQueryError) throw e;
      if (controller.signal.aborted) throw new PrometheusQueryError(`did not answer within ${this.source.timeoutMs / 1000} s`);
      throw new PrometheusQueryError((e as Error).message);
    } finally {
      clearTimeout(timer);
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < MAX_CONCURRENT_QUERIES) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise(resolve => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

function readValue(raw: unknown): number | null {
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}
