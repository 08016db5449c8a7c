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
// Queries waiting their turn; beyond that Prometheus is busy, and saying so
// beats holding memory and requests for minutes.
const MAX_WAITING_QUERIES = 500;
// A summed query answers one series; far more than that is not an answer we asked for.
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
// Prometheus's own error text is shown in warnings: enough to act on, no more.
const MAX_ERROR_CHARS = 500;

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
    const controller = new AbortController();
    // The timeout covers the wait for a turn too: no view waits longer than it.
    const timer = setTimeout(() => controller.abort(), this.source.timeoutMs);
    const timedOut = () => new PrometheusQueryError(`did not answer within ${this.source.timeoutMs / 1000} s`);
    let acquired = false;
    try {
      await this.acquire(controller.signal);
      acquired = true;
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
        if (controller.signal.aborted) throw timedOut();
        const cause = (e as { cause?: { code?: string } }).cause;
        // The base URL stays out of the message: viewers see it in a warning.
        throw new PrometheusQueryError(`cannot be reached (${cause?.code ?? (e as Error).name})`);
      }
      const text = await readBounded(response, MAX_RESPONSE_BYTES);
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        throw new PrometheusQueryError(`answered HTTP ${response.status}, not the Prometheus API: ${clip(text)}`);
      }
      if (body?.status !== 'success') {
        throw new PrometheusQueryError(
          `answered HTTP ${response.status}: ${clip(`${body?.errorType ? `${body.errorType}: ` : ''}${String(body?.error ?? 'no error text')}`)}`,
        );
      }
      return body.data ?? {};
    } catch (e) {
      if (e instanceof PrometheusQueryError) throw e;
      if (controller.signal.aborted) throw timedOut();
      throw new PrometheusQueryError(clip((e as Error).message));
    } finally {
      clearTimeout(timer);
      if (acquired) this.release();
    }
  }

  /** Waits for a turn; gives up when `signal` aborts or too many already wait. */
  private acquire(signal: AbortSignal): Promise<void> {
    if (this.running < MAX_CONCURRENT_QUERIES) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= MAX_WAITING_QUERIES) {
      return Promise.reject(new PrometheusQueryError(`is busy: ${MAX_WAITING_QUERIES} queries are waiting already`));
    }
    return new Promise((resolve, reject) => {
      const waiter = { turn: () => {}, giveUp: () => {} };
      waiter.giveUp = () => {
        const at = this.waiting.indexOf(waiter.turn);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(new PrometheusQueryError(`did not answer within ${this.source.timeoutMs / 1000} s (waiting for a turn)`));
      };
      waiter.turn = () => {
        signal.removeEventListener('abort', waiter.giveUp);
        resolve();
      };
      signal.addEventListener('abort', waiter.giveUp, { once: true });
      this.waiting.push(waiter.turn);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

function clip(text: string): string {
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}

/** The body as text, refusing (and cancelling) it once it is longer than `limit` bytes. */
async function readBounded(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new PrometheusQueryError(`answered more than ${limit / 1024 / 1024} MB; a query must add up to one series`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readValue(raw: unknown): number | null {
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}
