import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { testDatabaseIds } from '../__testUtils__/testDatabases';
import { ConditionState, NotificationStateStore } from './NotificationStateStore';

const migrations = {
  directory: resolvePackagePath('@devops-personas/plugin-devops-personas-backend', 'migrations'),
  tableName: 'devops_personas_knex_migrations',
};

const REF = 'component:default/checkout';
const met: ConditionState = { state: 'met', open: false, told: null, dryRun: false };
const missed: ConditionState = { state: 'missed', open: true, told: null, dryRun: false };

describe.each(testDatabaseIds())('NotificationStateStore on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });
  let knex: Knex;
  /** A second connection pool to the same database, as another replica has (PostgreSQL). */
  let other: Knex;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    await knex.migrate.latest(migrations);
    other =
      databaseId === 'POSTGRES_15'
        ? knexFactory({ client: 'pg', connection: (knex.client.config as Knex.Config).connection })
        : knex;
  });

  afterAll(async () => {
    if (other !== knex) await other.destroy();
  });

  it('lets exactly one of many concurrent claims of the same change win', async () => {
    const stores = [new NotificationStateStore(knex), new NotificationStateStore(other)];
    // first sight: an insert that only one may make
    const first = await Promise.all(
      Array.from({ length: 10 }, (_, i) => stores[i % 2].claim(REF, 'kpi:a', undefined, missed, 1)),
    );
    expect(first.filter(Boolean)).toHaveLength(1);
    // a change from what all of them read
    const second = await Promise.all(
      Array.from({ length: 10 }, (_, i) => stores[i % 2].claim(REF, 'kpi:a', missed, met, 2)),
    );
    expect(second.filter(Boolean)).toHaveLength(1);
    expect((await stores[0].read(REF)).get('kpi:a')).toEqual(met);
    // a claim from a stale read loses
    expect(await stores[1].claim(REF, 'kpi:a', missed, met, 3)).toBe(false);
  });

  it('puts a claim back so the next run sees the change again', async () => {
    const store = new NotificationStateStore(knex);
    expect(await store.claim(REF, 'kpi:b', undefined, missed, 1)).toBe(true);
    await store.revert(REF, 'kpi:b', missed, undefined, 2);
    expect((await store.read(REF)).has('kpi:b')).toBe(false);

    expect(await store.claim(REF, 'kpi:c', undefined, met, 1)).toBe(true);
    expect(await store.claim(REF, 'kpi:c', met, missed, 2)).toBe(true);
    await store.revert(REF, 'kpi:c', missed, met, 3);
    expect((await store.read(REF)).get('kpi:c')).toEqual(met);
    // a revert after someone else changed the row leaves their change
    expect(await store.claim(REF, 'kpi:c', met, { state: 'missed', open: false, told: null, dryRun: true }, 4)).toBe(true);
    await store.revert(REF, 'kpi:c', missed, met, 5);
    expect((await store.read(REF)).get('kpi:c')).toEqual({ state: 'missed', open: false, told: null, dryRun: true });
  });

  it('forgets old weekly reviews and nothing else', async () => {
    const store = new NotificationStateStore(knex);
    const sent: ConditionState = { state: 'sent', open: false, dryRun: false };
    expect(await store.claim('system:default/old', 'review:2026-01-05', undefined, sent, 1_000)).toBe(true);
    expect(await store.claim('system:default/old', 'review:2026-03-02', undefined, sent, 5_000)).toBe(true);
    expect(await store.claim('system:default/old', 'kpi:a', undefined, met, 1_000)).toBe(true);
    expect(await store.forgetReviewsBefore(2_000)).toBe(1);
    expect([...(await store.read('system:default/old')).keys()].sort()).toEqual(['kpi:a', 'review:2026-03-02']);
  });

  it('remembers where a cut run stopped until a whole run clears it', async () => {
    const store = new NotificationStateStore(knex);
    expect(await store.resumePoint()).toBeUndefined();
    await store.setResumePoint('component:default/m', 1);
    await store.setResumePoint('component:default/q', 2);
    expect(await store.resumePoint()).toBe('component:default/q');
    // the resume row is nobody's condition
    expect((await store.read('component:default/q')).get('~resume')).toBeDefined();
    await store.setResumePoint(undefined, 3);
    expect(await store.resumePoint()).toBeUndefined();
  });
});
