// @ts-check

/**
 * Notifications (SPEC §9): the last state seen of each condition watched on
 * an entity (a KPI met or missed, a DORA tier, an SLO objective's alert, the
 * guardrail, overdue critical vulnerabilities) and of each weekly review
 * sent, so that a notification goes out once per change of state, recovery
 * once, and two replicas never both send it: a change is claimed by an
 * update that only one of them can win.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('devops_personas_notification_states', table => {
    table.comment('The last state of each condition the notifications watch');
    table.string('entity_ref', 255).notNullable();
    table
      .string('condition', 255)
      .notNullable()
      .comment('kpi:<id>, tier:<id>, slo:<name>:<objective>, guardrail, vulnerabilities, review:<week>');
    table
      .string('state', 64)
      .notNullable()
      .comment('met, missed, a tier, page, ticket, ok, raised, clear, a count, sent');
    table
      .boolean('open')
      .notNullable()
      .defaultTo(false)
      .comment('A problem was notified and its recovery not yet');
    table
      .string('told', 64)
      .nullable()
      .comment('The widest problem state notified since it opened (an SLO page): its updates and recovery go to all told');
    table
      .boolean('dry_run')
      .notNullable()
      .defaultTo(false)
      .comment('Recorded in dry-run mode (logged, not sent)');
    table.bigInteger('updated_ms').notNullable();
    table.primary(['entity_ref', 'condition']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('devops_personas_notification_states');
};
