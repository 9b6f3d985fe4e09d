import { json, type Route, type SandboxRequest, type SandboxResponse, type SandboxWorld } from '../http';
import type { IncidentRecord } from '../scenario-schema';

/** Rootly's JSON:API /v1/incidents with search, service and date filters and page[number]/page[size]. */
function authed(handler: (req: SandboxRequest, world: SandboxWorld) => SandboxResponse): Route['handler'] {
  return (req, world) =>
    /^Bearer \S+/.test(String(req.headers.authorization ?? ''))
      ? handler(req, world)
      : json({ errors: [{ title: 'Unauthorized', status: '401' }] }, 401);
}

const STOP = new Set([
  'the',
  'a',
  'an',
  'and',
  'or',
  'of',
  'in',
  'on',
  'for',
  'to',
  'is',
  'are',
  'with',
  'after',
  'at',
]);

export function tokens(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((t) => t.length > 1 && !STOP.has(t));
}

/** Scenario incidents carry no edit time: the last thing that happened to them stands in. */
function updatedAt(i: IncidentRecord): string {
  return i.resolvedAt ?? i.startedAt;
}

/** A stable, id-like value for a named record (Rootly ids are UUIDs; ours only need to be stable). */
function recordId(kind: string, name: string): string {
  let h = 0;
  for (const c of `${kind}:${name}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `${h.toString(16).padStart(8, '0')}-0000-4000-8000-${name.length.toString(16).padStart(12, '0')}`;
}

function severityRecord(slug: string) {
  return {
    id: recordId('severities', slug),
    type: 'severities',
    attributes: { name: slug.toUpperCase(), slug },
  };
}

function serviceRecord(slug: string) {
  return { id: recordId('services', slug), type: 'services', attributes: { name: slug, slug } };
}

/**
 * An incident as Rootly's OpenAPI spec shapes it (IncidentResponse): related records nested in
 * the attributes as `{ data: { id, type, attributes } }`; with `include=services|severity`, also
 * as relationships whose records the document lists in `included`.
 */
function incidentOut(i: IncidentRecord, include: ReadonlySet<string>) {
  return {
    id: i.id,
    type: 'incidents',
    attributes: {
      title: i.title,
      slug: i.title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      summary: i.summary,
      status: i.resolvedAt ? 'resolved' : 'started',
      severity: { data: severityRecord(i.severity) },
      services: i.services.map((s) => ({ data: serviceRecord(s) })),
      started_at: i.startedAt,
      resolved_at: i.resolvedAt ?? null,
      updated_at: updatedAt(i),
      mitigation_message: i.mitigation ?? null,
      resolution_message: i.cause ?? null,
      url: i.url ?? null,
    },
    ...(include.size > 0
      ? {
          relationships: {
            ...(include.has('severity')
              ? { severity: { data: { id: recordId('severities', i.severity), type: 'severities' } } }
              : {}),
            ...(include.has('services')
              ? {
                  services: {
                    data: i.services.map((s) => ({ id: recordId('services', s), type: 'services' })),
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}

/** The `include` parameter's relationships we can serve. */
function includesOf(req: SandboxRequest): Set<string> {
  return new Set(
    (req.query.get('include') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s === 'services' || s === 'severity'),
  );
}

/** The compound document's `included`: each related record once. */
function includedFor(incidents: readonly IncidentRecord[], include: ReadonlySet<string>) {
  const out = new Map<string, ReturnType<typeof serviceRecord>>();
  for (const i of incidents) {
    if (include.has('severity')) out.set(`severities/${i.severity}`, severityRecord(i.severity));
    if (include.has('services')) for (const s of i.services) out.set(`services/${s}`, serviceRecord(s));
  }
  return [...out.values()];
}

function listIncidents(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const search = tokens(req.query.get('filter[search]') ?? '');
  const services = (req.query.get('filter[services]') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const gte = req.query.get('filter[started_at][gte]');
  const lte = req.query.get('filter[started_at][lte]');
  const updatedGt = req.query.get('filter[updated_at][gt]');
  const size = Math.min(Math.max(Number(req.query.get('page[size]') ?? 20) || 20, 1), 100);
  const page = Math.max(Number(req.query.get('page[number]') ?? 1) || 1, 1);
  const scored = world.scenario.incidents
    .filter((i) => services.length === 0 || i.services.some((s) => services.includes(s)))
    .filter((i) => (!gte || i.startedAt >= gte) && (!lte || i.startedAt <= lte))
    .filter((i) => !updatedGt || Date.parse(updatedAt(i)) > Date.parse(updatedGt))
    .map((i) => {
      const words = new Set(tokens(`${i.title} ${i.summary} ${i.cause ?? ''} ${i.mitigation ?? ''}`));
      return { i, score: search.filter((t) => words.has(t)).length };
    })
    .filter((x) => search.length === 0 || x.score > 0)
    .sort((a, b) => b.score - a.score || b.i.startedAt.localeCompare(a.i.startedAt));
  const total = scored.length;
  const pages = Math.max(1, Math.ceil(total / size));
  const include = includesOf(req);
  const shown = scored.slice((page - 1) * size, page * size).map((x) => x.i);
  const items = shown.map((i) => incidentOut(i, include));
  const link = (n: number) => `${world.baseUrl}/v1/incidents?page[number]=${n}&page[size]=${size}`;
  return json({
    data: items,
    ...(include.size > 0 ? { included: includedFor(shown, include) } : {}),
    links: {
      self: link(page),
      first: link(1),
      last: link(pages),
      next: page < pages ? link(page + 1) : null,
      prev: page > 1 ? link(page - 1) : null,
    },
    meta: {
      current_page: page,
      next_page: page < pages ? page + 1 : null,
      prev_page: page > 1 ? page - 1 : null,
      total_count: total,
      total_pages: pages,
    },
  });
}

function getIncident(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const i = world.scenario.incidents.find((x) => x.id === req.params.id);
  const include = includesOf(req);
  return i
    ? json({
        data: incidentOut(i, include),
        ...(include.size > 0 ? { included: includedFor([i], include) } : {}),
      })
    : json({ errors: [{ title: 'Not found', status: '404' }] }, 404);
}

const INCIDENTS_FILE = 'rootly/incidents.json';

export const routes: Route[] = [
  { method: 'GET', pattern: '/v1/incidents', handler: authed(listIncidents), reads: () => INCIDENTS_FILE },
  { method: 'GET', pattern: '/v1/incidents/:id', handler: authed(getIncident), reads: () => INCIDENTS_FILE },
];
