/**
 * DataDog log/span search syntax, the subset the sandbox answers: `service:x status:error
 * -host:y "exact phrase" word *wild* @attr:value`, AND of terms (an explicit AND/OR is ignored as AND).
 */
export type SearchTerm = { negate: boolean } & (
  | { kind: 'field'; field: string; value: string }
  | { kind: 'text'; value: string }
);

export function parseSearchQuery(raw: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const re = /(-)?(?:(@?[\w.]+):("[^"]*"|\S+)|"([^"]*)"|(\S+))/g;
  for (const m of raw.matchAll(re)) {
    const negate = m[1] === '-';
    if (m[2] !== undefined)
      terms.push({ negate, kind: 'field', field: m[2], value: m[3]!.replace(/^"|"$/g, '') });
    else if (m[4] !== undefined) terms.push({ negate, kind: 'text', value: m[4] });
    else if (m[5] !== undefined && m[5] !== 'AND' && m[5] !== '*')
      terms.push({ negate, kind: 'text', value: m[5] });
  }
  return terms;
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern
    .toLowerCase()
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export type Searchable = { text: string; fields: Record<string, unknown>; tags: string[] };

function fieldMatches(doc: Searchable, field: string, value: string): boolean {
  const want = wildcard(value);
  const name = field.startsWith('@') ? field.slice(1) : field;
  let actual: unknown = doc.fields;
  for (const part of name.split('.'))
    actual = actual && typeof actual === 'object' ? (actual as Record<string, unknown>)[part] : undefined;
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
    const hit = t.kind === 'field' ? fieldMatches(doc, t.field, t.value) : textMatches(doc, t.value);
    return t.negate ? !hit : hit;
  });
}
