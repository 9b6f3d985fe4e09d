import { type BundledWorld, doc, monitor, repo, sha, telemetry } from './kit';
import { at, rng, uuid } from './lib';

/** A feature flag turns on a slow re-ranker in search: latency triples with no deploy. */
export function build(): BundledWorld {
  const r = rng(3141);
  const now = '2026-09-02T11:20:00Z';
  const onset = 340; // 11:00
  const after = (m: number) => m >= onset;
  const idx = sha(r, '3a9e77f');
  const ui = sha(r, 'aa12f0c');
  const t = telemetry(
    r,
    now,
    [
      {
        name: 'search',
        rpm: 2500,
        errors: 3,
        p95Ms: 140,
        cpuPct: 40,
        effect: (m) => (after(m) ? { latency: 3.2, cpu: 1.4, errors: 1.5 } : {}),
      },
      { name: 'web-frontend', rpm: 5000, errors: 5, p95Ms: 110, cpuPct: 30 },
    ],
    [
      {
        service: 'search',
        status: 'warn',
        perMinute: 3,
        from: onset,
        message: (x) =>
          `semantic reranker scored ${Math.floor(x() * 200) + 50} candidates in ${Math.floor(x() * 900) + 900}ms for query_id=${uuid(x)}`,
      },
      {
        service: 'search',
        status: 'error',
        perMinute: 0.3,
        message: (x) => `shard search-${Math.floor(x() * 6)} slow response, retrying replica`,
      },
    ],
    [
      {
        service: 'search',
        resource: 'GET /v2/search',
        perMinute: 2,
        durationMs: 120,
        slow: (m) => (after(m) ? 3.3 : 1),
      },
      { service: 'search', resource: 'GET /v2/suggest', perMinute: 1, durationMs: 30 },
    ],
  );
  return {
    id: 'search-flag-flip',
    files: {
      'scenario.json': {
        id: 'search-flag-flip',
        title: 'Search latency triples after a flag enables the semantic reranker',
        now,
        alert: {
          slackMessage: {
            type: 'message',
            subtype: 'bot_message',
            bot_id: 'B0DATADOG1',
            text: '',
            ts: '1788346080.000300',
            attachments: [
              {
                title: '[Warn] [P3] Search p95 latency is elevated',
                title_link: 'https://app.datadoghq.com/monitors/70123',
                text: 'avg(last_10m):avg:trace.http.request.duration.by.service.95p{service:search,env:prod} > 300',
                footer: 'Tags: service:search, env:prod',
              },
            ],
          },
        },
        catalog: {
          services: {
            search: { repos: ['acme/search'], team: 'discovery' },
            'web-frontend': { repos: ['acme/web-frontend'], team: 'web', dependsOn: ['search'] },
          },
        },
      },
      'datadog/monitors.json': [
        monitor(
          70123,
          'Search p95 latency is elevated',
          'avg(last_10m):avg:trace.http.request.duration.by.service.95p{service:search,env:prod} > 300',
          'search',
          'Warn',
          3,
        ),
      ],
      ...t,
      'datadog/events.json': [
        {
          timestamp: at(now, -150),
          title: 'Deployed search 3a9e77f to prod',
          text: 'Deployment 4410: index compaction tuning',
          tags: ['service:search', 'env:prod', 'deployment'],
          source: 'github',
        },
        {
          timestamp: at(now, -12),
          title: 'Deployed web-frontend aa12f0c to prod',
          text: 'Deployment 4415: search box placeholder text',
          tags: ['service:web-frontend', 'env:prod', 'deployment'],
          source: 'github',
        },
      ],
      'github/acme/search.json': repo(now, [
        {
          sha: idx,
          message: 'Tune index compaction thresholds',
          author: 'ravi',
          minutes: -165,
          files: [['src/index/compaction.rs', 8, 5]],
          pr: { number: 901, title: 'Compaction tuning', body: 'Reduce compaction frequency.' },
          deploy: { id: 4410, minutes: -150 },
        },
      ]),
      'github/acme/web-frontend.json': repo(now, [
        {
          sha: ui,
          message: 'Search box placeholder text',
          author: 'li',
          minutes: -20,
          files: [['src/SearchBox.tsx', 2, 2]],
          deploy: { id: 4415, minutes: -12 },
        },
      ]),
      'flags.json': [
        {
          key: 'checkout-express-pay',
          service: 'checkout',
          changedAt: at(now, -90),
          from: false,
          to: true,
          actor: 'sara',
        },
        {
          key: 'search-semantic-reranker',
          service: 'search',
          changedAt: at(now, -21),
          from: false,
          to: true,
          actor: 'ravi',
        },
        {
          key: 'homepage-banner-autumn',
          service: 'web-frontend',
          changedAt: at(now, -5),
          from: false,
          to: true,
          actor: 'marketing-bot',
        },
      ],
      'rootly/incidents.json': [
        {
          id: 'e5a6b7c8-5555-4e7f-8a81-000000000901',
          title: 'Search slow after enabling ML reranker experiment',
          summary: 'Enabling the semantic reranker for all traffic tripled search p95 latency.',
          severity: 'sev3',
          services: ['search'],
          startedAt: '2026-02-10T15:00:00Z',
          resolvedAt: '2026-02-10T15:20:00Z',
          cause: 'Reranker flag rolled out to 100% instead of 5%.',
          mitigation: 'Turned the flag off.',
          url: 'https://acme.rootly.com/incidents/e5a6b7c8',
        },
      ],
      'docs/runbooks/search-latency.md': doc(
        'Search latency runbook',
        'https://wiki.acme.dev/runbooks/search-latency',
        'runbook',
        `## Slow search\n1. Check recent feature flag changes for search experiments (rerankers, new ranking models).\n2. Check shard health.\n\n## Mitigation\nTurn off the experiment flag in LaunchDarkly.`,
      ),
      'docs/notion/search-architecture.md': doc(
        'Search architecture',
        'https://www.notion.so/acme/Search-architecture-9a',
        'notion',
        `Queries fan out to 6 shards, then an optional reranking stage.`,
      ),
      'truth.json': {
        kind: 'feature_flag',
        accept: ['search-semantic-reranker'],
        keywords: ['reranker'],
        runbook: 'runbooks/search-latency.md',
        similarIncident: 'e5a6b7c8-5555-4e7f-8a81-000000000901',
      },
    },
  };
}
