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
  ReviewAgendaResponse,
  SourcesResponse,
} from '@devops-personas/plugin-devops-personas-common';

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
  /**
   * For a Group: roll up its owned Components (`owned`, the default) or the
   * entities where the Group holds a persona (`personas`).
   */
  rollup?: 'owned' | 'personas';
}

/**
 * Columns the org overview sorts by.
 *
 * @public
 */
export type OverviewSort =
  | 'entity'
  | 'title'
  | 'kind'
  | 'owner'
  | 'coverage'
  | 'gaps'
  | 'warnings';

/**
 * Filters, sort and page of the org overview.
 *
 * @public
 */
export interface OverviewQuery {
  /** Comma-separated kinds, e.g. `component,system`. */
  kind?: string;
  /** An owner's ref, or part of its ref or display name (case-insensitive). */
  owner?: string;
  system?: string;
  /** Only the Components a System, Domain or Group rolls up (its full ref). */
  within?: string;
  /** Only entities with this gap. */
  gap?: 'ownerless-kpis' | 'missing-personas';
  sort?: OverviewSort;
  order?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
}

/**
 * An entity, as a compound ref (`{ kind, namespace, name }`, e.g. from
 * `getCompoundEntityRef(entity)`) or a full string ref
 * (`component:default/checkout`).
 *
 * @public
 */
export type EntityRefInput = CompoundEntityRef | string;

/**
 * Client of the DevOps Personas read API (`/api/devops-personas/v1`).
 *
 * One method per endpoint; each resolves to the answer's JSON and rejects
 * with a `ResponseError` (from `@backstage/errors`) carrying the backend's
 * message when the request fails, e.g. 404 for an entity not in the catalog.
 *
 * @public
 */
export interface DevopsPersonasApi {
  /** Personas of an entity: holders, provenance, canvas and warnings. */
  getPersonas(entityRef: EntityRefInput): Promise<EntityPersonasResponse>;
  /** The RACI scenarios of an entity resolved to holders. */
  getRaci(entityRef: EntityRefInput): Promise<EntityRaciResponse>;
  /** Every KPI of an entity over a window (a rollup for System, Domain and Group). */
  getKpis(
    entityRef: EntityRefInput,
    query?: KpiQuery,
  ): Promise<EntityKpisResponse>;
  /** The events behind one KPI value. */
  getKpiEvents(
    entityRef: EntityRefInput,
    kpiId: string,
    query?: KpiQuery,
  ): Promise<KpiEventsResponse>;
  /** SLOs of an entity with attainment, error budget and burn rates. */
  getSlos(
    entityRef: EntityRefInput,
    query?: { until?: string; rollup?: 'owned' | 'personas' },
  ): Promise<EntitySlosResponse>;
  /** Every hat a user or group wears. */
  getHolder(holderRef: EntityRefInput): Promise<HolderHatsResponse>;
  /** The org-wide overview of persona coverage and gaps. */
  getOverview(query?: OverviewQuery): Promise<OverviewResponse>;
  /**
   * The event sources installed in the backend (GitHub, PagerDuty, …): their
   * topics, the annotation that maps payloads to entities, what they
   * received, stored and dropped, their last error and ambiguous mappings.
   */
  getSources(): Promise<SourcesResponse>;
  /**
   * The weekly review's agenda of a System, Group or other entity: the KPIs
   * that got worse since the previous week, the SLOs spending their error
   * budget fastest, overdue critical vulnerabilities and postmortem actions
   * due or late, each with its owner and agreed response. `until` (ISO 8601)
   * ends the week under review; default now.
   */
  getReview(
    entityRef: EntityRefInput,
    query?: { until?: string },
  ): Promise<ReviewAgendaResponse>;
}

/**
 * Reference to the {@link DevopsPersonasApi}.
 *
 * @public
 */
export const devopsPersonasApiRef = createApiRef<DevopsPersonasApi>({
  id: 'plugin.devops-personas.service',
});
