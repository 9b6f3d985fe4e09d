/**
 * DataDog webhook bodies are whatever template the user wrote: the same `$ALERT_TRANSITION`
 * arrives as `alert_transition`, `alertTransition`, `ALERT_TRANSITION`, or `transition` inside
 * an `alert` object. This flattens a body into one lookup by normalized name (lower case, no
 * separators), top level first, so the parser asks for a variable once, whatever its spelling.
 */
export type Fields = ReadonlyMap<string, unknown>;

/** Objects templates commonly nest variables under (one level is typical; three is plenty). */
const CONTAINERS = new Set([
  'metadata',
  'alert',
  'monitor',
  'event',
  'org',
  'data',
  'meta',
  'details',
  'detail',
  'labels',
  'annotations',
  'payload',
]);
/** Inside these, a key also counts with the container's name in front: `alert.id` is `$ALERT_ID`. */
const PREFIXING = new Set(['alert', 'monitor', 'event', 'org']);
/** ...and these keys count only with it: `monitor.name` is not the title, `org.id` not the event id. */
const ONLY_PREFIXED = new Set(['id', 'name', 'title', 'type', 'status', 'priority']);
const MAX_DEPTH = 3;

export const normalizedKey = (k: string): string => k.toLowerCase().replace(/[^a-z0-9]/g, '');

export function flattenFields(body: Record<string, unknown>): Fields {
  const out = new Map<string, unknown>();
  const queue: [Record<string, unknown>, string, number][] = [[body, '', 0]];
  for (let item = queue.shift(); item; item = queue.shift()) {
    const [obj, container, depth] = item;
    for (const [rawKey, value] of Object.entries(obj)) {
      const k = normalizedKey(rawKey);
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        if (depth < MAX_DEPTH && CONTAINERS.has(k))
          queue.push([value as Record<string, unknown>, k, depth + 1]);
        continue;
      }
      const names = !PREFIXING.has(container)
        ? [k]
        : [k.startsWith(container) ? k : container + k, ...(ONLY_PREFIXED.has(k) ? [] : [k])];
      for (const n of names) if (!out.has(n)) out.set(n, value);
    }
  }
  return out;
}

/** A value as text; empty strings and unsubstituted `$VARIABLES` count as absent. */
export function text(v: unknown): string | undefined {
  const s = typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
  return s && !/^\$[A-Z][A-Z0-9_]*$/.test(s) ? s : undefined;
}

/** The first present value among names (give them normalized: `alerttransition`). */
export function pick(f: Fields, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = text(f.get(n));
    if (v !== undefined) return v;
  }
  return undefined;
}

/** `$TAGS` is comma-separated; some templates send an array instead. */
export function tagList(v: unknown): string[] {
  const items = Array.isArray(v) ? v.map(text) : (text(v) ?? '').split(',');
  return [...new Set(items.map((t) => t?.trim()).filter((t): t is string => !!t))];
}
