/**
 * DevOps Personas event source for Prometheus Alertmanager: webhook
 * notifications posted to `/api/events/http/alertmanager` become `alert`
 * events for the `alert-noise` KPI.
 *
 * @packageDocumentation
 */

export { devopsPersonasAlertmanagerSource as default } from './module';
export { eventsModuleDevopsPersonasAlertmanager } from './ingressModule';
export { devopsPersonasModuleSourceAlertmanager } from './sourceModule';
export { createAlertmanagerSource } from './alertmanagerSource';
export { translateAlertmanagerNotification } from './translateNotification';
export {
  DEFAULT_ALERTMANAGER_TRANSLATION_OPTIONS,
  readAlertmanagerTranslationOptions,
} from './options';
export type { AlertmanagerTranslationOptions } from './options';
export { ALERTMANAGER_SOURCE_ID, ALERTMANAGER_TOPIC } from './constants';
