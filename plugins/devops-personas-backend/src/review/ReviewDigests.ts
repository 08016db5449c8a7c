import { AuthService, BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationPayload } from '@backstage/plugin-notifications-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { ReviewAgendaResponse } from '@devops-personas/plugin-devops-personas-common';
import { DateTime } from 'luxon';
import { iso } from '../kpis/window';
import { NotificationsConfig } from '../notifications/notificationsConfig';
import { NotificationStateStore } from '../notifications/NotificationStateStore';
import { notificationScope } from '../notifications/messages';
import { ownerRefOf } from '../service/RaciResolver';
import { plural } from '../service/wording';
import { SEND_TIMEOUT_MS, withTimeout } from '../notifications/KpiNotifier';
import { ReviewAgendas } from './ReviewAgendas';

const PAGE_SIZE = 500;
/** How long a sent review is remembered: past its week it guards nothing. */
const REVIEW_MEMORY_MS = 8 * 7 * 86_400_000;
/** One agenda computes two KPI answers per Component: a large Group may take a while, never for ever. */
const AGENDA_TIMEOUT_MS = 120_000;
/** The row (its entity_ref) that says every digest of a review day went out. */
const DIGESTS_DONE = '~digests';
/** Where the app mounts the review page (SPEC §9). */
export const REVIEW_PAGE_PATH = '/devops-personas/review';

/** The review's start: 00:00 UTC of the configured weekday, or undefined on other days. */
export function reviewDayStart(nowMs: number, weekday: number): number | undefined {
  const now = DateTime.fromMillis(nowMs, { zone: 'utc' });
  return now.weekday === weekday ? now.startOf('day').toMillis() : undefined;
}

/** The digest of an agenda: one sentence per section that has lines. */
export function digestPayload(
  title: string,
  agenda: ReviewAgendaResponse,
): NotificationPayload {
  const parts = [
    agenda.kpisWorse.length && `${plural(agenda.kpisWorse.length, 'KPI', 'KPIs')} got worse`,
    agenda.slosBurning.length &&
      `${plural(agenda.slosBurning.length, 'SLO objective is', 'SLO objectives are')} spending error budget`,
    agenda.overdueVulnerabilities.length &&
      `${plural(agenda.overdueVulnerabilities.length, 'critical vulnerability is', 'critical vulnerabilities are')} overdue`,
    agenda.postmortemActions.length &&
      `${plural(agenda.postmortemActions.length, 'postmortem action is', 'postmortem actions are')} due or late`,
  ].filter((p): p is string => Boolean(p));
  const owners = new Set(
    [...agenda.kpisWorse, ...agenda.slosBurning, ...agenda.overdueVulnerabilities, ...agenda.postmortemActions].flatMap(
      line => line.owner.holders.map(ref => agenda.holderNames[ref] ?? ref),
    ),
  );
  const description = parts.length
    ? `${parts.join('; ')}. Owners: ${[...owners].sort().join(', ') || 'none named'}.`
    : 'Nothing needs deciding this week: no KPI got worse, no SLO is burning budget, nothing is overdue.';
  const query = new URLSearchParams({ entity: agenda.entityRef, until: agenda.week.end });
  return {
    title: `Weekly review: ${title}`,
    description,
    link: `${REVIEW_PAGE_PATH}?${query}`,
    severity: parts.length ? 'normal' : 'low',
    topic: 'Weekly review',
    scope: notificationScope(agenda.entityRef, 'review'),
  };
}

/**
 * The weekly review's digest (SPEC §9): on the review day, each System and
 * each Group that owns Components gets its agenda as one notification,
 * claimed per entity and week in the database so it is sent once.
 */
export class ReviewDigests {
  constructor(
    private readonly deps: {
      agendas: ReviewAgendas;
      store: NotificationStateStore;
      catalog: CatalogService;
      notifications: NotificationService;
      auth: AuthService;
      logger: LoggerService;
      config: NotificationsConfig;
      now?: () => number;
    },
  ) {}

  /** Sends this week's digests if today is the review day; returns how many were sent or logged. */
  async run(signal?: AbortSignal): Promise<number> {
    const { config, auth, store, logger } = this.deps;
    const nowMs = (this.deps.now ?? Date.now)();
    const untilMs = reviewDayStart(nowMs, config.review.weekday);
    if (!config.review.enabled || untilMs === undefined) return 0;
    const credentials = await auth.getOwnServiceCredentials();
    const condition = `review:${iso(untilMs).slice(0, 10)}`;
    await store.forgetReviewsBefore(untilMs - REVIEW_MEMORY_MS);
    // Once every digest of the day is out, the day's later runs do not walk the catalog again.
    const finished = (await store.read(DIGESTS_DONE)).get(condition);
    if (finished && (config.dryRun || !finished.dryRun)) return 0;
    let done = 0;
    let retry = false;
    for (const target of await this.targets(credentials)) {
      if (signal?.aborted) {
        retry = true;
        break;
      }
      // A week a dry run only logged is still sent once dry run is off.
      const recorded = (await store.read(target.ref)).get(condition);
      if (recorded && (config.dryRun || !recorded.dryRun)) continue;
      const claimed = { state: 'sent', open: false, dryRun: config.dryRun };
      if (!(await store.claim(target.ref, condition, recorded, claimed, nowMs))) continue;
      try {
        const agenda = await withTimeout(
          this.deps.agendas.agenda(target.ref, untilMs, credentials),
          AGENDA_TIMEOUT_MS,
          'The agenda',
        );
        const payload = digestPayload(target.title, agenda);
        if (config.dryRun) {
          logger.info(`Dry run: would send the weekly review of ${target.ref} to ${target.recipients.join(', ')}: ${payload.description}`);
        } else {
          await withTimeout(
            this.deps.notifications.send({ recipients: { type: 'entity', entityRef: target.recipients }, payload }),
            SEND_TIMEOUT_MS,
            'Sending the weekly review',
          );
        }
        done++;
      } catch (error) {
        if (error instanceof NotFoundError) {
          // e.g. an owner Group missing from the catalog: no agenda this week, and no retry every run
          logger.info(`No weekly review for ${target.ref}: ${error.message}`);
          continue;
        }
        retry = true;
        await store.revert(target.ref, condition, claimed, recorded, nowMs);
        logger.warn(`Could not send the weekly review of ${target.ref}; it is tried again next run: ${(error as Error).message}`);
      }
    }
    if (!retry) {
      await store.claim(DIGESTS_DONE, condition, finished, { state: 'sent', open: false, dryRun: config.dryRun }, nowMs);
    }
    return done;
  }

  /** Systems (to their owner) and Groups owning Components (to the Group). */
  private async targets(credentials: BackstageCredentials) {
    const targets = new Map<string, { ref: string; title: string; recipients: string[] }>();
    const owners = new Set<string>();
    const groupNames = new Map<string, string>();
    for await (const entity of this.entities(['system', 'component', 'group'], credentials)) {
      const kind = entity.kind.toLowerCase();
      const ref = stringifyEntityRef(entity).toLowerCase();
      const owner = ownerRefOf(entity);
      if (kind === 'system' && owner) {
        targets.set(ref, { ref, title: entity.metadata.title ?? entity.metadata.name, recipients: [owner] });
      } else if (kind === 'component' && owner?.startsWith('group:')) {
        owners.add(owner);
      } else if (kind === 'group') {
        const profile = entity.spec?.profile as { displayName?: unknown } | undefined;
        const title = typeof profile?.displayName === 'string' ? profile.displayName : undefined;
        groupNames.set(ref, title ?? entity.metadata.title ?? entity.metadata.name);
      }
    }
    for (const ref of [...owners].sort()) {
      targets.set(ref, { ref, title: groupNames.get(ref) ?? ref, recipients: [ref] });
    }
    return [...targets.values()];
  }

  private async *entities(kinds: string[], credentials: BackstageCredentials): AsyncGenerator<Entity> {
    let cursor: string | undefined;
    do {
      const response = await this.deps.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : {
              filter: { kind: kinds },
              fields: ['kind', 'metadata.namespace', 'metadata.name', 'metadata.title', 'spec.owner', 'spec.profile.displayName'],
              limit: PAGE_SIZE,
            },
        { credentials },
      );
      yield* response.items;
      cursor = response.pageInfo.nextCursor;
    } while (cursor);
  }
}
