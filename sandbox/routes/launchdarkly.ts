import { json, type Route, type SandboxRequest, type SandboxResponse, type SandboxWorld } from '../http';

/** The audit entry's member: an actor given as an e-mail address keeps it; a bare name gets the world's domain. */
function member(actor = 'unknown') {
  const email = actor.includes('@') ? actor : `${actor}@acme.dev`;
  return { _id: `m-${actor}`, email, firstName: email.split('@')[0]! };
}

/** LaunchDarkly's audit log (GET /api/v2/auditlog) built from the scenario's flag changes. */
function auditLog(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  if (!req.headers.authorization)
    return json({ code: 'unauthorized', message: 'Invalid account ID header' }, 401);
  const after = Number(req.query.get('after') ?? 0);
  const before = Number(req.query.get('before') ?? Number.MAX_SAFE_INTEGER);
  const q = (req.query.get('q') ?? '').toLowerCase();
  const limit = Math.min(Math.max(Number(req.query.get('limit') ?? 10) || 10, 1), 20);
  const items = world.scenario.flags
    .map((f, i) => ({ f, i, date: Date.parse(f.changedAt) }))
    .filter(
      ({ f, date }) =>
        date >= after &&
        date <= before &&
        (!q || f.key.toLowerCase().includes(q) || (f.service ?? '').includes(q)),
    )
    .sort((a, b) => b.date - a.date)
    .slice(0, limit)
    .map(({ f, i, date }) => ({
      _id: `ld-${i}-${date}`,
      _links: { self: { href: `/api/v2/auditlog/ld-${i}-${date}`, type: 'application/json' } },
      date,
      kind: 'flag',
      name: f.key,
      description: `- Changed the default variation from \`${JSON.stringify(f.from)}\` to \`${JSON.stringify(f.to)}\``,
      shortDescription: `Updated flag ${f.key}`,
      titleVerb: 'updated the flag',
      title: `${f.actor ?? 'someone'} updated the flag [${f.key}]`,
      member: member(f.actor),
      target: { name: f.key, resources: [`proj/default:env/production:flag/${f.key}`] },
      delta: { from: f.from, to: f.to },
      tags: f.service ? [`service:${f.service}`] : [],
    }));
  return json({ items, totalCount: items.length, _links: {} });
}

export const routes: Route[] = [
  { method: 'GET', pattern: '/api/v2/auditlog', handler: auditLog, reads: () => 'flags.json' },
];
