import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { EVENT_TIME_FIELD, EventType, NormalizedEvent } from '../events/validateEvents';
import { retryOnWriteConflict } from './databaseErrors';
import { DeploymentChangeRow, deriveFacts, FACT_MERGE_COLUMNS, FactRow } from './facts';
import { FactQueries } from './FactQueries';
import { SourceCountStore } from './SourceCountStore';
import { SourceLookups } from './SourceLookups';

const TABLE = 'devops_personas_events';
const FACTS_TABLE = 'devops_personas_facts';
const LINKS_TABLE = 'devops_personas_deployment_changes';
// Rows per INSERT: 500 fact rows of 17 columns keep SQLite well under its
// bound-variable limit (32,766) and PostgreSQL statements small.
const INSERT_CHUNK = 500;

/** A stored event as read back: its payload plus the time column. */
export interface EventRow {
  type: EventType;
  entityRef: string;
  timeMs: number;
  payload: Record<string, unknown>;
}

const MIGRATION_LOCK_WAIT_MS = 60_000;
/** Fact rows written before the first statistics refresh (PostgreSQL). */
const ANALYZE_MIN_ROWS = 20_000;

/**
 * Brings the schema up to date. Replicas starting together on a fresh
 * database race to create knex's bookkeeping tables (a few retries settle
 * that) and for its migration lock (the losers wait for the winner), instead
 * of failing to start.
 */
async function migrateToLatest(client: Knex): Promise<void> {
  const config = {
    directory: resolvePackagePath('@devops-personas/plugin-devops-personas-backend', 'migrations'),
    tableName: 'devops_personas_knex_migrations',
  };
  const deadline = Date.now() + MIGRATION_LOCK_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.migrate.latest(config);
      return;
    } catch (error) {
      const locked = (error as Error).name === 'MigrationLocked';
      if (Date.now() > deadline || (!locked && attempt >= 3)) throw error;
      await new Promise(resolve => setTimeout(resolve, 250 + Math.random() * 250));
    }
  }
}

function typeLiteral(type: EventType): string {
  if (!Object.prototype.hasOwnProperty.call(EVENT_TIME_FIELD, type)) {
    throw new Error(`Unknown event type ${type}`);
  }
  return `'${type}'`;
}

/** Stores and reads events; owns the plugin's database. */
export class EventStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<EventStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await migrateToLatest(client);
    }
    return new EventStore(client);
  }

  /** The KPI queries over the facts this store writes. */
  readonly facts: FactQueries;
  /** Counts and last errors of the event sources. */
  readonly sourceCounts: SourceCountStore;

  private constructor(private readonly db: Knex) {
    this.facts = new FactQueries(db);
    this.sourceCounts = new SourceCountStore(db);
  }

  private writtenSinceAnalyze = 0;
  private writtenBeforeAnalyze = 0;
  private analyzing = false;

  /**
   * Keeps PostgreSQL's planner statistics of the fact tables current during
   * bulk loads (a backfill of years of events): autovacuum analyses a table
   * when it has grown by a tenth, and until then plans the KPI queries of a
   * large service as if it had a handful of rows (nested loops over
   * thousands). Run after a fifth more rows than at the last run, never two
   * at once, never in the way of the request that triggered it.
   */
  private analyzeAfterBulkWrites(rows: number) {
    if (!this.facts.postgres) return;
    this.writtenSinceAnalyze += rows;
    const threshold = Math.max(ANALYZE_MIN_ROWS, this.writtenBeforeAnalyze / 5);
    if (this.analyzing || this.writtenSinceAnalyze < threshold) return;
    this.analyzing = true;
    this.writtenBeforeAnalyze += this.writtenSinceAnalyze;
    this.writtenSinceAnalyze = 0;
    this.db
      .raw(`ANALYZE ${FACTS_TABLE}, ${LINKS_TABLE}`)
      .catch(() => undefined) // statistics are an optimisation: a failure changes no answer
      .finally(() => {
        this.analyzing = false;
      });
  }

  /**
   * Stores a batch in one transaction: all or nothing. An event with the
   * type, source and id of a stored one replaces it; within one batch the
   * last one wins.
   *
   * Rows are written in the order of their identity, whatever order they
   * arrived in: two batches naming the same events then lock them in the
   * same order and cannot deadlock. A transaction that still loses a race
   * (a serialisation failure) is run again, a few times at most.
   */
  async upsert(events: NormalizedEvent[]): Promise<number> {
    const written = await retryOnWriteConflict(() =>
      this.db.transaction(tx => this.writeIn(tx, events)),
    );
    this.analyzeAfterBulkWrites(written.facts);
    return written.rows;
  }

  /**
   * Stores events that are completed from what is stored (an update merged
   * with the stored event, a deployment's changes, an incident's
   * deployment), reading and writing in one transaction. On PostgreSQL the
   * events' identities are locked first (advisory locks, taken in one order,
   * held to the commit), so two deliveries of the same incident, on any
   * replicas, complete and write one after the other and never overwrite
   * each other with what they read before; SQLite runs one write
   * transaction at a time anyway.
   */
  async upsertCompleted(
    identities: Array<{ type: EventType; source: string; id: string }>,
    complete: (lookups: SourceLookups) => Promise<NormalizedEvent[]>,
  ): Promise<number> {
    const keys = [...new Set(identities.map(i => JSON.stringify([i.type, i.source, i.id])))].sort();
    const written = await retryOnWriteConflict(() =>
      this.db.transaction(async tx => {
        if (this.facts.postgres) {
          for (const key of keys) {
            await tx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`devops_personas:${key}`]);
          }
        }
        return this.writeIn(tx, await complete(new SourceLookups(tx)));
      }),
    );
    this.analyzeAfterBulkWrites(written.facts);
    return written.rows;
  }

  /** Writes events and their facts inside a transaction. */
  private async writeIn(tx: Knex.Transaction, events: NormalizedEvent[]): Promise<{ rows: number; facts: number }> {
    const byIdentity = new Map<string, NormalizedEvent>();
    for (const event of events) {
      byIdentity.set(JSON.stringify([event.type, event.source, event.id]), event);
    }
    const now = Date.now();
    const sorted = [...byIdentity.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const rows = sorted.map(([, event]) => ({
      type: event.type,
      source: event.source,
      event_id: event.id,
      entity_ref: event.entityRef,
      time_ms: event.timeMs,
      payload: JSON.stringify(event.payload),
      received_ms: now,
    }));
    // The facts the KPIs count, written with their events: a resend
    // replaces both, and a deployment's change ids are named anew.
    const facts: FactRow[] = [];
    const links: DeploymentChangeRow[] = [];
    const deployments: Array<[string, string]> = [];
    for (const [, event] of sorted) {
      const derived = deriveFacts(event);
      if (!derived) continue;
      facts.push(derived.fact);
      links.push(...derived.links);
      if (event.type === 'deployment') deployments.push([event.source, event.id]);
    }
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await tx(TABLE)
        .insert(rows.slice(i, i + INSERT_CHUNK))
        .onConflict(['type', 'source', 'event_id'])
        .merge(['entity_ref', 'time_ms', 'payload', 'received_ms']);
    }
    for (let i = 0; i < facts.length; i += INSERT_CHUNK) {
      await tx(FACTS_TABLE)
        .insert(facts.slice(i, i + INSERT_CHUNK))
        .onConflict(['type', 'source', 'event_id'])
        .merge([...FACT_MERGE_COLUMNS]);
    }
    for (let i = 0; i < deployments.length; i += INSERT_CHUNK) {
      await tx(LINKS_TABLE)
        .whereIn(['deployment_source', 'deployment_id'], deployments.slice(i, i + INSERT_CHUNK))
        .delete();
    }
    for (let i = 0; i < links.length; i += INSERT_CHUNK) {
      await tx(LINKS_TABLE).insert(links.slice(i, i + INSERT_CHUNK));
    }
    return { rows: rows.length, facts: facts.length };
  }

  /** Events of the given entities and types whose time is before `untilMs`. */
  async list(options: {
    entityRefs: string[];
    types: EventType[];
    untilMs: number;
    fromMs?: number;
  }): Promise<EventRow[]> {
    if (!options.entityRefs.length || !options.types.length) return [];
    const rows: Array<{ type: EventType; entity_ref: string; time_ms: string | number; payload: string }> = [];
    // Chunked so that a Domain rollup over many Components stays within
    // SQLite's bound-variable limit.
    for (let i = 0; i < options.entityRefs.length; i += INSERT_CHUNK) {
      const query = this.db(TABLE)
        .select('type', 'entity_ref', 'time_ms', 'payload')
        .whereIn('entity_ref', options.entityRefs.slice(i, i + INSERT_CHUNK))
        // Literal types (from the code's own list, never from a request):
        // SQLite then sees `type = 'sli'` and uses the partial SLI index.
        .whereRaw(`type IN (${options.types.map(typeLiteral).join(', ')})`)
        .where('time_ms', '<', options.untilMs);
      if (options.fromMs !== undefined) query.where('time_ms', '>=', options.fromMs);
      // One by one: spreading 100,000 rows as arguments overflows the stack.
      for (const row of await query) rows.push(row);
    }
    return rows.map(row => ({
      type: row.type,
      entityRef: row.entity_ref,
      timeMs: Number(row.time_ms),
      payload: JSON.parse(row.payload),
    }));
  }

  /**
   * The entities that have events, in ref order, a page at a time (the
   * notification run walks them all without holding them all).
   */
  async entitiesWithEvents(after: string | undefined, limit: number): Promise<string[]> {
    const query = this.db(TABLE).distinct('entity_ref').orderBy('entity_ref').limit(limit);
    if (after !== undefined) query.where('entity_ref', '>', after);
    const rows: Array<{ entity_ref: string }> = await query;
    return rows.map(row => row.entity_ref);
  }

  /** Counts stored events (for tests and diagnostics). */
  async count(): Promise<number> {
    const [{ n }] = await this.db(TABLE).count({ n: '*' });
    return Number(n);
  }
}
