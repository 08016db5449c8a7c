import { Knex } from 'knex';

const TABLE = 'devops_personas_notification_states';
/** The row that says where a cut run stopped (its entity_ref). */
const RESUME_CONDITION = '~resume';

/** The last state recorded for one condition of one entity. */
export interface ConditionState {
  state: string;
  /** A problem was notified and its recovery not yet. */
  open: boolean;
  /**
   * While open: the widest problem state notified (an SLO `page` after which
   * it fell to `ticket`), so that updates and the recovery reach everyone
   * who was told. Null when closed.
   */
  told?: string | null;
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
    const rows: Array<{ condition: string; state: string; open: unknown; told: string | null; dry_run: unknown }> =
      await this.db(TABLE).select('condition', 'state', 'open', 'told', 'dry_run').where('entity_ref', entityRef);
    return new Map(
      rows.map(row => [
        row.condition,
        { state: row.state, open: Boolean(row.open), told: row.told ?? null, dryRun: Boolean(row.dry_run) },
      ]),
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
    const values = { state: next.state, open: next.open, told: next.told ?? null, dry_run: next.dryRun, updated_ms: nowMs };
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

  /**
   * Forgets the weekly reviews recorded before `beforeMs` (each System and
   * Group adds one row a week): only this week's row guards against a
   * second digest.
   */
  async forgetReviewsBefore(beforeMs: number): Promise<number> {
    return this.db(TABLE).where('condition', 'like', 'review:%').andWhere('updated_ms', '<', beforeMs).delete();
  }

  /** Forgets conditions no longer watched on an entity. */
  async forget(entityRef: string, conditions: string[]): Promise<void> {
    for (let i = 0; i < conditions.length; i += 500) {
      await this.db(TABLE).where('entity_ref', entityRef).whereIn('condition', conditions.slice(i, i + 500)).delete();
    }
  }

  /**
   * Where the last run stopped when its time ran out: the next one goes on
   * from there, so a catalog too large for one run is still covered in turn.
   */
  async resumePoint(): Promise<string | undefined> {
    const row = await this.db(TABLE).select('entity_ref').where('condition', RESUME_CONDITION).first();
    return row?.entity_ref;
  }

  /** Records (or, with undefined, clears) where the next run starts. */
  async setResumePoint(entityRef: string | undefined, nowMs: number): Promise<void> {
    await this.db.transaction(async tx => {
      await tx(TABLE).where('condition', RESUME_CONDITION).delete();
      if (entityRef !== undefined) {
        await tx(TABLE).insert({
          entity_ref: entityRef,
          condition: RESUME_CONDITION,
          state: 'resume',
          open: false,
          dry_run: false,
          updated_ms: nowMs,
        });
      }
    });
  }
}
