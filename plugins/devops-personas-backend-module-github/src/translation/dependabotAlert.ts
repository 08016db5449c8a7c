import { SourceTranslation } from '@devops-personas/plugin-devops-personas-node';
import { GithubPayload } from './GithubPayload';
import { firstHttpUrl } from './links';
import { readRepository } from './repository';

/** GitHub's advisory severities and the §6 severity each is stored as. */
const SEVERITIES: Record<string, 'critical' | 'high' | 'medium' | 'low'> = {
  critical: 'critical',
  high: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
};

/**
 * `dependabot_alert` (every action) → the alert's current state as a
 * `vulnerability`. Each delivery carries the whole alert, so storing it under
 * the same id replaces the earlier one: a reopened alert is open again, a
 * fixed one has `fixedAt`, a dismissed one has `dismissedAt` and no `fixedAt`
 * (it is never overdue, and never counts as fixed).
 */
export function translateDependabotAlert(
  payload: GithubPayload,
): SourceTranslation {
  const { fullName, entity } = readRepository(payload);
  const rawSeverity = payload.string('alert.security_advisory.severity');
  const severity = Object.prototype.hasOwnProperty.call(
    SEVERITIES,
    rawSeverity.toLowerCase(),
  )
    ? SEVERITIES[rawSeverity.toLowerCase()]
    : undefined;
  if (!severity) {
    throw new Error(
      `Cannot read GitHub dependabot_alert payload: alert.security_advisory.severity must be one of ${Object.keys(
        SEVERITIES,
      ).join(', ')}; got ${JSON.stringify(rawSeverity.slice(0, 40))}`,
    );
  }

  const url = firstHttpUrl(payload.optionalString('alert.html_url'));
  return {
    kind: 'events',
    events: [
      {
        entity,
        event: {
          type: 'vulnerability',
          id: `${fullName}#${payload.integer('alert.number')}`,
          severity,
          detectedAt: payload.timestamp('alert.created_at'),
          ...closure(payload),
          ...(url && { url }),
        },
      },
    ],
  };
}

/**
 * How the alert was closed, if it was: `fixedAt` for a fixed alert,
 * `dismissedAt` (and never `fixedAt`) for a dismissed one, nothing for an
 * open (created, reopened, reintroduced) one.
 */
function closure(payload: GithubPayload): {
  fixedAt?: string;
  dismissedAt?: string;
} {
  const state = payload.string('alert.state');
  if (state === 'dismissed') {
    return { dismissedAt: payload.timestamp('alert.dismissed_at') };
  }
  if (state === 'auto_dismissed') {
    // Dependabot's own dismissals carry their time in a field of their own.
    const dismissedAt =
      payload.optionalTimestamp('alert.auto_dismissed_at') ??
      payload.timestamp('alert.dismissed_at');
    return { dismissedAt };
  }
  if (state === 'fixed')
    return { fixedAt: payload.timestamp('alert.fixed_at') };
  if (state === 'open') return {};
  // A state GitHub may add later: trust the timestamps it sends.
  const fixedAt = payload.optionalTimestamp('alert.fixed_at');
  return fixedAt ? { fixedAt } : {};
}
