import { fenceUntrusted } from '../../agent/guard/fence';
import type { Observation } from '../../tools/contract';
import { keepStructured } from '../../tools/mcp/call-result';

/** A `tools/call` result, as the MCP schema defines it, for what the assistant serves. */
export type ServedCallResult = {
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
};

/**
 * An observation (already redacted) as the answer an editor's agent gets. The text is fenced as
 * untrusted, as the assistant's own model sees it: logs, commits and pages may carry instructions.
 * Structured content repeats the outcome and citations, and the data while it is small.
 */
export function servedObservation(tool: string, obs: Observation): ServedCallResult {
  const { data } = keepStructured(obs.data);
  return {
    content: [{ type: 'text', text: fenceUntrusted(tool, obs.summary) }],
    structuredContent: {
      ok: obs.ok,
      truncated: obs.truncated,
      ...(obs.error === undefined ? {} : { error: obs.error }),
      citations: obs.citations,
      ...(data === undefined ? {} : { data }),
    },
    ...(obs.ok ? {} : { isError: true }),
  };
}
