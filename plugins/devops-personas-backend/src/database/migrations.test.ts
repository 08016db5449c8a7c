import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '../__testUtils__/testDatabases';
import fs from 'node:fs';
import { EventStore } from './EventStore';

const migrationsDir = resolvePackagePath(
  '@devops-personas/plugin-devops-personas-backend',
  'migrations',
);
const config = { directory: migrationsDir, tableName: 'devops_personas_knex_migrations' };

describe.each(testDatabaseIds())('migrations on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });

  it('migrates up and all the way down again', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest(config);
    expect(await knex.schema.hasTable('devops_personas_events')).toBe(true);
    await knex('devops_personas_events').insert({
      type: 'deployment',
      source: '',
      event_id: 'd1',
      entity_ref: 'component:default/a',
      time_ms: 1_780_000_000_000,
      payload: '{}',
      received_ms: 1_780_000_000_000,
    });
    // the identity is unique: a plain second insert must fail
    const duplicate = knex('devops_personas_events').insert({
        type: 'deployment',
        source: '',
        event_id: 'd1',
        entity_ref: 'component:default/b',
        time_ms: 1,
        payload: '{}',
        received_ms: 1,
      });
    // (awaited through then(): Jest's .rejects does not drive a knex builder)
    const outcome = await duplicate.then(
      () => ({ ok: true }),
      () => ({ ok: false }),
    );
    expect(outcome.ok).toBe(false);

    await knex.migrate.rollback(config, true);
    expect(await knex.schema.hasTable('devops_personas_events')).toBe(false);
    await knex.migrate.latest(config);
    expect(await knex.schema.hasTable('devops_personas_events')).toBe(true);
  });

  it('lets replicas starting together on a fresh database all come up', async () => {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({ knex });
    const stores = await Promise.all(Array.from({ length: 4 }, () => EventStore.create({ database })));
    expect(stores).toHaveLength(4);
    expect(await stores[3].count()).toBe(0);
    const [{ n }] = await knex('devops_personas_knex_migrations').count({ n: '*' });
    expect(Number(n)).toBe(fs.readdirSync(migrationsDir).filter(f => f.endsWith('.js')).length);
  });

  it('moves stored events into facts on the way up, and drops only the facts on the way down', async () => {
    const knex = await databases.init(databaseId);
    // the schema as it was before the facts
    await knex.migrate.up({ ...config, name: '20261123000000_events.js' });
    const t = (iso: string) => Date.parse(iso);
    const row = (type: string, id: string, timeIso: string, payload: Record<string, unknown>) => ({
      type,
      source: 'ci',
      event_id: id,
      entity_ref: 'component:default/a',
      time_ms: t(timeIso),
      payload: JSON.stringify({ type, id, source: 'ci', entityRef: 'component:default/a', ...payload }),
      received_ms: 1,
    });
    await knex('devops_personas_events').insert([
      row('deployment', 'd1', '2026-06-10T00:00:00Z', {
        finishedAt: '2026-06-10T00:00:00.000Z',
        status: 'rolled_back',
        environment: 'production',
        changeIds: ['c1', 'c2', 'c1'],
        rework: true,
      }),
      row('deployment', 'd2', '2026-06-11T00:00:00Z', {
        finishedAt: '2026-06-11T00:00:00.000Z',
        status: 'failure',
        environment: 'production',
        changeIds: ['c3'],
        rework: false,
      }),
      row('change', 'c1', '2026-06-01T00:00:00Z', { createdAt: '2026-06-01T00:00:00.000Z', mergedAt: '2026-06-02T00:00:00.000Z' }),
      row('incident', 'i1', '2026-06-10T01:00:00Z', {
        startedAt: '2026-06-10T01:00:00.000Z',
        resolvedAt: '2026-06-10T03:00:00.000Z',
        customerImpacting: true,
        causedByDeploymentId: 'd1',
      }),
      row('postmortem-action', 'p1', '2026-06-12T00:00:00Z', { createdAt: '2026-06-12T00:00:00.000Z' }),
      row('measurement', 'm1', '2026-06-12T00:00:00Z', { kpi: 'coverage', timestamp: '2026-06-12T00:00:00.000Z', value: 81.5 }),
      row('sli', 's1', '2026-06-12T00:00:00Z', { slo: 'x', windowStart: '2026-06-12T00:00:00.000Z', windowEnd: '2026-06-12T00:05:00.000Z', good: 1, total: 1 }),
    ]);

    await knex.migrate.latest(config);
    const facts = await knex('devops_personas_facts').orderBy('event_id');
    // every event but the sli one
    expect(facts.map(f => f.event_id)).toEqual(['c1', 'd1', 'd2', 'i1', 'm1', 'p1']);
    const byId = Object.fromEntries(facts.map(f => [f.event_id, f]));
    expect(Number(byId.c1.end_ms)).toBe(t('2026-06-02T00:00:00Z'));
    expect(byId.d1).toMatchObject({ status: 'rolled_back' });
    expect(Boolean(byId.d1.production) && Boolean(byId.d1.rework)).toBe(true);
    expect(byId.i1).toMatchObject({ caused_by: 'd1' });
    expect(Number(byId.i1.end_ms)).toBe(t('2026-06-10T03:00:00Z'));
    expect(Boolean(byId.i1.customer_impacting)).toBe(true);
    expect(Number(byId.p1.due_ms)).toBe(t('2026-07-12T00:00:00Z'));
    expect(Number(byId.m1.value)).toBe(81.5);
    // links only for the deployment that reached production, each change once
    const links = await knex('devops_personas_deployment_changes').orderBy('change_id');
    expect(links.map(l => [l.deployment_id, l.change_id])).toEqual([
      ['d1', 'c1'],
      ['d1', 'c2'],
    ]);

    // step back over the later migrations, then undo the facts one
    while ((await knex.migrate.currentVersion(config)) !== '20261129000000') {
      await knex.migrate.down(config);
    }
    expect(await knex.schema.hasTable('devops_personas_source_counts')).toBe(false);
    await knex.migrate.down(config);
    expect(await knex.schema.hasTable('devops_personas_facts')).toBe(false);
    expect(await knex.schema.hasTable('devops_personas_deployment_changes')).toBe(false);
    const [{ n }] = await knex('devops_personas_events').count({ n: '*' });
    expect(Number(n)).toBe(7);
    await knex.migrate.latest(config);
    const [{ m }] = await knex('devops_personas_facts').count({ m: '*' });
    expect(Number(m)).toBe(6);
  });
});
