import type { AlertStatus } from '../../agent/alert';
import { statusOf, type Transition } from './transition';

/**
 * DataDog's alert cycles as rules (DESIGN.md, "Contract: alert cycles"): one investigation per
 * cycle of a monitor group. The first Triggered, Warn or No Data opens a cycle; re-notifications
 * join it (a change of state adds a note to its thread, a repeat adds nothing); Recovered closes
 * it with a note; a Triggered after Recovered opens the next cycle. `$ALERT_CYCLE_KEY`, when a
 * webhook maps it, names the cycle. The same rules serve the Slack path and the webhook path.
 * Pure: the cycle table (data/alerts.ts) feeds the state in and applies the action.
 */
export type CycleState = {
  closed: boolean;
  /** The last state DataDog reported for the cycle: triggered, warn or no_data while open. */
  status: AlertStatus;
  cycleKey?: string;
  /** Its thread exists (root post and first reply succeeded): only then is the cycle handled. */
  handled: boolean;
  /** When an attempt to open its thread began (epoch ms); absent when none is under way. */
  claimedAtMs?: number;
};

export type Arrival = { transition: Transition; cycleKey?: string; atMs: number };

export type CycleAction =
  /** Open the thread and investigate: in a new cycle, or in the open one whose thread does not exist yet. */
  | { kind: 'investigate'; cycle: 'new' | 'existing' }
  /** Post a note in the cycle's thread: its state changed (`closes`: it recovered). */
  | { kind: 'note'; from: AlertStatus; to: AlertStatus; closes: boolean }
  /** Recovered before the cycle had a thread: close it; there is nowhere to write. */
  | { kind: 'close' }
  | { kind: 'ignore'; reason: 'repeat' | 'in_progress' | 'closed' | 'nothing_open' };

/** The transitions that start a cycle; their `Re-` forms and Renotify only re-notify one. */
const OPENS: ReadonlySet<Transition> = new Set(['Triggered', 'Warn', 'No Data']);

/**
 * An attempt to open a thread that has not finished in this long is taken to have died with its
 * process, and the next notification retries it (Slack calls time out well before this).
 */
export const CLAIM_STALE_MS = 120_000;

/**
 * Which cycle an arrival belongs to, given the one its cycle key names (if any) and the latest
 * cycle of its monitor group. A keyed arrival joins the group's open cycle only when that cycle
 * has no key of its own (it was opened by a Slack post or a template without the key): a
 * different key means a different cycle, whose start we missed.
 */
export function cycleFor(
  arrival: Pick<Arrival, 'cycleKey'>,
  byKey: CycleState | undefined,
  latest: CycleState | undefined,
): CycleState | undefined {
  if (byKey) return byKey;
  if (!arrival.cycleKey || !latest) return latest;
  return !latest.closed && latest.cycleKey === undefined ? latest : undefined;
}

export function decideCycle(
  cycle: CycleState | undefined,
  arrival: Arrival,
  staleAfterMs: number = CLAIM_STALE_MS,
): CycleAction {
  const to = statusOf(arrival.transition);
  if (!cycle) {
    // A re-notification of a cycle we never saw (the bot joined mid-cycle) still deserves a look.
    return to === 'recovered'
      ? { kind: 'ignore', reason: 'nothing_open' }
      : { kind: 'investigate', cycle: 'new' };
  }
  if (cycle.closed) {
    const namesThisCycle = arrival.cycleKey !== undefined && arrival.cycleKey === cycle.cycleKey;
    return OPENS.has(arrival.transition) && !namesThisCycle
      ? { kind: 'investigate', cycle: 'new' }
      : { kind: 'ignore', reason: 'closed' };
  }
  if (!cycle.handled) {
    if (to === 'recovered') return { kind: 'close' };
    const attempting = cycle.claimedAtMs !== undefined && arrival.atMs - cycle.claimedAtMs < staleAfterMs;
    return attempting
      ? { kind: 'ignore', reason: 'in_progress' }
      : { kind: 'investigate', cycle: 'existing' };
  }
  if (to === 'recovered') return { kind: 'note', from: cycle.status, to, closes: true };
  if (to !== cycle.status) return { kind: 'note', from: cycle.status, to, closes: false };
  return { kind: 'ignore', reason: 'repeat' };
}

/**
 * The cycle's state once `action` is taken: what the cycle table writes (a fresh state for a new
 * cycle; unchanged, possibly none, when the arrival is ignored).
 */
export function cycleAfter(
  cycle: CycleState | undefined,
  action: CycleAction,
  arrival: Arrival,
): CycleState | undefined {
  const to = statusOf(arrival.transition);
  switch (action.kind) {
    case 'investigate':
      return action.cycle === 'new' || !cycle
        ? { closed: false, status: to, cycleKey: arrival.cycleKey, handled: false, claimedAtMs: arrival.atMs }
        : { ...cycle, status: to, cycleKey: cycle.cycleKey ?? arrival.cycleKey, claimedAtMs: arrival.atMs };
    case 'note':
      return { ...cycle!, closed: action.closes, status: to, cycleKey: cycle!.cycleKey ?? arrival.cycleKey };
    case 'close':
      return { ...cycle!, closed: true, status: to };
    case 'ignore':
      return cycle;
  }
}
