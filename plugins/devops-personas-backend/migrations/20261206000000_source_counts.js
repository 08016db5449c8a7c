// @ts-check

/**
 * Event sources (SPEC §8): what each source received, stored and dropped,
 * and its last error, kept in the database so that every replica answers
 * `GET /v1/sources` alike and a restart loses nothing.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devops_personas_source_counts', table => {
    table.comment('Counts of each event source');
    table.string('source_id', 255).notNullable();
    table
      .string('outcome', 255)
      .notNullable()
      .comment("received, stored, dropped:<reason>, or ignored:<the source's own reason>");
    table.bigInteger('count').notNullable().defaultTo(0);
    table.primary(['source_id', 'outcome']);
  });
  await knex.schema.createTable('devops_personas_source_errors', table => {
    table.comment('The last error of each event source');
    table.string('source_id', 255).notNullable().primary();
    table.bigInteger('at_ms').notNullable();
    table.string('reason', 64).notNullable();
    table.text('message').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devops_personas_source_errors');
  await knex.schema.dropTable('devops_personas_source_counts');
};
