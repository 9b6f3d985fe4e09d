import { NEVER_EVIDENCE } from './defaults';

/**
 * The code-like terms of a text (an error message, a changed line, a file name), in a form that
 * lets the same name match however it is written: `MAX_POOL_SIZE`, `maxPoolSize`,
 * `max-pool-size` and `max.pool.size` are all `maxpoolsize`. Pure and linear: the text is split
 * on delimiters first, and every pattern runs on one short token.
 */
export type TermKind = 'identifier' | 'word';

export type Term = {
  /** Lower case, separators removed: the form terms are matched by. */
  key: string;
  /** As first written, for reasons shown to people. */
  shown: string;
  kind: TermKind;
  /** The words it is made of, lower case (one for a plain word). */
  parts: string[];
};

/** Names that never count as evidence (generic words, TLDs, package prefixes, the services in scope). */
export type Excluded = (key: string) => boolean;

/** Excludes the built-in vocabulary plus the given service names, whole and by part. */
export function excludedTerms(services: readonly string[] = []): Excluded {
  const own = new Set<string>();
  for (const s of services) {
    const parts = partsOf(s);
    own.add(parts.join('').toLowerCase());
    for (const p of parts) own.add(p.toLowerCase());
  }
  return (key) =>
    own.has(key) ||
    NEVER_EVIDENCE.generic.has(key) ||
    NEVER_EVIDENCE.tlds.has(key) ||
    NEVER_EVIDENCE.packagePrefixes.has(key);
}

const MIN_WORD_CHARS = 3;
const SOURCE_EXTENSION =
  /\.(?:ts|tsx|js|jsx|mjs|cjs|py|rb|go|java|kt|kts|scala|cs|php|rs|swift|c|h|cc|cpp|hpp|yaml|yml|json|toml|ini|env|properties|tf|sql|md)$/;
const MAX_TOKEN_CHARS = 120;

/** The words of a name: split at `.`, `_`, `-` and camelCase humps (`HTTPServer` -> HTTP, Server). */
export function partsOf(name: string): string[] {
  return name.split(/[._-]+/).flatMap((piece) => piece.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []);
}

/**
 * Identifiers (names of two or more words, and each such dotted segment: `db.pool.maxSize` gives
 * `dbpoolmaxsize` and `maxsize`) and plain words (every part of at least MIN_WORD_CHARS letters).
 * A term made only of excluded words is dropped: `request_id` names nothing.
 */
export function termsOf(text: string, excluded: Excluded): Term[] {
  const out = new Map<string, Term>();
  const add = (shown: string, kind: TermKind) => {
    const parts = partsOf(shown).map((p) => p.toLowerCase());
    const key = parts.join('');
    if (key.length < MIN_WORD_CHARS || out.has(key) || !/[a-z]/.test(key)) return;
    if (parts.every((p) => excluded(p) || /^\d+$/.test(p))) return;
    out.set(key, { key, shown, kind, parts });
  };
  for (const token of text.split(/[^\w.$-]+/)) {
    if (token.length > MAX_TOKEN_CHARS) continue;
    for (const name of token.split('$')) {
      // A file name's extension is not part of the name: `applyDiscount.ts` is `applyDiscount`.
      const trimmed = name.replace(/^[.-]+|[.-]+$/g, '').replace(SOURCE_EXTENSION, '');
      if (!/^[A-Za-z_]/.test(trimmed)) continue;
      const parts = partsOf(trimmed);
      if (parts.length >= 2) {
        add(trimmed, 'identifier');
        for (const segment of trimmed.split('.'))
          if (partsOf(segment).length >= 2) add(segment, 'identifier');
      }
      for (const part of parts) if (/^[A-Za-z]+$/.test(part)) add(part, 'word');
    }
  }
  return [...out.values()];
}

/** Paths a text names (`src/payments/discount.ts:42`, `app/models/order.rb`): a `/` and an extension. */
export function pathMentions(text: string): { path: string; line?: number }[] {
  const out: { path: string; line?: number }[] = [];
  for (const token of text.split(/[\s()[\]{}<>"'`,;]+/)) {
    if (token.length > 300 || !token.includes('/')) continue;
    const m = /^(?:[a-z]+:\/\/)?(\/?(?:[\w@.-]+\/)+[\w@.-]+\.[A-Za-z]{1,6})(?::(\d+))?(?::\d+)?:?$/.exec(
      token,
    );
    if (m) out.push(m[2] ? { path: m[1]!, line: Number(m[2]) } : { path: m[1]! });
  }
  return out;
}
