import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import eventsPlugin from '@backstage/plugin-events-backend';
import { JsonObject } from '@backstage/config';
import request from 'supertest';
import firing from './__fixtures__/checkout-firing.json';
import { eventsModuleDevopsPersonasAlertmanager } from './ingressModule';

const TOKEN = 'test-token';

/** Starts the events backend with the ingress module; records what is published. */
async function startIngress(alertmanager: JsonObject) {
  const published: EventParams[] = [];
  const recorder = createBackendModule({
    pluginId: 'events',
    moduleId: 'test-recorder',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: 'test-recorder',
            topics: ['alertmanager'],
            onEvent: async params => {
              published.push(params);
            },
          });
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [
      eventsPlugin,
      eventsModuleDevopsPersonasAlertmanager,
      recorder,
      mockServices.rootConfig.factory({
        data: { devopsPersonas: { sources: { alertmanager } } },
      }),
    ],
  });
  return { server, published };
}

const post = (
  server: Parameters<typeof request>[0],
  authorization?: string,
) => {
  const req = request(server)
    .post('/api/events/http/alertmanager')
    .set('Content-Type', 'application/json');
  return (authorization ? req.set('Authorization', authorization) : req).send(
    JSON.stringify(firing.body),
  );
};

describe('eventsModuleDevopsPersonasAlertmanager', () => {
  it('publishes a notification with the right token on topic alertmanager, headers included', async () => {
    const { server, published } = await startIngress({ token: TOKEN });
    const response = await post(server, `Bearer ${TOKEN}`);
    expect(response.status).toBe(202);
    expect(published).toHaveLength(1);
    expect(published[0].topic).toBe('alertmanager');
    expect(published[0].eventPayload).toEqual(firing.body);
    // the token is not handed on with the event
    expect(published[0].metadata).not.toHaveProperty('authorization');
  });

  it('refuses a wrong or missing token with 401 and publishes nothing', async () => {
    const { server, published } = await startIngress({ token: TOKEN });
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`]) {
      const response = await post(server, authorization);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        message: 'Missing or invalid bearer token',
      });
    }
    expect(published).toEqual([]);
  });

  it('refuses every request while no token is configured', async () => {
    const { server, published } = await startIngress({});
    expect((await post(server, 'Bearer ')).status).toBe(401);
    expect((await post(server, `Bearer ${TOKEN}`)).status).toBe(401);
    expect(published).toEqual([]);
  });
});
