import {
  SourceTranslation,
  SourceTranslationContext,
} from '@devops-personas/plugin-devops-personas-node';
import { JsonRecord, PayloadFields } from './payloadFields';
import { readProject } from './project';

// GitLab deployment statuses that end a deployment, and what they count as.
// `running`, `created` and `canceled` hooks are not counted: a canceled
// deployment never reached its environment and did not fail in it.
const STATUS = new Map<string, 'success' | 'failure'>([
  ['success', 'success'],
  ['failed', 'failure'],
]);

/**
 * A Deployment Hook (`object_kind: deployment`) with status `success` or
 * `failed` becomes a `deployment`: id `<path_with_namespace>#<deployment_id>`,
 * `finishedAt` = `status_changed_at`, `environment` `production` when the
 * environment's tier is `production`, else as the environment's name says.
 * Deployment hooks name no merge requests, so the deployment's changes are
 * the project's changes merged since its previous production deployment.
 */
export function translateDeploymentHook(
  body: JsonRecord,
  context: SourceTranslationContext,
): SourceTranslation {
  const hook = new PayloadFields(body);
  const status = STATUS.get(hook.string('status'));
  if (!status) {
    return { kind: 'ignored', reason: 'deployment-status-not-counted' };
  }

  const project = readProject(body);
  const finishedAt = hook.timestamp('status_changed_at');
  const environmentName = hook.string('environment');
  const environment =
    hook.optionalString('environment_tier') === 'production'
      ? 'production'
      : context.environment(environmentName);
  const url =
    hook.link('deployable_url') ?? hook.link('environment_external_url');

  return {
    kind: 'events',
    events: [
      {
        entity: project.entity,
        event: {
          type: 'deployment',
          id: `${project.path}#${hook.id('deployment_id')}`,
          finishedAt,
          status,
          environment,
          ...(url && { url }),
        },
        changesMergedUntil: finishedAt,
      },
    ],
  };
}
