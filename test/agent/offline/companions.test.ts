import { describe, expect, it } from 'vitest';
import { companionQueries, isPeerSplit, peerCallQuery, splitQuery } from '../../../agent/offline/companions';
import type { MetricsListData } from '../../../tools/datadog/metrics-list';

const ratio =
  'sum:trace.servlet.request.errors{service:uploads,env:prod}.as_count() / sum:trace.servlet.request.hits{service:uploads,env:prod}.as_count()';

const listing = (metrics: string[], companions: MetricsListData['companions'] = []): MetricsListData => ({
  tagFilter: 'service:uploads',
  from: '2026-01-01T00:00:00Z',
  metrics,
  total: metrics.length,
  companions,
});

/** One side of the alert's ratio, as the metric listing proposes it. */
const half = (metric: string) => ({
  query: `sum:${metric}{service:uploads,env:prod}.as_count()`,
  metric,
  why: 'ratio_term' as const,
});

/** An APM service listing hits, errors and duration, alerting on errors / hits. */
const servletHalves = [half('trace.servlet.request.errors'), half('trace.servlet.request.hits')];
const servletCompanions = () =>
  companionQueries(
    listing(
      ['trace.servlet.request.errors', 'trace.servlet.request.hits', 'trace.servlet.request.duration'],
      servletHalves,
    ),
    'uploads',
    ratio,
    10,
  );

describe('companion metrics (issue 13.7: no metric name is hard-coded)', () => {
  it("No metric name is hard-coded: both halves of the alert's ratio come first, in the alert's scope", () => {
    const out = servletCompanions();
    expect(out.slice(0, 2)).toEqual(servletHalves.map((h) => h.query));
  });

  it('No metric name is hard-coded: a metric already read in the alert scope is not read again in a wider one', () => {
    const out = servletCompanions();
    const metrics = out.map((q) => /:([\w.]+)\{/.exec(q)?.[1]);
    expect(metrics.filter((m) => m === 'trace.servlet.request.hits')).toHaveLength(1);
    expect(metrics.filter((m) => m === 'trace.servlet.request.errors')).toHaveLength(1);
    expect(metrics).toContain('trace.servlet.request.duration');
  });

  it('No metric name is hard-coded: a used/limit pair of any namespace is read as saturation', () => {
    const out = companionQueries(
      listing(['hikaricp.connections.active', 'hikaricp.connections.max', 'jvm.heap.used']),
      'uploads',
      undefined,
      10,
    );
    expect(out).toEqual([
      'max:hikaricp.connections.active{service:uploads}',
      'max:hikaricp.connections.max{service:uploads}',
    ]);
  });

  it("No metric name is hard-coded: a listed outbound-call error count is read split by DataDog's peer tags", () => {
    const q = peerCallQuery(
      listing(['http.client.requests', 'http.client.errors', 'trace.servlet.request.errors']),
      'uploads',
    );
    expect(q).toBe(
      'sum:http.client.errors{service:uploads}.as_count() by {peer.service,peer.hostname,out.host}',
    );
    expect(isPeerSplit(q!)).toBe(true);
    expect(isPeerSplit('sum:trace.servlet.request.errors{service:uploads} by {host}')).toBe(false);
    // Request errors and client request counts are not outbound failures.
    expect(
      peerCallQuery(listing(['trace.servlet.request.errors', 'grpc.client.requests']), 'uploads'),
    ).toBeUndefined();
  });

  it('splits only a single metric without its own grouping', () => {
    expect(splitQuery('sum:app.requests.errors{service:uploads}.as_count()', 'host')).toBe(
      'sum:app.requests.errors{service:uploads} by {host}.as_count()',
    );
    expect(splitQuery(ratio, 'host')).toBeUndefined();
  });
});
