import { DECISIVE_ATTRIBUTE_PREFIXES, EVIDENCE_LIMITS } from '../defaults';

/**
 * Pure helpers that keep the structured part of a log line or span (its attributes and tags)
 * bounded: which attributes survive, the stack, the version and the peer it names.
 */
export type Scalar = string | number | boolean;
export type Count = { value: string; count: number };

/** Nested attributes as dotted keys (`{ error: { kind } }` -> `error.kind`); arrays become JSON text. */
export function flattenAttributes(
  value: unknown,
  prefix = '',
  out: Record<string, Scalar> = {},
): Record<string, Scalar> {
  if (value === null || value === undefined) return out;
  if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flattenAttributes(v, prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  if (!prefix) return out;
  out[prefix] =
    typeof value === 'number' || typeof value === 'boolean'
      ? value
      : Array.isArray(value)
        ? JSON.stringify(value)
        : String(value);
  return out;
}

/** `key:value` tags as a map; the first value of a key wins. */
export function tagMap(tags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags) {
    const i = t.indexOf(':');
    if (i > 0) out[t.slice(0, i)] ??= t.slice(i + 1);
  }
  return out;
}

const decisiveRank = (key: string) => {
  const i = DECISIVE_ATTRIBUTE_PREFIXES.findIndex((p) => key === p || key.startsWith(p));
  return i < 0 ? DECISIVE_ATTRIBUTE_PREFIXES.length : i;
};

/**
 * The attributes worth keeping, decisive namespaces first (error, http, peer, db, network,
 * version), then the rest in their own order while `budget` characters last, each value cut to
 * EVIDENCE_LIMITS.attributeValueChars. The stack is kept
 * apart (see boundedStack), so it cannot crowd out the rest.
 */
export function boundedAttributes(
  flat: Record<string, Scalar>,
  budget: number = EVIDENCE_LIMITS.attributeChars,
): Record<string, Scalar> {
  const keys = Object.keys(flat)
    .filter((k) => k !== 'error.stack')
    .map((k, order) => ({ k, order, rank: decisiveRank(k) }))
    .sort((a, b) => a.rank - b.rank || a.order - b.order);
  const out: Record<string, Scalar> = {};
  let left = budget;
  for (const { k } of keys) {
    const raw = flat[k]!;
    const value = typeof raw === 'string' ? raw.slice(0, EVIDENCE_LIMITS.attributeValueChars) : raw;
    const cost = k.length + String(value).length + 4;
    if (cost > left) continue;
    out[k] = value;
    left -= cost;
  }
  return out;
}

/** A stack trace's head (the throwing frame and its nearest callers), bounded. */
export function boundedStack(stack: unknown): string | undefined {
  if (typeof stack !== 'string' || stack.trim() === '') return undefined;
  if (stack.length <= EVIDENCE_LIMITS.stackChars) return stack;
  // Python prints the innermost (throwing) frame last: keep the message line and the tail.
  if (PYTHON_TRACEBACK.test(stack)) {
    const head = stack.slice(0, stack.indexOf('\n') + 1);
    const tail = stack.slice(-(EVIDENCE_LIMITS.stackChars - head.length));
    const firstBreak = tail.indexOf('\n');
    return `${head}…\n${firstBreak >= 0 ? tail.slice(firstBreak + 1) : tail}`;
  }
  const cut = stack.slice(0, EVIDENCE_LIMITS.stackChars);
  const lastBreak = cut.lastIndexOf('\n');
  return `${lastBreak > 0 ? cut.slice(0, lastBreak) : cut}\n…`;
}

const PYTHON_TRACEBACK = /Traceback \(most recent call last\)/;

/**
 * Frame lines as the runtimes print them: JS/.NET `at fn (file:1:2)` / `at X in file:line 3`,
 * Java `\tat pkg.Cls.fn(File.java:3)`, Python `File "x.py", line 3`, Ruby `from x.rb:3:in`, Go
 * `goroutine 1 [running]:`.
 */
const FRAME_LINE = /\n(?:\s+at\s|\s*File "[^"]+", line \d+|\s*from \S+:\d+:in|goroutine \d+ \[)/;

/**
 * The stack a log line carries in its message when it has no `error.stack` attribute (a Python
 * traceback or a Java stack printed into the message): the message from its first frame on.
 */
export function stackInMessage(message: string): string | undefined {
  return FRAME_LINE.test(message) ? message : undefined;
}

/** The first frame lines of a stack (the lines after its message), for one-line summaries. */
export function stackHead(stack: string | undefined, frames = 2): string {
  if (!stack) return '';
  return stack
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l && l !== '…')
    .slice(0, frames)
    .join(' < ');
}

const pick = (flat: Record<string, Scalar>, tags: Record<string, string>, keys: readonly string[]) => {
  for (const k of keys) {
    const v = flat[k] ?? tags[k];
    if (v !== undefined && String(v) !== '') return String(v);
  }
  return undefined;
};

/** The version the code ran, from DataDog's unified service tagging: `dd.version`, `version`. */
export function versionOf(flat: Record<string, Scalar>, tags: Record<string, string>): string | undefined {
  return pick(flat, tags, ['dd.version', 'version']);
}

/** The component a call went to: its `peer.service`, else the `peer.hostname` it reached. */
export function peerOf(flat: Record<string, Scalar>, tags: Record<string, string>): string | undefined {
  return pick(flat, tags, ['peer.service', 'peer.hostname']);
}

/** How often each value occurs, most frequent first (ties by value), at most `limit` rows. */
export function topCounts(
  values: Iterable<string | undefined>,
  limit: number = EVIDENCE_LIMITS.breakdownRows,
): Count[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
    .slice(0, limit);
}

/** `2.40.0 (12), 2.39.7 (1)`: counts in one phrase. */
export function describeCounts(counts: readonly Count[], shown = 3): string {
  const head = counts
    .slice(0, shown)
    .map((c) => `${c.value} (${c.count})`)
    .join(', ');
  return counts.length > shown ? `${head}, +${counts.length - shown} more` : head;
}
