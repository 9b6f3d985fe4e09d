import { json, type Route, type SandboxRequest, type SandboxResponse, type SandboxWorld } from '../http';
import { aggregate, parseMetricQuery } from '../query/metric-query';
import { matchesSearch, parseSearchQuery, type Searchable } from '../query/search-query';

/** DataDog API v1/v2 routes the tools use, answered from the scenario in DataDog's wire format. */
function unauthorized(req: SandboxRequest): SandboxResponse | undefined {
  if (!req.headers['dd-api-key'] || !req.headers['dd-application-key'])
    return json({ errors: ['Forbidden'] }, 403);
  return undefined;
}

export function guarded(
  handler: (req: SandboxRequest, world: SandboxWorld) => SandboxResponse,
): Route['handler'] {
  return (req, world) => unauthorized(req) ?? handler(req, world);
}

function monitorOut(m: Record<string, unknown>) {
  return {
    created: '2025-01-01T00:00:00+00:00',
    modified: '2025-01-01T00:00:00+00:00',
    multi: false,
    options: {},
    ...m,
  };
}

function getMonitor(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const id = Number(req.params.id);
  const m = world.scenario.monitors.find((x) => x.id === id);
  if (!m) return json({ errors: ['Monitor not found'] }, 404);
  return json(monitorOut(m));
}

function listMonitors(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const name = req.query.get('name')?.toLowerCase();
  const tags = [req.query.get('monitor_tags'), req.query.get('tags')]
    .filter((t): t is string => !!t)
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  const found = world.scenario.monitors.filter(
    (m) => (!name || m.name.toLowerCase().includes(name)) && tags.every((t) => m.tags.includes(t)),
  );
  return json(found.map(monitorOut));
}

function queryMetrics(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const from = Number(req.query.get('from')) * 1000;
  const to = Number(req.query.get('to')) * 1000;
  const raw = req.query.get('query') ?? '';
  if (!Number.isFinite(from) || !Number.isFinite(to) || !raw)
    return json({ errors: ['from, to and query are required'] }, 400);
  let q: ReturnType<typeof parseMetricQuery>;
  try {
    q = parseMetricQuery(raw);
  } catch (err) {
    return json({ errors: [(err as Error).message] }, 400);
  }
  const matching = world.scenario.metrics.filter(
    (s) =>
      s.metric === q.metric &&
      q.filters.every((f) => s.tags.includes(f)) &&
      !q.excludes.some((f) => s.tags.includes(f)),
  );
  const groups = new Map<string, typeof matching>();
  for (const s of matching) {
    const key = q.groupBy.map((g) => s.tags.find((t) => t.startsWith(`${g}:`)) ?? `${g}:N/A`).join(',');
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const series = [...groups.entries()].map(([key, members]) => {
    const byTime = new Map<number, number[]>();
    for (const s of members) {
      for (const [t, v] of s.points) {
        const ms = Date.parse(t);
        if (ms >= from && ms <= to) byTime.set(ms, [...(byTime.get(ms) ?? []), v]);
      }
    }
    const pointlist = [...byTime.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([t, vs]) => [t, aggregate(vs, q.aggregator)]);
    const scope = [...q.filters, ...(key ? key.split(',') : [])].join(',') || '*';
    return {
      metric: q.metric,
      display_name: q.metric,
      scope,
      expression: `${q.aggregator}:${q.metric}{${scope}}`,
      tag_set: key ? key.split(',') : [],
      aggr: q.aggregator,
      pointlist,
      start: pointlist[0]?.[0] ?? from,
      end: pointlist.at(-1)?.[0] ?? to,
      interval: 60,
      length: pointlist.length,
    };
  });
  return json({
    status: 'ok',
    res_type: 'time_series',
    query: raw,
    from_date: from,
    to_date: to,
    series: series.filter((s) => s.length > 0),
  });
}

function listEvents(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const start = Number(req.query.get('start')) * 1000;
  const end = Number(req.query.get('end')) * 1000;
  if (!Number.isFinite(start) || !Number.isFinite(end))
    return json({ errors: ['start and end are required'] }, 400);
  const tags = (req.query.get('tags') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const events = world.scenario.events
    .map((e, i) => ({ e, id: 5_000_000 + i }))
    .filter(({ e }) => {
      const t = Date.parse(e.timestamp);
      return t >= start && t <= end && tags.every((tag) => e.tags.includes(tag));
    })
    .sort((a, b) => b.e.timestamp.localeCompare(a.e.timestamp))
    .map(({ e, id }) => ({
      id,
      id_str: String(id),
      title: e.title,
      text: e.text ?? '',
      date_happened: Math.floor(Date.parse(e.timestamp) / 1000),
      tags: e.tags,
      source_type_name: e.source ?? 'my apps',
      alert_type: 'info',
      priority: 'normal',
      url: `/event/event?id=${id}`,
    }));
  return json({ status: 'ok', events });
}

type SearchBody = {
  filter?: { query?: string; from?: string; to?: string };
  page?: { limit?: number; cursor?: string };
  sort?: string;
};

function parseWindow(filter: SearchBody['filter'], now: string): { from: number; to: number } {
  const parse = (v: string | undefined, fallback: number) => {
    if (!v) return fallback;
    if (/^now(-\d+[smhd])?$/.test(v)) {
      const m = /-(\d+)([smhd])$/.exec(v);
      const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[(m?.[2] ?? 's') as 's'];
      return Date.parse(now) - (m ? Number(m[1]) * unit : 0);
    }
    return /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  };
  return { from: parse(filter?.from, Date.parse(now) - 15 * 6e4), to: parse(filter?.to, Date.parse(now)) };
}

function searchPage<T extends { timestamp: string }>(
  body: SearchBody,
  now: string,
  records: readonly T[],
  searchable: (r: T) => Searchable,
): { page: T[]; after?: string } | SandboxResponse {
  const { from, to } = parseWindow(body.filter, now);
  if (!Number.isFinite(from) || !Number.isFinite(to))
    return json({ errors: ['filter.from/filter.to: invalid time'] }, 400);
  const terms = parseSearchQuery(body.filter?.query ?? '*');
  const hits = records.filter((r) => {
    const t = Date.parse(r.timestamp);
    return t >= from && t <= to && matchesSearch(searchable(r), terms);
  });
  if (body.sort !== 'timestamp') hits.reverse();
  const limit = Math.min(Math.max(body.page?.limit ?? 10, 1), 5000);
  const offset = body.page?.cursor ? Number(Buffer.from(body.page.cursor, 'base64url').toString()) || 0 : 0;
  const page = hits.slice(offset, offset + limit);
  const next =
    offset + limit < hits.length ? Buffer.from(String(offset + limit)).toString('base64url') : undefined;
  return { page, after: next };
}

function searchLogs(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const body = (req.body ?? {}) as SearchBody;
  const result = searchPage(body, world.scenario.manifest.now, world.scenario.logs, (l) => ({
    text: l.message,
    fields: { service: l.service, status: l.status, host: l.host },
    attributes: l.attributes,
    tags: l.tags,
  }));
  if ('status' in result) return result;
  return json({
    data: result.page.map((l, i) => ({
      id: `AQAAAY${Buffer.from(`${l.timestamp}-${i}`).toString('base64url')}`,
      type: 'log',
      attributes: {
        timestamp: l.timestamp,
        service: l.service,
        status: l.status,
        host: l.host,
        message: l.message,
        tags: l.tags,
        attributes: l.attributes,
      },
    })),
    meta: {
      status: 'done',
      elapsed: 12,
      request_id: 'sandbox',
      ...(result.after ? { page: { after: result.after } } : {}),
    },
    ...(result.after
      ? { links: { next: `${world.baseUrl}/api/v2/logs/events/search?page[cursor]=${result.after}` } }
      : {}),
  });
}

/** The first value of each named tag, as DataDog puts a span's host and env beside its tags. */
function tagValues(tags: readonly string[], keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const tag = tags.find((t) => t.startsWith(`${key}:`));
    if (tag) out[key] = tag.slice(key.length + 1);
  }
  return out;
}

/**
 * A span's dotted tags (`peer.hostname:x`, `http.status_code:500`) as the nested `custom` meta
 * DataDog's span search returns (`custom.peer.hostname`), so clients read them where they would.
 */
function spanMeta(tags: readonly string[]): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  for (const tag of tags) {
    const m = /^([\w-]+(?:\.[\w-]+)+):(.*)$/.exec(tag);
    if (!m) continue;
    const path = m[1]!.split('.');
    let node = meta;
    for (const part of path.slice(0, -1)) {
      if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[path.at(-1)!] = m[2]!;
  }
  return meta;
}

function searchSpans(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const raw = (req.body ?? {}) as { data?: { attributes?: SearchBody } };
  const body = raw.data?.attributes ?? {};
  const result = searchPage(body, world.scenario.manifest.now, world.scenario.spans, (s) => ({
    text: `${s.resource} ${s.errorType ?? ''} ${s.errorMessage ?? ''}`,
    fields: { service: s.service, resource_name: s.resource, status: s.error ? 'error' : 'ok' },
    attributes: { ...spanMeta(s.tags), error: { type: s.errorType, message: s.errorMessage } },
    tags: s.tags,
  }));
  if ('status' in result) return result;
  return json({
    data: result.page.map((s, i) => {
      const startMs = Date.parse(s.timestamp);
      return {
        id: `span-${startMs}-${i}`,
        type: 'spans',
        attributes: {
          service: s.service,
          resource_name: s.resource,
          start_timestamp: s.timestamp,
          end_timestamp: new Date(startMs + s.durationMs).toISOString(),
          trace_id: s.traceId ?? String(startMs),
          span_id: String(startMs + i),
          ...tagValues(s.tags, ['host', 'env']),
          tags: s.tags,
          custom: {
            ...spanMeta(s.tags),
            duration: Math.round(s.durationMs * 1e6),
            status: s.error ? 'error' : 'ok',
            ...(s.error ? { error: { type: s.errorType ?? 'Error', message: s.errorMessage ?? '' } } : {}),
          },
        },
      };
    }),
    meta: {
      status: 'done',
      elapsed: 9,
      request_id: 'sandbox',
      ...(result.after ? { page: { after: result.after } } : {}),
    },
  });
}

const reads = (file: string) => () => `datadog/${file}.json`;

export const routes: Route[] = [
  { method: 'GET', pattern: '/api/v1/monitor/:id', handler: guarded(getMonitor), reads: reads('monitors') },
  { method: 'GET', pattern: '/api/v1/monitor', handler: guarded(listMonitors), reads: reads('monitors') },
  { method: 'GET', pattern: '/api/v1/query', handler: guarded(queryMetrics), reads: reads('metrics') },
  { method: 'GET', pattern: '/api/v1/events', handler: guarded(listEvents), reads: reads('events') },
  {
    method: 'POST',
    pattern: '/api/v2/logs/events/search',
    handler: guarded(searchLogs),
    reads: reads('logs'),
  },
  {
    method: 'POST',
    pattern: '/api/v2/spans/events/search',
    handler: guarded(searchSpans),
    reads: reads('spans'),
  },
];
