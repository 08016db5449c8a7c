import { AuthService, BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationPayload } from '@backstage/plugin-notifications-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SLO_REF_ANNOTATION } from '@devops-personas/plugin-devops-personas-common';
import { EventStore } from '../database/EventStore';
import { KpiService } from '../kpis/KpiService';
import { DAY_MS } from '../kpis/window';
import { PersonasConfig } from '../service/config';
import { ChainLink, PersonaResolver } from '../service/PersonaResolver';
import { resolveRaci } from '../service/RaciResolver';
import { windowInWords } from '../service/wording';
import { SloService } from '../slos/SloService';
import { notificationPayload } from './messages';
import { NotificationsConfig, Transition } from './notificationsConfig';
import { NotificationStateStore } from './NotificationStateStore';
import { Observation, observe, slosFullyRead } from './observations';
import { decide } from './transitions';

/** Entities read per page, from the event store and from the catalog. */
const PAGE_SIZE = 500;
/** A notification the notifications backend has not taken by then is tried again next run. */
export const SEND_TIMEOUT_MS = 30_000;
const PIPELINE_KPIS = new Set(['pipeline-success-rate', 'flaky-test-rate']);
/** The conditions read off the KPI answer (see observe()). */
const KPI_CONDITION = /^(kpi:|tier:|guardrail$|vulnerabilities$)/;

/** What one run did, for the log and for tests. */
export interface NotificationRunSummary {
  /** Entities evaluated. */
  entities: number;
  /** Notifications sent (problems and recoveries). */
  sent: number;
  /** Notifications a dry run logged instead. */
  logged: number;
  /** Changes with nobody to tell (no owner, no accountable holder). */
  unaddressed: number;
  /** Entities or sends that failed; tried again next run. */
  failed: number;
}

/**
 * The RACI scenario whose `A` is told as well (SPEC §9): an SLO page is a
 * critical incident, an overdue vulnerability a critical vulnerability fix,
 * pipeline KPIs a CI/CD pipeline change; anything else goes to the KPI's
 * owner only.
 */
export function scenarioFor(observation: Observation, state: string): string | undefined {
  if (observation.kind === 'slo') return state === 'page' ? 'critical-incident' : undefined;
  if (observation.kind === 'vulnerabilities') return 'critical-vulnerability';
  if (PIPELINE_KPIS.has(observation.kpi.id)) return 'pipeline-change';
  return undefined;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One notification run (SPEC §9): every entity with events or SLOs is
 * evaluated now, each watched condition compared with the state recorded
 * last time, and each change claimed in the database before it is sent, so
 * that it is sent once however many replicas run.
 */
export class KpiNotifier {
  constructor(
    private readonly deps: {
      store: NotificationStateStore;
      events: EventStore;
      kpis: KpiService;
      slos: SloService;
      personas: PersonaResolver;
      catalog: CatalogService;
      notifications: NotificationService;
      auth: AuthService;
      logger: LoggerService;
      config: NotificationsConfig;
      personasConfig: PersonasConfig;
      now?: () => number;
    },
  ) {}

  async run(signal?: AbortSignal): Promise<NotificationRunSummary> {
    const { auth, logger, config, store } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const nowMs = (this.deps.now ?? Date.now)();
    const summary: NotificationRunSummary = { entities: 0, sent: 0, logged: 0, unaddressed: 0, failed: 0 };
    const resumeAfter = await store.resumePoint();
    let last: string | undefined;
    let cut = false;
    for await (const { entityRef, hasEvents } of this.entities(credentials, resumeAfter)) {
      if (signal?.aborted) {
        cut = true;
        break;
      }
      try {
        if (await this.evaluate(entityRef, hasEvents, nowMs, credentials, summary)) summary.entities++;
      } catch (error) {
        summary.failed++;
        logger.warn(`Could not evaluate the notifications of ${entityRef}: ${(error as Error).message}`);
      }
      if (hasEvents) last = entityRef;
    }
    await store.setResumePoint(cut ? last ?? resumeAfter : undefined, nowMs);
    if (cut) {
      logger.warn(
        `Notifications: the run's time ran out after ${summary.entities} entities; the next run goes on after ${last ?? resumeAfter ?? 'the first'}. Give devopsPersonas.notifications.schedule a longer timeout.`,
      );
    }
    const told = config.dryRun ? `${summary.logged} logged instead of sent (dry run)` : `${summary.sent} sent`;
    logger.info(
      `Notifications: ${summary.entities} entities evaluated${resumeAfter ? ` (from after ${resumeAfter})` : ''}, ${told}, ` +
        `${summary.unaddressed} with nobody to tell, ${summary.failed} failed`,
    );
    return summary;
  }

  /**
   * Entities with events (from after where a cut run stopped), then catalog
   * entities naming SLOs that have none; each once.
   */
  private async *entities(
    credentials: BackstageCredentials,
    resumeAfter: string | undefined,
  ): AsyncGenerator<{ entityRef: string; hasEvents: boolean }> {
    const seen = new Set<string>();
    let after = resumeAfter;
    for (;;) {
      const page = await this.deps.events.entitiesWithEvents(after, PAGE_SIZE);
      for (const ref of page) {
        seen.add(ref);
        yield { entityRef: ref, hasEvents: true };
      }
      if (page.length < PAGE_SIZE) break;
      after = page[page.length - 1];
    }
    let cursor: string | undefined;
    do {
      const response = await this.deps.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : {
              filter: { [`metadata.annotations.${SLO_REF_ANNOTATION}`]: CATALOG_FILTER_EXISTS },
              fields: ['kind', 'metadata.namespace', 'metadata.name'],
              limit: PAGE_SIZE,
            },
        { credentials },
      );
      for (const entity of response.items) {
        const ref = stringifyEntityRef(entity).toLowerCase();
        // Before the resume point, whether it has events is not known here: the next whole run takes it.
        const passed = resumeAfter !== undefined && ref <= resumeAfter;
        if (!seen.has(ref) && !passed) yield { entityRef: ref, hasEvents: false };
      }
      cursor = response.pageInfo.nextCursor;
    } while (cursor);
  }

  /**
   * Evaluates one entity; false when it is not in the catalog. An entity
   * without events is watched for its SLO alerts only: its KPIs have no
   * data, and a count of nothing missing its target is no news.
   */
  private async evaluate(
    entityRef: string,
    hasEvents: boolean,
    nowMs: number,
    credentials: BackstageCredentials,
    summary: NotificationRunSummary,
  ): Promise<boolean> {
    const { personas, kpis, slos, store, config } = this.deps;
    let chain: ChainLink[];
    try {
      chain = await personas.loadChain(entityRef, credentials);
    } catch (error) {
      if (error instanceof NotFoundError) return false; // events for an entity not (yet) in the catalog
      throw error;
    }
    const ref = chain[0].ref;
    const [kpiAnswer, sloAnswer, recorded] = await Promise.all([
      kpis.getKpis(ref, { windowMs: config.windowMs, untilMs: nowMs, bucket: 'month' }, credentials),
      // its own SLOs only (a System's notifications are not its Components'), from the chain already read
      chain[0].parsed.sloRef
        ? slos.computeAll([{ ref, entity: chain[0].entity, sloRef: chain[0].parsed.sloRef, isSelf: true }], nowMs)
        : Promise.resolve(undefined),
      store.read(ref),
    ]);
    const entity = { ref, title: chain[0].entity.metadata.title ?? chain[0].entity.metadata.name };
    const all = observe(kpiAnswer, sloAnswer, config.excludeKpis);
    const observations = hasEvents ? all : all.filter(o => o.kind === 'slo');
    for (const observation of observations) {
      const before = recorded.get(observation.condition);
      const decision = decide(observation.kind, before, observation.state, {
        dryRun: config.dryRun,
        enabled: config.transitions,
      });
      if (!decision) continue;
      if (!(await store.claim(ref, observation.condition, before, decision.next, nowMs))) continue; // another run has it
      if (!decision.transition) continue;
      const known = before && (config.dryRun || !before.dryRun) ? before : undefined;
      // A recovery goes to whoever was told of the problem; a change of an
      // open problem also to whoever its widest state reached (a page).
      const audience =
        decision.transition === 'recovery'
          ? [known?.told ?? known?.state ?? '']
          : [observation.state, decision.next.told ?? observation.state];
      const outcome = await this.tell(entity, chain, observation, decision.transition, known?.state, audience, summary);
      if (outcome === 'failed') {
        // Not sent: put the state back so the next run tries again.
        await store.revert(ref, observation.condition, decision.next, before, nowMs);
      } else if (outcome === 'nobody' && decision.next.open) {
        // Nobody heard of it: nothing is open to recover from.
        await store.claim(ref, observation.condition, decision.next, { ...decision.next, open: false, told: null }, nowMs);
      }
    }
    // Conditions no longer watched (a target removed, an SLO deleted, a KPI
    // opted out) are forgotten: nothing about them can be sent any more.
    const watched = new Set(observations.map(o => o.condition));
    const sloKnown = slosFullyRead(sloAnswer);
    const gone = [...recorded.keys()].filter(c => {
      if (watched.has(c)) return false;
      if (c.startsWith('slo:')) return sloKnown;
      return hasEvents && KPI_CONDITION.test(c); // not a review sent, nor the resume point
    });
    if (gone.length) await store.forget(ref, gone);
    return true;
  }

  private async tell(
    entity: { ref: string; title: string },
    chain: ChainLink[],
    observation: Observation,
    transition: Transition,
    previous: string | undefined,
    audience: string[],
    summary: NotificationRunSummary,
  ): Promise<'sent' | 'logged' | 'nobody' | 'failed'> {
    const { config, personasConfig, logger, notifications } = this.deps;
    const payload: NotificationPayload = notificationPayload(entity, observation, transition, previous, {
      windowLabel: windowInWords(config.windowMs),
      slaDays: Math.round(personasConfig.vulnerabilitySlaMs / DAY_MS),
    });
    const recipients = [...new Set(audience.flatMap(state => this.recipients(chain, observation, state)))].sort();
    if (!recipients.length) {
      summary.unaddressed++;
      logger.info(`Nobody to notify of "${payload.title}" (${entity.ref}): the ${observation.kpi.title} KPI has no owner`);
      return 'nobody';
    }
    if (config.dryRun) {
      summary.logged++;
      logger.info(`Dry run: would notify ${recipients.join(', ')}: ${payload.title}`, {
        entityRef: entity.ref,
        condition: observation.condition,
        transition,
        severity: payload.severity,
        description: payload.description,
        link: payload.link,
      });
      return 'logged';
    }
    try {
      await withTimeout(
        notifications.send({ recipients: { type: 'entity', entityRef: recipients }, payload }),
        SEND_TIMEOUT_MS,
        'Sending the notification',
      );
      summary.sent++;
      return 'sent';
    } catch (error) {
      summary.failed++;
      logger.warn(`Could not send "${payload.title}" (${entity.ref}); it is tried again next run: ${(error as Error).message}`);
      return 'failed';
    }
  }

  /** The KPI's owner holders and the `A` holders of the fitting RACI scenario. */
  private recipients(chain: ChainLink[], observation: Observation, state: string): string[] {
    // (sorted and deduplicated by the caller)
    const { personas, personasConfig } = this.deps;
    const refs = new Set(observation.kpi.owner.holders);
    const scenarioId = scenarioFor(observation, state);
    const scenario = personasConfig.raciScenarios.find(s => s.id === scenarioId);
    if (scenario) {
      const { scenarios } = resolveRaci([scenario], personas.assignPersonas(chain), chain[0].entity, new Map());
      for (const row of scenarios[0].assignments) {
        if (row.role === 'A') row.holders.forEach(holder => refs.add(holder));
      }
    }
    return [...refs];
  }
}
