import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { devopsPersonasPlugin } from '../plugin';
import { testDatabaseIds } from '../__testUtils__/testDatabases';

jest.setTimeout(90_000);

const EVENTS = '/api/devops-personas/v1/events';
const KPIS = '/api/devops-personas/v1/entities/component/default/checkout/kpis';

const deployment = (id: string) => ({
  type: 'deployment',
  id,
  entityRef: 'component:default/checkout',
  finishedAt: '2026-06-01T10:00:00Z',
  status: 'success',
});

/**
 * A TCP relay in front of PostgreSQL that can be cut (every connection
 * dropped, new ones refused) and restored: a database outage as the backend
 * sees it, without stopping the server other tests use.
 */
class Relay {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.server = net.createServer(client => {
      const upstream = net.connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>(resolve => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise(resolve => this.server?.close(resolve));
  }
}

/** The database the backend uses, and a way to take it away and give it back. */
interface Outage {
  knex: Knex;
  check: Knex;
  begin(): Promise<void>;
  end(): Promise<void>;
  dispose(): Promise<void>;
}

async function postgresOutage(databases: TestDatabases): Promise<Outage> {
  const check = await databases.init('POSTGRES_15');
  const connection = check.client.config.connection as Knex.PgConnectionConfig;
  const relay = new Relay({ host: connection.host!, port: Number(connection.port) });
  await relay.open();
  const knex = knexFactory({
    client: 'pg',
    connection: { ...connection, host: '127.0.0.1', port: relay.port },
    pool: { min: 0, max: 5, acquireTimeoutMillis: 10_000, createTimeoutMillis: 5_000 },
  });
  return {
    knex,
    check,
    begin: () => relay.cut(),
    end: () => relay.open(),
    dispose: async () => {
      await relay.cut();
      await knex.destroy();
    },
  };
}

/** SQLite is a file: another connection holding an exclusive lock keeps the backend out. */
async function sqliteOutage(): Promise<Outage> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-outage-'));
  const filename = path.join(dir, 'devops-personas.sqlite');
  const knex = knexFactory({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true });
  // One connection, so that BEGIN and ROLLBACK happen on the same one.
  const locker = knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
  return {
    knex,
    check: knex,
    begin: async () => {
      await locker.raw('BEGIN EXCLUSIVE');
    },
    end: async () => {
      await locker.raw('ROLLBACK');
    },
    dispose: async () => {
      await locker.destroy();
      await knex.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.each(testDatabaseIds())('a database outage on %s', (databaseId: TestDatabaseId) => {
  const databases = TestDatabases.create({ ids: [databaseId] });

  it('answers 503 with Retry-After, stores nothing, and recovers', async () => {
    const outage = databaseId === 'SQLITE_3' ? await sqliteOutage() : await postgresOutage(databases);
    try {
      const { server } = await startTestBackend({
        features: [
          devopsPersonasPlugin,
          catalogServiceMock.factory({
            entities: [
              {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: { name: 'checkout', namespace: 'default' },
                spec: { type: 'service', owner: 'team', lifecycle: 'production' },
              },
            ],
          }),
          mockServices.database.factory({ knex: outage.knex }),
          actionsRegistryServiceFactory,
        ],
      });
      const post = (id: string) =>
        request(server).post(EVENTS).set('Authorization', mockCredentials.service.header()).send({ events: [deployment(id)] });
      const kpis = () =>
        request(server).get(`${KPIS}?until=2026-06-30T00:00:00Z`).set('Authorization', mockCredentials.user.header());
      const kpisAction = () =>
        request(server)
          .post('/api/devops-personas/.backstage/actions/v1/actions/devops-personas:get-kpis/invoke')
          .set('Authorization', mockCredentials.user.header())
          .send({ entityRef: 'component:default/checkout', until: '2026-06-30T00:00:00Z' });
      const stored = async () =>
        (await outage.check('devops_personas_events').select('event_id').orderBy('event_id')).map(r => r.event_id);

      expect((await post('before')).status).toBe(202);
      await outage.begin();

      const refused = await post('during');
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.body.error.name).toBe('ServiceUnavailableError');
      expect(refused.body.error.message).toMatch(/database is unavailable or busy; nothing was stored/);
      const read = await kpis();
      expect(read.status).toBe(503);
      expect(read.headers['retry-after']).toBe('5');
      const action = await kpisAction();
      expect(action.status).toBe(503);
      expect(action.body.error).toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringMatching(/database is unavailable or busy; nothing could be read\. Try again in 5 seconds/),
      });

      await outage.end();
      expect((await post('after')).status).toBe(202);
      expect((await kpis()).status).toBe(200);
      expect((await kpisAction()).status).toBe(200);
      expect(await stored()).toEqual(['after', 'before']);
    } finally {
      await outage.dispose();
    }
  });
});
