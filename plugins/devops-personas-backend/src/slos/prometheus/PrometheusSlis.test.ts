import { PrometheusSlis } from './PrometheusSlis';
import { SliDefinition } from '../sloDefinition';

describe('PrometheusSlis.sourceOf', () => {
  const source = (name: string) => ({ name, baseUrl: `http://${name}:9090`, headers: {}, timeoutMs: 1000 });
  const ratio = (type: string | undefined, sourceRef?: string, query = 'x_total'): SliDefinition => ({
    name: 'sli',
    ratio: {
      counter: true,
      parts: { good: { type, sourceRef, query }, total: { type, sourceRef, query } },
    },
  });
  const slis = new PrometheusSlis(new Map([['default', source('default')], ['eu', source('eu')]]), 60_000);

  it('reads Prometheus SLIs (any case) from the entry named by metricSourceRef, else default', () => {
    const fromDefault = slis.sourceOf(ratio('PROMETHEUS'));
    expect(fromDefault.from === 'prometheus' && fromDefault.plan.parts.map(p => p.client.source.name)).toEqual(['default', 'default']);
    const fromEu = slis.sourceOf(ratio('Prometheus', 'eu'));
    expect(fromEu.from === 'prometheus' && fromEu.plan.parts.map(p => p.role)).toEqual(['good', 'total']);
    expect(fromEu.from === 'prometheus' && fromEu.plan.parts[0].client.source.name).toBe('eu');
  });

  it('leaves other metric sources, and every SLI no Prometheus is configured for, to sli events', () => {
    expect(slis.sourceOf(ratio('Datadog'))).toEqual({ from: 'events' });
    expect(slis.sourceOf({ name: 'bare' })).toEqual({ from: 'events' });
    expect(new PrometheusSlis(new Map(), 60_000).sourceOf(ratio('Prometheus', 'nowhere'))).toEqual({ from: 'events' });
    // No metricSourceRef and no default entry: nothing is configured for it.
    expect(new PrometheusSlis(new Map([['eu', source('eu')]]), 60_000).sourceOf(ratio('Prometheus'))).toEqual({ from: 'events' });
  });

  it('names an unknown metricSourceRef, a missing query and mixed sources', () => {
    expect(slis.sourceOf(ratio('Prometheus', 'us'))).toEqual({
      from: 'events',
      problem: {
        field: 'spec.ratioMetric.good.metricSource.metricSourceRef',
        reason: expect.stringContaining('"us" names no configured Prometheus (devopsPersonas.sources.prometheus.us; configured: default, eu)'),
      },
    });
    expect(slis.sourceOf(ratio('Prometheus', undefined, `x_total{job="${'a'.repeat(5000)}"}`))).toEqual({
      from: 'events',
      problem: { field: 'spec.ratioMetric.good.metricSource.spec.query', reason: 'is longer than 4096 characters' },
    });
    expect(slis.sourceOf(ratio('Prometheus', undefined, ' '))).toEqual({
      from: 'events',
      problem: { field: 'spec.ratioMetric.good.metricSource.spec.query', reason: expect.stringContaining('needs a query') },
    });
    const mixed = ratio('Prometheus');
    mixed.ratio!.parts.total!.type = 'Datadog';
    expect(slis.sourceOf(mixed)).toEqual({ from: 'events', problem: expect.objectContaining({ reason: expect.stringContaining('mixes Prometheus') }) });
  });
});
