import { Knex } from 'knex';
import { EventType } from '../events/validateEvents';

const EVENTS_TABLE = 'devops_personas_events';
const FACTS_TABLE = 'devops_personas_facts';
/**
 * Most changes one deployment is linked to by inference. A deployment names
 * its change ids inside its event (at most 16 KiB), and a first deployment
 * after a long quiet spell must not sweep up years of pull requests.
 */
export const MAX_INFERRED_CHANGES = 300;
/** How far back a deployment without a previous one looks for merged changes. */
export const FIRST_DEPLOYMENT_LOOKBACK_MS = 90 * 86_400_000;

/**
 * The reads an event source needs before it stores: the stored event it
 * updates, the deployment an incident follows, the changes a deployment
 * shipped. Each is one indexed, time-bounded query.
 */
export class SourceLookups {
  constructor(private readonly db: Knex) {}

  /** The stored payload of one event, if any. */
  async storedPayload(type: EventType, source: string, id: string): Promise<Record<string, unknown> | undefined> {
    const row = await this.db(EVENTS_TABLE)
      .first('payload')
      .where({ type, source, event_id: id });
    return row ? JSON.parse(row.payload) : undefined;
  }

  private productionDeployments(entityRef: string) {
    return this.db(FACTS_TABLE)
      .where({ entity_ref: entityRef, type: 'deployment', production: true })
      .whereIn('status', ['success', 'rolled_back']);
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
      .where('at_ms', '<', beforeMs)
      .where('at_ms', '>=', notBeforeMs)
      .orderBy([
        { column: 'at_ms', order: 'desc' },
        { column: 'event_id', order: 'desc' },
      ])
      .first('event_id');
    return row?.event_id;
  }

  /**
   * Ids of the entity's changes merged after its previous production
   * deployment that reached production (finished before `deployedMs`, other
   * than the deployment itself) and at or before `untilMs`; the latest
   * {@link MAX_INFERRED_CHANGES}.
   */
  async changesShippedBy(options: {
    entityRef: string;
    deployment: { source: string; id: string; finishedMs: number };
    untilMs: number;
  }): Promise<string[]> {
    const { entityRef, deployment, untilMs } = options;
    const previous = await this.productionDeployments(entityRef)
      .where('at_ms', '<', deployment.finishedMs)
      .whereNot(builder => builder.where({ source: deployment.source, event_id: deployment.id }))
      .max({ at: 'at_ms' })
      .first();
    const afterMs =
      previous?.at !== null && previous?.at !== undefined
        ? Number(previous.at)
        : untilMs - FIRST_DEPLOYMENT_LOOKBACK_MS;
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
    return rows.map(row => row.event_id).sort();
  }
}
