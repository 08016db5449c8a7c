import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '../__testUtils__/testDatabases';
import { SourceCountStore } from './SourceCountStore';

jest.setTimeout(60_000);

const migrations = {
  directory: resolvePackagePath('@devops-personas/plugin-devops-personas-backend', 'migrations'),
  tableName: 'devops_personas_knex_migrations',
};

describe.each(testDatabaseIds())('SourceCountStore on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });

  it('counts new ignore reasons of a full source as other reasons, with no query once it knows', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest(migrations);
    const store = new SourceCountStore(knex);
    for (let i = 0; i < 50; i++) await store.add('tool', { ignoredReason: `reason ${i}` });

    const queries: string[] = [];
    const onQuery = (query: { sql: string }) => queries.push(query.sql);
    knex.on('query', onQuery);
    try {
      // the first overflow finds the source full
      await store.add('tool', { ignoredReason: 'new 1' });
      const firstOverflow = queries.length;
      queries.length = 0;
      await store.add('tool', { ignoredReason: 'new 2' });
      await store.add('tool', { ignoredReason: 'new 3' });
      await store.add('tool', { ignoredReason: 'reason 7' });
      // only the increments: no reason is looked up any more
      expect(queries).toHaveLength(3);
      expect(queries.every(sql => /^insert/i.test(sql))).toBe(true);
      expect(firstOverflow).toBe(3);
    } finally {
      knex.removeListener('query', onQuery);
    }

    // a fresh store (another replica, a restart) comes to the same counts
    await new SourceCountStore(knex).add('tool', { ignoredReason: 'new 4' });
    await new SourceCountStore(knex).add('tool', { ignoredReason: 'reason 7' });
    const { counts } = (await store.read()).get('tool')!;
    expect(Object.keys(counts.ignoredReasons)).toHaveLength(51);
    expect(counts.ignoredReasons['other reasons']).toBe(4);
    expect(counts.ignoredReasons['reason 7']).toBe(3);
  });
});
