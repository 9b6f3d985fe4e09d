import type { Rng } from '../lib';

/**
 * How an incident changes one service at one minute. Effects drive every signal together:
 * request and error counts, latency, spans, error logs and resource metrics, so the evidence
 * in a world agrees with itself the way real telemetry does.
 */
export type StackFrame = { file: string; fn: string; line: number };

export type ErrorSpec = {
  /** The exception class or error code, e.g. `TimeoutError`, `java.sql.SQLTransientConnectionException`. */
  kind: string;
  message: (r: Rng) => string;
  /** Innermost (throwing) frame first. */
  frames?: StackFrame[];
  /** The remote the failing call went to. */
  peer?: string;
  /** The HTTP status the request ends with. */
  status?: number;
  /** Resource (route) the errors concentrate on; every resource when absent. */
  resource?: string;
};

export type Effect = {
  /** Multiplier on request volume. */
  traffic?: number;
  /** Added fraction of requests that fail. */
  errorRate?: number;
  /** Multiplier on latency. */
  latency?: number;
  /** When set, errorRate and latency apply only to these hosts. */
  hosts?: string[];
  /** When set, errorRate and latency apply only to hosts running this version. */
  version?: string;
  error?: ErrorSpec;
  cpu?: number;
  /** Added resident memory, in MiB. */
  memoryMb?: number;
  /** Container restarts in this minute. */
  restarts?: number;
  /** Share of the connection pool in use (0..1), replacing the baseline. */
  poolUsed?: number;
  /** Configured connection pool size, replacing the baseline (a config change that resizes the pool). */
  poolSize?: number;
  /** Added messages waiting in the service's queue. */
  backlog?: number;
  /** Replica count, replacing the baseline. */
  replicas?: number;
  /** Errors and latency of calls to a remote (third party or internal) from this service. */
  peerErrors?: { peer: string; rate: number };
  /** Multiplier on calls to one remote from this service (retries multiply outbound calls, not inbound hits). */
  peerCalls?: { peer: string; factor: number };
  /** Database: lock waits and slow queries. */
  dbLocks?: number;
};

export type EffectFn = (minute: number) => Effect | undefined;

/** Combines the effects active at one minute: multipliers multiply, rates and amounts add. */
export function combine(effects: readonly (Effect | undefined)[]): Effect[] {
  return effects.filter((e): e is Effect => e !== undefined);
}

/** A smooth ramp from 0 at `from` to 1 at `to` (minutes). */
export function ramp(m: number, from: number, to: number): number {
  if (m <= from) return 0;
  if (m >= to) return 1;
  return (m - from) / (to - from);
}

/** A step that is on in [from, to). */
export function during(m: number, from: number, to = Number.POSITIVE_INFINITY): boolean {
  return m >= from && m < to;
}
