// @ts-check

/**
 * failed-deployment-recovery-time looks up the deployment each resolved
 * incident names (`caused_by`) by its id: an index that leads with the id,
 * as the change lookup of lead time does.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('devops_personas_facts', table => {
    table.index(['event_id', 'type', 'entity_ref'], 'devops_personas_facts_deployment_idx', {
      predicate: knex.whereRaw("type = 'deployment'"),
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('devops_personas_facts', table => {
    table.dropIndex(['event_id', 'type', 'entity_ref'], 'devops_personas_facts_deployment_idx');
  });
};
