import { describe, expect, it } from 'vitest';
import { clusterLogs, maskMessage } from '../../../tools/analysis/log-patterns';

describe('maskMessage', () => {
  it('masks ids, uuids, hex, ips, durations and numbers so occurrences collapse', () => {
    const a = maskMessage(
      'timeout after 5000ms calling 10.0.3.7:5432 order_id=3f6d2a1c-7b0e-4c8f-9a11-5e2d7c0b9f31 sha=7c1e9a4f00 attempt 2/3',
    );
    const b = maskMessage(
      'timeout after 120ms calling 10.9.1.1:5432 order_id=00000000-1111-4222-a333-444444444444 sha=deadbeef99 attempt 3/3',
    );
    expect(a).toBe(b);
    expect(a).toContain('<uuid>');
    expect(a).toContain('<ip>');
    expect(a).toContain('<duration>');
  });

  it('keeps words and code locations that identify the error', () => {
    expect(
      maskMessage(
        "TypeError: Cannot read properties of undefined (reading 'code') at applyDiscount (src/payments/applyDiscount.ts:42:31)",
      ),
    ).toContain('applyDiscount (src/payments/applyDiscount.ts');
  });
});

describe('clusterLogs', () => {
  const line = (timestamp: string, message: string, service = 'checkout') => ({
    timestamp,
    message,
    service,
  });

  it('returns nothing for no lines', () => {
    expect(clusterLogs([])).toEqual([]);
  });

  it('marks patterns absent from the baseline as new and ranks them first', () => {
    const baseline = [
      line('2026-01-01T00:00:00Z', 'card declined for order 1'),
      line('2026-01-01T00:01:00Z', 'card declined for order 2'),
    ];
    const window = [
      line('2026-01-01T01:00:00Z', 'card declined for order 3'),
      line('2026-01-01T01:02:00Z', 'TypeError at applyDiscount order 9'),
      line('2026-01-01T01:01:00Z', 'TypeError at applyDiscount order 8'),
    ];
    const patterns = clusterLogs(window, baseline);
    expect(patterns[0]).toMatchObject({
      isNew: true,
      count: 2,
      firstSeen: '2026-01-01T01:01:00Z',
      lastSeen: '2026-01-01T01:02:00Z',
      services: ['checkout'],
    });
    expect(patterns[1]).toMatchObject({ isNew: false, count: 1, baselineCount: 2 });
  });

  it('treats a pattern that rose sharply (rate-adjusted) as new', () => {
    const baseline = [line('2026-01-01T00:00:00Z', 'redis reset 1')];
    const window = Array.from({ length: 30 }, (_, i) => line('2026-01-01T01:00:00Z', `redis reset ${i}`));
    expect(clusterLogs(window, baseline, { windowMs: 1, baselineMs: 1 })[0]!.isNew).toBe(true);
  });
});
