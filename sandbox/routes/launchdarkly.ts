import { json, type Route, type SandboxRequest, type SandboxResponse, type SandboxWorld } from '../http';
import type { FlagChange } from '../scenario-schema';

/**
 * LaunchDarkly's audit log and flags (API v2) built from the scenario's flag changes, in the
 * published shapes: a list entry names the flag in `target.resources` and carries no change; the
 * entry's detail adds the JSON patch (`delta`) and the flag before and after
 * (`previousVersion` / `currentVersion`), whose tags name the service.
 */
const PROJECT = 'default';
const ENV = 'production';

function member(actor = 'unknown') {
  const email = actor.includes('@') ? actor : `${actor}@acme.dev`;
  const id = `m-${email.split('@')[0]}`;
  return {
    _links: { self: { href: `/api/v2/members/${id}`, type: 'application/json' } },
    _id: id,
    email,
    firstName: email.split('@')[0]!,
  };
}

/** The display name LaunchDarkly shows (users type it; it is not the key). */
function displayName(key: string): string {
  const words = key.replace(/[-_.]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const isBoolean = (f: FlagChange) => typeof f.from === 'boolean' && typeof f.to === 'boolean';

/**
 * The flag as it was before (`side: 'from'`) or after the change. A boolean flag is turned on or
 * off (variations true/false, off serves false); any other flag moves its fallthrough from the
 * variation holding `from` to the one holding `to`.
 */
function flagVersion(f: FlagChange, side: 'from' | 'to', version: number) {
  const boolean = isBoolean(f);
  const env = boolean
    ? {
        on: side === 'from' ? f.from === true : f.to === true,
        fallthrough: { variation: 0 },
        offVariation: 1,
      }
    : { on: true, fallthrough: { variation: side === 'from' ? 0 : 1 }, offVariation: 0 };
  return {
    name: displayName(f.key),
    kind: boolean ? 'boolean' : 'multivariate',
    key: f.key,
    _version: version,
    creationDate: Date.parse(f.changedAt) - 30 * 86_400_000,
    variations: (boolean ? [true, false] : [f.from, f.to]).map((value, i) => ({ _id: `v${i}`, value })),
    temporary: true,
    tags: f.service ? [`service:${f.service}`] : [],
    _links: {
      self: { href: `/api/v2/flags/${PROJECT}/${f.key}`, type: 'application/json' },
      parent: { href: `/api/v2/flags/${PROJECT}`, type: 'application/json' },
    },
    environments: {
      [ENV]: { ...env, archived: false, _version: version, lastModified: Date.parse(f.changedAt) },
    },
  };
}

/** The JSON patch the change was made with. */
function delta(f: FlagChange) {
  return isBoolean(f)
    ? [{ op: 'replace', path: `/environments/${ENV}/on`, value: f.to === true }]
    : [{ op: 'replace', path: `/environments/${ENV}/fallthrough/variation`, value: 1 }];
}

type Entry = { f: FlagChange; id: string; date: number };

function entriesOf(world: SandboxWorld): Entry[] {
  return world.scenario.flags.map((f, i) => {
    const date = Date.parse(f.changedAt);
    return { f, date, id: `ld-${i}-${date}` };
  });
}

function listEntry({ f, id, date }: Entry) {
  const resource = `proj/${PROJECT}:env/${ENV}:flag/${f.key}`;
  const verb = isBoolean(f) ? (f.to ? 'turned on the flag' : 'turned off the flag') : 'updated the flag';
  return {
    _links: {
      canonical: { href: `/api/v2/flags/${PROJECT}/${f.key}`, type: 'application/json' },
      parent: { href: '/api/v2/auditlog', type: 'application/json' },
      self: { href: `/api/v2/auditlog/${id}`, type: 'application/json' },
      site: { href: `/${PROJECT}/${ENV}/features/${f.key}`, type: 'text/html' },
    },
    _id: id,
    _accountId: 'acct-acme',
    date,
    accesses: [{ action: isBoolean(f) ? 'updateOn' : 'updateFallthrough', resource }],
    kind: 'flag',
    name: displayName(f.key),
    description: isBoolean(f)
      ? `- Turned ${f.to ? 'on' : 'off'} the flag in \`Production\``
      : '- Changed the default variation in `Production`',
    shortDescription: '',
    member: member(f.actor),
    titleVerb: verb,
    title: `${f.actor ?? 'someone'} ${verb} [${displayName(f.key)}](https://app.launchdarkly.com/${PROJECT}/${ENV}/features/${f.key}) in \`Production\``,
    target: {
      _links: { canonical: { href: `/api/v2/flags/${PROJECT}/${f.key}`, type: 'application/json' } },
      name: displayName(f.key),
      resources: [resource],
    },
  };
}

function unauthorized(req: SandboxRequest): SandboxResponse | undefined {
  return req.headers.authorization
    ? undefined
    : json({ code: 'unauthorized', message: 'Invalid account ID header' }, 401);
}

const notFound = () => json({ code: 'not_found', message: 'Unknown resource' }, 404);

/** GET /api/v2/auditlog: newest first, `after`/`before` (epoch ms), `q` text, `limit` (at most 20). */
function auditLog(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const denied = unauthorized(req);
  if (denied) return denied;
  const after = Number(req.query.get('after') ?? 0);
  const before = Number(req.query.get('before') ?? Number.MAX_SAFE_INTEGER);
  const q = (req.query.get('q') ?? '').toLowerCase();
  const limit = Math.min(Math.max(Number(req.query.get('limit') ?? 10) || 10, 1), 20);
  const matching = entriesOf(world)
    .filter(({ f, date }) => date >= after && date <= before && (!q || f.key.toLowerCase().includes(q)))
    .sort((a, b) => b.date - a.date);
  return json({
    items: matching.slice(0, limit).map(listEntry),
    _links: { self: { href: `/api/v2/auditlog?${req.query}`, type: 'application/json' } },
  });
}

/** GET /api/v2/auditlog/:id: the entry with its delta and the flag's previous and current version. */
function auditLogEntry(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const denied = unauthorized(req);
  if (denied) return denied;
  const entry = entriesOf(world).find((e) => e.id === req.params.id);
  if (!entry) return notFound();
  const n = world.scenario.flags.filter((f) => f.key === entry.f.key).indexOf(entry.f) + 1;
  return json({
    ...listEntry(entry),
    delta: delta(entry.f),
    previousVersion: flagVersion(entry.f, 'from', n),
    currentVersion: flagVersion(entry.f, 'to', n + 1),
  });
}

/** GET /api/v2/flags/:project/:key: the flag as it is now (after its latest change). */
function getFlag(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const denied = unauthorized(req);
  if (denied) return denied;
  const changes = world.scenario.flags
    .filter((f) => f.key === req.params.key)
    .sort((a, b) => a.changedAt.localeCompare(b.changedAt));
  const latest = changes.at(-1);
  return latest && req.params.project === PROJECT
    ? json(flagVersion(latest, 'to', changes.length + 1))
    : notFound();
}

export const routes: Route[] = [
  { method: 'GET', pattern: '/api/v2/auditlog', handler: auditLog, reads: () => 'flags.json' },
  { method: 'GET', pattern: '/api/v2/auditlog/:id', handler: auditLogEntry, reads: () => 'flags.json' },
  { method: 'GET', pattern: '/api/v2/flags/:project/:key', handler: getFlag, reads: () => 'flags.json' },
];
