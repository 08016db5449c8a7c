/**
 * DevOps Personas event source for GitLab: deployments, merged merge
 * requests, pipelines and incidents from GitLab webhooks, through
 * Backstage's events system.
 *
 * @packageDocumentation
 */

export { devopsPersonasModuleGitlabSource as default } from './module';
export { translateGitlabWebhook } from './translateGitlabWebhook';
export { GITLAB_PROJECT_SLUG_ANNOTATION } from './project';
