/**
 * DevOps Personas event source for PagerDuty: V3 webhooks posted to
 * `/api/events/http/pagerduty`, signature checked on Backstage's events
 * ingress, become incidents for the time-to-restore and
 * customer-impacting-incidents KPIs.
 *
 * @packageDocumentation
 */

export { devopsPersonasPagerDutySource as default } from './module';
export { eventsModuleDevopsPersonasPagerDuty } from './ingressModule';
export { devopsPersonasModuleSourcePagerDuty } from './sourceModule';
