import { describe, expect, it } from 'vitest';
import { LOG_PATTERN_DEFAULTS } from '../../../tools/analysis/defaults';
import { clusterLogs, maskMessage, novelty } from '../../../tools/analysis/log-patterns';

const HOUR = 3_600_000;
const at = (minute: number) => new Date(Date.UTC(2026, 2, 12, 13, 0) + minute * 60_000).toISOString();
const line = (minute: number, message: string, service = 'checkout') => ({
  timestamp: at(minute),
  message,
  service,
  status: 'error',
});
const repeat = (n: number, message: (i: number) => string, from = 0) =>
  Array.from({ length: n }, (_, i) => line(from + i, message(i)));

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

describe('Log patterns are stable: short id-like tokens are masked, so one error is one pattern', () => {
  it('masks prefixed ids, key=value ids, order numbers and request ids', () => {
    const messages = [
      'charge failed for acct_6JD1QS order_id=83412 user=u_93ks (#48213) req=req_8d7f6a2 shard sh_xe3ycjw5: card_declined',
      'charge failed for acct_Q2W9ZP order_id=7 user=u_k2m1 (#5) req=req_01b93c4 shard sh_9sk2ja0q: card_declined',
      'charge failed for acct_77HD2K order_id=120934 user=alice (#900001) req=abc-123-def shard sh_2b8xk1m4: card_declined',
    ];
    const masked = messages.map(maskMessage);
    expect(new Set(masked).size).toBe(1);
    expect(masked[0]).toBe(
      'charge failed for acct_<id> order_id=<id> user=<id> (#<num>) req=<id> shard sh_<id>: card_declined',
    );
  });

  it('masks random tokens without a prefix, but keeps names that merely contain digits', () => {
    expect(maskMessage('session xe3ycjw5 expired')).toBe(maskMessage('session k9d2ms7q expired'));
    expect(maskMessage('session xe3ycjw5 expired')).toBe('session <id> expired');
    const kept = 'sha256 mismatch in log4j2 config for http_2xx pool_v2 us-east-1a max_pool_size';
    expect(maskMessage(kept)).toBe(kept);
  });

  it('keeps what tells errors apart: error codes, keys that are not ids, quoted-away values', () => {
    expect(maskMessage('payment rejected: reason=card_declined user="bob"')).toBe(
      'payment rejected: reason=card_declined user=<str>',
    );
    expect(maskMessage('shard_17 unavailable')).toBe(maskMessage('shard_3 unavailable'));
  });

  it('reads only the start of an overlong or hostile message', () => {
    for (const hostile of [
      'a_'.repeat(50_000),
      'k='.repeat(50_000),
      `${'x1'.repeat(40_000)}`,
      '"'.repeat(90_000),
    ]) {
      const masked = maskMessage(hostile);
      expect(masked.length).toBeLessThanOrEqual(LOG_PATTERN_DEFAULTS.maxMaskedChars);
    }
    expect(maskMessage(`${'ok '.repeat(300)}tail acct_6JD1QS`)).not.toContain('acct');
  });

  it('clusters a realistic burst of one failure into one pattern', () => {
    const window = repeat(
      20,
      (i) =>
        `POST /v1/charges failed for acct_${(1000 + i * 7919).toString(36).toUpperCase()}X9 order #${48213 + i} request_id=r${i}q${i * 3}z: 502`,
    );
    expect(clusterLogs(window)).toHaveLength(1);
  });
});

describe('Log patterns are stable: a pattern is new only with a real rate rise over the baseline', () => {
  const span = { windowMs: HOUR, baselineMs: HOUR };

  it('returns nothing for no lines', () => {
    expect(clusterLogs([])).toEqual([]);
  });

  it('does not call a handful of lines new just because the baseline had none', () => {
    const baseline = repeat(2, (i) => `card declined for order ${i}`);
    const window = [
      ...repeat(2, (i) => `TypeError at applyDiscount order ${i}`, 60),
      line(62, 'card declined for order 3'),
    ];
    const patterns = clusterLogs(window, baseline, span);
    const typeError = patterns.find((p) => p.pattern.startsWith('TypeError'))!;
    expect(typeError).toMatchObject({ count: 2, baselineCount: 0, isNew: false, pValue: 0.25 });
  });

  it('calls a burst absent from an equal baseline new, ranks it first, and dates it', () => {
    const baseline = repeat(2, (i) => `card declined for order ${i}`);
    const window = [
      line(60, 'card declined for order 3'),
      ...repeat(8, (i) => `TypeError at applyDiscount order ${i}`, 61),
    ];
    const [first, second] = clusterLogs(window, baseline, span);
    expect(first).toMatchObject({
      isNew: true,
      count: 8,
      firstSeen: at(61),
      lastSeen: at(68),
      services: ['checkout'],
    });
    expect(first!.pValue).toBeLessThan(LOG_PATTERN_DEFAULTS.newPatternPValue);
    expect(second).toMatchObject({ isNew: false, count: 1, baselineCount: 2 });
  });

  it('treats absence from a short baseline as weak evidence', () => {
    const window = repeat(4, (i) => `redis reset ${i}`);
    const shortBaseline = { windowMs: HOUR, baselineMs: 5 * 60_000 };
    expect(clusterLogs(window, [], shortBaseline)[0]).toMatchObject({ isNew: false });
    expect(clusterLogs(window, [], span)[0]).toMatchObject({ isNew: false });
    expect(
      clusterLogs(
        repeat(12, (i) => `redis reset ${i}`),
        [],
        span,
      )[0],
    ).toMatchObject({ isNew: true });
  });

  it('needs the count floor even against a long silent baseline', () => {
    expect(novelty(2, 0, HOUR, 24 * HOUR)).toMatchObject({ isNew: false });
    expect(novelty(LOG_PATTERN_DEFAULTS.newPatternMinCount, 0, HOUR, 24 * HOUR)).toMatchObject({
      isNew: true,
    });
  });

  it('needs the rate to rise severalfold: an everyday error that doubles is not new', () => {
    expect(novelty(80, 40, HOUR, HOUR)).toMatchObject({ isNew: false });
    expect(novelty(30, 1, HOUR, HOUR)).toMatchObject({ isNew: true });
    const baseline = [line(0, 'redis reset 1')];
    const window = repeat(30, (i) => `redis reset ${i}`, 60);
    expect(clusterLogs(window, baseline, span)[0]!.isNew).toBe(true);
  });

  it('claims nothing new without a baseline window', () => {
    expect(novelty(50, 0, HOUR, 0)).toEqual({ isNew: false, pValue: 1 });
  });
});
