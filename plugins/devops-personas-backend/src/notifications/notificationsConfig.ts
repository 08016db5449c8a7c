import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { parseWindowLength } from '../kpis/window';

/**
 * The changes of state that may notify (SPEC §9); `recovery` is the way
 * back from any of the others.
 */
export const TRANSITIONS = [
  'kpi-missed',
  'tier-drop',
  'slo-page',
  'slo-ticket',
  'guardrail',
  'vulnerability-overdue',
  'recovery',
] as const;

/** One of {@link TRANSITIONS}. */
export type Transition = (typeof TRANSITIONS)[number];

/** The weekdays a review may fall on, Monday first (Luxon's weekday − 1). */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** `devopsPersonas.notifications` and `devopsPersonas.review`, with defaults. */
export interface NotificationsConfig {
  enabled: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Log what would be sent instead of sending it. */
  dryRun: boolean;
  transitions: ReadonlySet<Transition>;
  /** KPIs that never notify (their owners opted out). */
  excludeKpis: ReadonlySet<string>;
  /** The KPI window evaluated, ending now. */
  windowMs: number;
  review: {
    enabled: boolean;
    /** 1 (Monday) to 7 (Sunday), as Luxon counts. */
    weekday: number;
    dayName: (typeof WEEKDAYS)[number];
  };
}

const HOUR_MS = 3_600_000;

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 15 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 30 },
};

class NotificationsConfigError extends Error {
  constructor(key: string, reason: string) {
    super(`Invalid config at ${key}: ${reason}`);
  }
}

/**
 * Reads the notification settings; `kpiIds` are the configured KPIs, so an
 * opt-out naming no KPI fails at startup instead of silently doing nothing.
 */
export function readNotificationsConfig(config: Config, kpiIds: readonly string[]): NotificationsConfig {
  const root = config.getOptionalConfig('devopsPersonas.notifications');
  const key = (sub: string) => `devopsPersonas.notifications.${sub}`;

  let schedule = DEFAULT_SCHEDULE;
  if (root?.has('schedule')) {
    try {
      // Settings left out keep their defaults (a run still gets a time limit).
      const given = root.getConfig('schedule').get<JsonObject>();
      schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
        new ConfigReader({
          initialDelay: DEFAULT_SCHEDULE.initialDelay as JsonObject,
          timeout: DEFAULT_SCHEDULE.timeout as JsonObject,
          ...given,
        }),
      );
    } catch (error) {
      throw new NotificationsConfigError(key('schedule'), (error as Error).message);
    }
  }

  const transitions = root?.getOptionalStringArray('transitions') ?? [...TRANSITIONS];
  for (const transition of transitions) {
    if (!(TRANSITIONS as readonly string[]).includes(transition)) {
      throw new NotificationsConfigError(
        key('transitions'),
        `"${transition}" is not a transition; use any of ${TRANSITIONS.join(', ')}`,
      );
    }
  }

  const excludeKpis = root?.getOptionalStringArray('excludeKpis') ?? [];
  for (const kpi of excludeKpis) {
    if (!kpiIds.includes(kpi)) {
      throw new NotificationsConfigError(key('excludeKpis'), `"${kpi}" is not a KPI; known KPIs are ${kpiIds.join(', ')}`);
    }
  }

  let windowMs: number;
  try {
    windowMs = parseWindowLength(root?.getOptionalString('window') ?? '30d');
  } catch (error) {
    throw new NotificationsConfigError(key('window'), (error as Error).message);
  }
  if (windowMs % HOUR_MS !== 0) {
    throw new NotificationsConfigError(key('window'), 'must be whole hours or days, e.g. 30d, 7d or 12h');
  }

  const review = config.getOptionalConfig('devopsPersonas.review');
  const day = (review?.getOptionalString('day') ?? 'monday').toLowerCase();
  const weekday = WEEKDAYS.findIndex(d => d === day);
  if (weekday < 0) {
    throw new NotificationsConfigError('devopsPersonas.review.day', `"${day}" is not a weekday; use one of ${WEEKDAYS.join(', ')}`);
  }

  return {
    enabled: root?.getOptionalBoolean('enabled') ?? true,
    schedule,
    dryRun: root?.getOptionalBoolean('dryRun') ?? false,
    transitions: new Set(transitions as Transition[]),
    excludeKpis: new Set(excludeKpis),
    windowMs,
    review: {
      enabled: review?.getOptionalBoolean('enabled') ?? true,
      weekday: weekday + 1,
      dayName: WEEKDAYS[weekday],
    },
  };
}
