import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { SloService } from './SloService';
import { PrometheusSlis } from './prometheus/PrometheusSlis';

const DOCUMENT = `
apiVersion: openslo/v1
kind: SLO
metadata: { name: availability }
spec:
  service: checkout
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 30d, isRolling: true }]
  indicator:
    metadata: { name: requests }
    spec: { ratioMetric: { counter: true, good: { metricSource: { type: events } }, total: { metricSource: { type: events } } } }
  objectives: [{ displayName: Requests succeed, target: 0.99 }]
`;

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', annotations: { 'backstage.io/managed-by-location': 'url:https://example.com/catalog-info.yaml' } },
  spec: {},
};

describe('the SLO documents cache', () => {
  it('keeps a read for the refresh interval, and tries a failed one again after 30 seconds', async () => {
    let nowMs = 1_000_000;
    let reads = 0;
    let serverUp = false;
    const urlReader = {
      readUrl: async () => {
        reads++;
        if (!serverUp) throw new Error('connect ECONNREFUSED');
        return { buffer: async () => Buffer.from(DOCUMENT) };
      },
    };
    const refreshMs = 5 * 60_000;
    const logger = mockServices.logger.mock();
    const service = new SloService(
      {} as any,
      { list: async () => [] } as any,
      urlReader as any,
      logger,
      refreshMs,
      {} as any,
      new PrometheusSlis(new Map(), refreshMs),
      () => nowMs,
    );
    const read = () => service.documents(entity, 'https://example.com/slo.yaml');

    const failed = await read();
    expect(failed.slos).toEqual([]);
    expect(failed.warnings[0].message).toMatch(/ECONNREFUSED/);
    serverUp = true;
    nowMs += 29_000;
    expect((await read()).slos).toEqual([]);
    expect(reads).toBe(1);

    nowMs += 2_000;
    expect((await read()).slos.map(s => s.name)).toEqual(['availability']);
    expect(reads).toBe(2);
    nowMs += refreshMs - 1_000;
    await read();
    expect(reads).toBe(2);
    nowMs += 2_000;
    await read();
    expect(reads).toBe(3);
  });
});
