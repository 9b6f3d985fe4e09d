import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { admitArrival, type Notification, notificationOf } from '../../../app/gateway/admit-arrival';
import { readDatadogWebhook } from '../../../app/gateway/datadog-webhook';
import { getCycle, markThreadOpened, releaseClaim } from '../../../data/alerts';
import { openDatabase } from '../../../data/db';
import { CHECKOUT, webhookBody } from './notifications';

const NOW = new Date('2030-01-01T00:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);
const n = (transition: Notification['transition'], cycleKey?: string): Notification => ({
  group: '41235|',
  transition,
  cycleKey,
});

describe('admitting a notification to the cycle table', () => {
  it('numbers the cycles of a group, and names a keyed cycle by its key', () => {
    const db = openDatabase(':memory:');
    const first = admitArrival(db, n('Triggered'), NOW).cycle!;
    markThreadOpened(db, first.id, 'C1', '1.0');
    admitArrival(db, n('Recovered'), later(1));
    const second = admitArrival(db, n('Triggered'), later(2)).cycle!;
    expect(second.id).not.toBe(first.id);
    expect(getCycle(db, first.id)).toMatchObject({ status: 'recovered', count: 2, threadTs: '1.0' });
    expect(getCycle(db, first.id)!.closedAt).toBe(later(1).toISOString());
    // The same history in another database gives the same ids: they are derived, not random.
    const again = openDatabase(':memory:');
    expect(admitArrival(again, n('Triggered'), NOW).cycle!.id).toBe(first.id);
    const keyed = admitArrival(again, { ...n('Triggered', 'k1'), group: 'other|' }, NOW).cycle!;
    expect(keyed).toMatchObject({ cycleKey: 'k1', group: 'other|' });
  });

  it('keeps a cycle claimed while its thread is being opened, and retryable once the attempt fails', () => {
    const db = openDatabase(':memory:');
    const { cycle } = admitArrival(db, n('Triggered'), NOW);
    expect(cycle!.claimedAt).toBe(NOW.toISOString());
    expect(admitArrival(db, n('Triggered'), later(5)).action).toEqual({
      kind: 'ignore',
      reason: 'in_progress',
    });
    releaseClaim(db, cycle!.id);
    expect(admitArrival(db, n('Re-Triggered'), later(10)).action).toEqual({
      kind: 'investigate',
      cycle: 'existing',
    });
    markThreadOpened(db, cycle!.id, 'C1', '1.0');
    // Releasing a claim never makes a handled cycle unhandled.
    releaseClaim(db, cycle!.id);
    expect(getCycle(db, cycle!.id)).toMatchObject({ threadTs: '1.0', claimedAt: null });
  });

  it('reads a webhook without a transition by its alert type (default template without the variable)', () => {
    const body = {
      ...webhookBody(CHECKOUT, 'Triggered', 1_800_000_000),
      alert_transition: undefined,
      title: CHECKOUT.name,
      alert_type: 'warning',
    };
    expect(notificationOf(readDatadogWebhook(body)).transition).toBe('Warn');
  });

  it('gives one investigation per cycle when two connections on one file share the table', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cycles-')), 'sre.db');
    const [one, two] = [openDatabase(path), openDatabase(path)];
    const told: string[] = [];
    const deliver = (db: typeof one, who: string) =>
      (async () => {
        for (let i = 0; i < 40; i++) {
          const group = `monitor-${i % 10}|`;
          const { action } = admitArrival(db, { group, transition: 'Triggered' }, later(i));
          if (action.kind === 'investigate') told.push(`${who}:${group}`);
          if (i % 5 === 0) await new Promise((r) => setImmediate(r));
        }
      })();
    await Promise.all([deliver(one, 'a'), deliver(two, 'b'), deliver(one, 'c'), deliver(two, 'd')]);
    expect(new Set(told.map((t) => t.split(':')[1])).size).toBe(10);
    expect(told).toHaveLength(10);
    one.close();
    two.close();
  });
});
