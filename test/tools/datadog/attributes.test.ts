import { describe, expect, it } from 'vitest';
import { boundedStack, stackInMessage } from '../../../tools/datadog/attributes';
import { EVIDENCE_LIMITS } from '../../../tools/defaults';

/** A Python traceback longer than the stack budget: its throwing frame is the last one. */
const longTraceback = [
  '[ERROR] request failed GET /v1/rates 504',
  'Traceback (most recent call last):',
  ...Array.from(
    { length: 60 },
    (_, i) => `  File "/app/rates/layer_${i}.py", line ${i + 10}, in call_${i}\n    return call(request)`,
  ),
  '  File "/app/rates/audit/sync_audit_writer.py", line 202, in record',
  'asyncio.TimeoutError: record exceeded request deadline of 2000ms',
].join('\n');

describe('Decisive evidence is kept, bounded: stacks', () => {
  it('finds the stack a log line prints into its message (Python, Java, JS), and nothing in a plain message', () => {
    expect(stackInMessage(longTraceback)).toBe(longTraceback);
    expect(stackInMessage('NullPointerException: x\n\tat com.acme.Cart.total(Cart.java:42)')).toBeDefined();
    expect(stackInMessage('TypeError: x\n    at applyDiscount (/app/src/d.ts:41:37)')).toBeDefined();
    expect(stackInMessage('upstream connect error: 503 from ledger.internal')).toBeUndefined();
  });

  it("keeps a long Python traceback's message line and its tail, where the throwing frame is", () => {
    const kept = boundedStack(longTraceback)!;
    expect(kept.length).toBeLessThanOrEqual(EVIDENCE_LIMITS.stackChars + 2);
    expect(kept.split('\n')[0]).toBe('[ERROR] request failed GET /v1/rates 504');
    expect(kept).toContain('sync_audit_writer.py", line 202, in record');
    expect(kept).not.toContain('layer_0.py');
  });

  it('keeps the head of other runtimes’ stacks, where their throwing frame is', () => {
    const java = [
      'NullPointerException: x',
      ...Array.from({ length: 200 }, (_, i) => `\tat com.acme.L${i}.f(L${i}.java:1)`),
    ].join('\n');
    const kept = boundedStack(java)!;
    expect(kept).toContain('com.acme.L0.f');
    expect(kept.endsWith('…')).toBe(true);
  });
});
