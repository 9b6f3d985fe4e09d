import { fitToBudget } from './budget';
import type { Observation, Tool, ToolContext } from './contract';
import { TOOL_DEFAULTS } from './defaults';

export type ExecuteOptions = { timeoutMs?: number; tokenBudget?: number };

/** Formats a zod error so a model (or a person) can correct the call. */
export function describeInputError(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * Runs one tool call safely: validates input, bounds time, never throws, and keeps the
 * summary within the token budget. Every caller (agent, CLI, Slack follow-ups) goes through here.
 */
export async function executeTool(
  tool: Tool,
  rawInput: unknown,
  ctx: ToolContext,
  options: ExecuteOptions = {},
): Promise<Observation> {
  const parsed = tool.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const detail = describeInputError(parsed.error.issues);
    return {
      ok: false,
      summary: `Invalid input for ${tool.name}: ${detail}`,
      citations: [],
      truncated: false,
      error: `invalid input: ${detail}`,
    };
  }
  const callTimeoutMs = options.timeoutMs ?? TOOL_DEFAULTS.callTimeoutMs;
  const untilDeadlineMs = ctx.deadline - Date.now();
  const timeoutMs = Math.max(1, Math.min(callTimeoutMs, untilDeadlineMs));
  // When the investigation's deadline is what bounds this call, its timer and the deadline's
  // fire together; which one wins is up to the scheduler, so both must read as the deadline.
  const boundByDeadline = untilDeadlineMs <= callTimeoutMs;
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]);
  let observation: Observation;
  try {
    observation = await raceAbort(tool.run(parsed.data, { ...ctx, signal }), signal, {
      timeoutMs,
      boundByDeadline,
      name: tool.name,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    observation = {
      ok: false,
      summary: `${tool.name} failed: ${message}`,
      citations: [],
      truncated: false,
      error: message,
    };
  }
  const fitted = fitToBudget(observation.summary, options.tokenBudget ?? TOOL_DEFAULTS.summaryTokenBudget);
  return {
    ...observation,
    summary: fitted.text,
    truncated: observation.truncated || fitted.truncated,
    citations: observation.citations ?? [],
  };
}

/** Why an aborted call stopped, in words: its own timeout, the investigation's deadline, or a cancel. */
export function abortMessage(
  reason: unknown,
  call: { name: string; timeoutMs: number; boundByDeadline: boolean },
): string {
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  const deadline = reason instanceof Error && reason.message === 'deadline';
  if (deadline || (timedOut && call.boundByDeadline))
    return `${call.name} timed out: no answer before the investigation's deadline (a slow source)`;
  if (timedOut) return `${call.name} timed out after ${call.timeoutMs} ms; narrow the query or try again`;
  return `${call.name} was cancelled`;
}

function raceAbort<T>(
  work: Promise<T>,
  signal: AbortSignal,
  call: { name: string; timeoutMs: number; boundByDeadline: boolean },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error(abortMessage(signal.reason, call)));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
