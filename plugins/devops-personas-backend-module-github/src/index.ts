/**
 * GitHub event source of DevOps Personas: KPI events (deployments, merged
 * pull requests, workflow runs, Dependabot alerts) from GitHub webhooks,
 * received through Backstage's events system.
 *
 * @packageDocumentation
 */

export { devopsPersonasModuleGithubSource as default } from './module';
export { translateGithubPayload } from './translation/translateGithubPayload';
export { GITHUB_PROJECT_SLUG_ANNOTATION } from './translation/repository';
