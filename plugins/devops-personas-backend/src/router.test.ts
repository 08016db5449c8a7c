import { policyPermissionsFactory } from './__testUtils__/policyPermissions';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { devopsPersonasPlugin } from './plugin';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: { profile: { displayName: 'Alice Chen' } },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'Checkout',
      namespace: 'shop',
      annotations: { 'devops-personas.io/product-owner': 'alice' },
    },
    spec: { type: 'service', owner: 'alice' },
  },
];

const PATH = '/api/devops-personas/v1/entities/component/shop/checkout/personas';

describe('personas route', () => {
  async function start() {
    const { server } = await startTestBackend({
      features: [
        devopsPersonasPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    return server;
  }

  it('answers users and services', async () => {
    const server = await start();
    for (const header of [
      mockCredentials.user.header(),
      mockCredentials.service.header(),
    ]) {
      const res = await request(server).get(PATH).set('Authorization', header);
      expect(res.status).toBe(200);
      expect(res.body.entityRef).toBe('component:shop/checkout');
      expect(res.body.personas[0]).toMatchObject({
        id: 'product-owner',
        provenance: 'explicit',
        holders: [{ ref: 'user:default/alice', displayName: 'Alice Chen' }],
      });
    }
  });

  it('matches kind, namespace and name case-insensitively', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/devops-personas/v1/entities/Component/SHOP/Checkout/personas')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe('component:shop/checkout');
  });

  it('rejects anonymous callers with 401', async () => {
    const server = await start();
    const res = await request(server).get(PATH);
    expect(res.status).toBe(401);
    expect(res.body.error.name).toBe('AuthenticationError');
  });

  it('answers 404 with the Backstage error body for an unknown entity', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/devops-personas/v1/entities/component/default/nope/personas')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      error: { name: 'NotFoundError', message: expect.stringContaining('component:default/nope') },
      response: { statusCode: 404 },
    });
  });

  it('answers 400 for a malformed entity path', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/devops-personas/v1/entities/component/default/%20bad%20/personas')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Invalid name/);
  });

  it('refuses users without the read permission, but not services', async () => {
    const { server } = await startTestBackend({
      features: [
        devopsPersonasPlugin,
        catalogServiceMock.factory({ entities }),
        policyPermissionsFactory(AuthorizeResult.DENY),
      ],
    });
    const user = await request(server).get(PATH).set('Authorization', mockCredentials.user.header());
    expect(user.status).toBe(403);
    expect(user.body.error.message).toMatch(/devops-personas\.read/);
    const service = await request(server).get(PATH).set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(200);
  });

  it('serves /health without credentials', async () => {
    const server = await start();
    const res = await request(server).get('/api/devops-personas/health');
    expect(res.status).toBe(200);
  });
});
