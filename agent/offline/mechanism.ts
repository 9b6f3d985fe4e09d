import { COMMON_WORDS } from '../tokens';
import { OFFLINE_DEFAULTS } from './defaults';
import type { Observation, Signature } from './evidence';

/**
 * How strongly a change explains the failure (issue 13.6): the hard links an engineer looks for.
 * A changed file named in a stack frame; an identifier or config key from the errors in the
 * change's added or removed lines; a failure mode (memory, pool, timeout, rate limit, retries)
 * the change's own words touch; then shared words, weighted by how rare they are among the
 * candidates (a word every change shares says nothing). Each link says in words why it counts.
 */
export type Link = { strength: number; reason: string };

/** The failing side, read once per investigation. */
export type ErrorCorpus = {
  text: string;
  /** Source paths in stack frames and messages (`src/pay/charge.ts`, `Foo.java`). */
  paths: Set<string>;
  /** Distinctive identifiers: snake_case, camelCase, dotted or key-like words. */
  identifiers: Set<string>;
  modes: Set<FailureMode>;
  /** Every meaningful word of the errors, identifiers split into their parts. */
  words: Set<string>;
};

export type FailureMode = 'memory' | 'pool' | 'timeout' | 'rate_limit' | 'retry' | 'schema';

/** Words in errors or observations that show a failure mode, and the words a change that causes it uses. */
const MODES: Record<FailureMode, { symptom: RegExp; cause: RegExp }> = {
  memory: {
    symptom: /out of memory|\boom\b|oomkilled|heap|memoryerror|allocation failed|gc overhead/i,
    cause: /buffer|cache|leak|retain|heap|memory|unbounded|accumulat|allocat|\bqueue\b|in-memory/i,
  },
  pool: {
    symptom:
      /pool|too many connections|connection limit|max_?conn|acquire (?:a )?connection|remaining connection slots/i,
    cause: /pool|max_?conn|connections|max_?idle|max_?open|pool_?size/i,
  },
  timeout: {
    symptom: /timed? ?out|timeout|deadline exceeded|context deadline/i,
    cause: /timeout|deadline|_ms\b|read_timeout|connect_timeout/i,
  },
  rate_limit: {
    symptom: /\b429\b|rate.?limit|too many requests|throttl|quota/i,
    cause: /rate.?limit|\brpm\b|\brps\b|quota|throttl|limit/i,
  },
  retry: {
    symptom: /retry|retrying|attempt \d|backoff/i,
    cause: /retr(?:y|ies)|backoff|jitter|attempts/i,
  },
  schema: {
    symptom:
      /column .* does not exist|no such column|undefined column|relation .* does not exist|lock wait|deadlock|migration/i,
    cause: /migrat|schema|alter table|add column|drop column|rename column|\.sql\b/i,
  },
};

const PATH =
  /(?:[\w.-]+\/)*[\w.-]+\.(?:ts|tsx|js|jsx|mjs|cjs|py|rb|go|java|kt|scala|cs|php|rs|ex|exs|swift)\b/g;
const IDENT =
  /\b(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]+(?:[A-Z][a-z0-9]+)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+|[a-z][\w-]*(?:\.[a-z_][\w-]*){1,4})\b/g;

export function errorCorpus(
  signatures: readonly Signature[],
  observations: readonly Observation[],
): ErrorCorpus {
  const parts: string[] = [];
  for (const s of signatures) {
    parts.push(s.text);
    if (s.stack) parts.push(s.stack);
    for (const v of Object.values(s.attributes ?? {})) if (typeof v === 'string') parts.push(v);
  }
  const text = parts.join('\n').slice(0, OFFLINE_DEFAULTS.mechanism.corpusChars);
  const paths = new Set<string>();
  for (const m of text.match(PATH) ?? []) paths.add(m.toLowerCase());
  const identifiers = new Set<string>();
  for (const m of text.match(IDENT) ?? [])
    if (
      m.length >= OFFLINE_DEFAULTS.mechanism.identifierMinChars &&
      !/\.(?:com|net|io|org|internal|local)$/i.test(m)
    )
      identifiers.add(m.toLowerCase());
  const modes = new Set<FailureMode>();
  const observed = `${text}\n${observations.map((o) => `${o.title} ${o.text}`).join('\n')}`;
  for (const [mode, re] of Object.entries(MODES) as [FailureMode, (typeof MODES)[FailureMode]][])
    if (re.symptom.test(observed)) modes.add(mode);
  return { text: text.toLowerCase(), paths, identifiers, modes, words: wordsOf(text) };
}

/** Low-risk files: docs, tests, lockfiles, CI. Changing only these rarely breaks production. */
const LOW_RISK =
  /(?:^|\/)(?:docs?|test|tests|__tests__|spec|\.github|\.circleci)\/|\.(?:md|rst|txt|adoc)$|(?:^|\/)(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|go\.sum|Gemfile\.lock|poetry\.lock|Cargo\.lock)$|[._-](?:test|spec)\.\w+$|(?:^|\/)(?:readme|changelog|license)(?:\.\w+)?$/i;
/** High-risk files: configuration and migrations change behaviour without a code path to read. */
const HIGH_RISK =
  /\.(?:ya?ml|json|toml|ini|env|properties|conf|tf|tfvars|hcl|sql)$|(?:^|\/)(?:migrations?|db\/migrate|config|helm|charts|k8s|deploy)\//i;

/** The change's risk prior from what it touched: low for docs/tests/CI only, high for config and migrations. */
export function fileRisk(files: readonly string[]): { factor: number; reason?: string } {
  const r = OFFLINE_DEFAULTS.fileRisk;
  if (files.length === 0) return { factor: 1 };
  if (files.every((f) => LOW_RISK.test(f)))
    return { factor: r.low, reason: 'touches only docs, tests, lockfiles or CI' };
  if (files.some((f) => HIGH_RISK.test(f) && !LOW_RISK.test(f)))
    return { factor: r.high, reason: 'changes configuration or a migration' };
  return { factor: 1 };
}

export type ChangeText = { title: string; text: string; files: readonly string[]; patch: string };

/** Pure: the hard links between one change and the failure, strongest first. */
export function changeLinks(
  change: ChangeText,
  corpus: ErrorCorpus,
  rarity: (token: string) => number,
  ignored: ReadonlySet<string>,
): Link[] {
  const m = OFFLINE_DEFAULTS.mechanism;
  const links: Link[] = [];
  const code = change.files.filter((f) => !LOW_RISK.test(f));
  for (const f of code) {
    const lower = f.toLowerCase();
    const base = lower.split('/').pop()!;
    const hit = [...corpus.paths].find(
      (p) => p === lower || lower.endsWith(`/${p}`) || p.endsWith(`/${base}`) || p === base,
    );
    if (hit) {
      links.push({ strength: m.fileInStack, reason: `changed file ${f} is in the failing stack` });
      break;
    }
  }
  const changed = `${change.patch}\n${change.title}\n${change.text}`.toLowerCase();
  const idents = [...corpus.identifiers].filter(
    (i) => !ignored.has(i) && changed.includes(i) && rarity(i) > m.minRarity,
  );
  if (idents.length > 0)
    links.push({
      strength: m.identifier * Math.max(...idents.map(rarity)),
      reason: `${idents.slice(0, 2).join(', ')} from the errors ${change.patch.toLowerCase().includes(idents[0]!) ? 'is in its changed lines' : 'is named by it'}`,
    });
  const ownWords = `${change.title}\n${change.text}\n${change.files.join(' ')}\n${change.patch}`;
  for (const mode of corpus.modes)
    if (MODES[mode].cause.test(ownWords)) {
      links.push({
        strength: m.failureMode,
        reason: `it changes ${mode.replace('_', ' ')} behaviour, which is how this fails`,
      });
      break;
    }
  const words = wordsOf(`${change.title} ${change.text} ${change.files.join(' ')}`);
  let weight = 0;
  const shared: string[] = [];
  for (const w of words)
    if (!ignored.has(w) && corpus.words.has(w)) {
      const r = rarity(w);
      if (r <= m.minRarity) continue;
      weight += r;
      shared.push(w);
    }
  if (weight > 0)
    links.push({
      strength: m.sharedWords * Math.min(1, weight / m.fullSharedWeight),
      reason: `shares rare words with the errors (${shared.slice(0, 3).join(', ')})`,
    });
  return links.sort((a, b) => b.strength - a.strength);
}

/** Noisy-OR: independent links add up without passing 1. */
export function combine(links: readonly Link[]): number {
  return 1 - links.reduce((p, l) => p * (1 - Math.max(0, Math.min(1, l.strength))), 1);
}

/**
 * Words that can carry meaning: identifiers whole and split into their parts (`enable-serializer-v2`
 * gives serializer; `ResponseSerializerV2` gives response and serializer), 4+ letters, not generic.
 */
export function wordsOf(text: string): Set<string> {
  const out = new Set<string>();
  const keep = (w: string) => {
    if (w.length >= 4 && !COMMON_WORDS.has(w) && !GENERIC.has(w)) out.add(w);
  };
  for (const raw of text.match(/[A-Za-z][A-Za-z0-9_.-]{3,}/g) ?? []) {
    const whole = raw.replace(/[.-]+$/, '');
    keep(whole.toLowerCase());
    for (const part of whole.split(/[_.-]+|(?<=[a-z0-9])(?=[A-Z])/)) keep(part.toLowerCase());
  }
  return out;
}

/** Words in almost every error or commit: they never make a link. */
const GENERIC = new Set(
  'error errors failed failure request requests response service timeout exception true false null none with from this that when into have been also only then than after before http https status code message value values internal server client handler handle call calls call. config default retry retries time times while unable could would should every other first last more less into over under code path file line lines info warn warning debug trace stack frame frames returned return returns because reason result results data item items user users account accounts test tests docs readme'.split(
    ' ',
  ),
);

/** IDF across the candidates: 1 for a word only one change uses, 0 for a word they all use. */
export function rarityOf(documents: readonly Set<string>[]): (token: string) => number {
  const df = new Map<string, number>();
  for (const d of documents) for (const t of d) df.set(t, (df.get(t) ?? 0) + 1);
  const n = Math.max(documents.length, 2);
  return (t: string) => {
    const f = df.get(t) ?? 0;
    if (f === 0) return 1;
    return Math.max(0, Math.log(n / f) / Math.log(n));
  };
}
