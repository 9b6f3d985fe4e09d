import { join } from 'node:path';
import { v1, v2 } from '@datadog/datadog-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listScenarioDirs, loadScenario } from '../../../sandbox/scenario';
import type { MetricSeries } from '../../../sandbox/scenario-schema';
import { type Sandbox, startSandbox } from '../../../sandbox/server';
import { sandboxDataSources } from '../../../sandbox/sources';
import { datadogConfiguration } from '../../../tools/datadog/client';
import { companionMetrics, metricTerms } from '../../../tools/datadog/companions';
import { createDatadogTools } from '../../../tools/datadog/index';
import type { MetricsData } from '../../../tools/datadog/metrics';
import type { MetricsListData } from '../../../tools/datadog/metrics-list';
import { executeTool } from '../../../tools/execute';
import { contextFor, sandboxWith } from '../helpers';

const NOW = Date.parse('2026-03-12T14:30:00Z');
const series = (metric: string, tags: string[], minutesBefore = 10): MetricSeries => ({
  metric,
  tags,
  points: [[new Date(NOW - minutesBefore * 60_000).toISOString(), 1]],
});
/** A world none of whose metric names the investigator could know in advance. */
const metrics: MetricSeries[] = [
  series('trace.rack.request.errors', ['service:orders', 'env:prod']),
  series('trace.rack.request.hits', ['service:orders', 'env:prod']),
  series('trace.rack.request.duration.by.service.95p', ['service:orders', 'env:prod']),
  series('orders.db.pool.waiting', ['service:orders', 'env:prod', 'host:orders-1']),
  series('orders.db.pool.active', ['service:orders', 'env:staging']),
  series('orders.jobs.legacy', ['service:orders', 'env:prod'], 3 * 24 * 60),
  series('trace.rack.request.hits', ['service:web-orders', 'env:prod']),
  series('billing.invoices.created', ['service:billing', 'env:prod']),
];
const RATIO =
  'sum(last_10m):sum:trace.rack.request.errors{service:orders,env:prod}.as_count() / sum:trace.rack.request.hits{service:orders,env:prod}.as_count() > 0.05';

describe('13.7 no metric name is hard-coded', () => {
  let sandbox: Sandbox;
  const config = () =>
    datadogConfiguration(sandboxDataSources(sandbox.url).datadog!, new AbortController().signal);
  const since = Math.floor((NOW - 24 * 3_600_000) / 1000);
  const tool = () =>
    createDatadogTools(sandboxDataSources(sandbox.url).datadog!).find(
      (t) => t.name === 'datadog.metrics_list',
    )!;
  beforeAll(async () => {
    sandbox = await sandboxWith({ metrics });
  });
  afterAll(() => sandbox.close());

  describe('the sandbox serves DataDog metric listing endpoints to the official client', () => {
    it('v1 active metrics: names reporting since `from` whose series carry the tag filter', async () => {
      const api = new v1.MetricsApi(config());
      const res = await api.listActiveMetrics({ from: since, tagFilter: 'service:orders AND env:prod' });
      expect(res.metrics).toEqual([
        'orders.db.pool.waiting',
        'trace.rack.request.duration.by.service.95p',
        'trace.rack.request.errors',
        'trace.rack.request.hits',
      ]);
      expect(res.from).toBe(String(since));
      expect(sandbox.requests.at(-1)!.query).toEqual({
        from: String(since),
        tag_filter: 'service:orders AND env:prod',
      });
    });

    it('tag filters take wildcards, OR, IN, NOT and a host', async () => {
      const api = new v1.MetricsApi(config());
      const list = async (tagFilter: string, host?: string) =>
        (await api.listActiveMetrics({ from: since, tagFilter, host })).metrics;
      expect(await list('service:*orders AND NOT env:prod')).toEqual(['orders.db.pool.active']);
      expect(await list('service:billing OR env:staging')).toEqual([
        'billing.invoices.created',
        'orders.db.pool.active',
      ]);
      expect(await list('service IN (billing, web-orders)')).toEqual([
        'billing.invoices.created',
        'trace.rack.request.hits',
      ]);
      expect(await list('service:orders', 'orders-1')).toEqual(['orders.db.pool.waiting']);
    });

    it('v2 metrics list by filter[tags] within window[seconds], and v1 search by name', async () => {
      const res = await new v2.MetricsApi(config()).listTagConfigurations({
        filterTags: 'service:orders',
        windowSeconds: 3_600,
      });
      expect(res.data?.map((m) => (m as v2.Metric).id)).toEqual([
        'orders.db.pool.active',
        'orders.db.pool.waiting',
        'trace.rack.request.duration.by.service.95p',
        'trace.rack.request.errors',
        'trace.rack.request.hits',
      ]);
      const found = await new v1.MetricsApi(config()).listMetrics({ q: 'metrics:db.pool' });
      expect(found.results?.metrics).toEqual(['orders.db.pool.active', 'orders.db.pool.waiting']);
    });

    it('answers a bad tag filter or a missing from with a 400 the tool explains', async () => {
      await expect(
        new v1.MetricsApi(config()).listActiveMetrics({ from: since, tagFilter: 'service:(orders' }),
      ).rejects.toMatchObject({ code: 400 });
      const obs = await executeTool(tool(), { tags: ['env:prod'], from: 'not a time' }, contextFor(sandbox));
      expect(obs.error).toMatch(/^invalid input: from: expected an ISO time/);
    });
  });

  describe('datadog.metrics_list', () => {
    it("lists the metrics carrying a service's tags, grouped by namespace, through the real client", async () => {
      const obs = await executeTool(tool(), { service: 'orders', tags: ['env:prod'] }, contextFor(sandbox));
      const data = obs.data as MetricsListData;
      expect(data.tagFilter).toBe('service:orders AND env:prod');
      expect(data.metrics).toHaveLength(4);
      expect(data.metrics).not.toContain('orders.jobs.legacy');
      expect(obs.summary).toContain('- trace.rack.request: errors, hits');
      expect(sandbox.requests.at(-1)!.path).toBe('/api/v1/metrics');
    });

    it("proposes the alert query's companions from the names the world reports", async () => {
      const obs = await executeTool(tool(), { query: RATIO }, contextFor(sandbox));
      const data = obs.data as MetricsListData;
      expect(data.tagFilter).toBe('service:orders AND env:prod');
      expect(data.companions).toEqual([
        {
          query: 'sum:trace.rack.request.errors{service:orders,env:prod}.as_count()',
          metric: 'trace.rack.request.errors',
          why: 'ratio_term',
        },
        {
          query: 'sum:trace.rack.request.hits{service:orders,env:prod}.as_count()',
          metric: 'trace.rack.request.hits',
          why: 'ratio_term',
        },
        {
          query: 'avg:trace.rack.request.duration.by.service.95p{service:orders,env:prod}',
          metric: 'trace.rack.request.duration.by.service.95p',
          why: 'namespace_sibling',
        },
      ]);
      expect(obs.summary).toContain('Companions of');
    });

    it('refuses a call that names no tags, saying what to give', async () => {
      expect((await executeTool(tool(), {}, contextFor(sandbox))).error).toMatch(
        /give a service, tags, or the alert metric query/,
      );
      expect((await executeTool(tool(), { query: 'avg:m.x{*}' }, contextFor(sandbox))).error).toMatch(
        /pins no tags/,
      );
    });
  });

  describe('companionMetrics (pure)', () => {
    it('reads every metric term of a monitor query: aggregator, scope, group-by, functions', () => {
      expect(
        metricTerms('avg(last_5m):p95:trace.http.request.duration{service:search} by {resource_name} > 2'),
      ).toEqual([
        {
          aggregator: 'p95',
          metric: 'trace.http.request.duration',
          scope: 'service:search',
          groupBy: ' by {resource_name}',
          functions: '',
        },
      ]);
      expect(
        metricTerms('sum(last_5m):( sum:a.b{x:y}.as_count() / sum:a.c{x:y}.as_count() ) * 100 > 5').map(
          (t) => t.metric,
        ),
      ).toEqual(['a.b', 'a.c']);
    });

    it('without a listing, guesses siblings only for a conventionally named metric', () => {
      expect(
        companionMetrics('sum(last_5m):sum:trace.grpc.server.errors{service:ledger}.as_count() > 5').map(
          (c) => c.query,
        ),
      ).toEqual([
        'sum:trace.grpc.server.hits{service:ledger}.as_count()',
        'avg:trace.grpc.server.duration{service:ledger}',
      ]);
      expect(companionMetrics('max(last_5m):avg:ledger.pool.waiting{service:ledger} > 5')).toEqual([]);
    });

    it('with a listing, proposes only names that exist, nearest namespace first, never above two segments', () => {
      const listed = [
        'ledger.pool.waiting',
        'ledger.pool.active',
        'ledger.pool.max',
        'ledger.http.hits',
        'system.cpu.user',
      ];
      expect(
        companionMetrics('max(last_5m):avg:ledger.pool.waiting{service:ledger} > 5', listed).map(
          (c) => c.metric,
        ),
      ).toEqual(['ledger.pool.active', 'ledger.pool.max']);
      expect(companionMetrics('avg(last_5m):avg:system.mem.used{service:ledger} > 5', listed)).toEqual([]);
    });
  });

  it('in every bundled world, the companions of each monitor are metrics the world really has', async () => {
    let proposed = 0;
    for (const dir of listScenarioDirs(join(import.meta.dirname, '..', '..', '..', 'sandbox', 'scenarios'))) {
      const world = await startSandbox(loadScenario(dir));
      try {
        const tools = createDatadogTools(sandboxDataSources(world.url).datadog!);
        const list = tools.find((t) => t.name === 'datadog.metrics_list')!;
        const query = tools.find((t) => t.name === 'datadog.metrics')!;
        for (const monitor of world.scenario.monitors) {
          const obs = await executeTool(list, { query: monitor.query }, contextFor(world));
          const { companions } = obs.data as MetricsListData;
          proposed += companions.length;
          for (const c of companions) {
            const read = await executeTool(query, { query: c.query }, contextFor(world));
            expect(
              (read.data as MetricsData).series.length,
              `${world.scenario.manifest.id}: ${c.query}`,
            ).toBeGreaterThan(0);
          }
        }
      } finally {
        await world.close();
      }
    }
    expect(proposed).toBeGreaterThanOrEqual(8);
  });
});
