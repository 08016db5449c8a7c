/**
 * The events topic Alertmanager's webhook posts to:
 * `POST /api/events/http/alertmanager`.
 *
 * @public
 */
export const ALERTMANAGER_TOPIC = 'alertmanager';

/**
 * The id of the source, stored as the `source` of its events.
 *
 * @public
 */
export const ALERTMANAGER_SOURCE_ID = 'alertmanager';

/** Where this source's settings live in app-config.yaml. */
export const ALERTMANAGER_CONFIG_KEY = 'devopsPersonas.sources.alertmanager';
