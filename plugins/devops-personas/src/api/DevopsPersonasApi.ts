import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  EntityKpisResponse,
  EntityPersonasResponse,
  EntityRaciResponse,
  EntitySlosResponse,
  HolderHatsResponse,
  KpiEventsResponse,
  OverviewResponse,
} from '@internal/plugin-devops-personas-common';

/**
 * Query of the KPI endpoints.
 *
 * @public
 */
export interface KpiQuery {
  /** `7d`, `30d`, `90d` or an ISO 8601 duration. */
  window?: string;
  bucket?: 'week' | 'month';
  /** ISO 8601 end of the window; default now. */
  until?: string;
}

/**
 * Filters, sort and page of the org overview.
 *
 * @public
 */
export interface OverviewQuery {
  kind?: string;
  owner?: string;
  system?: string;
  sort?: 'entity' | 'coverage' | 'warnings' | 'kind';
  order?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
}

/**
 * Client of the DevOps Personas backend (`/api/devops-personas`).
 *
 * @public
 */
export interface DevopsPersonasApi {
  getPersonas(entityRef: CompoundEntityRef): Promise<EntityPersonasResponse>;
  getRaci(entityRef: CompoundEntityRef): Promise<EntityRaciResponse>;
  getKpis(entityRef: CompoundEntityRef, query?: KpiQuery): Promise<EntityKpisResponse>;
  getKpiEvents(
    entityRef: CompoundEntityRef,
    kpiId: string,
    query?: KpiQuery,
  ): Promise<KpiEventsResponse>;
  getSlos(entityRef: CompoundEntityRef, query?: { until?: string }): Promise<EntitySlosResponse>;
  getHolder(holderRef: CompoundEntityRef): Promise<HolderHatsResponse>;
  getOverview(query?: OverviewQuery): Promise<OverviewResponse>;
}

/**
 * Reference to the {@link DevopsPersonasApi}.
 *
 * @public
 */
export const devopsPersonasApiRef = createApiRef<DevopsPersonasApi>({
  id: 'plugin.devops-personas.service',
});
