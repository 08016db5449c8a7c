import { Config } from '@backstage/config';
import { Duration } from 'luxon';

/** One entry of `devopsPersonas.sources.prometheus`. */
export interface PrometheusSourceConfig {
  name: string;
  /** The API root, without a trailing slash. */
  baseUrl: string;
  /** Where people open Prometheus, without a trailing slash. */
  externalUrl?: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** The entry an SLI without a `metricSourceRef` is read from. */
export const DEFAULT_PROMETHEUS_SOURCE = 'default';
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 5 * 60_000;

function invalid(key: string, reason: string): Error {
  return new Error(`Invalid config at ${key}: ${reason}`);
}

function readUrl(value: string, key: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(key, `"${value}" is not a URL like http://prometheus:9090`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(key, `"${value}" must be an http or https URL`);
  }
  if (url.username || url.password) {
    // fetch refuses them, and its error would show them in warnings.
    throw invalid(key, 'must not hold a user name or password; send credentials in headers (e.g. Authorization)');
  }
  return url.toString().replace(/\/+$/, '');
}

/** `10s`, `500ms`, `1m` or an ISO 8601 duration such as `PT30S`. */
function readTimeout(value: string, key: string): number {
  const short = /^(\d+)(ms|s|m)$/.exec(value.trim());
  const ms = short
    ? Number(short[1]) * { ms: 1, s: 1000, m: 60_000 }[short[2] as 'ms' | 's' | 'm']
    : Duration.fromISO(value.trim().toUpperCase()).toMillis();
  if (!Number.isFinite(ms) || ms <= 0 || ms > MAX_TIMEOUT_MS) {
    throw invalid(key, `"${value}" must be a duration from 1ms to 5m, like 10s or PT30S`);
  }
  return ms;
}

/** Reads every configured Prometheus; throws naming the key at fault. */
export function readPrometheusSources(config: Config): Map<string, PrometheusSourceConfig> {
  const sources = new Map<string, PrometheusSourceConfig>();
  const root = config.getOptionalConfig('devopsPersonas.sources.prometheus');
  for (const name of root?.keys() ?? []) {
    const key = `devopsPersonas.sources.prometheus.${name}`;
    const entry = root!.getConfig(name);
    const headersConfig = entry.getOptionalConfig('headers');
    const headers: Record<string, string> = {};
    for (const header of headersConfig?.keys() ?? []) headers[header] = headersConfig!.getString(header);
    const externalUrl = entry.getOptionalString('externalUrl');
    const timeout = entry.getOptionalString('timeout');
    sources.set(name, {
      name,
      baseUrl: readUrl(entry.getString('baseUrl'), `${key}.baseUrl`),
      ...(externalUrl ? { externalUrl: readUrl(externalUrl, `${key}.externalUrl`) } : {}),
      headers,
      timeoutMs: timeout === undefined ? DEFAULT_TIMEOUT_MS : readTimeout(timeout, `${key}.timeout`),
    });
  }
  return sources;
}
