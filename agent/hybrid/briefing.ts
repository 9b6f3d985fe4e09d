import { fitToBudget } from '../../tools/budget';
import type { Evidence, Summary } from '../result';
import { HYBRID_DEFAULTS } from './defaults';

/**
 * Pure: what the model is told the evidence model found, within a token budget: its answer, the
 * ranked suspects with the evidence ids behind them, what could not be checked, and an index of
 * the evidence (the suspects' own evidence first), so the model starts where the offline run
 * stopped instead of re-reading raw output.
 */
export function briefingText(
  first: Summary,
  evidence: readonly Evidence[],
  budget: number = HYBRID_DEFAULTS.briefingTokens,
): string {
  const suspects = first.suspects.slice(0, HYBRID_DEFAULTS.briefedSuspects);
  const cited = new Set(suspects.flatMap((s) => s.evidence));
  const ordered = [...evidence.filter((e) => cited.has(e.id)), ...evidence.filter((e) => !cited.has(e.id))];
  const line = (e: Evidence) => `${e.id} ${e.tool}: ${e.summary.slice(0, HYBRID_DEFAULTS.evidenceLineChars)}`;
  const text = [
    'The evidence model (deterministic, offline) has already investigated this alert and answered:',
    `Headline: ${first.headline}`,
    `Confidence: ${first.confidence}`,
    `Root cause: ${first.rootCause}`,
    suspects.length
      ? `Ranked suspects (evidence ids in brackets):\n${suspects
          .map(
            (s, i) =>
              `${i + 1}. ${s.kind} ${s.ref}${s.service ? ` (${s.service})` : ''} score ${s.score}: ${s.title} [${s.evidence.join(', ')}]`,
          )
          .join('\n')}`
      : 'Ranked suspects: none stands out.',
    first.unchecked?.length ? `Could not check:\n${first.unchecked.map((u) => `- ${u}`).join('\n')}` : '',
    'Confirm or refute the top suspects, look where the evidence model could not, and explain the mechanism. To rank another suspect first, cite the evidence ids that show it.',
    `Evidence so far (id tool: summary):\n${ordered.map(line).join('\n')}`,
  ]
    .filter(Boolean)
    .join('\n');
  return fitToBudget(text, budget).text;
}
