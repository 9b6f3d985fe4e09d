/**
 * DataDog log/span search syntax, the subset the sandbox answers: `service:x status:error
 * -host:y "exact phrase" word *wild* @attr:value status:(error OR warn)`, AND of terms (an
 * explicit AND is ignored as AND; OR only inside a field's parenthesised value list).
 */
export type SearchTerm = { negate: boolean } & (
  | { kind: 'field'; field: string; values: string[] }
  | { kind: 'text'; value: string }
);

export function parseSearchQuery(raw: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const re = /(-)?(?:(@?[\w.]+):(\([^)]*\)|"[^"]*"|\S+)|"([^"]*)"|(\S+))/g;
  for (const m of raw.matchAll(re)) {
    const negate = m[1] === '-';
    if (m[2] !== undefined) terms.push({ negate, kind: 'field', field: m[2], values: fieldValues(m[3]!) });
    else if (m[4] !== undefined) terms.push({ negate, kind: 'text', value: m[4] });
    else if (m[5] !== undefined && m[5] !== 'AND' && m[5] !== '*')
      terms.push({ negate, kind: 'text', value: m[5] });
  }
  return terms;
}

/** `(error OR warn)` is either value; `"a b"` is one value. */
function fieldValues(raw: string): string[] {
  if (!raw.startsWith('(')) return [raw.replace(/^"|"$/g, '')];
  return raw
    .slice(1, -1)
    .split(/\s+OR\s+/)
    .map((v) => v.trim().replace(/^"|"$/g, ''))
    .filter(Boolean);
}

/** A DataDog `*` wildcard as a case-insensitive whole-value matcher (give it lower-cased text). */
export function wildcard(pattern: string): RegExp {
  const escaped = pattern
    .toLowerCase()
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/**
 * What a record exposes to search. `fields` are the reserved attributes (service, status, host…),
 * addressed without `@`; `attributes` are the record's own, addressed with `@` as in DataDog, so a
 * custom attribute named `status` never stands in for the record's status.
 */
export type Searchable = {
  text: string;
  fields: Record<string, unknown>;
  attributes?: Record<string, unknown>;
  tags: string[];
};

function lookup(root: Record<string, unknown> | undefined, path: string): unknown {
  let actual: unknown = root;
  for (const part of path.split('.'))
    actual = actual && typeof actual === 'object' ? (actual as Record<string, unknown>)[part] : undefined;
  return actual;
}

function fieldMatches(doc: Searchable, field: string, value: string): boolean {
  const want = wildcard(value);
  const custom = field.startsWith('@');
  const name = custom ? field.slice(1) : field;
  const actual = lookup(custom ? doc.attributes : doc.fields, name);
  if (actual !== undefined && actual !== null && want.test(String(actual).toLowerCase())) return true;
  return doc.tags.some(
    (t) =>
      t.toLowerCase().startsWith(`${name.toLowerCase()}:`) &&
      want.test(t.slice(name.length + 1).toLowerCase()),
  );
}

function textMatches(doc: Searchable, value: string): boolean {
  const text = doc.text.toLowerCase();
  if (value.includes('*')) return text.split(/\s+/).some((w) => wildcard(value).test(w));
  return text.includes(value.toLowerCase());
}

export function matchesSearch(doc: Searchable, terms: readonly SearchTerm[]): boolean {
  return terms.every((t) => {
    const hit =
      t.kind === 'field' ? t.values.some((v) => fieldMatches(doc, t.field, v)) : textMatches(doc, t.value);
    return t.negate ? !hit : hit;
  });
}
