import { CHANGE_MATCH_DEFAULTS as D } from './defaults';
import { type ChangeRisk, changeRisk } from './file-risk';
import { type ChangedLine, changedLines } from './patch-lines';
import { normalizePath, parseStackFrames } from './stack-frames';
import { type Excluded, excludedTerms, pathMentions, type Term, termsOf } from './terms';

/**
 * How strongly each candidate change explains a set of errors, and why, in words. Pure.
 *
 * Three kinds of link, strongest first: the errors' stack frames sit in files the change touched
 * (the throwing frame far above its callers, more still at the changed lines); identifiers and
 * config keys of the errors appear in the change's added or removed lines; rare words do. Every
 * term is weighted by its rarity across the candidates (one that all of them share tells them
 * apart no better than none) and dropped when the baseline logs already had it. The result is
 * then scaled by the change's risk prior (file-risk.ts). Weights: CHANGE_MATCH_DEFAULTS.
 */
export type ErrorEvidence = {
  /** Error messages (log samples, span error messages). */
  messages?: readonly string[];
  /** Stack traces as printed. */
  stacks?: readonly string[];
  /** Structured attributes of the errors (`error.kind`, `error.stack`, `db.statement`...): values are read like messages, `*stack*` ones as stacks. */
  attributes?: readonly Record<string, unknown>[];
  /** Config keys known to be involved (named by a config-change event or the alert). */
  configKeys?: readonly string[];
  /** Other identifiers known to be involved (a flag key, a table, a queue). */
  identifiers?: readonly string[];
};

export type CandidateChange = {
  id: string;
  /** Changed files, each with its (bounded) unified patch when there is one. */
  files: readonly { filename: string; patch?: string }[];
  /** What the change says it does (commit message, PR title and body): weaker than its code. */
  description?: string;
};

export type MatchContext = {
  /** Log messages from before the onset: a term they already had is not what changed. */
  baseline?: readonly string[];
  /** Service names in scope: never evidence, since every error and change of a service names it. */
  services?: readonly string[];
};

export type ChangeMatch = {
  id: string;
  /** 0..1: how strongly the change explains the errors, risk prior included. 0 without any link. */
  score: number;
  /** The links' summed weight before the prior: frames (the strongest one) and terms (capped). */
  parts: { frames: number; terms: number };
  risk: ChangeRisk & { multiplier: number };
  /** Why it ranks where it does, strongest link first; the risk prior last. */
  reasons: string[];
};

type WeightedFrame = {
  file: string;
  line?: number;
  fn?: string;
  weight: number;
  throwing: boolean;
  distance: number;
};
type EvidenceTerm = { term: Term; weight: number; label: string };
type Found = { where: 'added' | 'removed' | 'file name' | 'description'; file: string; text: string };
/** One link between the errors and a change; `file` when it is a changed file (so a file name is not credited twice). */
type Link = { weight: number; reason: string; file?: string };
type ChangedFile = { path: string; lines: ChangedLine[] };

export function matchChanges(
  errors: ErrorEvidence,
  given: readonly CandidateChange[],
  context: MatchContext = {},
): ChangeMatch[] {
  const candidates = Array.isArray(given) ? given.filter((c) => typeof c === 'object' && c !== null) : [];
  const evidence: ErrorEvidence = typeof errors === 'object' && errors !== null ? errors : {};
  const excluded = excludedTerms(texts(context?.services, D.maxMessages));
  const { messages, stacks } = evidenceTexts(evidence);
  const frames = weightedFrames(stacks);
  const mentions = messages.flatMap(pathMentions);
  const terms = evidenceTerms(evidence, messages, excluded);
  // The throwing frame's file and function say what was running when it broke (`audit/
  // sync_audit_writer.py in record`): their words match a change that has no files of its own,
  // such as a flag or a config event, by its description. A change with files is matched to the
  // frames by path instead.
  const throwing = frames
    .filter((f) => f.throwing)
    .map((f) => `${f.file.replace(/[/\\]/g, ' ')} ${f.fn ?? ''}`);
  const withFrameWords = evidenceTerms(evidence, [...messages, ...throwing], excluded);
  const baseline = new Set(
    texts(context?.baseline, D.maxBaselineLines, D.maxMessageChars).flatMap((l) =>
      termsOf(l, excluded).map((t) => t.key),
    ),
  );
  const changes = candidates.map((c) => changedFiles(c));
  const indexes = changes.map((files, i) => termIndex(files, candidates[i]!.description, excluded));
  const rarity = idf(indexes);
  const matches = candidates.map((c, i) => {
    const files = changes[i]!;
    const frameLinks = [...frameMatches(frames, files), ...mentionMatches(mentions, files)];
    const linked = new Set(frameLinks.map((l) => l.file));
    const termLinks = termMatches(files.length === 0 ? withFrameWords : terms, indexes[i]!, {
      rarity,
      baseline,
      linked,
      candidates: candidates.length,
    });
    const frameScore = Math.max(0, ...frameLinks.map((l) => l.weight));
    const termScore = Math.min(
      D.termCap,
      termLinks.reduce((n, l) => n + l.weight, 0),
    );
    const risk = changeRisk(files.map((f) => f.path));
    const multiplier = D.riskMultiplier[risk.level];
    const score = 1 - Math.exp(-((frameScore + termScore) * multiplier) / D.evidenceScale);
    const links = [...frameLinks, ...termLinks].sort((a, b) => b.weight - a.weight);
    const reasons = links.slice(0, D.maxReasons).map((l) => l.reason);
    if (reasons.length === 0)
      reasons.push('no stack frame, file, identifier or rare word of the errors appears in the change');
    reasons.push(risk.reason);
    return {
      id: String(c.id),
      score: round3(score),
      parts: { frames: round3(frameScore), terms: round3(termScore) },
      risk: { ...risk, multiplier },
      reasons,
    };
  });
  return matches.sort((a, b) => b.score - a.score);
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

const INLINE_FRAME = /\sat [^\s()]+ \([^()\s]+:\d+(?::\d+)?\)/;

/** The strings of what should be a list of strings (anything else is skipped), bounded in count and length. */
function texts(values: unknown, count: number, chars = Number.POSITIVE_INFINITY): string[] {
  if (!Array.isArray(values)) return [];
  return values
    .filter((v): v is string => typeof v === 'string')
    .slice(0, count)
    .map((v) => v.slice(0, chars));
}

function evidenceTexts(evidence: ErrorEvidence): { messages: string[]; stacks: string[] } {
  const messages = texts(evidence.messages, D.maxMessages);
  const stacks = texts(evidence.stacks, D.maxStacks);
  for (const attrs of Array.isArray(evidence.attributes) ? evidence.attributes : [])
    for (const [key, value] of Object.entries(typeof attrs === 'object' && attrs !== null ? attrs : {})) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
      (/stack|backtrace/i.test(key) ? stacks : messages).push(String(value));
    }
  const bounded = texts(messages, D.maxMessages, D.maxMessageChars);
  // A message that carries its frames inline (`TypeError: ... at fn (src/x.ts:42:31)`) is a stack too.
  for (const m of bounded) if (INLINE_FRAME.test(m)) stacks.push(m.replace(/\s+at\s+/g, '\n    at '));
  return { messages: bounded, stacks: stacks.slice(0, D.maxStacks) };
}

/** Application frames of each stack with their weight: the throwing one, then callers by distance from it. */
function weightedFrames(stacks: readonly string[]): WeightedFrame[] {
  const out: WeightedFrame[] = [];
  for (const stack of stacks) {
    const app = parseStackFrames(stack).filter((f) => !f.isVendor);
    const t = app.findIndex((f) => f.isThrowing);
    if (t < 0) continue;
    app.forEach((f, i) => {
      const distance = Math.abs(i - t);
      const weight =
        distance === 0 ? D.throwingFrameWeight : D.callerFrameWeight * D.callerDecay ** (distance - 1);
      out.push({ file: f.file, line: f.line, fn: f.fn, weight, throwing: distance === 0, distance });
    });
  }
  return out;
}

/** Two paths name the same file when they share their trailing segments: `/app/src/x.ts` and `src/x.ts`. */
export function samePath(a: string, b: string): boolean {
  const x = a.toLowerCase().split('/').filter(Boolean);
  const y = b.toLowerCase().split('/').filter(Boolean);
  let common = 0;
  while (common < x.length && common < y.length && x[x.length - 1 - common] === y[y.length - 1 - common])
    common += 1;
  return common > 0 && (common === Math.min(x.length, y.length) || common >= D.minSuffixSegments);
}

/** A change's files that name a file (others are skipped), their patches within maxPatchChars in all. */
function changedFiles(c: CandidateChange): ChangedFile[] {
  let budget = D.maxPatchChars;
  const files = Array.isArray(c.files) ? c.files.filter((f) => typeof f?.filename === 'string') : [];
  return files.map((f) => {
    const patch = typeof f.patch === 'string' ? f.patch.slice(0, Math.max(0, budget)) : '';
    budget -= patch.length;
    return { path: normalizePath(String(f.filename)), lines: changedLines(patch) };
  });
}

function frameMatches(frames: readonly WeightedFrame[], files: readonly ChangedFile[]): Link[] {
  const links: Link[] = [];
  const seen = new Set<string>();
  for (const f of frames) {
    const file = files.find((c) => samePath(f.file, c.path));
    if (!file) continue;
    const at = `${file.path}${f.line ? `:${f.line}` : ''}`;
    if (seen.has(at)) continue;
    seen.add(at);
    const fn = f.fn ? ` (${f.fn})` : '';
    if (!f.throwing) {
      const above = f.distance === 1 ? 'the nearest caller' : `${f.distance} frames from the throwing one`;
      links.push({
        weight: f.weight,
        reason: `caller frame ${at}${fn} is in the change (${above})`,
        file: file.path,
      });
      continue;
    }
    const gap = f.line === undefined ? undefined : nearestChange(file.lines, f.line);
    const near = gap !== undefined && gap <= D.frameLineSlack;
    const where = !near
      ? ''
      : gap === 0
        ? ', on a changed line'
        : `, ${gap} line${gap === 1 ? '' : 's'} from a changed line`;
    links.push({
      weight: f.weight + (near ? D.frameNearChangeBonus : 0),
      reason: `throwing frame ${at}${fn} is in the change${where}`,
      file: file.path,
    });
  }
  return links;
}

function nearestChange(lines: readonly ChangedLine[], line: number): number | undefined {
  let best: number | undefined;
  for (const l of lines) {
    const gap = Math.abs(l.newLine - line);
    if (best === undefined || gap < best) best = gap;
  }
  return best;
}

function mentionMatches(mentions: readonly { path: string }[], files: readonly ChangedFile[]): Link[] {
  const links: Link[] = [];
  for (const m of mentions) {
    const file = files.find((c) => samePath(m.path, c.path));
    if (file && !links.some((l) => l.file === file.path))
      links.push({
        weight: D.mentionedFileWeight,
        reason: `an error message names ${file.path}, which the change touches`,
        file: file.path,
      });
  }
  return links;
}

function evidenceTerms(
  evidence: ErrorEvidence,
  messages: readonly string[],
  excluded: Excluded,
): EvidenceTerm[] {
  const out = new Map<string, EvidenceTerm>();
  const add = (text: string, explicit?: { weight: number; label: string }) => {
    const found = termsOf(text, excluded);
    for (const term of found) {
      // An explicit key's identifiers (the whole key and its compound segments: `db.pool.maxSize`
      // as written in YAML is `maxSize`) carry its weight; its plain words count as usual.
      const given = explicit && (term.kind === 'identifier' || found.length === 1) ? explicit : undefined;
      const weight = given?.weight ?? (term.kind === 'identifier' ? D.identifierWeight : D.wordWeight);
      const label = given?.label ?? (term.kind === 'identifier' ? 'identifier' : 'rare word');
      const had = out.get(term.key);
      if (!had || had.weight < weight) out.set(term.key, { term, weight, label });
    }
  };
  for (const key of texts(evidence.configKeys, D.maxMessages))
    add(key, { weight: D.configKeyWeight, label: 'config key' });
  for (const id of texts(evidence.identifiers, D.maxMessages))
    add(id, { weight: D.identifierWeight, label: 'identifier' });
  for (const m of messages) add(m);
  return [...out.values()];
}

/** Where each term of a change first appears: removed lines, then added lines, file names, its description. */
function termIndex(
  files: readonly ChangedFile[],
  description: string | undefined,
  excluded: Excluded,
): Map<string, Found> {
  const index = new Map<string, Found>();
  for (const side of ['removed', 'added'] as const)
    for (const f of files)
      for (const l of f.lines) {
        if (l.side !== side) continue;
        // A bare value changed what the line above it names: that name changed too.
        const text = l.owner === undefined ? l.text : `${l.owner.trim()} ${l.text.trim()}`;
        for (const t of termsOf(text, excluded))
          if (!index.has(t.key)) index.set(t.key, { where: side, file: f.path, text });
      }
  for (const f of files)
    for (const t of termsOf(f.path.replace(/\//g, ' '), excluded))
      if (!index.has(t.key)) index.set(t.key, { where: 'file name', file: f.path, text: f.path });
  const text = typeof description === 'string' ? description.slice(0, D.maxMessageChars) : '';
  for (const t of termsOf(text, excluded))
    if (!index.has(t.key)) index.set(t.key, { where: 'description', file: '', text: text.split('\n')[0]! });
  return index;
}

/**
 * Rarity of each term across the candidates, 0..1: ln((N+1)/df) / ln(N+1) (1 for a term only
 * one change has). A term that every one of several changes has is 0: it cannot tell them apart.
 */
function idf(indexes: readonly Map<string, Found>[]): (key: string) => { weight: number; df: number } {
  const df = new Map<string, number>();
  for (const index of indexes) for (const key of index.keys()) df.set(key, (df.get(key) ?? 0) + 1);
  const n = indexes.length;
  return (key) => {
    const d = df.get(key) ?? 0;
    if (d === 0 || (n >= 2 && d === n)) return { weight: 0, df: d };
    return { weight: Math.log((n + 1) / d) / Math.log(n + 1), df: d };
  };
}

type TermContext = {
  rarity: (key: string) => { weight: number; df: number };
  baseline: ReadonlySet<string>;
  /** Changed files a frame or a path already linked: their names are not credited again. */
  linked: ReadonlySet<string | undefined>;
  candidates: number;
};

const WHERE_FACTOR: Record<Found['where'], number> = {
  added: 1,
  removed: 1,
  'file name': D.fileNameFactor,
  description: D.descriptionFactor,
};

function termMatches(terms: readonly EvidenceTerm[], index: Map<string, Found>, ctx: TermContext): Link[] {
  const links: Link[] = [];
  // Identifiers first: the words inside a matched identifier are not further evidence.
  const ordered = [...terms].sort(
    (a, b) => Number(b.term.kind === 'identifier') - Number(a.term.kind === 'identifier'),
  );
  const covered = new Set<string>();
  for (const { term, weight, label } of ordered) {
    const found = index.get(term.key);
    if (!found || covered.has(term.key)) continue;
    if (found.where === 'file name' && ctx.linked.has(found.file)) continue;
    const { weight: rare, df } = ctx.rarity(term.key);
    const w = weight * rare * WHERE_FACTOR[found.where] * (ctx.baseline.has(term.key) ? D.baselineFactor : 1);
    if (w <= 0) continue;
    if (term.kind === 'identifier') for (const p of term.parts) covered.add(p);
    const spread = ctx.candidates === 1 ? '' : ` (in ${df} of ${ctx.candidates} changes)`;
    const shown = label === 'rare word' ? `"${term.shown}"` : term.shown;
    const where =
      found.where === 'file name'
        ? `names changed file ${found.file}`
        : found.where === 'description'
          ? `appears in the change's description "${quote(found.text)}"`
          : `appears in ${found.where} line "${quote(found.text)}" of ${found.file}`;
    links.push({ weight: w, reason: `${label} ${shown}${spread} ${where}` });
  }
  return links;
}

const SECRET_ASSIGNMENT =
  /\b((?:[\w.-]{0,40}?(?:secret|password|passwd|token|api[_-]?key|private[_-]?key|credential|auth))\w{0,20}["']?\s*[:=]\s*)\S+/gi;

/**
 * A changed line as a reason quotes it: one line, bounded, and the value of anything named like a
 * secret left out (the line is shown to people; the guard redacts known secret shapes too).
 */
function quote(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ').replace(SECRET_ASSIGNMENT, '$1[redacted]');
  return t.length > D.quoteChars ? `${t.slice(0, D.quoteChars)}…` : t;
}
