/**
 * Extension points of the DevOps Personas backend: event sources that turn
 * the webhooks of a team's tools into KPI events.
 *
 * @packageDocumentation
 */

export * from './sources';
export * from './extensionPoint';
export * from './bearerTokenValidator';
