import { Knex } from 'knex';
import { EventType } from '../events/validateEvents';

const EVENTS_TABLE = 'devops_personas_events';
const FACTS_TABLE = 'devops_personas_facts';
/**
 * Most changes one deployment is linked to by inference. A deployment names
 * its change ids inside its event (at most 16 KiB), and a first deployment
 * after a long quiet spell must not sweep up years of pull requests.
 */
const MAX_INFERRED_CHANGES = 300;
/** How far back a deployment without a previous one looks for merged changes. */
const FIRST_DEPLOYMENT_LOOKBACK_MS = 90 * 86_400_000;

/**
 * The reads an event source needs before it stores: the stored event it
 * updates, the deployment an incident follows, the changes a deployment
 * shipped. Each is one indexed, time-bounded query.
 */
export class SourceLookups {
  constructor(private readonly db: Knex) {}

  /** The stored payload of one event, if any (read inside the writing transaction). */
  async storedPayload(type: EventType, source: string, id: string): Promise<Record<string, unknown> | undefined> {
    const row = await this.db(EVENTS_TABLE)
      .first('payload')
      .where({ type, source, event_id: id });
    return row ? JSON.parse(row.payload) : undefined;
  }

  private productionDeployments(entityRef: string) {
    return this.db(FACTS_TABLE)
      .where({
        [`${FACTS_TABLE}.entity_ref`]: entityRef,
        [`${FACTS_TABLE}.type`]: 'deployment',
        [`${FACTS_TABLE}.production`]: true,
      })
      .whereIn(`${FACTS_TABLE}.status`, ['success', 'rolled_back']);
  }

  /**
   * The id of the entity's last production deployment that reached
   * production before `beforeMs` and finished at or after `notBeforeMs`.
   */
  async lastProductionDeployment(
    entityRef: string,
    beforeMs: number,
    notBeforeMs: number,
  ): Promise<string | undefined> {
    const row = await this.productionDeployments(entityRef)
      .where(`${FACTS_TABLE}.at_ms`, '<', beforeMs)
      .where(`${FACTS_TABLE}.at_ms`, '>=', notBeforeMs)
      .orderBy([
        { column: `${FACTS_TABLE}.at_ms`, order: 'desc' },
        { column: `${FACTS_TABLE}.event_id`, order: 'desc' },
      ])
      .first(`${FACTS_TABLE}.event_id`);
    return row?.event_id;
  }

  /**
   * Ids of the entity's changes merged after its previous production
   * deployment that reached production (the latest that finished before
   * this one, other than itself) was cut, and at or before `untilMs`; the
   * latest {@link MAX_INFERRED_CHANGES}, latest merge first. A deployment
   * is cut when it starts (`startedAt`, GitHub's `created_at`), else when it
   * finishes: consecutive deployments then take consecutive stretches of
   * merges, and a change merged while one was rolling out goes with the next.
   */
  async changesShippedBy(options: {
    entityRef: string;
    deployment: { source: string; id: string; finishedMs: number };
    untilMs: number;
  }): Promise<string[]> {
    const { entityRef, deployment, untilMs } = options;
    const previous: { at_ms: number | string; payload: string } | undefined = await this.productionDeployments(entityRef)
      .join(`${EVENTS_TABLE} as e`, builder =>
        builder
          .on('e.type', `${FACTS_TABLE}.type`)
          .andOn('e.source', `${FACTS_TABLE}.source`)
          .andOn('e.event_id', `${FACTS_TABLE}.event_id`),
      )
      .where(`${FACTS_TABLE}.at_ms`, '<', deployment.finishedMs)
      .whereNot(builder =>
        builder.where({ [`${FACTS_TABLE}.source`]: deployment.source, [`${FACTS_TABLE}.event_id`]: deployment.id }),
      )
      .orderBy([
        { column: `${FACTS_TABLE}.at_ms`, order: 'desc' },
        { column: `${FACTS_TABLE}.event_id`, order: 'desc' },
      ])
      .first(`${FACTS_TABLE}.at_ms`, 'e.payload');
    let afterMs = untilMs - FIRST_DEPLOYMENT_LOOKBACK_MS;
    if (previous) {
      const started = (JSON.parse(previous.payload) as { startedAt?: unknown }).startedAt;
      afterMs = typeof started === 'string' ? Date.parse(started) : Number(previous.at_ms);
    }
    const rows: Array<{ event_id: string }> = await this.db(FACTS_TABLE)
      .select('event_id')
      .where({ entity_ref: entityRef, type: 'change' })
      .whereNotNull('end_ms')
      .where('end_ms', '>', afterMs)
      .where('end_ms', '<=', untilMs)
      .orderBy([
        { column: 'end_ms', order: 'desc' },
        { column: 'event_id', order: 'asc' },
      ])
      .limit(MAX_INFERRED_CHANGES);
    return rows.map(row => row.event_id);
  }
}
