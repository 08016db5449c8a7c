import { BackendFeature } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import type {
  KpiResult,
  SourceStatus,
} from '@devops-personas/plugin-devops-personas-common';
import { AddressInfo } from 'node:net';
import type { Knex } from 'knex';

/** An answer of the test backend: its status and parsed JSON body. */
export interface SourceTestResponse {
  status: number;
  body: any;
}

/**
 * A running backend with Backstage's events ingress, the DevOps Personas
 * backend and a source module, as {@link startSourceTestBackend} starts it.
 *
 * @public
 */
export interface SourceTestBackend {
  /** The backend's base URL, e.g. `http://127.0.0.1:40123`. */
  baseUrl: string;
  /**
   * Posts a webhook to `/api/events/http/<topic>` as the tool does: a
   * string body is sent as those exact bytes (what the tool signed).
   */
  deliver(
    topic: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<SourceTestResponse>;
  /** The source's entry of `GET /api/devops-personas/v1/sources`. */
  source(id: string): Promise<SourceStatus>;
  /** `GET …/entities/component/default/<name>/kpis?<query>`, by KPI id. */
  kpis(name: string, query: string): Promise<Record<string, KpiResult>>;
  /** Sends the same events through `POST /api/devops-personas/v1/events`. */
  ingest(events: object[]): Promise<void>;
  /** A read of the plugin's API (`path` below `/api/devops-personas/v1`) as a user. */
  get(path: string): Promise<SourceTestResponse>;
}

async function answer(res: Response): Promise<SourceTestResponse> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: the text itself
  }
  return { status: res.status, body };
}

/**
 * Starts a backend to test an event source through the real pipeline: the
 * events backend's HTTP ingress, the real events service (one process, no
 * event bus: the test backend's mock would give each plugin a bus of its
 * own), the given features (the DevOps Personas backend plugin, the source
 * module and any events modules it needs) and a catalog of `entities`.
 *
 * @example
 * ```ts
 * const backend = await startSourceTestBackend({
 *   features: [eventsPlugin, devopsPersonasPlugin, mySourceModule],
 *   topics: ['my-tool'],
 *   entities: [component],
 * });
 * expect((await backend.deliver('my-tool', payload)).status).toBe(202);
 * expect((await backend.source('my-tool')).counts.stored).toBe(1);
 * ```
 *
 * @public
 */
export async function startSourceTestBackend(options: {
  features: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
  /** The events topics the ingress serves (`events.http.topics`). */
  topics: string[];
  entities: Entity[];
  /** More config, merged over the events config. */
  config?: JsonObject;
  /** A database (from `TestDatabases`); else SQLite in memory. */
  knex?: Knex;
}): Promise<SourceTestBackend> {
  const config = options.config ?? {};
  const events = (config.events ?? {}) as JsonObject;
  const { server } = await startTestBackend({
    features: [
      ...options.features,
      eventsServiceFactory,
      catalogServiceMock.factory({ entities: options.entities }),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      mockServices.rootConfig.factory({
        data: {
          ...config,
          events: {
            ...events,
            http: { topics: options.topics },
            // One process: no event bus through the database.
            useEventBus: 'never',
          },
        },
      }),
    ],
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api = `${baseUrl}/api/devops-personas/v1`;
  const get = async (path: string) =>
    answer(
      await fetch(`${api}${path}`, {
        headers: { Authorization: mockCredentials.user.header() },
      }),
    );

  return {
    baseUrl,
    async deliver(topic, body, headers = {}) {
      const lower = Object.fromEntries(
        Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]),
      );
      return answer(
        await fetch(`${baseUrl}/api/events/http/${topic}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...lower },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      );
    },
    async source(id) {
      const res = await get('/sources');
      if (res.status !== 200)
        throw new Error(`GET /v1/sources answered ${res.status}`);
      const found = (res.body.sources as SourceStatus[]).find(s => s.id === id);
      if (!found) throw new Error(`GET /v1/sources lists no source ${id}`);
      return found;
    },
    async kpis(name, query) {
      const res = await get(
        `/entities/component/default/${name}/kpis?${query}`,
      );
      if (res.status !== 200)
        throw new Error(`GET kpis of ${name} answered ${res.status}`);
      return Object.fromEntries(
        (res.body.kpis as KpiResult[]).map(kpi => [kpi.id, kpi]),
      );
    },
    async ingest(sent) {
      const res = await fetch(`${api}/events`, {
        method: 'POST',
        headers: {
          Authorization: mockCredentials.service.header(),
          'content-type': 'application/json',
        },
        body: JSON.stringify({ events: sent }),
      });
      if (res.status !== 202)
        throw new Error(
          `POST /v1/events answered ${res.status}: ${await res.text()}`,
        );
    },
    get,
  };
}
