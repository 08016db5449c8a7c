import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { SloService } from '../SloService';
import { PrometheusSlis } from './PrometheusSlis';

/*
 * How many Prometheus slices one slo-ref location may read, and who pays:
 * objectives sharing a reading pay once; a smaller limit (a KPI trend
 * point's) sends the rest to sli events.
 */

const HOUR = 3_600_000;
const UNTIL_MS = Math.floor(Date.now() / HOUR) * HOUR - 24 * HOUR;

/** A year of one-minute slices, three objectives on one SLI (about 527,000 slices each). */
const DOCUMENT = `
apiVersion: openslo/v1
kind: SLO
metadata: { name: yearly }
spec:
  service: checkout
  budgetingMethod: Timeslices
  timeWindow: [{ duration: 366d, isRolling: true }]
  indicator:
    metadata: { name: requests }
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { type: Prometheus, spec: { query: 'requests_total{code="200"}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: requests_total } } }
  objectives:
    - { displayName: Two nines, target: 0.99, timeSliceTarget: 0.9, timeSliceWindow: 1m }
    - { displayName: Three nines, target: 0.999, timeSliceTarget: 0.9, timeSliceWindow: 1m }
    - { displayName: Four nines, target: 0.9999, timeSliceTarget: 0.9, timeSliceWindow: 1m }
`;

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', annotations: { 'backstage.io/managed-by-location': 'url:https://example.com/catalog-info.yaml' } },
  spec: {},
};

describe('the Prometheus slice budget of a location', () => {
  let server: http.Server;
  let queries = 0;
  let service: SloService;

  beforeAll(async () => {
    // A Prometheus with no data: every range query answers an empty matrix.
    server = http.createServer((_req, res) => {
      queries++;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const slis = new PrometheusSlis(
      new Map([['default', { name: 'default', baseUrl, headers: {}, timeoutMs: 10_000 }]]),
      60_000,
    );
    const urlReader = { readUrl: async () => ({ buffer: async () => Buffer.from(DOCUMENT) }) };
    const store = { list: async () => [] };
    service = new SloService(
      {} as any,
      store as any,
      urlReader as any,
      mockServices.logger.mock(),
      60_000,
      {} as any,
      slis,
    );
  });

  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  it('charges objectives that share a reading once', async () => {
    const { slos, warnings } = await service.compute(entity, 'component:default/checkout', 'https://example.com/slo.yaml', UNTIL_MS);
    expect(warnings).toEqual([]);
    expect(slos[0].dataSource.type).toBe('prometheus');
    expect(slos[0].objectives).toHaveLength(3);
    // One reading: two parts, each in chunks of at most 10,000 points.
    expect(queries).toBeGreaterThanOrEqual(2 * 53);
    expect(queries).toBeLessThanOrEqual(2 * 54);
  });

  it('sends objectives over a smaller limit to sli events, and says so', async () => {
    const { slos, warnings } = await service.compute(
      entity,
      'component:default/checkout',
      'https://example.com/slo.yaml',
      UNTIL_MS - HOUR,
      100_000,
    );
    expect(slos[0].dataSource.type).toBe('events');
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'invalid-slo',
        message: expect.stringContaining('would take more than 100000 slices'),
      }),
    ]);
  });
});
