/**
 * Frontend of DevOps Personas: the Personas, RACI, KPIs and SLOs entity tabs,
 * the org overview page and the Hats card, for the legacy frontend system
 * (`/alpha` has the new frontend system plugin).
 *
 * @packageDocumentation
 */

export {
  devopsPersonasPlugin,
  isDevopsPersonasAvailable,
  EntityPersonasContent,
  EntityRaciContent,
  EntityKpisContent,
  EntitySlosContent,
  DevopsPersonasOverviewPage,
  EntityHatsCard,
  rootRouteRef,
  entityContentRouteRef,
} from './plugin';
export * from './api';
