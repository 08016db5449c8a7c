// @ts-check

/**
 * Delivery and operations events (SPEC §6). One row per type + source + id:
 * a resend replaces the row, so retries never double count.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devops_personas_events', table => {
    table.comment('Delivery and operations events sent to DevOps Personas');
    table.bigIncrements('pk').primary();
    table.string('type', 32).notNullable().comment('deployment, change, incident, …');
    table
      .string('source', 255)
      .notNullable()
      .defaultTo('')
      .comment('The sending tool; empty when not given');
    table.string('event_id', 255).notNullable().comment('Unique per type and source');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Full lower-case ref; the entity need not be in the catalog yet');
    table
      .bigInteger('time_ms')
      .notNullable()
      .comment("Epoch milliseconds (UTC) of the event's time field, e.g. finishedAt");
    table.text('payload').notNullable().comment('The normalised event as JSON');
    table.bigInteger('received_ms').notNullable();
    table.unique(['type', 'source', 'event_id'], {
      indexName: 'devops_personas_events_identity_idx',
    });
    // Serves every KPI read: the events of a few entities, of some types, before `until`.
    table.index(['entity_ref', 'type', 'time_ms'], 'devops_personas_events_entity_type_time_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devops_personas_events');
};
