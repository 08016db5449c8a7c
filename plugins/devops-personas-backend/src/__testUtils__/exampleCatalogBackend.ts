import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import path from 'node:path';
import request from 'supertest';
import { devopsPersonasPlugin } from '../plugin';
import { backendDatabaseConfig } from './testDatabases';

/**
 * The example catalog, kept in this package so that its tests run wherever
 * the package is copied; the example portal reads the same files through
 * examples/entities.yaml and examples/org.yaml of this repository.
 */
const exampleCatalog = path.join(
  __dirname,
  '..',
  '__fixtures__',
  'example-catalog',
);

type Features = Parameters<typeof startTestBackend>[0]['features'];

/**
 * A backend with the real catalog reading the example catalog from disk and
 * this plugin answering through it, on one test database; resolves once the
 * catalog has ingested and stitched every example entity.
 */
export async function startExampleCatalogBackend(options: {
  databaseId: TestDatabaseId;
  prefix: string;
  /** Share one PostgreSQL database prefix between backends (replicas); default a fresh one. */
  sharedDatabasePrefix?: string;
  features?: Features;
  config?: Record<string, unknown>;
}) {
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      devopsPersonasPlugin,
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          backend: {
            ...(options.config?.backend as object | undefined),
            database: backendDatabaseConfig(
              options.databaseId,
              options.sharedDatabasePrefix ??
                `${options.prefix}_${Date.now()}_`,
            ),
          },
          catalog: {
            rules: [
              {
                allow: [
                  'Component',
                  'System',
                  'Domain',
                  'User',
                  'Group',
                  'Location',
                ],
              },
            ],
            locations: [
              {
                type: 'file',
                target: path.join(exampleCatalog, 'entities.yaml'),
              },
              { type: 'file', target: path.join(exampleCatalog, 'org.yaml') },
            ],
          },
        },
      }),
    ],
  });
  await waitForExampleCatalog(backend.server);
  return backend;
}

const REVERSE: Record<string, string> = {
  ownedBy: 'ownerOf',
  ownerOf: 'ownedBy',
  partOf: 'hasPart',
  hasPart: 'partOf',
  memberOf: 'hasMember',
  hasMember: 'memberOf',
  childOf: 'parentOf',
  parentOf: 'childOf',
};

const EXAMPLE_COUNTS: Record<string, number> = {
  user: 11,
  group: 6,
  component: 10,
  system: 4,
  domain: 2,
};

/**
 * Waits until the catalog has ingested every example entity and stitched
 * both ends of every relation between them (a System's `hasPart` is
 * written when its Component is processed, so it may come later).
 */
async function waitForExampleCatalog(server: Parameters<typeof request>[0]) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const res = await request(server)
      .get(
        '/api/catalog/entities?fields=kind,metadata.name,metadata.namespace,relations',
      )
      .set('Authorization', mockCredentials.user.header());
    const entities: Array<{
      kind: string;
      metadata: { name: string; namespace?: string };
      relations?: Array<{ type: string; targetRef: string }>;
    }> = res.status === 200 ? res.body : [];
    const refOf = (e: (typeof entities)[number]) =>
      `${e.kind}:${e.metadata.namespace ?? 'default'}/${
        e.metadata.name
      }`.toLowerCase();
    const refs = new Set(entities.map(refOf));
    const relations = new Set(
      entities.flatMap(e =>
        (e.relations ?? []).map(
          r => `${refOf(e)} ${r.type} ${r.targetRef.toLowerCase()}`,
        ),
      ),
    );
    const counted = Object.entries(EXAMPLE_COUNTS).every(
      ([kind, n]) =>
        entities.filter(e => e.kind.toLowerCase() === kind).length === n,
    );
    const stitched = entities.every(e =>
      (e.relations ?? []).every(
        r =>
          !refs.has(r.targetRef.toLowerCase()) ||
          !REVERSE[r.type] ||
          relations.has(
            `${r.targetRef.toLowerCase()} ${REVERSE[r.type]} ${refOf(e)}`,
          ),
      ),
    );
    const related = entities
      .filter(e => e.kind !== 'Location')
      .every(e => (e.relations ?? []).length > 0);
    if (counted && stitched && related) return;
    if (Date.now() > deadline)
      throw new Error('The example catalog was not ingested in time');
    await new Promise(r => setTimeout(r, 500));
  }
}
