// @ts-check

/**
 * KPI facts: what the KPI definitions of SPEC §4 read from an event, as typed
 * and indexed columns, so that a KPI is counted in the database over its
 * window instead of parsing every payload of an entity's history.
 *
 * - devops_personas_facts: one row per KPI event (every type but `sli`),
 *   with the event's identity (type, source, event_id), so a resend replaces
 *   its fact as it replaces its event.
 * - devops_personas_deployment_changes: one row per change id named by a
 *   production deployment that reached production: lead time joins changes
 *   to their first deployment through it.
 *
 * Existing events are moved into both tables here, in batches.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devops_personas_facts', table => {
    table.comment('Typed KPI facts of devops_personas_events, written at ingest');
    table.bigIncrements('pk').primary();
    table.string('type', 32).notNullable();
    table.string('source', 255).notNullable().defaultTo('');
    table.string('event_id', 255).notNullable();
    table.string('entity_ref', 255).notNullable();
    table
      .bigInteger('at_ms')
      .notNullable()
      .comment("The event's time field: finishedAt, createdAt, startedAt, firedAt, detectedAt, timestamp");
    table
      .bigInteger('end_ms')
      .nullable()
      .comment('resolvedAt (incident), fixedAt (vulnerability), mergedAt (change), closedAt (postmortem action)');
    table.bigInteger('due_ms').nullable().comment('Postmortem action: dueAt, else createdAt + 30 days');
    table.bigInteger('dismissed_ms').nullable().comment('Vulnerability: dismissedAt');
    table
      .string('status', 32)
      .nullable()
      .comment('Deployment or pipeline-run status; vulnerability severity');
    table.boolean('production').nullable().comment('Deployment: environment is production');
    table.boolean('rework').nullable().comment('Deployment: rework');
    table.boolean('actionable').nullable().comment('Alert: actionable');
    table.boolean('flaky').nullable().comment('Pipeline run: flaky');
    table.boolean('customer_impacting').nullable().comment('Incident: customerImpacting');
    table.string('caused_by', 255).nullable().comment('Incident: causedByDeploymentId');
    table.string('kpi', 255).nullable().comment('Measurement: kpi');
    table.double('value').nullable().comment('Measurement: value');
    table.unique(['type', 'source', 'event_id'], { indexName: 'devops_personas_facts_identity_idx' });
    table.index(['entity_ref', 'type', 'at_ms'], 'devops_personas_facts_at_idx');
    // The other indexes are partial: a fact pays only for those it is found
    // by (most facts are pipeline runs, alerts and deployments).
    table.index(['entity_ref', 'type', 'end_ms'], 'devops_personas_facts_end_idx', {
      predicate: knex.whereNotNull('end_ms'),
    });
    table.index(['entity_ref', 'type', 'due_ms'], 'devops_personas_facts_due_idx', {
      predicate: knex.whereNotNull('due_ms'),
    });
    // Lookups by id lead with the id and have three equal columns, so that
    // even without statistics SQLite prefers them to the time indexes.
    // change-failure-rate: is this deployment named by an incident of the set?
    table.index(['caused_by', 'type', 'entity_ref'], 'devops_personas_facts_caused_by_idx', {
      predicate: knex.whereNotNull('caused_by'),
    });
    // lead time: the changes named by a window's deployments
    table.index(['event_id', 'type', 'entity_ref'], 'devops_personas_facts_change_idx', {
      predicate: knex.whereRaw("type = 'change'"),
    });
  });

  await knex.schema.createTable('devops_personas_deployment_changes', table => {
    table.comment('Change ids named by production deployments that reached production');
    table.string('deployment_source', 255).notNullable();
    table.string('deployment_id', 255).notNullable();
    table.string('change_id', 255).notNullable();
    table.string('entity_ref', 255).notNullable().comment("The deployment's entity");
    table.bigInteger('finished_ms').notNullable().comment("The deployment's finishedAt");
    table.primary(['deployment_source', 'deployment_id', 'change_id']);
    table.index(['entity_ref', 'finished_ms'], 'devops_personas_deployment_changes_time_idx');
    // a change's first deployment in the set
    table.index(['change_id', 'entity_ref', 'finished_ms'], 'devops_personas_deployment_changes_change_idx');
  });

  // Events are now read by entity and time only for SLIs (KPIs read facts):
  // the events' time index keeps only those rows, and other writes skip it.
  await knex.schema.alterTable('devops_personas_events', table => {
    table.dropIndex([], 'devops_personas_events_entity_type_time_idx');
  });
  await knex.schema.alterTable('devops_personas_events', table => {
    table.index(['entity_ref', 'type', 'time_ms'], 'devops_personas_events_sli_time_idx', {
      predicate: knex.whereRaw("type = 'sli'"),
    });
  });

  // Move existing events, in pk order and batches, so memory stays flat on a
  // large history.
  const BATCH = 1000;
  for (let after = 0; ; ) {
    const rows = await knex('devops_personas_events')
      .select('pk', 'type', 'source', 'event_id', 'entity_ref', 'time_ms', 'payload')
      .where('pk', '>', after)
      .whereNot('type', 'sli')
      .orderBy('pk')
      .limit(BATCH);
    if (!rows.length) break;
    after = Number(rows[rows.length - 1].pk);
    const facts = [];
    const links = [];
    for (const row of rows) {
      const derived = deriveFacts(row);
      facts.push(derived.fact);
      links.push(...derived.links);
    }
    for (let i = 0; i < facts.length; i += 200) {
      await knex('devops_personas_facts').insert(facts.slice(i, i + 200));
    }
    for (let i = 0; i < links.length; i += 200) {
      await knex('devops_personas_deployment_changes')
        .insert(links.slice(i, i + 200))
        .onConflict(['deployment_source', 'deployment_id', 'change_id'])
        .ignore();
    }
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devops_personas_deployment_changes');
  await knex.schema.dropTable('devops_personas_facts');
  await knex.schema.alterTable('devops_personas_events', table => {
    table.dropIndex([], 'devops_personas_events_sli_time_idx');
  });
  await knex.schema.alterTable('devops_personas_events', table => {
    table.index(['entity_ref', 'type', 'time_ms'], 'devops_personas_events_entity_type_time_idx');
  });
};

exports.deriveFacts = deriveFacts;

/**
 * The facts of one stored event, as of this migration. The running plugin
 * derives them in src/database/facts.ts; this copy is frozen with the
 * migration, as migrations must be. (Exported for the benchmark's raw
 * insert, which writes the same rows as the store.)
 *
 * @param {{ type: string, source: string, event_id: string, entity_ref: string, time_ms: string | number, payload: string }} row
 */
function deriveFacts(row) {
  const p = JSON.parse(row.payload);
  const ms = (/** @type {unknown} */ v) => (typeof v === 'string' ? Date.parse(v) : null);
  const atMs = Number(row.time_ms);
  /** @type {Record<string, unknown>} */
  const fact = {
    type: row.type,
    source: row.source,
    event_id: row.event_id,
    entity_ref: row.entity_ref,
    at_ms: atMs,
  };
  /** @type {Array<Record<string, unknown>>} */
  const links = [];
  switch (row.type) {
    case 'deployment': {
      const production = p.environment === 'production';
      fact.status = p.status;
      fact.production = production;
      fact.rework = p.rework === true;
      if (production && (p.status === 'success' || p.status === 'rolled_back')) {
        for (const changeId of new Set(Array.isArray(p.changeIds) ? p.changeIds : [])) {
          links.push({
            deployment_source: row.source,
            deployment_id: row.event_id,
            change_id: changeId,
            entity_ref: row.entity_ref,
            finished_ms: atMs,
          });
        }
      }
      break;
    }
    case 'change':
      fact.end_ms = ms(p.mergedAt);
      break;
    case 'incident':
      fact.end_ms = ms(p.resolvedAt);
      fact.customer_impacting = p.customerImpacting === true;
      fact.caused_by = typeof p.causedByDeploymentId === 'string' ? p.causedByDeploymentId : null;
      break;
    case 'alert':
      fact.actionable = p.actionable !== false;
      break;
    case 'vulnerability':
      fact.status = p.severity;
      fact.end_ms = ms(p.fixedAt);
      fact.dismissed_ms = ms(p.dismissedAt);
      break;
    case 'pipeline-run':
      fact.status = p.status;
      fact.flaky = p.flaky === true;
      break;
    case 'postmortem-action':
      fact.due_ms = ms(p.dueAt) ?? atMs + 30 * 86_400_000;
      fact.end_ms = ms(p.closedAt);
      break;
    case 'measurement':
      fact.kpi = p.kpi;
      fact.value = Number(p.value);
      break;
    default:
      break;
  }
  return { fact, links };
}
