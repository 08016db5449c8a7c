import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '../__testUtils__/testDatabases';
import { EventStore } from './EventStore';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-devops-personas-backend',
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
    expect(Number(n)).toBe(1);
  });
});
