import { Knex } from 'knex';
import { Segments } from '../kpis/segments';
import { TimeWindow } from '../kpis/window';

const FACTS = 'devops_personas_facts';
const LINKS = 'devops_personas_deployment_changes';
const EVENTS = 'devops_personas_events';

/** A piece of SQL with its bindings. */
export interface Sql {
  sql: string;
  bindings: unknown[];
}

/** The entities whose facts count, and the time before which facts are known. */
export interface FactScope {
  entityRefs: string[];
  untilMs: number;
}

/** The time column a family's facts are placed in a window by. */
export type FactTime = 'at_ms' | 'end_ms' | 'due_ms';

/**
 * Which facts a family of KPIs reads, written against the alias `f`. Every
 * fact counted has `at_ms < until`; a family placed by `end_ms` also needs
 * `end_ms < until` (a resolution after `until` is not known yet).
 */
export interface FactFamily {
  type: string;
  time: FactTime;
  /** Extra SQL condition on `f`; a function for one that depends on the scope. */
  where?: string | ((scope: ScopeSql) => Sql);
  /** Named conditions counted per interval (`SUM(CASE WHEN … THEN 1 ELSE 0 END)`). */
  counts?: Record<string, (scope: ScopeSql) => Sql>;
  /** A number per fact, for medians: SQL on `f` (durations in milliseconds). */
  value?: string;
  /** Measurements: the KPI id the facts are of. */
  kpi?: string;
}

/** One fact behind a KPI value, as explain reads it. */
export interface ExplainedFact {
  payload: Record<string, unknown>;
  /** Whether it meets the KPI's condition (e.g. a failed deployment). */
  hit: boolean;
  /** The family's number for it (a duration in ms, a measurement's value), else null. */
  value: number | null;
  /** Deployments: the id of the first incident of the scope naming it as its cause. */
  causedBy: string | null;
  /** Deployments: how that incident was linked to it (SPEC §8). */
  causedByLink: IncidentLink | null;
}

/** How an incident names the deployment that caused it: sent with it, or inferred by a source. */
export type IncidentLink = 'explicit' | 'last-deployment';

/** How a stored incident that names a deployment was linked to it. */
export function linkOf(incident: Record<string, unknown>): IncidentLink {
  return incident.attribution === 'last-deployment' ? 'last-deployment' : 'explicit';
}

/** Per scope, per interval: `n` (facts) and each named count. */
export type IntervalCounts = Map<number, Record<string, number>>;

/** Per scope: the numbers of a value family, with the interval of each. */
export type IntervalValues = Array<{ interval: number; value: number }>;

/** SQL for one scope: membership in its entity set, and `until`. */
export interface ScopeSql {
  inSet(column: string): Sql;
  /**
   * The same test, written so that SQLite does not pick an index by it: for
   * lookups by id, where a time index on (entity_ref, type, …) would make
   * SQLite scan the entity's whole history instead of seeking the id.
   */
  inSetByLookup(column: string): Sql;
  /** A row source of the set's refs, as `j.value`. */
  refsSource(): Sql;
  until: number;
}

const raw = (sql: string, ...bindings: unknown[]): Sql => ({ sql, bindings });

function join(parts: Sql[], separator: string): Sql {
  return { sql: parts.map(p => p.sql).join(separator), bindings: parts.flatMap(p => p.bindings) };
}

/** A family's own condition, in parentheses. */
function familyCondition(family: FactFamily, s: ScopeSql): Sql {
  const where = typeof family.where === 'function' ? family.where(s) : raw(family.where ?? '1 = 1');
  return { sql: `(${where.sql})`, bindings: where.bindings };
}

/** A PostgreSQL array literal of strings, e.g. `{"a","b"}`. */
function pgTextArray(values: string[]): string {
  return `{${values.map(v => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/**
 * The SQL behind the KPIs: counts and numbers of typed facts over windows,
 * in one statement per family whatever the number of windows or scopes.
 * Every query reads only the ranges asked for (plus, for a change's first
 * deployment or a deployment's incident, index lookups by id).
 */
export class FactQueries {
  /** Whether the database is PostgreSQL (else SQLite). */
  readonly postgres: boolean;

  constructor(private readonly db: Knex) {
    const client = String(db.client.config.client ?? '');
    this.postgres = client === 'pg' || client.includes('postgres');
  }

  scopeSql(scope: FactScope): ScopeSql {
    const refs = scope.entityRefs;
    const until = Math.trunc(scope.untilMs);
    const postgres = this.postgres;
    return {
      until,
      inSet(column) {
        // One binding for the whole set: no limit on the number of refs.
        // (PostgreSQL gets the array even for one ref: `= ?` on the ref of a
        // large service led it to scan that service's whole history.)
        if (!postgres && refs.length === 1) return raw(`${column} = ?`, refs[0]);
        return postgres
          ? raw(`${column} = ANY(?::text[])`, pgTextArray(refs))
          : raw(`${column} IN (SELECT value FROM json_each(?))`, JSON.stringify(refs));
      },
      inSetByLookup(column) {
        // `|| ''` hides the column from SQLite's index choice; PostgreSQL
        // plans by statistics and gets the plain column.
        return this.inSet(postgres ? column : `${column} || ''`);
      },
      refsSource() {
        return postgres
          ? raw(`unnest(?::text[]) AS j(value)`, pgTextArray(refs))
          : raw(`json_each(?) AS j`, JSON.stringify(refs));
      },
    };
  }

  /** The conditions every fact of a family meets, bar the windows. */
  private familyWhere(family: FactFamily, s: ScopeSql): Sql {
    const parts = [
      s.inSet('f.entity_ref'),
      raw(`f.type = ?`, family.type),
      raw(`f.at_ms < ${s.until}`),
    ];
    if (family.time === 'end_ms') parts.push(raw(`f.end_ms < ${s.until}`));
    if (family.where) parts.push(familyCondition(family, s));
    if (family.kpi !== undefined) parts.push(raw(`f.kpi = ?`, family.kpi));
    return join(parts, ' AND ');
  }

  /**
   * The family's facts in the segments' ranges, one index range scan per
   * range (an OR of ranges would make the database scan from the first to
   * the last, years apart when a baseline is old).
   */
  private rowsInRanges(family: FactFamily, s: ScopeSql, seg: Segments, columns: string): Sql {
    const column = `f.${family.time}`;
    return join(
      seg.ranges.map(r =>
        join(
          [
            raw(`SELECT ${columns} FROM ${FACTS} f WHERE `),
            this.familyWhere(family, s),
            raw(` AND ${column} >= ${r.startMs} AND ${column} < ${r.endMs}`),
          ],
          '',
        ),
      ),
      ' UNION ALL ',
    );
  }

  /**
   * The ids of the changes named by the scope's deployments in the ranges,
   * each with its first deployment in the scope (which may be years earlier).
   */
  private firstDeployments(s: ScopeSql, ranges: TimeWindow[]): Sql {
    const named = join(
      ranges.map(r =>
        join(
          [
            raw(`SELECT w.change_id FROM ${LINKS} w WHERE `),
            s.inSet('w.entity_ref'),
            raw(` AND w.finished_ms >= ${Math.trunc(r.startMs)} AND w.finished_ms < ${Math.trunc(Math.min(r.endMs, s.until))}`),
          ],
          '',
        ),
      ),
      ' UNION ',
    );
    // Aggregated, not a correlated subquery: PostgreSQL would run that once
    // for every mention of first_ms.
    return join(
      [
        raw(`SELECT y.change_id, MIN(l.finished_ms) AS first_ms FROM (`),
        named,
        raw(`) y CROSS JOIN ${LINKS} l WHERE l.change_id = y.change_id AND `),
        s.inSet('l.entity_ref'),
        raw(` AND l.finished_ms < ${s.until} GROUP BY y.change_id`),
      ],
      '',
    );
  }

  private async run<T>(statement: Sql): Promise<T[]> {
    const result = await this.db.raw(statement.sql, statement.bindings as any[]);
    return (this.postgres ? result.rows : result) as T[];
  }

  /**
   * One SELECT per scope that has entities and windows, each tagged with the
   * scope's index (`s`): the scopes of a request share one statement.
   */
  private perScope(
    scopes: FactScope[],
    segments: Segments[],
    select: (s: ScopeSql, seg: Segments, index: number) => Sql,
  ): Sql | undefined {
    const selects = scopes.flatMap((scope, index) =>
      segments[index].isEmpty || !scope.entityRefs.length
        ? []
        : [select(this.scopeSql(scope), segments[index], index)],
    );
    return selects.length ? join(selects, ' UNION ALL ') : undefined;
  }

  /**
   * Counts per scope and interval: `n` and the family's named counts.
   * One statement for all scopes (UNION ALL), grouped in the database.
   */
  async counts(
    family: FactFamily,
    scopes: FactScope[],
    segments: Segments[],
  ): Promise<IntervalCounts[]> {
    const names = Object.keys(family.counts ?? {});
    const column = `f.${family.time}`;
    const statement = this.perScope(scopes, segments, (s, seg, index) =>
      join(
        [
          raw(`SELECT ${index} AS s, ${seg.intervalSql(column)} AS k, COUNT(*) AS n`),
          ...names.map((name, i) => {
            const condition = family.counts![name](s);
            return { ...condition, sql: `, SUM(CASE WHEN ${condition.sql} THEN 1 ELSE 0 END) AS c${i}` };
          }),
          raw(` FROM (`),
          this.rowsInRanges(family, s, seg, 'f.*'),
          raw(`) f GROUP BY 1, 2`),
        ],
        '',
      ),
    );
    const out: IntervalCounts[] = scopes.map(() => new Map());
    if (!statement) return out;
    for (const row of await this.run<Record<string, string | number>>(statement)) {
      const counts: Record<string, number> = { n: Number(row.n) };
      names.forEach((name, i) => {
        counts[name] = Number(row[`c${i}`] ?? 0);
      });
      out[Number(row.s)].set(Number(row.k), counts);
    }
    return out;
  }

  /** The numbers of a value family per scope, each with its interval. */
  values(family: FactFamily, scopes: FactScope[], segments: Segments[]): Promise<IntervalValues[]> {
    const column = `f.${family.time}`;
    const statement = this.perScope(scopes, segments, (s, seg, index) =>
      join(
        [
          raw(`SELECT ${index} AS s, ${seg.intervalSql(column)} AS k, v FROM (`),
          this.rowsInRanges(family, s, seg, `${column}, ${family.value} AS v`),
          raw(`) f`),
        ],
        '',
      ),
    );
    return this.collectValues(statement, scopes.length);
  }

  private async collectValues(statement: Sql | undefined, scopeCount: number): Promise<IntervalValues[]> {
    const out: IntervalValues[] = Array.from({ length: scopeCount }, () => []);
    if (!statement) return out;
    for (const row of await this.run<{ s: number | string; k: number | string; v: number | string }>(statement)) {
      out[Number(row.s)].push({ interval: Number(row.k), value: Number(row.v) });
    }
    return out;
  }

  /**
   * Lead times (first deployment − change creation, in milliseconds, ≤ 0
   * included) of the changes whose first deployment in the scope falls in
   * the segments. Read from the deployments inside the ranges: a change
   * created or deployed long before stays a lookup by id.
   */
  leadTimes(scopes: FactScope[], segments: Segments[]): Promise<IntervalValues[]> {
    const statement = this.perScope(scopes, segments, (s, seg, index) =>
      join(
        [
          raw(`SELECT ${index} AS s, ${seg.intervalSql('x.first_ms')} AS k, x.first_ms - c.at_ms AS v FROM (`),
          this.firstDeployments(s, seg.ranges),
          // CROSS JOIN: SQLite keeps this order (the few changes named in
          // the ranges first, then a lookup of each by id)
          raw(`) x CROSS JOIN ${FACTS} c WHERE c.event_id = x.change_id AND c.type = 'change' AND `),
          s.inSetByLookup('c.entity_ref'),
          raw(` AND c.at_ms < ${s.until} AND ${seg.rangesSql('x.first_ms')}`),
        ],
        '',
      ),
    );
    return this.collectValues(statement, scopes.length);
  }

  /**
   * When each family's data starts in a scope (its earliest time column
   * value), for the baseline: one statement for all families, each a
   * per-entity index seek.
   */
  async firstTimes(
    families: Array<FactFamily | 'lead-time'>,
    scope: FactScope,
  ): Promise<Array<number | undefined>> {
    if (!families.length || !scope.entityRefs.length) return families.map(() => undefined);
    const s = this.scopeSql(scope);
    // One entity (the usual case): its ref bound as a value, so that
    // PostgreSQL plans with that entity's statistics and walks the time
    // index in order, stopping at the first fact.
    const single = scope.entityRefs.length === 1;
    const entity = single ? raw('?', scope.entityRefs[0]) : raw('j.value');
    const selects = families.map((family, i) => {
      let inner: Sql;
      if (family === 'lead-time') {
        inner = join(
          [
            raw(`SELECT l.finished_ms FROM ${LINKS} l WHERE l.entity_ref = `),
            entity,
            raw(` AND l.finished_ms < ${s.until} AND EXISTS (SELECT 1 FROM ${FACTS} c WHERE c.event_id = l.change_id AND c.type = 'change' AND c.at_ms < ${s.until} AND `),
            s.inSetByLookup('c.entity_ref'),
            raw(`) ORDER BY l.finished_ms LIMIT 1`),
          ],
          '',
        );
      } else {
        const column = `f.${family.time}`;
        const where = [
          join([raw('f.entity_ref = '), entity], ''),
          raw(`f.type = ? AND f.at_ms < ${s.until} AND ${column} IS NOT NULL`, family.type),
        ];
        if (family.time === 'end_ms') where.push(raw(`f.end_ms < ${s.until}`));
        if (family.where) where.push(familyCondition(family, s));
        if (family.kpi !== undefined) where.push(raw(`f.kpi = ?`, family.kpi));
        inner = join(
          [raw(`SELECT ${column} FROM ${FACTS} f WHERE `), join(where, ' AND '), raw(` ORDER BY ${column} LIMIT 1`)],
          '',
        );
      }
      if (single) return join([raw(`SELECT ${i} AS i, (`), inner, raw(`) AS t`)], '');
      return join([raw(`SELECT ${i} AS i, MIN((`), inner, raw(`)) AS t FROM `), s.refsSource()], '');
    });
    const rows = await this.run<{ i: number | string; t: number | string | null }>(join(selects, ' UNION ALL '));
    const out: Array<number | undefined> = families.map(() => undefined);
    for (const row of rows) {
      if (row.t !== null && row.t !== undefined) out[Number(row.i)] = Number(row.t);
    }
    return out;
  }

  /**
   * Facts of a family in one window, with whether each meets `hit`, their
   * payloads, their own number (the family's `value`, e.g. a duration in
   * ms) and, for deployments, the first incident of the scope naming each.
   */
  async explain(
    family: FactFamily,
    scope: FactScope,
    window: TimeWindow,
    hit?: (scope: ScopeSql) => Sql,
    only?: (scope: ScopeSql) => Sql,
  ): Promise<ExplainedFact[]> {
    if (!scope.entityRefs.length) return [];
    const s = this.scopeSql(scope);
    const column = `f.${family.time}`;
    const hitSql = hit ? hit(s) : raw('1 = 1');
    const causedBy =
      family.type === 'deployment'
        ? join(
            [
              raw(`(SELECT ie.payload FROM ${FACTS} i JOIN ${EVENTS} ie ON ie.type = i.type AND ie.source = i.source AND ie.event_id = i.event_id WHERE i.caused_by = f.event_id AND i.type = 'incident' AND i.at_ms < ${s.until} AND `),
              s.inSetByLookup('i.entity_ref'),
              raw(` ORDER BY i.at_ms, i.pk LIMIT 1)`),
            ],
            '',
          )
        : raw('NULL');
    const parts = [
      raw(`SELECT e.payload, CASE WHEN `),
      hitSql,
      raw(` THEN 1 ELSE 0 END AS hit, ${family.value ?? 'NULL'} AS v, `),
      causedBy,
      raw(` AS caused FROM ${FACTS} f JOIN ${EVENTS} e ON e.type = f.type AND e.source = f.source AND e.event_id = f.event_id WHERE `),
      this.familyWhere(family, s),
      raw(` AND ${column} >= ${Math.trunc(window.startMs)} AND ${column} < ${Math.trunc(window.endMs)}`),
    ];
    if (only) parts.push(raw(' AND ('), only(s), raw(')'));
    parts.push(raw(` ORDER BY ${column}, f.pk`));
    const rows = await this.run<{ payload: string; hit: number | string; v: number | string | null; caused: string | null }>(
      join(parts, ''),
    );
    return rows.map(row => {
      const incident = row.caused ? (JSON.parse(row.caused) as Record<string, unknown>) : undefined;
      return {
        payload: JSON.parse(row.payload),
        hit: Number(row.hit) === 1,
        value: row.v === null || row.v === undefined ? null : Number(row.v),
        causedBy: incident ? String(incident.id) : null,
        causedByLink: incident ? linkOf(incident) : null,
      };
    });
  }

  /** The changes whose first deployment in the scope finished in the window, with that deployment. */
  async explainLeadTimes(
    scope: FactScope,
    window: TimeWindow,
  ): Promise<Array<{ change: Record<string, unknown>; deployment: Record<string, unknown>; ms: number }>> {
    if (!scope.entityRefs.length) return [];
    const s = this.scopeSql(scope);
    const start = Math.trunc(window.startMs);
    const end = Math.trunc(window.endMs);
    const statement = join(
      [
        raw(`SELECT ce.payload AS change_payload, de.payload AS deployment_payload, x.first_ms - c.at_ms AS v FROM (`),
        this.firstDeployments(s, [window]),
        raw(`) x CROSS JOIN ${FACTS} c JOIN ${EVENTS} ce ON ce.type = c.type AND ce.source = c.source AND ce.event_id = c.event_id`),
        raw(` JOIN ${EVENTS} de ON de.pk = (SELECT d.pk FROM ${LINKS} l2 JOIN ${EVENTS} d ON d.type = 'deployment' AND d.source = l2.deployment_source AND d.event_id = l2.deployment_id WHERE l2.change_id = x.change_id AND l2.finished_ms = x.first_ms AND `),
        s.inSet('l2.entity_ref'),
        raw(` ORDER BY d.pk LIMIT 1) WHERE c.event_id = x.change_id AND c.type = 'change' AND `),
        s.inSetByLookup('c.entity_ref'),
        raw(` AND c.at_ms < ${s.until} AND x.first_ms > c.at_ms AND x.first_ms >= ${start} AND x.first_ms < ${end} ORDER BY x.first_ms, c.pk`),
      ],
      '',
    );
    const rows = await this.run<{ change_payload: string; deployment_payload: string; v: number | string }>(statement);
    return rows.map(row => ({
      change: JSON.parse(row.change_payload),
      deployment: JSON.parse(row.deployment_payload),
      ms: Number(row.v),
    }));
  }

  /** Critical vulnerabilities open at `until` (neither fixed nor dismissed before it) and detected before `beforeMs`. */
  async openCriticalVulnerabilities(scope: FactScope, beforeMs: number): Promise<number> {
    if (!scope.entityRefs.length) return 0;
    const s = this.scopeSql(scope);
    const rows = await this.run<{ n: number | string }>(
      join(
        [
          raw(`SELECT COUNT(*) AS n FROM ${FACTS} f WHERE `),
          s.inSet('f.entity_ref'),
          raw(
            ` AND f.type = 'vulnerability' AND f.status = 'critical' AND f.at_ms < ${Math.trunc(Math.min(beforeMs, s.until))}` +
              ` AND (f.end_ms IS NULL OR f.end_ms >= ${s.until}) AND (f.dismissed_ms IS NULL OR f.dismissed_ms >= ${s.until})`,
          ),
        ],
        '',
      ),
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * The overdue critical vulnerabilities themselves (the weekly review's
   * lines), oldest first: the same condition as
   * {@link FactQueries.openCriticalVulnerabilities}, at most `limit`.
   */
  async overdueCriticalVulnerabilities(
    scope: FactScope,
    beforeMs: number,
    limit: number,
  ): Promise<Array<{ payload: Record<string, unknown>; entityRef: string; atMs: number }>> {
    if (!scope.entityRefs.length) return [];
    const s = this.scopeSql(scope);
    const rows = await this.run<{ payload: string; entity_ref: string; at_ms: number | string }>(
      join(
        [
          raw(`SELECT e.payload, f.entity_ref, f.at_ms FROM ${FACTS} f JOIN ${EVENTS} e ON e.type = f.type AND e.source = f.source AND e.event_id = f.event_id WHERE `),
          s.inSet('f.entity_ref'),
          raw(
            ` AND f.type = 'vulnerability' AND f.status = 'critical' AND f.at_ms < ${Math.trunc(Math.min(beforeMs, s.until))}` +
              ` AND (f.end_ms IS NULL OR f.end_ms >= ${s.until}) AND (f.dismissed_ms IS NULL OR f.dismissed_ms >= ${s.until})` +
              ` ORDER BY f.at_ms, f.entity_ref, f.pk LIMIT ${Math.trunc(limit)}`,
          ),
        ],
        '',
      ),
    );
    return rows.map(row => ({ payload: JSON.parse(row.payload), entityRef: row.entity_ref, atMs: Number(row.at_ms) }));
  }

  /**
   * Postmortem actions created before `until`, still open at it (not closed
   * before it) and due before `dueBeforeMs`, earliest due first, at most
   * `limit`.
   */
  async openPostmortemActions(
    scope: FactScope,
    dueBeforeMs: number,
    limit: number,
  ): Promise<Array<{ payload: Record<string, unknown>; entityRef: string; dueMs: number }>> {
    if (!scope.entityRefs.length) return [];
    const s = this.scopeSql(scope);
    const rows = await this.run<{ payload: string; entity_ref: string; due_ms: number | string }>(
      join(
        [
          raw(`SELECT e.payload, f.entity_ref, f.due_ms FROM ${FACTS} f JOIN ${EVENTS} e ON e.type = f.type AND e.source = f.source AND e.event_id = f.event_id WHERE `),
          s.inSet('f.entity_ref'),
          raw(
            ` AND f.type = 'postmortem-action' AND f.due_ms IS NOT NULL AND f.due_ms < ${Math.trunc(dueBeforeMs)} AND f.at_ms < ${s.until}` +
              ` AND (f.end_ms IS NULL OR f.end_ms >= ${s.until})` +
              ` ORDER BY f.due_ms, f.entity_ref, f.pk LIMIT ${Math.trunc(limit)}`,
          ),
        ],
        '',
      ),
    );
    return rows.map(row => ({ payload: JSON.parse(row.payload), entityRef: row.entity_ref, dueMs: Number(row.due_ms) }));
  }

  /** The latest measurement of a KPI in a window (ties: the one stored last). */
  async latestMeasurement(scope: FactScope, kpi: string, window: TimeWindow): Promise<number | null> {
    if (!scope.entityRefs.length) return null;
    const s = this.scopeSql(scope);
    const rows = await this.run<{ v: number | string }>(
      join(
        [
          raw(`SELECT f.value AS v FROM ${FACTS} f WHERE `),
          s.inSet('f.entity_ref'),
          raw(
            ` AND f.type = 'measurement' AND f.kpi = ? AND f.at_ms >= ${Math.trunc(window.startMs)} AND f.at_ms < ${Math.trunc(Math.min(window.endMs, s.until))} ORDER BY f.at_ms DESC, f.pk DESC LIMIT 1`,
            kpi,
          ),
        ],
        '',
      ),
    );
    return rows.length ? Number(rows[0].v) : null;
  }
}
