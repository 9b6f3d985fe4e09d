import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { getCycle, insertCycle, latestCycleOf, updateCycle } from '../../data/alerts';
import { openDatabase } from '../../data/db';
import { MIGRATIONS } from '../../data/migrations';

const AT = new Date('2030-01-01T00:00:00Z');

describe('the alert-cycle table', () => {
  it('keeps dedupe rows written before cycles existed, and never matches them to a monitor group', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'alerts-')), 'sre.db');
    const old = new Database(path);
    for (const m of MIGRATIONS.slice(0, 3)) old.exec(m);
    old.pragma('user_version = 3');
    old
      .prepare('INSERT INTO alerts (dedupe_key, first_seen, last_seen, count, status) VALUES (?,?,?,?,?)')
      .run('alert_old', AT.toISOString(), AT.toISOString(), 4, 'triggered');
    old.close();
    const db = openDatabase(path);
    expect(getCycle(db, 'alert_old')).toMatchObject({ count: 4, group: null, threadTs: null });
    expect(latestCycleOf(db, '')).toBeUndefined();
    db.close();
  });

  it('finds the newest cycle of a group, and a cycle closed twice keeps its first close time', () => {
    const db = openDatabase(':memory:');
    const w = { status: 'triggered', closed: false, claimed: false, at: AT };
    insertCycle(db, 'c1', 'g|', w);
    insertCycle(db, 'c2', 'g|', w);
    insertCycle(db, 'x1', 'other|', w);
    expect(latestCycleOf(db, 'g|')!.id).toBe('c2');
    updateCycle(db, 'c2', { ...w, status: 'recovered', closed: true });
    updateCycle(db, 'c2', { ...w, status: 'recovered', closed: true, at: new Date(AT.getTime() + 1000) });
    expect(getCycle(db, 'c2')).toMatchObject({ closedAt: AT.toISOString(), count: 3 });
  });
});
