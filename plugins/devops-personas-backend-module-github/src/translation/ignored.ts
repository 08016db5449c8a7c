import { SourceTranslation } from '@devops-personas/plugin-devops-personas-node';

/**
 * A payload the source does not count, with a reason naming its kind, such as
 * `event:push` or `deployment_status:pending`. The part taken from the payload
 * is held to GitHub's own vocabulary (lower case and underscores), so an odd
 * value cannot smuggle text into the logs or counters that show reasons.
 */
export function ignored(
  subject: string,
  detail?: string | null,
): SourceTranslation {
  const reason =
    detail === undefined
      ? subject
      : `${subject}:${detail === null ? 'none' : vocabulary(detail)}`;
  return { kind: 'ignored', reason };
}

/** GitHub's event names, actions, states and conclusions, else `other`. */
export function vocabulary(value: string): string {
  return /^[a-z][a-z_]{0,49}$/.test(value) ? value : 'other';
}
