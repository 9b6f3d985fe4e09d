import type { Alert, AlertStatus } from '../../agent/alert';
import {
  type AlertCycle,
  countSighting,
  cycleByKey,
  cycleCountOf,
  getCycle,
  insertCycle,
  latestCycleOf,
  updateCycle,
} from '../../data/alerts';
import type { Db } from '../../data/db';
import { alertCycleId } from './alert-id';
import {
  type Arrival,
  type CycleAction,
  type CycleState,
  cycleAfter,
  cycleFor,
  decideCycle,
} from './cycle-rules';
import type { Transition } from './transition';

/** A DataDog notification as the cycle table sees it, whichever path it came by. */
export type Notification = {
  /** The monitor group (SlackReading.group / WebhookReading.group). */
  group: string;
  transition: Transition;
  cycleKey?: string;
};

/** `before`: the cycle's row as it was, to put back when the action could not be carried out. */
export type Admission = { action: CycleAction; cycle?: AlertCycle; before?: AlertCycle };

/** What either parser returns (SlackReading, WebhookReading) that the cycle table needs. */
export type DatadogReading = { alert: Alert; group: string; transition?: Transition; cycleKey?: string };

/** A template that maps no transition still says how bad it is; that is the transition it means. */
const TRANSITION_OF: Record<AlertStatus, Transition> = {
  triggered: 'Triggered',
  warn: 'Warn',
  no_data: 'No Data',
  recovered: 'Recovered',
  unknown: 'Triggered',
};

export function notificationOf(reading: DatadogReading): Notification {
  return {
    group: reading.group,
    transition: reading.transition ?? TRANSITION_OF[reading.alert.status],
    cycleKey: reading.cycleKey,
  };
}

function stateOf(row: AlertCycle | undefined): CycleState | undefined {
  if (!row) return undefined;
  return {
    closed: row.closedAt !== null,
    status: row.status as AlertStatus,
    cycleKey: row.cycleKey ?? undefined,
    handled: row.threadTs !== null,
    claimedAtMs: row.claimedAt === null ? undefined : Date.parse(row.claimedAt),
  };
}

/**
 * Applies the cycle rules to one notification atomically (an immediate transaction, so a Slack
 * post and a webhook for the same alert, or two processes, can never both be told to
 * investigate), and returns what to do with the cycle row as it now stands.
 */
export function admitArrival(db: Db, n: Notification, now: Date): Admission {
  return db
    .transaction((): Admission => {
      const latest = latestCycleOf(db, n.group);
      const byKey = n.cycleKey ? cycleByKey(db, n.cycleKey) : undefined;
      const arrival: Arrival = { transition: n.transition, cycleKey: n.cycleKey, atMs: now.getTime() };
      const keyed = stateOf(byKey);
      const newest = stateOf(latest);
      const current = cycleFor(arrival, keyed, newest);
      const row = current === undefined ? undefined : current === keyed ? byKey : latest;
      const action = decideCycle(current, arrival);
      const next = cycleAfter(current, action, arrival);
      const write = next && {
        status: next.status,
        cycleKey: next.cycleKey,
        closed: next.closed,
        claimed: action.kind === 'investigate',
        at: now,
      };
      if (action.kind === 'investigate' && action.cycle === 'new') {
        // Cycles of a group are numbered; a keyed cycle is named by its key instead.
        const id = alertCycleId([
          'datadog',
          n.group,
          n.cycleKey ? `key:${n.cycleKey}` : `#${cycleCountOf(db, n.group) + 1}`,
        ]);
        insertCycle(db, id, n.group, write!);
        return { action, cycle: getCycle(db, id) };
      }
      if (!row) return { action };
      if (action.kind === 'ignore') countSighting(db, row.id, now);
      else updateCycle(db, row.id, write!);
      return { action, cycle: getCycle(db, row.id), before: row };
    })
    .immediate();
}
