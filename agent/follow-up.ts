import type { InvestigationResult } from './result';

/**
 * A question asked in an investigation's thread, run by the agent as a turn of that
 * investigation: the run investigates the thread's own alert, with the question and the
 * investigation so far (`followUpContext`) as the model's context, and is recorded with the
 * question it answers.
 */
export type FollowUp = { question: string; context: string };

/**
 * Answers a follow-up question in an investigation thread from that investigation's result.
 * Deterministic (no LLM needed): it picks the part of the result the question is about.
 */
export function answerFromResult(result: InvestigationResult, question: string): string {
  const q = question.toLowerCase();
  const s = result.summary;
  const list = (xs: string[]) => (xs.length ? xs.map((x) => `• ${x}`).join('\n') : '• none found');
  if (/runbook|doc|playbook/.test(q))
    return `Runbooks:\n${list(s.runbooks.map((r) => `${r.title}${r.url ? ` ${r.url}` : ''}`))}`;
  if (/similar|before|past|previous|happened/.test(q))
    return `Similar past incidents:\n${list(s.similarIncidents.map((i) => `${i.title}${i.url ? ` ${i.url}` : ''}`))}`;
  if (/next|fix|do|mitigat|rollback|roll back|revert/.test(q)) return `Next steps:\n${list(s.nextSteps)}`;
  if (/evidence|why|how do you know|proof|logs|metric/.test(q))
    return `${s.rootCause}\nEvidence:\n${list(result.evidence.slice(0, 8).map((e) => `${e.tool}: ${e.summary}${e.url ? ` ${e.url}` : ''}`))}`;
  if (/suspect|other|alternative|else|commit|deploy/.test(q))
    return `Suspects, most likely first:\n${list(s.suspects.map((x) => `${x.kind} ${x.ref} (score ${x.score}): ${x.title}`))}`;
  if (/impact|who|how bad|customers|blast/.test(q)) return `Impact: ${s.impact}`;
  return `${s.headline} (confidence ${s.confidence}).\n${s.rootCause}\nAsk about evidence, suspects, next steps, runbooks or similar incidents for more.`;
}

/** The previous investigation as context for an LLM follow-up (summary, suspects, evidence). */
export function followUpContext(result: InvestigationResult, question: string): string {
  const s = result.summary;
  return [
    `This is a follow-up question in the thread of a previous investigation. Answer the question; use tools only if the evidence below is not enough.`,
    `Question: ${question}`,
    `Previous headline: ${s.headline} (confidence ${s.confidence})`,
    `Previous root cause: ${s.rootCause}`,
    `Suspects: ${s.suspects.map((x) => `${x.kind} ${x.ref} (${x.score}): ${x.title}`).join('; ') || 'none'}`,
    `Evidence:\n${result.evidence.map((e) => `${e.id} ${e.tool}: ${e.summary}`).join('\n')}`,
    `Next steps given: ${s.nextSteps.join('; ')}`,
  ].join('\n');
}
