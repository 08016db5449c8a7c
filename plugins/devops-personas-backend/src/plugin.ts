import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  DevopsPersonasSource,
  devopsPersonasSourcesExtensionPoint,
} from '@devops-personas/plugin-devops-personas-node';
import {
  DEVOPS_PERSONAS_PLUGIN_ID,
  devopsPersonasPermissions,
} from '@devops-personas/plugin-devops-personas-common';
import { registerDevopsPersonasActions } from './actions/registerActions';
import { EventStore } from './database/EventStore';
import { KpiService } from './kpis/KpiService';
import { RollupScopes } from './kpis/rollup';
import { scheduleNotifications } from './notifications/scheduleNotifications';
import { readNotificationsConfig } from './notifications/notificationsConfig';
import { ReviewAgendas } from './review/ReviewAgendas';
import { createRouter } from './router';
import { readPersonasConfig } from './service/config';
import { OrgViews } from './service/OrgViews';
import { PersonaResolver } from './service/PersonaResolver';
import { RaciResolver } from './service/RaciResolver';
import { ReadAccess } from './service/ReadAccess';
import { SloService } from './slos/SloService';
import { PrometheusSlis } from './slos/prometheus/PrometheusSlis';
import { readPrometheusSources } from './slos/prometheus/prometheusConfig';
import { EntityDirectory } from './sources/EntityDirectory';
import { EventSources } from './sources/EventSources';
import { SourceIngest } from './sources/SourceIngest';
import { readSourcesConfig } from './sources/sourcesConfig';

/**
 * The DevOps Personas backend plugin: persona, RACI and KPI answers for
 * catalog entities under `/api/devops-personas`.
 *
 * @public
 */
export const devopsPersonasPlugin = createBackendPlugin({
  pluginId: DEVOPS_PERSONAS_PLUGIN_ID,
  register(env) {
    const sources: DevopsPersonasSource[] = [];
    env.registerExtensionPoint(devopsPersonasSourcesExtensionPoint, {
      addSource(...added) {
        sources.push(...added);
      },
    });
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
        auth: coreServices.auth,
        events: eventsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        scheduler: coreServices.scheduler,
        notifications: notificationService,
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
        auth,
        events,
        actionsRegistry,
        scheduler,
        notifications,
      }) {
        const personasConfig = readPersonasConfig(config);
        const sourcesConfig = readSourcesConfig(config);
        const notificationsConfig = readNotificationsConfig(
          config,
          personasConfig.kpis.map(k => k.id),
        );
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
          new PrometheusSlis(readPrometheusSources(config), personasConfig.sloRefreshMs, logger),
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
        const entityDirectory = new EntityDirectory(catalog, auth);
        const eventSources = new EventSources(
          sources,
          new SourceIngest(eventStore, entityDirectory, sourcesConfig, logger),
          entityDirectory,
          eventStore,
          sourcesConfig,
        );
        await eventSources.subscribe(events, logger);
        const reviewAgendas = new ReviewAgendas({
          kpis: kpiService,
          slos: sloService,
          personas: personaResolver,
          rollups: rollupScopes,
          facts: eventStore.facts,
          config: personasConfig,
          windowMs: notificationsConfig.windowMs,
        });
        // KPI changes and the weekly review, to the people who answer for them.
        await scheduleNotifications({
          scheduler,
          database: await database.getClient(),
          config: notificationsConfig,
          personasConfig,
          eventStore,
          kpiService,
          sloService,
          personaResolver,
          reviewAgendas,
          catalog,
          notifications,
          auth,
          logger,
        });
        const readAccess = new ReadAccess(permissions);
        // The same answers as actions, for assistants (MCP) and scripts.
        registerDevopsPersonasActions(actionsRegistry, {
          config: personasConfig,
          readAccess,
          personaResolver,
          raciResolver,
          kpiService,
          sloService,
          orgViews,
        });
        httpRouter.use(
          await createRouter({
            eventSources,
            raciResolver,
            orgViews,
            sloService,
            httpAuth,
            logger,
            personaResolver,
            permissions,
            eventStore,
            kpiService,
            readAccess,
            reviewAgendas,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
