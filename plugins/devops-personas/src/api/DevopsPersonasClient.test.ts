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
  return {
    fetch,
    client: new DevopsPersonasClient({
      discoveryApi: { getBaseUrl: async (id: string) => `http://backend/api/${id}` },
      fetchApi: { fetch },
    }),
  };
}

describe('DevopsPersonasClient', () => {
  it('builds the URLs of the read API', async () => {
    const { client: c, fetch } = client({ status: 200, body: { ok: true } });
    await c.getPersonas({ kind: 'Component', namespace: 'default', name: 'check out' });
    await c.getKpis({ kind: 'System', namespace: 'shop', name: 'payments' }, { window: '90d', bucket: 'month' });
    await c.getKpiEvents({ kind: 'Component', namespace: 'default', name: 'checkout' }, 'lead-time-for-changes', { window: '7d', bucket: 'week' });
    await c.getOverview({ kind: 'component', offset: 25, limit: 25, owner: '' });
    await c.getHolder({ kind: 'User', namespace: 'default', name: 'carol' });
    expect(fetch.mock.calls.map(call => call[0])).toEqual([
      'http://backend/api/devops-personas/v1/entities/component/default/check%20out/personas',
      'http://backend/api/devops-personas/v1/entities/system/shop/payments/kpis?window=90d&bucket=month',
      'http://backend/api/devops-personas/v1/entities/component/default/checkout/kpis/lead-time-for-changes/events?window=7d',
      'http://backend/api/devops-personas/v1/overview?kind=component&offset=25&limit=25',
      'http://backend/api/devops-personas/v1/holders/user/default/carol',
    ]);
  });

  it('throws the backend error message', async () => {
    const { client: c } = client({
      status: 404,
      body: { error: { name: 'NotFoundError', message: 'No entity component:default/nope in the catalog' }, response: { statusCode: 404 } },
    });
    const error = await c.getRaci({ kind: 'Component', namespace: 'default', name: 'nope' }).catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.message).toMatch(/404/);
    expect(error.cause.message).toBe('No entity component:default/nope in the catalog');
  });
});
