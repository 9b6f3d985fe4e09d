import {
  type CandidateChange,
  type ChangeMatch,
  type ErrorEvidence,
  matchChanges,
} from '../../tools/analysis/change-match';
import { OFFLINE_DEFAULTS } from './defaults';
import type { FailureMode, Observation, Signature } from './types';

/**
 * How strongly a change explains the failure (issue 13.6): the hard links an engineer looks for.
 * tools/analysis/change-match.ts finds the code links (a changed file in the failing stack, an
 * identifier or config key of the errors in changed lines, rare shared words, the file-risk
 * prior); this adds the failure mode (memory, pool, timeout, rate limit, retries, schema) the
 * change's own words touch. Each link says in words why it counts.
 */
/** One hard link; `mode` when it is the change touching the failure's mode. */
export type Link = { strength: number; reason: string; mode?: FailureMode };

/** The failing side's failure modes, read once per investigation. */
export type ErrorCorpus = { modes: Set<FailureMode> };

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
      /column .* does not exist|no such column|unknown column|undefined column|relation .* does not exist|lock ?wait|lock ?not ?available|lock_time|lock timeout|waiting for \w*lock|deadlock|statement timeout|canceling statement|could not obtain lock|out of range|slow query|migration/i,
    // A database migration or heavy batch work, not any "migrate" (a template engine migration).
    cause:
      /\bmigration:|\bdb:|schema|alter table|add column|drop column|rename column|\bbigint\b|not null|\bindex on\b|\.sql\b|db\/migrate|migrations?\/|backfill|archiv|\bbatch\b|bulk (?:update|delete|insert)|purge|reindex|vacuum/i,
  },
};

export function errorCorpus(
  signatures: readonly Signature[],
  observations: readonly Observation[],
): ErrorCorpus {
  const observed = [
    ...signatures.map((s) => `${s.text}\n${s.stack ?? ''}\n${Object.values(s.attributes ?? {}).join(' ')}`),
    ...observations.map((o) => `${o.title} ${o.text}`),
  ]
    .join('\n')
    .slice(0, OFFLINE_DEFAULTS.mechanism.corpusChars);
  const modes = new Set<FailureMode>();
  for (const [mode, re] of Object.entries(MODES) as [FailureMode, (typeof MODES)[FailureMode]][])
    if (re.symptom.test(observed)) modes.add(mode);
  return { modes };
}

/** What the change-matching analysis reads of the failure: messages, stacks, attributes. */
export function errorEvidence(signatures: readonly Signature[]): ErrorEvidence {
  return {
    messages: signatures.map((s) => s.text),
    stacks: signatures.flatMap((s) => (s.stack ? [s.stack] : [])),
    attributes: signatures.flatMap((s) => (s.attributes ? [s.attributes] : [])),
  };
}

export type ChangeText = {
  id: string;
  title: string;
  text: string;
  files: readonly { filename: string; patch?: string }[];
};

/**
 * Pure: the hard links of every candidate at once (rarity is relative to the other candidates):
 * the change-matching analysis (stack frames in changed files, identifiers in changed lines, rare
 * words, the file-risk prior) plus the failure mode the change's own words touch.
 */
export function linksOf(
  changes: readonly ChangeText[],
  evidence: ErrorEvidence,
  corpus: ErrorCorpus,
  services: readonly string[],
): Map<string, { links: Link[]; risk: number; riskReason?: string }> {
  const candidates: CandidateChange[] = changes.map((c) => ({
    id: c.id,
    files: c.files,
    description: `${c.title}\n${c.text}`,
  }));
  const matches = new Map<string, ChangeMatch>(
    matchChanges(evidence, candidates, { services }).map((m) => [m.id, m]),
  );
  const out = new Map<string, { links: Link[]; risk: number; riskReason?: string }>();
  const m = OFFLINE_DEFAULTS.mechanism;
  for (const c of changes) {
    const match = matches.get(c.id);
    const links: Link[] = [];
    if (match && match.score > 0)
      links.push({ strength: match.score, reason: match.reasons.slice(0, 2).join('; ') });
    const ownWords = `${c.title}\n${c.text}\n${c.files.map((f) => `${f.filename}\n${f.patch ?? ''}`).join('\n')}`;
    for (const mode of corpus.modes)
      if (MODES[mode].cause.test(ownWords)) {
        links.push({
          strength: m.failureMode,
          reason: `it changes ${mode.replace('_', ' ')} behaviour, which is how this fails`,
          mode,
        });
        break;
      }
    const multiplier = match?.risk.multiplier ?? 1;
    out.set(c.id, {
      links,
      risk: multiplier,
      ...(multiplier !== 1 && match ? { riskReason: match.risk.reason } : {}),
    });
  }
  return out;
}

/** Noisy-OR: independent links add up without passing 1. */
export function combine(links: readonly Link[]): number {
  return 1 - links.reduce((p, l) => p * (1 - Math.max(0, Math.min(1, l.strength))), 1);
}
