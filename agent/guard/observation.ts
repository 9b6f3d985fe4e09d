import { redactDeep, redactText } from '../../lib/redact';
import type { Observation } from '../../tools/contract';
import { AGENT_DEFAULTS } from '../defaults';
import { detectInjection } from './injection';

/** Makes an observation safe to store, show and send: secrets redacted, injection flagged. */
export function guardObservation(
  obs: Observation,
  secrets: readonly string[],
): { observation: Observation; injection: string[] } {
  const clean = (s: string) => redactText(s, secrets);
  const observation: Observation = {
    ...obs,
    summary: clean(obs.summary),
    error: obs.error === undefined ? undefined : clean(obs.error),
    data: obs.data === undefined ? undefined : redactDeep(obs.data, secrets),
    citations: obs.citations.map((c) => ({ ...c, title: clean(c.title) })),
  };
  const scanned = JSON.stringify(obs.data ?? '').slice(0, AGENT_DEFAULTS.injectionScanChars);
  const injection = detectInjection(`${obs.summary}\n${scanned}`).map(
    (f) => `${f.label}: "${clean(f.excerpt)}"`,
  );
  return { observation, injection };
}
