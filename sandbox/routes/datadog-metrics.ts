import { json, type Route, type SandboxRequest, type SandboxResponse, type SandboxWorld } from '../http';
import { parseTagFilter, type TagPredicate } from '../query/tag-filter';
import { guarded } from './datadog';

/**
 * DataDog's metric listing endpoints, answered from the scenario's series: which metric names
 * reported since a time, with the given tags (v1 active metrics, v2 metrics list), or by name
 * (v1 search). A metric matches when one of its series carries the tags and has a point in range.
 */
function activeNames(world: SandboxWorld, fromMs: number, matches: TagPredicate): string[] {
  const names = new Set<string>();
  for (const s of world.scenario.metrics)
    if (matches(s.tags) && s.points.some(([t]) => Date.parse(t) >= fromMs)) names.add(s.metric);
  return [...names].sort();
}

function tagFilter(raw: string | null): TagPredicate | SandboxResponse {
  try {
    return parseTagFilter(raw ?? '');
  } catch (err) {
    return json({ errors: [(err as Error).message] }, 400);
  }
}

/** GET /api/v1/metrics?from=<epoch s>[&host=][&tag_filter=]: `{ from, metrics: [names] }`. */
function listActiveMetrics(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const from = Number(req.query.get('from'));
  if (!req.query.get('from') || !Number.isFinite(from))
    return json({ errors: ['from is required: seconds since the Unix epoch'] }, 400);
  const filter = tagFilter(req.query.get('tag_filter'));
  if (typeof filter !== 'function') return filter;
  const host = req.query.get('host');
  const matches: TagPredicate = (tags) => filter(tags) && (!host || tags.includes(`host:${host}`));
  return json({ from: String(from), metrics: activeNames(world, from * 1000, matches) });
}

/** GET /api/v1/search?q=metrics:<text>: names containing the text. */
function searchMetrics(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const q = req.query.get('q');
  if (!q) return json({ errors: ['q is required'] }, 400);
  const text = q
    .replace(/^metrics:/, '')
    .trim()
    .toLowerCase();
  const names = [...new Set(world.scenario.metrics.map((s) => s.metric))]
    .filter((n) => n.toLowerCase().includes(text))
    .sort();
  return json({ results: { metrics: names } });
}

/** GET /api/v2/metrics?filter[tags]=&window[seconds]= (default 3600 before now): JSON:API list. */
function listMetricsV2(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const filter = tagFilter(req.query.get('filter[tags]'));
  if (typeof filter !== 'function') return filter;
  const windowSeconds = Number(req.query.get('window[seconds]') ?? 3600);
  if (!Number.isFinite(windowSeconds) || windowSeconds <= 0)
    return json({ errors: ['window[seconds] must be a positive number of seconds'] }, 400);
  const from = Date.parse(world.scenario.manifest.now) - windowSeconds * 1000;
  const data = activeNames(world, from, filter).map((id) => ({ id, type: 'metrics' }));
  return json({ data, links: { self: `${world.baseUrl}${req.path}` } });
}

export const routes: Route[] = [
  { method: 'GET', pattern: '/api/v1/metrics', handler: guarded(listActiveMetrics) },
  { method: 'GET', pattern: '/api/v1/search', handler: guarded(searchMetrics) },
  { method: 'GET', pattern: '/api/v2/metrics', handler: guarded(listMetricsV2) },
];
