import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  DEVOPS_PERSONAS_PLUGIN_ID,
  devopsPersonasPermissions,
} from '@internal/plugin-devops-personas-common';
import { EventStore } from './database/EventStore';
import { KpiService } from './kpis/KpiService';
import { RollupScopes } from './kpis/rollup';
import { createRouter } from './router';
import { readPersonasConfig } from './service/config';
import { OrgViews } from './service/OrgViews';
import { PersonaResolver } from './service/PersonaResolver';
import { RaciResolver } from './service/RaciResolver';
import { SloService } from './slos/SloService';

/**
 * The DevOps Personas backend plugin: persona, RACI and KPI answers for
 * catalog entities under `/api/devops-personas`.
 *
 * @public
 */
export const devopsPersonasPlugin = createBackendPlugin({
  pluginId: DEVOPS_PERSONAS_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        database: coreServices.database,
        urlReader: coreServices.urlReader,
        permissions: coreServices.permissions,
      },
      async init({
        config,
        logger,
        httpAuth,
        httpRouter,
        permissionsRegistry,
        catalog,
        database,
        urlReader,
        permissions,
      }) {
        const personasConfig = readPersonasConfig(config);
        permissionsRegistry.addPermissions(devopsPersonasPermissions);
        const personaResolver = new PersonaResolver(
          catalog,
          personasConfig,
          logger,
        );
        const eventStore = await EventStore.create({ database });
        const rollupScopes = new RollupScopes(catalog, personaResolver, personasConfig);
        const sloService = new SloService(
          personaResolver,
          eventStore,
          urlReader,
          logger,
          personasConfig.sloRefreshMs,
          rollupScopes,
        );
        const kpiService = new KpiService(
          eventStore,
          personaResolver,
          personasConfig,
          rollupScopes,
          sloService,
        );
        const raciResolver = new RaciResolver(
          personaResolver,
          personasConfig.raciScenarios,
          new Map(personasConfig.personas.map(p => [p.id, p.title])),
        );
        const orgViews = new OrgViews(
          catalog,
          personaResolver,
          kpiService,
          personasConfig,
        );
        httpRouter.use(
          await createRouter({
            raciResolver,
            orgViews,
            sloService,
            httpAuth,
            logger,
            personaResolver,
            permissions,
            eventStore,
            kpiService,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
