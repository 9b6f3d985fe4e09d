import { wildcard } from './search-query';

/**
 * DataDog's tag filter expressions, as the metric listing endpoints take them (`tag_filter`,
 * `filter[tags]`): `service:web* AND env:prod`, `env IN (staging,test)`, `NOT host:a`, `!host:a`,
 * `-host:a`, `a OR b`, parentheses; a comma or a space between terms means AND.
 * Compiled to a predicate over one series' tags.
 */
export type TagPredicate = (tags: readonly string[]) => boolean;

type Token = '(' | ')' | ',' | 'AND' | 'OR' | 'NOT' | 'IN' | { word: string };

function tokenize(raw: string): Token[] {
  const tokens: Token[] = [];
  for (const m of raw.matchAll(/\(|\)|,|[^\s(),]+/g)) {
    const t = m[0];
    if (t === '(' || t === ')' || t === ',') tokens.push(t);
    else if (/^(AND|OR|NOT|IN)$/.test(t)) tokens.push(t as Token);
    else if (/^[!-]./.test(t)) tokens.push('NOT', { word: t.slice(1) });
    else tokens.push({ word: t });
  }
  return tokens;
}

/** `key:value*` matches a tag; a bare `key` matches the tag itself or any value of that key. */
function termMatches(term: string): TagPredicate {
  const exact = wildcard(term);
  const keyed = term.includes(':') ? undefined : wildcard(`${term}:*`);
  return (tags) => tags.some((t) => exact.test(t.toLowerCase()) || keyed?.test(t.toLowerCase()) === true);
}

export function parseTagFilter(raw: string): TagPredicate {
  const tokens = tokenize(raw);
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`cannot parse tag filter "${raw}": ${what}`);
  };
  const peek = () => tokens[i];
  const expect = (t: Token) => (peek() === t ? i++ : fail(`expected ${String(t)}`));

  const primary = (): TagPredicate => {
    const t = tokens[i++];
    if (t === 'NOT') {
      const inner = primary();
      return (tags) => !inner(tags);
    }
    if (t === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (t === undefined || typeof t === 'string') return fail(`unexpected ${t ?? 'end'}`);
    const negatedIn = peek() === 'NOT' && tokens[i + 1] === 'IN';
    if (peek() !== 'IN' && !negatedIn) return termMatches(t.word);
    i += negatedIn ? 2 : 1;
    expect('(');
    const values: string[] = [];
    while (peek() !== ')') {
      const v = tokens[i++];
      if (v === ',') continue;
      if (v === undefined || typeof v === 'string') return fail('expected a value list');
      values.push(v.word);
    }
    expect(')');
    const any = values.map((v) => termMatches(`${t.word}:${v}`));
    return (tags) => any.some((p) => p(tags)) !== negatedIn;
  };
  const and = (): TagPredicate => {
    const parts = [primary()];
    for (;;) {
      const t = peek();
      if (t === 'AND' || t === ',') i++;
      else if (t === undefined || t === 'OR' || t === ')') break;
      parts.push(primary());
    }
    return (tags) => parts.every((p) => p(tags));
  };
  const or = (): TagPredicate => {
    const parts = [and()];
    while (peek() === 'OR') {
      i++;
      parts.push(and());
    }
    return (tags) => parts.some((p) => p(tags));
  };

  if (tokens.length === 0) return () => true;
  const predicate = or();
  if (i < tokens.length) fail(`unexpected ${String(tokens[i])}`);
  return predicate;
}
