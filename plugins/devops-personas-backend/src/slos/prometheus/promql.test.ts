import { graphUrl, hasWindowPlaceholder, promDuration, windowQuery } from './promql';

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

  it('reads a selector padded with any amount of whitespace as a selector', () => {
    const padded = `${' '.repeat(200_000)}http_requests_total${' '.repeat(200_000)}`;
    expect(windowQuery(padded, 'counter', 60_000)).toBe('sum(increase(http_requests_total[60s]))');
    expect(windowQuery(`a${' '.repeat(200_000)}!`, 'counter', 60_000)).toMatch(/^sum\(increase\(\(a {200000}!\)\[60s:\]\)\)$/);
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
