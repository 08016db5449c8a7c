import { Knex } from 'knex';

const TABLE = 'devops_personas_notification_states';

/** The last state recorded for one condition of one entity. */
export interface ConditionState {
  state: string;
  /** A problem was notified and its recovery not yet. */
  open: boolean;
  /** Recorded by a dry run: logged, never sent. */
  dryRun: boolean;
}

/**
 * The notifications' memory: one row per entity and condition. A change is
 * recorded only if the row still holds what the caller read (compare and
 * set), so of two runs that saw the same change (two replicas, or a run and
 * a manual trigger) exactly one wins the right to send it.
 */
export class NotificationStateStore {
  constructor(private readonly db: Knex) {}

  /** Every condition recorded for an entity. */
  async read(entityRef: string): Promise<Map<string, ConditionState>> {
    const rows: Array<{ condition: string; state: string; open: unknown; dry_run: unknown }> = await this.db(TABLE)
      .select('condition', 'state', 'open', 'dry_run')
      .where('entity_ref', entityRef);
    return new Map(
      rows.map(row => [row.condition, { state: row.state, open: Boolean(row.open), dryRun: Boolean(row.dry_run) }]),
    );
  }

  /**
   * Records `next` if the row still is `expected` (absent when undefined).
   * True when this call made the change; false when another run did first.
   */
  async claim(
    entityRef: string,
    condition: string,
    expected: ConditionState | undefined,
    next: ConditionState,
    nowMs: number,
  ): Promise<boolean> {
    const values = { state: next.state, open: next.open, dry_run: next.dryRun, updated_ms: nowMs };
    if (!expected) {
      const inserted = await this.db(TABLE)
        .insert({ entity_ref: entityRef, condition, ...values })
        .onConflict(['entity_ref', 'condition'])
        .ignore()
        .returning('entity_ref');
      return inserted.length === 1;
    }
    const updated = await this.db(TABLE)
      .where({
        entity_ref: entityRef,
        condition,
        state: expected.state,
        open: expected.open,
        dry_run: expected.dryRun,
      })
      .update(values);
    return updated === 1;
  }

  /**
   * Undoes a claim whose notification could not be sent, if nothing changed
   * the row since: the next run then sees the change again and retries.
   */
  async revert(
    entityRef: string,
    condition: string,
    claimed: ConditionState,
    previous: ConditionState | undefined,
    nowMs: number,
  ): Promise<void> {
    if (previous) {
      await this.claim(entityRef, condition, claimed, previous, nowMs);
      return;
    }
    await this.db(TABLE)
      .where({ entity_ref: entityRef, condition, state: claimed.state, open: claimed.open, dry_run: claimed.dryRun })
      .delete();
  }
}
