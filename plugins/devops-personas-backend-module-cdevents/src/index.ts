/**
 * DevOps Personas event source for CDEvents: CloudEvents posted to
 * `/api/events/http/cdevents` (binary or structured mode, bearer token
 * checked on Backstage's events ingress) become deployments, changes,
 * pipeline runs and incidents for the DORA and pipeline KPIs.
 *
 * @packageDocumentation
 */

export { devopsPersonasCdeventsSource as default } from './module';
export { eventsModuleDevopsPersonasCdevents } from './ingressModule';
export { devopsPersonasModuleSourceCdevents } from './sourceModule';
