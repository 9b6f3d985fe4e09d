import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord, RepoWorld, SpanRecord } from '../../sandbox/scenario-schema';
import type { Sandbox } from '../../sandbox/server';
import { sandboxDataSources } from '../../sandbox/sources';
import type { Tool } from '../../tools/contract';
import { createDatadogTools } from '../../tools/datadog/index';
import type { LogPatternEvidence } from '../../tools/datadog/log-evidence';
import type { LogsData } from '../../tools/datadog/logs';
import type { SpansData } from '../../tools/datadog/spans';
import { EVIDENCE_LIMITS } from '../../tools/defaults';
import { executeTool } from '../../tools/execute';
import { boundPatches, type Change, type ChangesData } from '../../tools/github/changes';
import { createGithubTools } from '../../tools/github/index';
import { contextFor, sandboxWith } from './helpers';

const NOW = Date.parse('2026-03-12T14:30:00Z');
const at = (minutesBefore: number, i = 0) => new Date(NOW - minutesBefore * 60_000 + i * 1_000).toISOString();
const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

const STACK = [
  "TypeError: Cannot read properties of undefined (reading 'code')",
  '    at applyDiscount (/app/src/payments/applyDiscount.ts:41:37)',
  '    at checkout (/app/src/routes/checkout.ts:88:12)',
  ...times(200, (i) => `    at frame${i} (/app/node_modules/framework/lib/layer${i}.js:${i}:1)`),
].join('\n');

/** The hour before now holds the incident; the hour before that is the baseline. */
const logs: LogRecord[] = [
  ...times(4, (i) => ({
    timestamp: at(100, i),
    service: 'checkout',
    status: 'error' as const,
    host: 'checkout-1',
    message: 'card declined by issuer',
    tags: ['version:2.39.7'],
    attributes: {},
  })),
  ...times(12, (i) => ({
    timestamp: at(25, i),
    service: 'checkout',
    status: 'error' as const,
    host: i % 3 === 0 ? 'checkout-3' : 'checkout-2',
    message: "TypeError: Cannot read properties of undefined (reading 'code')",
    tags: [],
    attributes: {
      error: {
        kind: 'TypeError',
        message: "Cannot read properties of undefined (reading 'code')",
        stack: STACK,
      },
      dd: { version: '2.40.0', trace_id: `${1000 + i}` },
      http: { method: 'POST', route: '/api/checkout', status_code: 500 },
      blob: 'x'.repeat(5_000),
    },
  })),
  ...times(6, (i) => ({
    timestamp: at(20, i),
    service: 'checkout',
    status: 'warn' as const,
    host: 'checkout-1',
    message: `retrying POST https://api.stripe.com/v1/charges after timeout (attempt ${(i % 2) + 2}/3)`,
    tags: ['version:2.39.7'],
    attributes: { peer: { hostname: 'api.stripe.com' } },
  })),
];

const span = (
  minutesBefore: number,
  i: number,
  over: Partial<SpanRecord> & { tags: string[] },
): SpanRecord => ({
  timestamp: at(minutesBefore, i),
  service: 'checkout',
  resource: 'POST /api/checkout',
  durationMs: 40,
  error: false,
  ...over,
});
const v1 = ['service:checkout', 'env:prod', 'version:2.39.7', 'host:checkout-1'];
const v2 = ['service:checkout', 'env:prod', 'version:2.40.0', 'host:checkout-2'];
const stripe = [...v1, 'peer.hostname:api.stripe.com', 'span.kind:client'];
const spans: SpanRecord[] = [
  ...times(40, (i) => span(100, i, { tags: v1 })),
  ...times(10, (i) => span(100, 50 + i, { resource: 'POST /v1/charges', durationMs: 80, tags: stripe })),
  ...times(30, (i) => span(25, i, { tags: v1 })),
  ...times(10, (i) =>
    span(24, i, {
      tags: v2,
      error: i < 8,
      errorType: i < 8 ? 'TypeError' : undefined,
      errorMessage: i < 8 ? "Cannot read properties of undefined (reading 'code')" : undefined,
    }),
  ),
  ...times(10, (i) =>
    span(20, i, {
      resource: 'POST /v1/charges',
      durationMs: 2_000,
      tags: stripe,
      error: i < 4,
      errorType: i < 4 ? 'TimeoutError' : undefined,
      errorMessage: i < 4 ? 'stripe did not answer in 2000ms' : undefined,
    }),
  ),
];

const bigPatch = [
  '@@ -38,9 +38,9 @@ export function applyDiscount(order, totals) {',
  ...times(300, (i) => `+  const line${i} = order.promo.code.toUpperCase();`),
].join('\n');
const repo: RepoWorld = {
  commits: [
    {
      sha: 'a'.repeat(40),
      message: 'Apply discounts before tax',
      author: 'dana',
      date: at(40),
      files: [{ filename: 'src/payments/applyDiscount.ts', additions: 300, deletions: 2, patch: bigPatch }],
    },
    {
      sha: 'b'.repeat(40),
      message: 'Bump timeout',
      author: 'lee',
      date: at(50),
      files: [
        {
          filename: 'config/http.yaml',
          additions: 1,
          deletions: 1,
          patch: '@@ -1 +1 @@\n-timeout: 2s\n+timeout: 5s',
        },
      ],
    },
  ],
  pulls: [
    {
      number: 77,
      title: 'Discounts before tax',
      body: `Moves the discount step before tax.\n\n${'Details. '.repeat(600)}`,
      user: 'dana',
      mergedAt: at(40),
      mergeCommitSha: 'a'.repeat(40),
      labels: [],
    },
  ],
  deployments: [],
};

describe('13.5 decisive evidence is kept, bounded', () => {
  let sandbox: Sandbox;
  let tools: Map<string, Tool>;
  const run = (name: string, input: unknown) => executeTool(tools.get(name)!, input, contextFor(sandbox));
  beforeAll(async () => {
    sandbox = await sandboxWith({ logs, spans, repos: { 'acme/checkout': repo } });
    const sources = sandboxDataSources(sandbox.url);
    tools = new Map(
      [
        ...createDatadogTools(sources.datadog!),
        ...createGithubTools(sources.github!, { retryBaseMs: 1 }),
      ].map((t) => [t.name, t]),
    );
  });
  afterAll(() => sandbox.close());

  describe('datadog.logs', () => {
    let data: LogsData;
    let summary: string;
    let typeError: LogPatternEvidence;
    beforeAll(async () => {
      const obs = await run('datadog.logs', { query: 'service:checkout status:error' });
      data = obs.data as LogsData;
      summary = obs.summary;
      typeError = data.patterns.find((p) => p.sample.startsWith('TypeError'))!;
    });

    it('reads warn lines too when asked for errors, and says so in the query it reports', () => {
      expect(data.query).toBe('service:checkout status:(error OR warn)');
      const retry = data.patterns.find((p) => p.sample.startsWith('retrying POST'))!;
      expect(retry).toMatchObject({ status: 'warn', count: 6, isNew: true });
      expect(retry.peers).toEqual([{ value: 'api.stripe.com', count: 6 }]);
      expect(retry.versions).toEqual([{ value: '2.39.7', count: 6 }]);
      expect(sandbox.requests.some((r) => JSON.stringify(r.body).includes('status:(error OR warn)'))).toBe(
        true,
      );
    });

    it('reads errors only when includeWarn is false', async () => {
      const obs = await run('datadog.logs', { query: 'service:checkout status:error', includeWarn: false });
      expect((obs.data as LogsData).patterns.map((p) => p.status)).not.toContain('warn');
    });

    it("keeps a pattern's structured attributes, decisive keys first, within the attribute budget", () => {
      const attrs = typeError.attributes!;
      expect(attrs).toMatchObject({
        'error.kind': 'TypeError',
        'http.method': 'POST',
        'http.route': '/api/checkout',
        'http.status_code': 500,
        'dd.version': '2.40.0',
      });
      expect(Object.keys(attrs).slice(0, 2)).toEqual(['error.kind', 'error.message']);
      expect(attrs['error.stack']).toBeUndefined();
      expect(String(attrs.blob).length).toBe(EVIDENCE_LIMITS.attributeValueChars);
      const size = Object.entries(attrs).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 0);
      expect(size).toBeLessThanOrEqual(EVIDENCE_LIMITS.attributeChars);
    });

    it('keeps the head of the stack, bounded, with the throwing frame', () => {
      expect(typeError.stack!.split('\n').slice(0, 2)).toEqual(STACK.split('\n').slice(0, 2));
      expect(typeError.stack!.length).toBeLessThanOrEqual(EVIDENCE_LIMITS.stackChars + 2);
    });

    it('splits a new error by version and host', () => {
      expect(typeError).toMatchObject({ isNew: true, count: 12 });
      expect(typeError.versions).toEqual([{ value: '2.40.0', count: 12 }]);
      expect(typeError.hostCounts).toEqual([
        { value: 'checkout-2', count: 8 },
        { value: 'checkout-3', count: 4 },
      ]);
    });

    it('says the kind, version, hosts and throwing frame in the summary', () => {
      expect(summary).toContain(
        'kind TypeError · http POST /api/checkout 500 · version 2.40.0 (12) · hosts checkout-2 (8), checkout-3 (4) · stack at applyDiscount (/app/src/payments/applyDiscount.ts:41:37)',
      );
      expect(summary).toContain('peer api.stripe.com (6)');
    });
  });

  describe('datadog.spans', () => {
    let data: SpansData;
    let summary: string;
    beforeAll(async () => {
      const obs = await run('datadog.spans', { query: 'service:checkout' });
      data = obs.data as SpansData;
      summary = obs.summary;
    });

    it('keeps the tags an error group shares and splits it by version and host', () => {
      const group = data.errors.find((g) => g.errorType === 'TypeError')!;
      expect(group).toMatchObject({ count: 8, baselineCount: 0, isNew: true });
      expect(group.tags).toEqual(expect.arrayContaining(['version:2.40.0', 'host:checkout-2']));
      expect(group.versions).toEqual([{ value: '2.40.0', count: 8 }]);
      expect(group.hosts).toEqual([{ value: 'checkout-2', count: 8 }]);
    });

    it('splits new errors by version and by host against the traffic each served', () => {
      expect(data.versions.map((b) => [b.value, b.newErrors, b.errors, b.count, b.baselineCount])).toEqual([
        ['2.40.0', 8, 8, 10, 0],
        ['2.39.7', 4, 4, 40, 50],
      ]);
      expect(data.hosts[0]).toMatchObject({ value: 'checkout-2', newErrors: 8, count: 10 });
      expect(summary).toContain(
        'New errors by version:\n- checkout version 2.40.0: 8/10 failed (8 new), before 0/0',
      );
    });

    it('gives errors and latency per resource and per peer called', () => {
      expect(data.peers).toEqual([
        expect.objectContaining({
          value: 'api.stripe.com',
          count: 10,
          errors: 4,
          newErrors: 4,
          baselineCount: 10,
          baselineErrors: 0,
          p95Ms: 2_000,
          baselineP95Ms: 80,
        }),
      ]);
      expect(data.resources.find((r) => r.value === 'POST /api/checkout')).toMatchObject({
        count: 40,
        errors: 8,
        baselineCount: 40,
      });
      expect(summary).toContain(
        'By peer called:\n- checkout -> api.stripe.com: 4/10 failed (4 new), before 0/10; p95 2000 ms (before 80 ms)',
      );
    });
  });

  describe('github', () => {
    let changes: Change[];
    let summary: string;
    beforeAll(async () => {
      const obs = await run('github.changes', { service: 'checkout', since: '2h' });
      changes = (obs.data as ChangesData).changes;
      summary = obs.summary;
    });

    it('keeps a bounded patch on each commit, cut at a line boundary', () => {
      const big = changes.find((c) => c.ref === 'a'.repeat(40))!.files[0]!;
      expect(big.patchTruncated).toBe(true);
      expect(big.patch!.length).toBeLessThanOrEqual(EVIDENCE_LIMITS.commitPatchChars);
      expect(bigPatch.startsWith(`${big.patch!}\n`)).toBe(true);
      const small = changes.find((c) => c.ref === 'b'.repeat(40))!.files[0]!;
      expect(small).toEqual({
        filename: 'config/http.yaml',
        additions: 1,
        deletions: 1,
        patch: '@@ -1 +1 @@\n-timeout: 2s\n+timeout: 5s',
      });
      expect(summary).toContain('changed: -timeout: 2s | +timeout: 5s');
    });

    it('keeps a pull request body, bounded, and names its files without repeating the patch', () => {
      const pr = changes.find((c) => c.ref === 'acme/checkout#77')!;
      expect(pr.body!.startsWith('Moves the discount step before tax.')).toBe(true);
      expect(pr.body!.length).toBe(EVIDENCE_LIMITS.pullBodyChars);
      expect(pr.files).toEqual([{ filename: 'src/payments/applyDiscount.ts', additions: 300, deletions: 2 }]);
      expect(summary).toContain('body: Moves the discount step before tax.');
    });

    it('bounds the patches of all commits together, newest first', () => {
      const many: Change[] = times(40, (i) => ({
        kind: 'commit',
        ref: `c${i}`,
        repo: 'acme/checkout',
        title: `commit ${i}`,
        author: 'dana',
        time: at(i),
        url: '',
        text: '',
        files: [{ filename: 'a.ts', additions: 300, deletions: 0, patch: bigPatch }],
      }));
      const kept = boundPatches(many).map((c) => c.files[0]!.patch?.length ?? 0);
      expect(kept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(EVIDENCE_LIMITS.changesPatchChars);
      expect(kept[0]).toBeGreaterThan(0);
      expect(kept.at(-1)).toBe(0);
    });

    it('github.commit keeps the same bounded patch in its data', async () => {
      const obs = await run('github.commit', { repo: 'acme/checkout', sha: 'bbbbbbb' });
      expect((obs.data as { files: { patch?: string }[] }).files[0]!.patch).toBe(
        '@@ -1 +1 @@\n-timeout: 2s\n+timeout: 5s',
      );
    });
  });
});
