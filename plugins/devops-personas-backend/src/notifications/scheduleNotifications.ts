import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import { EventStore } from '../database/EventStore';
import { KpiService } from '../kpis/KpiService';
import { ReviewAgendas } from '../review/ReviewAgendas';
import { ReviewDigests } from '../review/ReviewDigests';
import { PersonasConfig } from '../service/config';
import { PersonaResolver } from '../service/PersonaResolver';
import { SloService } from '../slos/SloService';
import { KpiNotifier } from './KpiNotifier';
import { NotificationsConfig } from './notificationsConfig';
import { NotificationStateStore } from './NotificationStateStore';

/** The scheduler task's id (`POST /.backstage/scheduler/v1/tasks/<id>/trigger` runs it now). */
export const NOTIFICATIONS_TASK_ID = 'devops-personas-notifications';
/** The weekly digest's task: on the review day it sends each agenda once; other days it does nothing. */
export const REVIEW_TASK_ID = 'devops-personas-weekly-review';

/**
 * Schedules the notification run through Backstage's scheduler as a global
 * task: with several replicas, one of them runs it each time. One task
 * evaluates every entity; another, on the same schedule, sends the weekly
 * digests on the review day, so a long evaluation never starves them.
 */
export async function scheduleNotifications(options: {
  scheduler: SchedulerService;
  database: Knex;
  config: NotificationsConfig;
  personasConfig: PersonasConfig;
  eventStore: EventStore;
  kpiService: KpiService;
  sloService: SloService;
  personaResolver: PersonaResolver;
  reviewAgendas: ReviewAgendas;
  catalog: CatalogService;
  notifications: NotificationService;
  auth: AuthService;
  logger: LoggerService;
}): Promise<void> {
  const { config, logger } = options;
  if (!config.enabled) {
    logger.info('Notifications are off (devopsPersonas.notifications.enabled: false)');
    return;
  }
  const store = new NotificationStateStore(options.database);
  const notifier = new KpiNotifier({
    store,
    events: options.eventStore,
    kpis: options.kpiService,
    slos: options.sloService,
    personas: options.personaResolver,
    catalog: options.catalog,
    notifications: options.notifications,
    auth: options.auth,
    logger,
    config,
    personasConfig: options.personasConfig,
  });
  const digests = new ReviewDigests({
    agendas: options.reviewAgendas,
    store,
    catalog: options.catalog,
    notifications: options.notifications,
    auth: options.auth,
    logger,
    config,
  });
  await options.scheduler.scheduleTask({
    ...config.schedule,
    id: NOTIFICATIONS_TASK_ID,
    // One replica runs it each time; the claims make a second one harmless, not free.
    scope: 'global',
    fn: async signal => {
      await notifier.run(signal);
    },
  });
  await options.scheduler.scheduleTask({
    ...config.schedule,
    id: REVIEW_TASK_ID,
    scope: 'global',
    fn: async signal => {
      const sent = await digests.run(signal);
      if (sent) logger.info(`Weekly review: ${sent} agendas ${config.dryRun ? 'logged (dry run)' : 'sent'}`);
    },
  });
}
