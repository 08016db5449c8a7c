import { Knex } from 'knex';
import { SourceCounts, SourceDropReason } from '@devops-personas/plugin-devops-personas-common';

const COUNTS_TABLE = 'devops_personas_source_counts';
const ERRORS_TABLE = 'devops_personas_source_errors';
/** Longest error message kept: a payload's text must not fill the table. */
const MAX_MESSAGE_LENGTH = 2000;

/** What one payload added to a source's counts. */
export interface SourceCountChange {
  received?: number;
  stored?: number;
  dropped?: Partial<Record<SourceDropReason, number>>;
  /** The source's reason for ignoring the payload. */
  ignoredReason?: string;
}

/** Distinct ignore reasons counted per source: the rest are `other reasons`. */
const MAX_IGNORED_REASONS = 50;
const OTHER_IGNORED_REASONS = 'other reasons';
const MAX_REASON_LENGTH = 60;

/** A source's last error as stored. */
export interface SourceError {
  atMs: number;
  reason: SourceDropReason;
  message: string;
}

/**
 * Counts and last errors of the event sources. Counts are added in the
 * database (`count = count + n`), so replicas never lose each other's.
 */
export class SourceCountStore {
  /** Ignore reasons known to have a row, per source. */
  private readonly countedReasons = new Map<string, Set<string>>();
  /**
   * Sources seen with all their ignore reasons: no row is added for a new
   * one, so their reasons are all in {@link countedReasons}.
   */
  private readonly fullSources = new Set<string>();

  constructor(private readonly db: Knex) {}

  async add(sourceId: string, change: SourceCountChange): Promise<void> {
    const rows: Array<{ source_id: string; outcome: string; count: number }> = [];
    const push = (outcome: string, n: number | undefined) => {
      if (n) rows.push({ source_id: sourceId, outcome, count: n });
    };
    push('received', change.received);
    push('stored', change.stored);
    for (const [reason, n] of Object.entries(change.dropped ?? {})) push(`dropped:${reason}`, n);
    if (change.ignoredReason !== undefined) {
      push(`ignored:${await this.ignoredReasonKey(sourceId, change.ignoredReason)}`, 1);
    }
    if (!rows.length) return;
    // Sorted, so that two payloads of one source lock the rows in one order.
    rows.sort((a, b) => (a.outcome < b.outcome ? -1 : 1));
    await this.db(COUNTS_TABLE)
      .insert(rows)
      .onConflict(['source_id', 'outcome'])
      .merge({ count: this.db.raw('??.?? + excluded.??', [COUNTS_TABLE, 'count', 'count']) });
  }

  /**
   * The reason as counted: shortened, and once a source has its
   * {@link MAX_IGNORED_REASONS}, a new one counts under `other reasons` (a
   * sender must not grow the table without end).
   */
  private async ignoredReasonKey(sourceId: string, reason: string): Promise<string> {
    const short = [...reason.trim()].slice(0, MAX_REASON_LENGTH).join('') || OTHER_IGNORED_REASONS;
    // A busy org sends many pushes: a reason counted before costs no query.
    const known = this.countedReasons.get(sourceId) ?? new Set<string>();
    this.countedReasons.set(sourceId, known);
    if (known.has(short)) return short;
    // Once full, a source's reasons are all known: a new one costs no query.
    if (this.fullSources.has(sourceId)) return OTHER_IGNORED_REASONS;
    const stored = await this.db(COUNTS_TABLE).first('outcome').where({ source_id: sourceId, outcome: `ignored:${short}` });
    let key = short;
    if (!stored) {
      const rows: Array<{ outcome: string }> = await this.db(COUNTS_TABLE)
        .select('outcome')
        .where({ source_id: sourceId })
        .where('outcome', 'like', 'ignored:%');
      if (rows.length >= MAX_IGNORED_REASONS) {
        key = OTHER_IGNORED_REASONS;
        for (const row of rows) known.add(row.outcome.slice('ignored:'.length));
        this.fullSources.add(sourceId);
      }
    }
    // at most MAX_IGNORED_REASONS + 1 per source (a few more after a race): the set stays small
    if (key === short) known.add(short);
    return key;
  }

  async recordError(sourceId: string, error: SourceError): Promise<void> {
    const message = [...error.message].slice(0, MAX_MESSAGE_LENGTH).join('');
    await this.db(ERRORS_TABLE)
      .insert({ source_id: sourceId, at_ms: error.atMs, reason: error.reason, message })
      .onConflict('source_id')
      .merge(['at_ms', 'reason', 'message']);
  }

  /** Counts and last error of every source that has any. */
  async read(): Promise<Map<string, { counts: SourceCounts; lastError: SourceError | null }>> {
    const result = new Map<string, { counts: SourceCounts; lastError: SourceError | null }>();
    const entry = (sourceId: string) => {
      let found = result.get(sourceId);
      if (!found) {
        found = { counts: { received: 0, stored: 0, dropped: {}, ignoredReasons: {} }, lastError: null };
        result.set(sourceId, found);
      }
      return found;
    };
    const counts: Array<{ source_id: string; outcome: string; count: string | number }> =
      await this.db(COUNTS_TABLE).select('source_id', 'outcome', 'count');
    for (const row of counts) {
      const { counts: target } = entry(row.source_id);
      const n = Number(row.count);
      if (row.outcome === 'received') target.received = n;
      else if (row.outcome === 'stored') target.stored = n;
      else if (row.outcome.startsWith('dropped:')) {
        target.dropped[row.outcome.slice('dropped:'.length) as SourceDropReason] = n;
      } else if (row.outcome.startsWith('ignored:')) {
        target.ignoredReasons[row.outcome.slice('ignored:'.length)] = n;
      }
    }
    const errors: Array<{ source_id: string; at_ms: string | number; reason: string; message: string }> =
      await this.db(ERRORS_TABLE).select('source_id', 'at_ms', 'reason', 'message');
    for (const row of errors) {
      entry(row.source_id).lastError = {
        atMs: Number(row.at_ms),
        reason: row.reason as SourceDropReason,
        message: row.message,
      };
    }
    return result;
  }
}
