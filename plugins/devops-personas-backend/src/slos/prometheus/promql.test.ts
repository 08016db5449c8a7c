import { graphUrl, hasWindowPlaceholder, promDuration, windowQuery } from './promql';
import { PrometheusSlis } from './PrometheusSlis';
import { SliDefinition } from '../sloDefinition';

describe('windowQuery', () => {
  it('counts a counter selector with increase over the window, added up over its series', () => {
    expect(windowQuery('http_requests_total{code!~"5.."}', 'counter', 30 * 86_400_000)).toBe(
      'sum(increase(http_requests_total{code!~"5.."}[2592000s]))',
    );
    expect(windowQuery(' {__name__="x", job="a"} ', 'counter', 300_000)).toBe('sum(increase({__name__="x", job="a"}[300s]))');
  });

  it('reads an expression over the window as a subquery', () => {
    expect(windowQuery('sum by (code) (http_requests_total)', 'counter', 3_600_000)).toBe(
      'sum(increase((sum by (code) (http_requests_total))[3600s:]))',
    );
  });

  it('puts the window into a Sloth-style query instead', () => {
    const query = 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}])) / 2 + x[{{ .window }}]';
    expect(hasWindowPlaceholder(query)).toBe(true);
    expect(windowQuery(query, 'counter', 1_800_000)).toBe(
      'sum(sum(rate(http_requests_total{code=~"5.."}[1800s])) / 2 + x[1800s])',
    );
    expect(windowQuery('1 - avg(ratio[{{.window}}])', 'ratio', 60_000)).toBe('avg(1 - avg(ratio[60s]))');
  });

  it('adds gauges up and averages ratios over the window', () => {
    expect(windowQuery('errors', 'gauge', 60_000)).toBe('sum(sum_over_time(errors[60s]))');
    expect(windowQuery('success_ratio', 'ratio', 60_000)).toBe('avg(avg_over_time(success_ratio[60s]))');
  });

  it('writes windows in whole seconds, or milliseconds when they are not', () => {
    expect(promDuration(86_400_000)).toBe('86400s');
    expect(promDuration(1_234)).toBe('1234ms');
  });

  it('links a query to the graph page of the external URL', () => {
    const url = new URL(graphUrl('https://prom.example.com/prometheus', 'up{job="a b"}'));
    expect(url.pathname).toBe('/prometheus/graph');
    expect(url.searchParams.get('g0.expr')).toBe('up{job="a b"}');
  });
});

describe('PrometheusSlis.reading', () => {
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
    const fromDefault = slis.reading(ratio('PROMETHEUS'));
    expect(fromDefault.from === 'prometheus' && fromDefault.plan.parts.map(p => p.client.source.name)).toEqual(['default', 'default']);
    const fromEu = slis.reading(ratio('Prometheus', 'eu'));
    expect(fromEu.from === 'prometheus' && fromEu.plan.parts.map(p => p.role)).toEqual(['good', 'total']);
    expect(fromEu.from === 'prometheus' && fromEu.plan.parts[0].client.source.name).toBe('eu');
  });

  it('leaves other metric sources, and every SLI when no Prometheus is configured, to sli events', () => {
    expect(slis.reading(ratio('Datadog'))).toEqual({ from: 'events' });
    expect(slis.reading({ name: 'bare' })).toEqual({ from: 'events' });
    expect(new PrometheusSlis(new Map(), 60_000).reading(ratio('Prometheus', 'nowhere'))).toEqual({ from: 'events' });
  });

  it('names an unknown metricSourceRef, a missing query and mixed sources', () => {
    expect(slis.reading(ratio('Prometheus', 'us'))).toEqual({
      from: 'events',
      problem: {
        field: 'spec.ratioMetric.good.metricSource.metricSourceRef',
        reason: expect.stringContaining('"us" names no configured Prometheus (devopsPersonas.sources.prometheus.us); configured: default, eu'),
      },
    });
    expect(slis.reading(ratio('Prometheus', undefined, ' '))).toEqual({
      from: 'events',
      problem: { field: 'spec.ratioMetric.good.metricSource.spec.query', reason: expect.stringContaining('needs a query') },
    });
    const mixed = ratio('Prometheus');
    mixed.ratio!.parts.total!.type = 'Datadog';
    expect(slis.reading(mixed)).toEqual({ from: 'events', problem: expect.objectContaining({ reason: expect.stringContaining('mixes Prometheus') }) });
  });
});
