/**
 * Frontend of DevOps Personas: Personas, RACI and KPI tabs, the org overview
 * and the Hats card.
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
