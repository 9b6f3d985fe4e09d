import { describe, expect, it } from 'vitest';
import { admitArrival, notificationOf } from '../../../app/gateway/admit-arrival';
import {
  type Arrival,
  CLAIM_STALE_MS,
  type CycleAction,
  type CycleState,
  cycleFor,
  decideCycle,
} from '../../../app/gateway/cycle-rules';
import { readDatadogSlackPost } from '../../../app/gateway/datadog-slack';
import { readDatadogWebhook } from '../../../app/gateway/datadog-webhook';
import { markThreadOpened } from '../../../data/alerts';
import { openDatabase } from '../../../data/db';
import { CHECKOUT, type Monitor, slackPost, webhookBody } from './notifications';

const T = 1_800_000_000_000;
const at = (transition: Arrival['transition'], cycleKey?: string): Arrival => ({
  transition,
  cycleKey,
  atMs: T,
});

const open = (status: CycleState['status'], extra: Partial<CycleState> = {}): CycleState => ({
  closed: false,
  status,
  handled: true,
  ...extra,
});
const closed: CycleState = { closed: true, status: 'recovered', handled: true };
const investigateNew: CycleAction = { kind: 'investigate', cycle: 'new' };

describe('alert-cycle rules (one transition at a time)', () => {
  it.each<[string, CycleState | undefined, Arrival, CycleAction]>([
    ['the first Triggered opens a cycle', undefined, at('Triggered'), investigateNew],
    ['the first Warn opens a cycle', undefined, at('Warn'), investigateNew],
    ['the first No Data opens a cycle', undefined, at('No Data'), investigateNew],
    [
      'a re-notification of a cycle never seen still opens one',
      undefined,
      at('Re-Triggered'),
      investigateNew,
    ],
    [
      'a Recovered with nothing open does nothing',
      undefined,
      at('Recovered'),
      { kind: 'ignore', reason: 'nothing_open' },
    ],
    [
      'Re-Triggered joins the open cycle silently',
      open('triggered'),
      at('Re-Triggered'),
      { kind: 'ignore', reason: 'repeat' },
    ],
    [
      'Renotify joins the open cycle silently',
      open('triggered'),
      at('Renotify'),
      { kind: 'ignore', reason: 'repeat' },
    ],
    [
      'the same Triggered again (new from_ts, other path) joins silently',
      open('triggered'),
      at('Triggered'),
      { kind: 'ignore', reason: 'repeat' },
    ],
    [
      'Re-Warn joins a Warn cycle silently',
      open('warn'),
      at('Re-Warn'),
      { kind: 'ignore', reason: 'repeat' },
    ],
    [
      'Warn escalating to Triggered is a note in the same thread',
      open('warn'),
      at('Triggered'),
      { kind: 'note', from: 'warn', to: 'triggered', closes: false },
    ],
    [
      'Warn escalating by Re-Triggered is a note too',
      open('warn'),
      at('Re-Triggered'),
      { kind: 'note', from: 'warn', to: 'triggered', closes: false },
    ],
    [
      'Triggered easing to Warn is a note',
      open('triggered'),
      at('Warn'),
      { kind: 'note', from: 'triggered', to: 'warn', closes: false },
    ],
    [
      'No Data within a cycle is a note',
      open('triggered'),
      at('No Data'),
      { kind: 'note', from: 'triggered', to: 'no_data', closes: false },
    ],
    [
      'Recovered closes the cycle with a note',
      open('triggered'),
      at('Recovered'),
      { kind: 'note', from: 'triggered', to: 'recovered', closes: true },
    ],
    ['a Triggered after Recovered opens a new cycle', closed, at('Triggered'), investigateNew],
    ['a Warn after Recovered opens a new cycle', closed, at('Warn'), investigateNew],
    [
      'a late Re-Triggered after Recovered does nothing',
      closed,
      at('Re-Triggered'),
      { kind: 'ignore', reason: 'closed' },
    ],
    ['a second Recovered does nothing', closed, at('Recovered'), { kind: 'ignore', reason: 'closed' }],
    [
      'a late Triggered naming the closed cycle by key does nothing',
      { ...closed, cycleKey: 'k1' },
      at('Triggered', 'k1'),
      { kind: 'ignore', reason: 'closed' },
    ],
    [
      'a Triggered with a new key after Recovered opens a new cycle',
      { ...closed, cycleKey: 'k1' },
      at('Triggered', 'k2'),
      investigateNew,
    ],
    [
      'a cycle whose thread failed is retried by the next notification',
      open('triggered', { handled: false }),
      at('Re-Triggered'),
      { kind: 'investigate', cycle: 'existing' },
    ],
    [
      '…but not while another attempt is under way',
      open('triggered', { handled: false, claimedAtMs: T - 1000 }),
      at('Triggered'),
      { kind: 'ignore', reason: 'in_progress' },
    ],
    [
      '…and an attempt older than the lease is taken over',
      open('triggered', { handled: false, claimedAtMs: T - CLAIM_STALE_MS }),
      at('Triggered'),
      { kind: 'investigate', cycle: 'existing' },
    ],
    [
      'Recovered before any thread existed closes it without a note',
      open('triggered', { handled: false }),
      at('Recovered'),
      { kind: 'close' },
    ],
  ])('%s', (_name, state, arrival, want) => {
    expect(decideCycle(state, arrival)).toEqual(want);
  });
});

describe('which cycle an arrival belongs to', () => {
  const keyed = open('triggered', { cycleKey: 'k1' });
  const unkeyed = open('triggered');
  it.each<
    [
      string,
      Pick<Arrival, 'cycleKey'>,
      CycleState | undefined,
      CycleState | undefined,
      CycleState | undefined,
    ]
  >([
    ['without a key: the group’s latest cycle', {}, undefined, unkeyed, unkeyed],
    ['the cycle its key names, whatever the latest is', { cycleKey: 'k1' }, keyed, unkeyed, keyed],
    [
      'a new key joins the open cycle a Slack post opened (no key of its own)',
      { cycleKey: 'k1' },
      undefined,
      unkeyed,
      unkeyed,
    ],
    [
      'a new key is a new cycle when the open one has another key',
      { cycleKey: 'k2' },
      undefined,
      keyed,
      undefined,
    ],
    ['a new key after a closed unkeyed cycle: a new cycle', { cycleKey: 'k3' }, undefined, closed, undefined],
  ])('%s', (_name, arrival, byKey, latest, want) => {
    expect(cycleFor(arrival, byKey, latest)).toBe(want);
  });
});

type Path = 'slack' | 'webhook';
/** One notification of `m` by `path`, read by that path's real parser. */
function reading(path: Path, m: Monitor, transition: string, second: number, cycleKey?: string) {
  return path === 'slack'
    ? readDatadogSlackPost(slackPost(m, transition, second))!
    : readDatadogWebhook(webhookBody(m, transition, second, cycleKey));
}

/**
 * Runs notifications through the real parsers and the cycle table, opening each new cycle's
 * thread as the intake would, and returns what each one did.
 */
function run(steps: [Path, string, string?][], m: Monitor = CHECKOUT): string[] {
  const db = openDatabase(':memory:');
  return steps.map(([path, transition, cycleKey], i) => {
    const r = reading(path, m, transition, 1_800_000_000 + i * 60, cycleKey);
    const { action, cycle } = admitArrival(db, notificationOf(r), new Date(T + i * 60_000));
    if (action.kind === 'investigate') markThreadOpened(db, cycle!.id, 'C0ALERTS', `${i}.0`);
    return action.kind === 'note' ? `note:${action.to}` : action.kind === 'ignore' ? 'ignore' : action.kind;
  });
}

describe('alert cycles over both paths (Slack posts and webhooks share one table)', () => {
  it.each<[string, [Path, string, string?][], string[]]>([
    [
      'Slack: Warn, Re-Triggered, Recovered, then a second cycle',
      [
        ['slack', 'Warn'],
        ['slack', 'Re-Triggered'],
        ['slack', 'Recovered'],
        ['slack', 'Triggered'],
      ],
      ['investigate', 'note:triggered', 'note:recovered', 'investigate'],
    ],
    [
      'webhook (default rules, no cycle key): the same',
      [
        ['webhook', 'Warn'],
        ['webhook', 'Re-Triggered'],
        ['webhook', 'Recovered'],
        ['webhook', 'Triggered'],
      ],
      ['investigate', 'note:triggered', 'note:recovered', 'investigate'],
    ],
    [
      'webhook with $ALERT_CYCLE_KEY: the key names each cycle',
      [
        ['webhook', 'Triggered', 'k1'],
        ['webhook', 'Renotify', 'k1'],
        ['webhook', 'Recovered', 'k1'],
        ['webhook', 'Triggered', 'k1'],
        ['webhook', 'Triggered', 'k2'],
      ],
      ['investigate', 'ignore', 'note:recovered', 'ignore', 'investigate'],
    ],
    [
      'the same alert arriving both ways is investigated once',
      [
        ['slack', 'Triggered'],
        ['webhook', 'Triggered'],
        ['webhook', 'Re-Triggered'],
        ['slack', 'Re-Triggered'],
      ],
      ['investigate', 'ignore', 'ignore', 'ignore'],
    ],
    [
      'a keyed webhook joins the cycle its Slack post opened, and its Recovered closes it',
      [
        ['slack', 'Triggered'],
        ['webhook', 'Triggered', 'k9'],
        ['webhook', 'Recovered', 'k9'],
        ['slack', 'Recovered'],
      ],
      ['investigate', 'ignore', 'note:recovered', 'ignore'],
    ],
    [
      'every re-notification is one cycle; a new from_ts on each post changes nothing',
      [
        ['slack', 'Triggered'],
        ['slack', 'Renotify'],
        ['slack', 'Renotify'],
        ['slack', 'Re-Triggered'],
      ],
      ['investigate', 'ignore', 'ignore', 'ignore'],
    ],
  ])('%s', (_name, steps, want) => {
    expect(run(steps)).toEqual(want);
  });

  it('keeps the cycles of two groups of one monitor apart', () => {
    const db = openDatabase(':memory:');
    const group = (scope: string) => ({ ...CHECKOUT, scope });
    const take = (m: Monitor, path: Path, transition: string, i: number) =>
      admitArrival(db, notificationOf(reading(path, m, transition, 1_800_000_000 + i)), new Date(T + i))
        .action.kind;
    expect(take(group('env:prod,service:checkout'), 'slack', 'Triggered', 1)).toBe('investigate');
    // The same group, tags in another order, by the other path: the same cycle.
    expect(take(group('service:checkout,env:prod'), 'webhook', 'Triggered', 2)).toBe('ignore');
    expect(take(group('env:staging,service:checkout'), 'webhook', 'Triggered', 3)).toBe('investigate');
  });
});
