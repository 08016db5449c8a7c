/**
 * Frontend of DevOps Personas: the Personas, RACI, KPIs and SLOs entity tabs,
 * the org overview page, the weekly review page, the Hats card and the
 * Overview summary card, for the legacy frontend system (`/alpha` has the new
 * frontend system plugin).
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
  DevopsPersonasReviewPage,
  EntityHatsCard,
  EntityDevopsPersonasSummaryCard,
  rootRouteRef,
  entityContentRouteRef,
  reviewRouteRef,
} from './plugin';
export type { EntityDevopsPersonasSummaryCardProps } from './components/EntityDevopsPersonasSummaryCard';
export * from './api';
