/**
 * Pure readers of LaunchDarkly's audit log (API v2). A list entry names the flag only in
 * `target.resources` (`proj/P:env/E:flag/KEY`; `name` is the display name) and carries no change;
 * the entry's detail (`GET /api/v2/auditlog/{id}`) has the JSON patch (`delta`) and the flag as it
 * was and is (`previousVersion` / `currentVersion`), whose `tags` name its service.
 */
export type FlagVersion = {
  key?: string;
  name?: string;
  tags?: string[];
  variations?: { value?: unknown; name?: string }[];
  environments?: Record<
    string,
    {
      on?: boolean;
      offVariation?: number;
      fallthrough?: {
        variation?: number;
        rollout?: { variations?: { variation: number; weight: number }[] };
      };
    }
  >;
};

export type AuditListEntry = {
  _id: string;
  date: number;
  kind?: string;
  name?: string;
  description?: string;
  shortDescription?: string;
  title?: string;
  member?: { email?: string; firstName?: string; lastName?: string };
  target?: { name?: string; resources?: string[] };
  accesses?: { action?: string; resource?: string }[];
  _links?: { self?: { href?: string }; site?: { href?: string } };
};

type JsonPatchOp = { op?: string; path?: string; value?: unknown };

export type AuditEntryDetail = AuditListEntry & {
  /** The request's JSON patch (an array of ops), or a semantic patch (an object with instructions). */
  delta?: JsonPatchOp[] | Record<string, unknown> | null;
  previousVersion?: FlagVersion | null;
  currentVersion?: FlagVersion | null;
};

export type FlagResource = { project: string; environment?: string; key: string };

/** Pure: `proj/default:env/production:flag/my-flag` (a `;tags` suffix allowed) to its parts. */
export function parseFlagResource(resource: string): FlagResource | undefined {
  const parts = new Map(
    resource
      .split(';')[0]!
      .split(':')
      .map((p) => {
        const i = p.indexOf('/');
        return [p.slice(0, i), p.slice(i + 1)] as const;
      }),
  );
  const key = parts.get('flag');
  const project = parts.get('proj');
  if (!key || !project || key.includes('*')) return undefined;
  return { project, key, environment: parts.get('env') };
}

/** Pure: the flag an entry is about, from its target (or its accesses), never its display name. */
export function flagOf(e: AuditListEntry): FlagResource | undefined {
  const resources = [...(e.target?.resources ?? []), ...(e.accesses ?? []).map((a) => a.resource ?? '')];
  for (const r of resources) {
    const parsed = parseFlagResource(r);
    if (parsed) return parsed;
  }
  return undefined;
}

/** Pure: the value a flag serves by default in an environment (off variation, or fallthrough). */
export function servedValue(v: FlagVersion | null | undefined, environment: string | undefined): unknown {
  const env = environment ? v?.environments?.[environment] : undefined;
  if (!v || !env) return undefined;
  const at = (i: number | undefined) => (i === undefined ? undefined : v.variations?.[i]?.value);
  if (env.on === false) return at(env.offVariation);
  if (env.fallthrough?.variation !== undefined) return at(env.fallthrough.variation);
  const rollout = env.fallthrough?.rollout?.variations;
  if (rollout)
    return `rollout ${rollout.map((r) => `${JSON.stringify(at(r.variation))} ${r.weight / 1000}%`).join(', ')}`;
  return undefined;
}

/** Pure: the value at a JSON pointer (`/environments/production/on`) in an object. */
function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export type ValueChange = { from: unknown; to: unknown; what?: string };

/**
 * Pure: what the change did. The served value before and after, when the versions show it
 * changed; else the first JSON patch op (its path, the value there before, the new value); else
 * the `from \`a\` to \`b\`` a description states. Unknown parts stay undefined.
 */
export function valueChange(d: AuditEntryDetail, environment: string | undefined): ValueChange {
  const before = servedValue(d.previousVersion, environment);
  const after = servedValue(d.currentVersion, environment);
  if (before !== undefined && after !== undefined && JSON.stringify(before) !== JSON.stringify(after))
    return { from: before, to: after };
  const op = Array.isArray(d.delta) ? d.delta.find((o) => typeof o.path === 'string') : undefined;
  if (op?.path)
    return {
      from: d.previousVersion ? valueAt(d.previousVersion, op.path) : undefined,
      to: op.op === 'remove' ? undefined : op.value,
      what: op.path,
    };
  const stated = /from `([^`]*)` to `([^`]*)`/.exec(d.description ?? '');
  if (stated) return { from: parseLiteral(stated[1]!), to: parseLiteral(stated[2]!) };
  return { from: undefined, to: undefined };
}

function parseLiteral(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** Pure: `service:x` (or `service/x`, `service-x`) among a flag's tags. */
export function serviceFromTags(tags: readonly string[] | undefined): string | undefined {
  for (const t of tags ?? []) {
    const m = /^service[:/_-](.+)$/i.exec(t.trim());
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Pure: the catalog service a flag key names (`search-semantic-reranker` -> `search`): the
 * longest service name that is a whole hyphen/underscore/dot-separated run of the key.
 */
export function serviceFromKey(key: string, services: readonly string[]): string | undefined {
  const words = `-${key.toLowerCase().replace(/[._]/g, '-')}-`;
  return [...services]
    .sort((a, b) => b.length - a.length)
    .find((s) => words.includes(`-${s.toLowerCase().replace(/[._]/g, '-')}-`));
}

/** Pure: who made the change. */
export function actorOf(e: AuditListEntry): string {
  return (
    e.member?.email ?? ([e.member?.firstName, e.member?.lastName].filter(Boolean).join(' ') || 'unknown')
  );
}
