import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import authPlugin from '@backstage/plugin-auth-backend';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import devopsPersonasPlugin from '@devops-personas/plugin-devops-personas-backend';
import {
  devopsPersonasIngestPermission,
  devopsPersonasReadPermission,
} from '@devops-personas/plugin-devops-personas-common';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import fs from 'fs';
import path from 'path';
import request from 'supertest';
import { parse } from 'yaml';
import permissionPolicy, { DevopsPersonasPolicy } from './permissionPolicy';

jest.setTimeout(120_000);

// The example portal's own token list, accessRestrictions and all.
const appConfig = parse(
  fs.readFileSync(path.resolve(__dirname, '../../../app-config.yaml'), 'utf8'),
);
const CI_TOKEN = 'example-portal-events-token-change-me';
const MCP_TOKEN = 'example-portal-mcp-token-change-me';
// A pipeline's token as the README configures it: it may send events only.
const PIPELINE_TOKEN = 'pipeline-token-for-tests';
// A script's token that may only read DevOps Personas, calling it directly.
const READER_TOKEN = 'reader-token-for-tests';
// The MCP token with a permission list for DevOps Personas: what does not work.
const LISTED_MCP_TOKEN = 'listed-mcp-token-for-tests';
const externalAccess = [
  ...appConfig.backend.auth.externalAccess,
  {
    type: 'static',
    options: { token: PIPELINE_TOKEN, subject: 'ci-pipelines' },
    accessRestrictions: [
      {
        plugin: 'devops-personas',
        permission: 'devops-personas.events.ingest',
      },
    ],
  },
  {
    type: 'static',
    options: { token: READER_TOKEN, subject: 'reports' },
    accessRestrictions: [
      { plugin: 'devops-personas', permission: 'devops-personas.read' },
      { plugin: 'catalog' },
    ],
  },
  {
    type: 'static',
    options: { token: LISTED_MCP_TOKEN, subject: 'mcp-clients-listed' },
    accessRestrictions: [
      { plugin: 'mcp-actions' },
      { plugin: 'devops-personas', permission: 'devops-personas.read' },
      { plugin: 'catalog' },
    ],
  },
];

/**
 * Stands in for mcp-actions: passes the caller's token on to DevOps Personas
 * as the actions service does (auth.getPluginRequestToken), and says whether
 * Backstage allowed it.
 */
const delegatingPlugin = createBackendPlugin({
  pluginId: 'mcp-actions',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
      },
      async init({ auth, httpAuth, httpRouter }) {
        httpRouter.use(async (req, res, next) => {
          if (req.path !== '/delegate') return next();
          const credentials = await httpAuth.credentials(req);
          try {
            await auth.getPluginRequestToken({
              onBehalfOf: credentials,
              targetPluginId: 'devops-personas',
            });
            return res.json({ delegated: true });
          } catch (error) {
            return res.json({ delegated: false, error: String(error) });
          }
        });
      },
    });
  },
});

const EVENTS = '/api/devops-personas/v1/events';
const PERSONAS =
  '/api/devops-personas/v1/entities/component/default/checkout/personas';
const KPIS =
  '/api/devops-personas/v1/entities/component/default/checkout/kpis?window=7d';
const CATALOG = '/api/catalog/entities/by-name/component/default/checkout';

const deployment = {
  type: 'deployment',
  id: 'policy-test-1',
  entityRef: 'component:default/checkout',
  finishedAt: new Date(Date.now() - 60_000).toISOString(),
  status: 'success',
};

type PolicyPermission = Parameters<
  DevopsPersonasPolicy['handle']
>[0]['permission'];

describe('DevopsPersonasPolicy', () => {
  it('denies users the ingest permission and allows the rest', async () => {
    const policy = new DevopsPersonasPolicy();
    const decide = async (permission: PolicyPermission) =>
      (await policy.handle({ permission })).result;
    expect(await decide(devopsPersonasIngestPermission)).toBe(
      AuthorizeResult.DENY,
    );
    expect(await decide(devopsPersonasReadPermission)).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(
      await decide({
        type: 'basic',
        name: 'catalog.entity.delete',
        attributes: { action: 'delete' },
      }),
    ).toBe(AuthorizeResult.ALLOW);
  });
});

describe('the example portal backend with the policy and the CI token', () => {
  const catalogDir = createMockDirectory({
    content: {
      'catalog-info.yaml': `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
  annotations:
    devops-personas.io/product-owner: bob
spec:
  type: service
  lifecycle: production
  owner: bob
`,
    },
  });

  let server: Parameters<typeof request>[0];
  let guest: string;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        // Backstage's own auth and permission services, not the test mocks:
        // they read backend.auth.externalAccess and ask the permission backend.
        authServiceFactory,
        httpAuthServiceFactory,
        permissionsServiceFactory,
        userInfoServiceFactory,
        // The real scheduler, for the routes the example loader calls.
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            backend: { auth: { externalAccess } },
            permission: { enabled: true },
            auth: {
              providers: {
                guest: {
                  userEntityRef: 'user:default/bob',
                  dangerouslyAllowOutsideDevelopment: true,
                },
              },
            },
            catalog: {
              locations: [
                {
                  type: 'file',
                  target: catalogDir.resolve('catalog-info.yaml'),
                },
              ],
            },
          },
        }),
        authPlugin,
        guestProvider,
        catalogPlugin,
        permissionPlugin,
        permissionPolicy,
        devopsPersonasPlugin,
        delegatingPlugin,
      ],
    });
    server = backend.server;

    // Signs in as the example portal's guest.
    const refresh = await request(server)
      .get('/api/auth/guest/refresh')
      .set('X-Requested-With', 'XMLHttpRequest');
    if (refresh.status !== 200) {
      throw new Error(`Guest sign-in answered ${refresh.status}`);
    }
    guest = `Bearer ${refresh.body.backstageIdentity.token}`;

    // The catalog reads its file location in the background.
    for (let tries = 0; ; tries++) {
      const res = await request(server)
        .get(CATALOG)
        .set('Authorization', guest);
      if (res.status === 200) break;
      if (tries > 200) throw new Error(`The catalog answered ${res.status}`);
      await new Promise(r => setTimeout(r, 250));
    }
  });

  const deployments = async (authorization: string) => {
    const res = await request(server)
      .get(KPIS)
      .set('Authorization', authorization);
    expect(res.status).toBe(200);
    return res.body.kpis.find(
      (k: { id: string }) => k.id === 'deployment-frequency',
    ).sampleSize;
  };

  it('lets a guest read personas', async () => {
    const res = await request(server).get(PERSONAS).set('Authorization', guest);
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe('component:default/checkout');
    expect(res.body.personas).toContainEqual(
      expect.objectContaining({
        id: 'product-owner',
        holders: [expect.objectContaining({ ref: 'user:default/bob' })],
      }),
    );
  });

  it('refuses a guest sending events and stores nothing; accepts the CI token', async () => {
    const refused = await request(server)
      .post(EVENTS)
      .set('Authorization', guest)
      .send({ events: [deployment] });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(
      /devops-personas\.events\.ingest/,
    );
    expect(await deployments(guest)).toBe(0);

    const accepted = await request(server)
      .post(EVENTS)
      .set('Authorization', `Bearer ${CI_TOKEN}`)
      .send({ events: [deployment] });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ accepted: 1 });
    expect(await deployments(guest)).toBe(1);
  });

  it('lets the CI token do what the example loader and e2e do with it', async () => {
    const ci = `Bearer ${CI_TOKEN}`;
    // The loader waits for the catalog to list the example entities.
    const catalog = await request(server).get(CATALOG).set('Authorization', ci);
    expect(catalog.status).toBe(200);
    expect(catalog.body.metadata.name).toBe('checkout');
    // e2e reads KPIs and sources: DevOps Personas asks the catalog for it.
    expect(await deployments(ci)).toEqual(expect.any(Number));
    const sources = await request(server)
      .get('/api/devops-personas/v1/sources')
      .set('Authorization', ci);
    expect(sources.status).toBe(200);
    // The loader runs the notification task through the scheduler's routes.
    const tasks = await request(server)
      .get('/api/devops-personas/.backstage/scheduler/v1/tasks')
      .set('Authorization', ci);
    expect(tasks.status).toBe(200);
    expect(tasks.body.tasks).toContainEqual(
      expect.objectContaining({ taskId: 'devops-personas-notifications' }),
    );
  });

  it('lets a pipeline token send events but not read, and a reader token read but not send', async () => {
    const pipeline = `Bearer ${PIPELINE_TOKEN}`;
    const sent = await request(server)
      .post(EVENTS)
      .set('Authorization', pipeline)
      .send({ events: [{ ...deployment, id: 'policy-test-pipeline' }] });
    expect(sent.status).toBe(202);
    const read = await request(server).get(KPIS).set('Authorization', pipeline);
    expect(read.status).toBe(403);
    expect(read.body.error.message).toMatch(/devops-personas\.read/);

    const reader = `Bearer ${READER_TOKEN}`;
    const before = await deployments(reader);
    const refused = await request(server)
      .post(EVENTS)
      .set('Authorization', reader)
      .send({ events: [{ ...deployment, id: 'policy-test-reader' }] });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(
      /accessRestrictions leave out devops-personas\.events\.ingest/,
    );
    expect(await deployments(reader)).toBe(before);
  });

  it('lets mcp-actions pass the MCP token on to DevOps Personas, not a token with a permission list', async () => {
    const delegate = async (token: string) =>
      (
        await request(server)
          .get('/api/mcp-actions/delegate')
          .set('Authorization', `Bearer ${token}`)
      ).body;
    expect(await delegate(MCP_TOKEN)).toEqual({ delegated: true });
    const refused = await delegate(LISTED_MCP_TOKEN);
    expect(refused.delegated).toBe(false);
    expect(refused.error).toMatch(/cannot be delegated/);
  });

  it('refuses the CI token on any other plugin', async () => {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', `Bearer ${CI_TOKEN}`)
      .send({
        items: [{ id: '1', permission: devopsPersonasReadPermission }],
      });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/restricted to plugin/);
  });
});
