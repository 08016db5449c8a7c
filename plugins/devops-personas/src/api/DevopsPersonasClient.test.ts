import { DevopsPersonasClient } from './DevopsPersonasClient';

function client(response: { status: number; body: unknown }) {
  const fetch = jest.fn().mockResolvedValue({
    ok: response.status < 400,
    status: response.status,
    statusText: response.status === 404 ? 'Not Found' : 'OK',
    headers: new Map([['content-type', 'application/json']]),
    json: async () => response.body,
    text: async () => JSON.stringify(response.body),
  });
  const getBaseUrl = jest.fn(async (id: string) => `http://backend/api/${id}`);
  return {
    fetch,
    getBaseUrl,
    client: new DevopsPersonasClient({
      discoveryApi: { getBaseUrl },
      fetchApi: { fetch },
    }),
  };
}

describe('DevopsPersonasClient', () => {
  it('asks discovery for the devops-personas base URL and returns the JSON answer', async () => {
    const body = {
      entityRef: 'component:default/checkout',
      inheritanceChain: [],
      personas: [],
      warnings: [],
    };
    const { client: c, fetch, getBaseUrl } = client({ status: 200, body });
    const answer = await c.getPersonas({
      kind: 'Component',
      namespace: 'default',
      name: 'checkout',
    });
    expect(getBaseUrl).toHaveBeenCalledWith('devops-personas');
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/devops-personas/v1/entities/component/default/checkout/personas',
    );
    expect(answer).toEqual(body);
  });

  it('accepts string entity refs and encodes every path segment', async () => {
    const { client: c, fetch } = client({ status: 200, body: {} });
    await c.getPersonas('component:default/checkout');
    await c.getPersonas('System:team a/pay/ments');
    await c.getPersonas({
      kind: 'Component',
      namespace: 'default',
      name: 'check out?#',
    });
    expect(fetch.mock.calls.map(call => call[0])).toEqual([
      'http://backend/api/devops-personas/v1/entities/component/default/checkout/personas',
      'http://backend/api/devops-personas/v1/entities/system/team%20a/pay%2Fments/personas',
      'http://backend/api/devops-personas/v1/entities/component/default/check%20out%3F%23/personas',
    ]);
  });

  it('builds the URLs of the other read endpoints', async () => {
    const { client: c, fetch } = client({ status: 200, body: { ok: true } });
    await c.getRaci('component:default/checkout');
    await c.getKpis(
      { kind: 'System', namespace: 'shop', name: 'payments' },
      { window: '90d', bucket: 'month' },
    );
    await c.getKpiEvents(
      { kind: 'Component', namespace: 'default', name: 'checkout' },
      'lead-time-for-changes',
      { window: '7d', bucket: 'week' },
    );
    await c.getSlos('component:default/checkout', {
      until: '2026-06-30T00:00:00Z',
    });
    await c.getOverview({
      kind: 'component',
      offset: 25,
      limit: 25,
      owner: '',
    });
    await c.getHolder({ kind: 'User', namespace: 'default', name: 'carol' });
    await c.getSources();
    expect(fetch.mock.calls.map(call => call[0])).toEqual([
      'http://backend/api/devops-personas/v1/entities/component/default/checkout/raci',
      'http://backend/api/devops-personas/v1/entities/system/shop/payments/kpis?window=90d&bucket=month',
      'http://backend/api/devops-personas/v1/entities/component/default/checkout/kpis/lead-time-for-changes/events?window=7d',
      'http://backend/api/devops-personas/v1/entities/component/default/checkout/slos?until=2026-06-30T00%3A00%3A00Z',
      'http://backend/api/devops-personas/v1/overview?kind=component&offset=25&limit=25',
      'http://backend/api/devops-personas/v1/holders/user/default/carol',
      'http://backend/api/devops-personas/v1/sources',
    ]);
  });

  it('throws a ResponseError with the message of a 404 error body', async () => {
    const { client: c } = client({
      status: 404,
      body: {
        error: {
          name: 'NotFoundError',
          message: 'No entity component:default/nope in the catalog',
        },
        response: { statusCode: 404 },
      },
    });
    const error = await c.getPersonas('component:default/nope').catch(e => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(404);
    expect(error.message).toBe('Request failed with 404 Not Found');
    expect(error.cause.name).toBe('NotFoundError');
    expect(error.cause.message).toBe(
      'No entity component:default/nope in the catalog',
    );
  });

  it('returns the sources answer, and a ResponseError with the backend message when it fails', async () => {
    const body = {
      sources: [
        {
          id: 'github',
          title: 'GitHub',
          topics: ['github'],
          annotation: 'github.com/project-slug',
          counts: { received: 3, stored: 2, dropped: { ignored: 1 } },
          lastError: null,
          ambiguities: [],
        },
      ],
      attribution: { rule: 'last-deployment', maxGapSeconds: 86400 },
    };
    expect(await client({ status: 200, body }).client.getSources()).toEqual(
      body,
    );

    const failing = client({
      status: 503,
      body: {
        error: { name: 'ServiceUnavailableError', message: 'database busy' },
        response: { statusCode: 503 },
      },
    });
    const error = await failing.client.getSources().catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(503);
    expect(error.cause.message).toBe('database busy');
  });

  it('asks for the weekly review of an entity, with until when given', async () => {
    const body = { entityRef: 'system:default/payments', kpisWorse: [] };
    const { client: c, fetch } = client({ status: 200, body });
    expect(await c.getReview('System:default/Payments')).toEqual(body);
    await c.getReview(
      { kind: 'Group', namespace: 'default', name: 'commerce-team' },
      { until: '2026-11-30T00:00:00Z' },
    );
    await c.getReview('component:default/checkout', { until: '' });
    expect(fetch.mock.calls.map(call => call[0])).toEqual([
      'http://backend/api/devops-personas/v1/review/system/default/payments',
      'http://backend/api/devops-personas/v1/review/group/default/commerce-team?until=2026-11-30T00%3A00%3A00Z',
      'http://backend/api/devops-personas/v1/review/component/default/checkout',
    ]);
  });

  it('rejects the review of an entity not in the catalog with the backend message', async () => {
    const { client: c } = client({
      status: 404,
      body: {
        error: {
          name: 'NotFoundError',
          message: 'No entity system:default/nope in the catalog',
        },
        response: { statusCode: 404 },
      },
    });
    const error = await c.getReview('system:default/nope').catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(404);
    expect(error.cause.message).toBe(
      'No entity system:default/nope in the catalog',
    );
  });
});
