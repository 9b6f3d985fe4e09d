import { describe, expect, it } from 'vitest';
import { changedLines } from '../../../tools/analysis/patch-lines';

describe('changedLines', () => {
  it('numbers added and removed lines by their place in the new file, across hunks, skipping context', () => {
    const patch = [
      '@@ -38,6 +38,6 @@ export function applyDiscount(order: Order) {',
      '   const promo = order.promo;',
      '-  if (!promo) return totals;',
      '+  if (promo.rate > 1) return totals;',
      '   return totals;',
      '@@ -90,2 +90,3 @@',
      ' }',
      '+export const MAX_RATE = 0.9;',
      '\\ No newline at end of file',
    ].join('\n');
    expect(changedLines(patch)).toEqual([
      { side: 'removed', text: '  if (!promo) return totals;', newLine: 39 },
      { side: 'added', text: '  if (promo.rate > 1) return totals;', newLine: 39 },
      { side: 'added', text: 'export const MAX_RATE = 0.9;', newLine: 91 },
    ]);
  });

  it('ignores full-diff file headers but keeps removed lines that look like them, and deleted files', () => {
    const patch = [
      '--- a/db/seed.sql',
      '+++ b/db/seed.sql',
      '@@ -1,2 +0,0 @@',
      '--- seed data',
      '-INSERT INTO t VALUES (1);',
    ].join('\n');
    expect(changedLines(patch).map((l) => [l.side, l.text])).toEqual([
      ['removed', '-- seed data'],
      ['removed', 'INSERT INTO t VALUES (1);'],
    ]);
    expect(changedLines('no hunk here\n+not a change')).toEqual([]);
  });

  it('keeps the line that names a changed bare value (Helm `value:` under `- name:`), and no other context', () => {
    const patch = [
      '@@ -12,4 +12,5 @@ env:',
      '   - name: DB_POOL_SIZE',
      '-    value: "20"',
      '+    value: "5"',
      '   - name: LOG_LEVEL',
      '+  replicas: 3',
    ].join('\n');
    expect(changedLines(patch)).toEqual([
      { side: 'removed', text: '    value: "20"', newLine: 13, owner: '  - name: DB_POOL_SIZE' },
      { side: 'added', text: '    value: "5"', newLine: 13, owner: '  - name: DB_POOL_SIZE' },
      { side: 'added', text: '  replicas: 3', newLine: 15 },
    ]);
  });
});
