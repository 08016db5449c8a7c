import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DEVOPS_PERSONAS_PLUGIN_ID,
  EntityKpisResponse,
  EntityPersonasResponse,
  EntityRaciResponse,
  EntitySlosResponse,
  HolderHatsResponse,
  KpiEventsResponse,
  OverviewResponse,
  ReviewAgendaResponse,
  SourcesResponse,
} from '@devops-personas/plugin-devops-personas-common';
import {
  DevopsPersonasApi,
  EntityRefInput,
  KpiQuery,
  OverviewQuery,
} from './DevopsPersonasApi';

/**
 * The default {@link DevopsPersonasApi}: discovery for the base URL, the
 * app's fetch (with the user's token), Backstage error bodies as errors.
 *
 * @public
 */
export class DevopsPersonasClient implements DevopsPersonasApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  private async get<T>(
    path: string,
    query: Record<string, string | number | undefined> = {},
  ): Promise<T> {
    const base = await this.discoveryApi.getBaseUrl(DEVOPS_PERSONAS_PLUGIN_ID);
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    const search = params.toString();
    const res = await this.fetchApi.fetch(
      `${base}/v1/${path}${search ? `?${search}` : ''}`,
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.json();
  }

  /** `kind/namespace/name`, each segment lower-cased and URL-encoded. */
  private static entityPath(entityRef: EntityRefInput): string {
    const ref =
      typeof entityRef === 'string' ? parseEntityRef(entityRef) : entityRef;
    return [ref.kind, ref.namespace ?? 'default', ref.name]
      .map(segment => encodeURIComponent(segment.toLocaleLowerCase('en-US')))
      .join('/');
  }

  getPersonas(entityRef: EntityRefInput) {
    return this.get<EntityPersonasResponse>(
      `entities/${DevopsPersonasClient.entityPath(entityRef)}/personas`,
    );
  }

  getRaci(entityRef: EntityRefInput) {
    return this.get<EntityRaciResponse>(
      `entities/${DevopsPersonasClient.entityPath(entityRef)}/raci`,
    );
  }

  getKpis(entityRef: EntityRefInput, query: KpiQuery = {}) {
    return this.get<EntityKpisResponse>(
      `entities/${DevopsPersonasClient.entityPath(entityRef)}/kpis`,
      { ...query },
    );
  }

  getKpiEvents(entityRef: EntityRefInput, kpiId: string, query: KpiQuery = {}) {
    return this.get<KpiEventsResponse>(
      `entities/${DevopsPersonasClient.entityPath(
        entityRef,
      )}/kpis/${encodeURIComponent(kpiId)}/events`,
      { window: query.window, until: query.until, rollup: query.rollup },
    );
  }

  getSlos(
    entityRef: EntityRefInput,
    query: { until?: string; rollup?: 'owned' | 'personas' } = {},
  ) {
    return this.get<EntitySlosResponse>(
      `entities/${DevopsPersonasClient.entityPath(entityRef)}/slos`,
      { ...query },
    );
  }

  getHolder(holderRef: EntityRefInput) {
    return this.get<HolderHatsResponse>(
      `holders/${DevopsPersonasClient.entityPath(holderRef)}`,
    );
  }

  getOverview(query: OverviewQuery = {}) {
    return this.get<OverviewResponse>('overview', { ...query });
  }

  getSources() {
    return this.get<SourcesResponse>('sources');
  }

  getReview(entityRef: EntityRefInput, query: { until?: string } = {}) {
    return this.get<ReviewAgendaResponse>(
      `review/${DevopsPersonasClient.entityPath(entityRef)}`,
      { until: query.until },
    );
  }
}
