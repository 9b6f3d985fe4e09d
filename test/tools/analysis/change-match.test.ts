import { describe, expect, it } from 'vitest';
import {
  type CandidateChange,
  type ChangeMatch,
  type ErrorEvidence,
  matchChanges,
  samePath,
} from '../../../tools/analysis/change-match';
import { CHANGE_MATCH_DEFAULTS } from '../../../tools/analysis/defaults';

// Patches follow GitHub's commit API `files[].patch` (hunks only, `@@ -a,b +c,d @@` headers);
// stacks follow each runtime's printed format (see stack-frames.test.ts).

/** A candidate that changes one file. */
const oneFile = (id: string, filename: string, patch?: string): CandidateChange => ({
  id,
  files: [patch === undefined ? { filename } : { filename, patch }],
});

const byId = (matches: readonly ChangeMatch[]) => Object.fromEntries(matches.map((m) => [m.id, m]));

const NODE_STACK = [
  "TypeError: Cannot read properties of undefined (reading 'rate')",
  '    at Object.get (/app/node_modules/lodash/get.js:11:30)',
  '    at applyDiscount (/app/src/payments/discount.ts:42:31)',
  '    at chargeCard (/app/src/payments/charge.ts:88:5)',
  '    at handle (/app/src/routes/checkout.ts:17:9)',
].join('\n');

const discountFix = oneFile(
  'a1',
  'src/payments/discount.ts',
  '@@ -40,4 +40,4 @@ export function applyDiscount(order: Order) {\n   const promo = order.promo;\n-  const rate = promo?.rate ?? 0;\n+  const rate = promo.rate;\n   return total * (1 - rate);',
);
const chargeRefactor = oneFile(
  'b2',
  'src/payments/charge.ts',
  '@@ -80,3 +80,4 @@ export async function chargeCard(order: Order) {\n   const total = applyDiscount(order);\n+  metrics.increment("charges");\n   return gateway.charge(total);',
);
const docsOnly: CandidateChange = {
  id: 'c3',
  files: [
    { filename: 'docs/payments.md', patch: '@@ -1,2 +1,3 @@\n # Payments\n+Discounts apply before tax.\n' },
  ],
};

describe('Matching means something: the throwing frame outweighs callers', () => {
  const matches = matchChanges({ stacks: [NODE_STACK] }, [chargeRefactor, docsOnly, discountFix]);

  it("Matching means something: a flag with no files matches by the throwing frame's file and function words", () => {
    const traceback = [
      'Traceback (most recent call last):',
      '  File "/app/fx_rates/http/server.py", line 54, in dispatch',
      '    return dispatch(request)',
      '  File "/app/fx_rates/audit/sync_audit_writer.py", line 202, in record',
      '    return record(request)',
      'asyncio.TimeoutError: record exceeded request deadline of 2000ms',
    ].join('\n');
    const matches = byId(
      matchChanges({ messages: ['request failed GET /v1/rates 504'], stacks: [traceback] }, [
        {
          id: 'audit-flag',
          files: [],
          description: 'Flag enable-sync-audit-trail changed {"rollout":0} -> {"rollout":5}',
        },
        {
          id: 'other-flag',
          files: [],
          description: 'Flag enable-serializer-v2 changed {"rollout":0} -> {"rollout":50}',
        },
      ]),
    );
    expect(matches['audit-flag']!.score).toBeGreaterThan(0);
    expect(matches['audit-flag']!.reasons.join(' ')).toMatch(/"audit"/);
    expect(matches['other-flag']!.score).toBe(0);
  });

  it('ranks the change to the throwing frame first, the caller second, the unrelated change last', () => {
    expect(matches.map((m) => m.id)).toEqual(['a1', 'b2', 'c3']);
    const { a1, b2, c3 } = byId(matches);
    expect(a1!.parts.frames).toBeGreaterThan(3 * b2!.parts.frames);
    expect(c3!.score).toBe(0);
  });

  it('says in words why each ranks where it does', () => {
    const { a1, b2, c3 } = byId(matches);
    expect(a1!.reasons[0]).toBe(
      'throwing frame src/payments/discount.ts:42 (applyDiscount) is in the change, 1 line from a changed line',
    );
    expect(b2!.reasons[0]).toBe(
      'caller frame src/payments/charge.ts:88 (chargeCard) is in the change (the nearest caller)',
    );
    expect(c3!.reasons).toEqual([
      'no stack frame, file, identifier or rare word of the errors appears in the change',
      'changes only docs files (docs/payments.md): low risk prior',
    ]);
  });

  it('gives less to a throwing frame far from the changed lines than to one at them', () => {
    const farAway = oneFile(
      'far',
      'src/payments/discount.ts',
      '@@ -200,2 +200,3 @@\n }\n+export const VERSION = 2;',
    );
    const { a1, far } = byId(matchChanges({ stacks: [NODE_STACK] }, [discountFix, farAway]));
    expect(far!.parts.frames).toBe(CHANGE_MATCH_DEFAULTS.throwingFrameWeight);
    expect(a1!.parts.frames).toBe(
      CHANGE_MATCH_DEFAULTS.throwingFrameWeight + CHANGE_MATCH_DEFAULTS.frameNearChangeBonus,
    );
  });

  it('ignores vendor frames: a vendored copy of the library the error surfaced in is no match', () => {
    const goPanic = [
      'panic: runtime error: invalid memory address or nil pointer dereference',
      'goroutine 7 [running]:',
      'github.com/lib/pq.(*conn).send(0x0)',
      '\t/src/ledger/vendor/github.com/lib/pq/conn.go:1021 +0x1d',
      'github.com/acme/ledger/internal/store.(*Pool).Get(0xc0001b2000)',
      '\t/src/ledger/internal/store/pool.go:64 +0x8f',
    ].join('\n');
    const vendorBump = oneFile(
      'vendor',
      'vendor/github.com/lib/pq/conn.go',
      '@@ -1019,3 +1019,3 @@\n-\treturn c.send(m)\n+\treturn c.sendCtx(m)',
    );
    const poolChange = oneFile(
      'pool',
      'internal/store/pool.go',
      '@@ -61,3 +61,3 @@\n-\tif p == nil { return nil, ErrClosed }\n+\tp.mu.Lock()',
    );
    const { vendor, pool } = byId(matchChanges({ stacks: [goPanic] }, [vendorBump, poolChange]));
    expect(vendor!.parts.frames).toBe(0);
    expect(pool!.reasons[0]).toMatch(
      /^throwing frame internal\/store\/pool\.go:64 .* is in the change, 3 lines from a changed line$/,
    );
  });

  it('matches JVM frames by package path and .NET frames by source path, wherever the repository keeps them', () => {
    const java = [
      'java.lang.IllegalStateException: no fee for region',
      '\tat com.acme.fees.FeeTable.lookup(FeeTable.java:27)',
      '\tat com.acme.fees.FeeService.quote(FeeService.java:12)',
    ].join('\n');
    const change: CandidateChange = {
      id: 'fees',
      files: [{ filename: 'fees-service/src/main/java/com/acme/fees/FeeTable.java' }],
    };
    expect(matchChanges({ stacks: [java] }, [change])[0]!.reasons[0]).toBe(
      'throwing frame fees-service/src/main/java/com/acme/fees/FeeTable.java:27 (com.acme.fees.FeeTable.lookup) is in the change',
    );
    const dotnet =
      '   at Acme.Fees.FeeTable.Lookup(String region) in C:\\build\\src\\Fees\\FeeTable.cs:line 27';
    const cs: CandidateChange = { id: 'cs', files: [{ filename: 'src/Fees/FeeTable.cs' }] };
    expect(matchChanges({ stacks: [dotnet] }, [cs])[0]!.parts.frames).toBe(
      CHANGE_MATCH_DEFAULTS.throwingFrameWeight,
    );
    expect(samePath('/app/main.go', 'cmd/main.go')).toBe(false);
  });

  it('reads Python and Ruby traces the same way: innermost application frame first, at the changed line', () => {
    const python = [
      'Traceback (most recent call last):',
      '  File "/app/billing/api.py", line 51, in create_invoice',
      '  File "/app/billing/totals.py", line 18, in compute_total',
      '  File "/usr/lib/python3.12/decimal.py", line 40, in __mul__',
      "TypeError: unsupported operand type(s) for *: 'decimal.Decimal' and 'float'",
    ].join('\n');
    const taxRate = oneFile(
      'tax',
      'billing/totals.py',
      '@@ -18,1 +18,1 @@\n-    return subtotal * Decimal("0.2")\n+    return subtotal * 0.2',
    );
    expect(matchChanges({ stacks: [python] }, [taxRate])[0]!.reasons[0]).toBe(
      'throwing frame billing/totals.py:18 (compute_total) is in the change, on a changed line',
    );
    const ruby = [
      "/app/app/models/order.rb:42:in 'Order#apply_coupon!': undefined method 'percent' for nil (NoMethodError)",
      "\tfrom /app/app/controllers/checkouts_controller.rb:18:in 'CheckoutsController#create'",
    ].join('\n');
    const controller: CandidateChange = {
      id: 'ctl',
      files: [{ filename: 'app/controllers/checkouts_controller.rb' }],
    };
    expect(matchChanges({ stacks: [ruby] }, [controller])[0]!.reasons[0]).toBe(
      'caller frame app/controllers/checkouts_controller.rb:18 (CheckoutsController#create) is in the change (the nearest caller)',
    );
  });

  it('credits a file an error message names inline, and reads stacks from error attributes', () => {
    const viaMessage = matchChanges(
      { messages: ['TypeError: x is undefined at applyDiscount (src/payments/discount.ts:42:31)'] },
      [discountFix, chargeRefactor],
    );
    expect(viaMessage[0]!.id).toBe('a1');
    expect(viaMessage[0]!.reasons[0]).toBe(
      'throwing frame src/payments/discount.ts:42 (applyDiscount) is in the change, 1 line from a changed line',
    );
    expect(viaMessage[0]!.reasons).toContain(
      'an error message names src/payments/discount.ts, which the change touches',
    );
    const viaAttributes = matchChanges(
      { attributes: [{ 'error.kind': 'TypeError', 'error.stack': NODE_STACK }] },
      [chargeRefactor, discountFix],
    );
    expect(viaAttributes[0]!.id).toBe('a1');
  });
});

describe('Matching means something: identifiers and config keys in errors are matched to changed lines', () => {
  const poolEnv = oneFile(
    'env',
    'deploy/orders.env',
    '@@ -3,3 +3,3 @@\n DB_HOST=orders-db\n-MAX_POOL_SIZE=50\n+MAX_POOL_SIZE=5',
  );
  const handler = oneFile(
    'src',
    'src/orders/list.ts',
    '@@ -10,2 +10,3 @@\n export async function list() {\n+  const rows = await db.query(SQL);',
  );

  it('names the identifier and the removed line it appears in', () => {
    const matches = matchChanges(
      { messages: ['pool exhausted: 5/5 connections in use (MAX_POOL_SIZE), waited 30000ms'] },
      [handler, poolEnv],
      { services: ['orders'] },
    );
    expect(matches[0]!.id).toBe('env');
    expect(matches[0]!.reasons[0]).toBe(
      'identifier MAX_POOL_SIZE (in 1 of 2 changes) appears in removed line "MAX_POOL_SIZE=50" of deploy/orders.env',
    );
    expect(matches[0]!.reasons.at(-1)).toBe('changes config (deploy/orders.env): high risk prior');
    expect(matches[1]!.score).toBe(0);
  });

  it('names the identifier a changed Helm value belongs to: the env var on the line above it', () => {
    const helm = oneFile(
      'helm',
      'charts/orders/values-prod.yaml',
      '@@ -12,4 +12,4 @@ env:\n   - name: LOG_FORMAT\n     value: json\n   - name: MAX_POOL_SIZE\n-    value: "50"\n+    value: "5"',
    );
    const matches = matchChanges(
      { messages: ['pool exhausted: 5/5 connections in use (MAX_POOL_SIZE), waited 30000ms'] },
      [handler, helm],
      { services: ['orders'] },
    );
    expect(matches[0]!.id).toBe('helm');
    expect(matches[0]!.reasons[0]).toMatch(
      /identifier MAX_POOL_SIZE .* removed line "- name: MAX_POOL_SIZE value: "50""/,
    );
  });

  it('matches a known config key to its leaf as YAML writes it, labelled as the config key', () => {
    const yaml = oneFile(
      'yaml',
      'src/main/resources/application.yaml',
      '@@ -8,4 +8,4 @@\n   datasource:\n     hikari:\n-      maximumPoolSize: 50\n+      maximumPoolSize: 5',
    );
    const [m] = matchChanges({ configKeys: ['spring.datasource.hikari.maximumPoolSize'] }, [yaml]);
    expect(m!.reasons[0]).toBe(
      'config key maximumPoolSize appears in removed line "maximumPoolSize: 50" of src/main/resources/application.yaml',
    );
    expect(m!.parts.terms).toBe(CHANGE_MATCH_DEFAULTS.configKeyWeight);
  });

  it('does not count the words inside a matched identifier again', () => {
    const [m] = matchChanges({ messages: ['MAX_POOL_SIZE reached'] }, [poolEnv]);
    expect(m!.parts.terms).toBe(CHANGE_MATCH_DEFAULTS.identifierWeight);
  });
});

describe('Matching means something: a change is read by its code first, its description second', () => {
  it('credits a rare word of the description at a fraction of what the same word in a changed line gets', () => {
    const described: CandidateChange = {
      id: 'described',
      files: [{ filename: 'config/production.yaml' }],
      description: 'Lower database connection pool size to cut idle connections',
    };
    const coded = oneFile(
      'coded',
      'src/db.ts',
      '@@ -1,1 +1,1 @@\n-const pool = createPool(50);\n+const pool = createPool(5);',
    );
    const other: CandidateChange = {
      id: 'other',
      files: [{ filename: 'src/export/csv.ts' }],
      description: 'Add CSV export',
    };
    const evidence = { messages: ['TimeoutError: timeout acquiring connection from pool after 5000ms'] };
    const { described: d, coded: c, other: o } = byId(matchChanges(evidence, [described, coded, other]));
    expect(d!.reasons[0]).toBe(
      'rare word "pool" (in 2 of 3 changes) appears in the change\'s description "Lower database connection pool size to cut idle connections"',
    );
    expect(d!.parts.terms).toBeCloseTo(c!.parts.terms * CHANGE_MATCH_DEFAULTS.descriptionFactor, 3);
    expect(o!.score).toBe(0);
  });
});

describe('Matching means something: tokens are weighted by rarity across the candidates and the baseline', () => {
  const ledger = (id: string, extra: string): CandidateChange => ({
    id,
    files: [
      {
        filename: `src/ledger/${id}.ts`,
        patch: `@@ -1,1 +1,2 @@\n import { ledger } from './ledger';\n+ledger.append(entry); ${extra}`,
      },
    ],
  });
  const candidates = [
    ledger('one', 'checkIdempotencyKey(entry)'),
    ledger('two', 'reconcileNightly()'),
    ledger('three', ''),
  ];

  it('gives nothing to a word every candidate has, and full weight to one only a single change has', () => {
    const matches = matchChanges(
      { messages: ['ledger append rejected: idempotency key reused (checkIdempotencyKey)'] },
      candidates,
    );
    const { one, two, three } = byId(matches);
    expect(one!.score).toBeGreaterThan(0);
    expect(two!.score).toBe(0);
    expect(three!.score).toBe(0);
    expect(one!.reasons.join('\n')).not.toMatch(/"ledger"|"append"/);
    expect(one!.reasons[0]).toMatch(
      /^identifier checkIdempotencyKey \(in 1 of 3 changes\) appears in added line/,
    );
  });

  it('gives nothing to a term the baseline logs already had', () => {
    const evidence = { messages: ['reconcileNightly failed for batch 7'] };
    expect(byId(matchChanges(evidence, candidates)).two!.score).toBeGreaterThan(0);
    const withBaseline = matchChanges(evidence, candidates, {
      baseline: ['reconcileNightly retried batch 3'],
    });
    expect(byId(withBaseline).two!.score).toBe(0);
  });

  it('never counts service names, package prefixes, TLDs or generic words', () => {
    const noisy = oneFile(
      'noisy',
      'src/app/index.ts',
      '@@ -1,1 +1,2 @@\n x\n+// checkout service request failed: error timeout calling com.acme io net internal',
    );
    const [m] = matchChanges(
      { messages: ['checkout-service: request failed with error: timeout calling internal com io net'] },
      [noisy],
      { services: ['checkout-service'] },
    );
    expect(m!.score).toBe(0);
    expect(m!.reasons[0]).toBe(
      'no stack frame, file, identifier or rare word of the errors appears in the change',
    );
  });
});

describe('Matching means something: docs, tests, lockfiles and CI carry a low prior, config and migrations a high one', () => {
  it('scales the same link by the risk of what changed', () => {
    const link = (id: string, filename: string): CandidateChange => ({
      id,
      files: [{ filename, patch: '@@ -1,1 +1,1 @@\n-retryBudgetPerMinute: 50\n+retryBudgetPerMinute: 0' }],
    });
    const matches = matchChanges({ messages: ['retryBudgetPerMinute exhausted'] }, [
      link('docs', 'docs/retries.md'),
      link('source', 'src/retry.ts'),
      link('config', 'config/retry.yaml'),
      {
        id: 'other',
        files: [{ filename: 'src/search.ts', patch: '@@ -1,1 +1,1 @@\n-limit(10)\n+limit(20)' }],
      },
    ]);
    expect(matches.map((m) => [m.id, m.risk.level])).toEqual([
      ['config', 'high'],
      ['source', 'neutral'],
      ['docs', 'low'],
      ['other', 'neutral'],
    ]);
    expect(matches[0]!.score).toBeGreaterThan(matches[1]!.score);
    expect(matches[1]!.score).toBeGreaterThan(matches[2]!.score);
  });
});

describe('Reasons are shown to people: secrets in changed lines stay out of them', () => {
  it('never quotes the value of a secret-named setting in a reason', () => {
    const rotate = oneFile(
      'rotate',
      'deploy/payments.env',
      '@@ -1,1 +1,1 @@\n-STRIPE_API_KEY=sk_live_51Hx9\n+STRIPE_API_KEY=sk_live_77Qp2',
    );
    const [m] = matchChanges({ messages: ['stripe auth failed: STRIPE_API_KEY rejected'] }, [rotate]);
    expect(m!.reasons[0]).toBe(
      'identifier STRIPE_API_KEY appears in removed line "STRIPE_API_KEY=[redacted]" of deploy/payments.env',
    );
    expect(m!.reasons.join(' ')).not.toContain('sk_live');
  });
});

describe('Matching means something: bad input degrades only what it touches', () => {
  it('skips values that are not text, files without patches and oversized patches, and still ranks', () => {
    const huge: CandidateChange = {
      id: 'huge',
      files: [
        {
          filename: 'src/reports.ts',
          patch: `@@ -1,1 +1,200000 @@\n${'+x\n'.repeat(200_000)}+bigTableScan()`,
        },
      ],
    };
    const noPatch: CandidateChange = { id: 'bare', files: [{ filename: 'src/payments/discount.ts' }] };
    const evidence = {
      messages: [42 as unknown as string, 'bigTableScan timed out'],
      stacks: [null as unknown as string, NODE_STACK],
      attributes: [{ nested: { deep: true }, 'error.kind': 'TypeError' }],
    };
    const matches = matchChanges(evidence, [huge, noPatch]);
    expect(matches.map((m) => m.id)).toEqual(['bare', 'huge']);
    // The identifier sits past the patch budget: not read, so no credit.
    expect(byId(matches).huge!.score).toBe(0);
    expect(matchChanges({}, [])).toEqual([]);
    expect(matchChanges({}, undefined as unknown as CandidateChange[])).toEqual([]);
    const [alone] = matchChanges(null as unknown as ErrorEvidence, [oneFile('x', 'src/x.ts')], {
      services: 'x' as unknown as string[],
    });
    expect(alone!.reasons[0]).toBe(
      'no stack frame, file, identifier or rare word of the errors appears in the change',
    );
    const broken = [
      { id: 'no-files' } as unknown as CandidateChange,
      {
        id: 'odd-files',
        files: [null, { patch: '+x' }, { filename: 'src/payments/discount.ts' }],
      } as unknown as CandidateChange,
    ];
    const ranked = matchChanges(
      { stacks: [NODE_STACK], messages: 'not a list' as unknown as string[] },
      broken,
      {
        baseline: [7 as unknown as string],
      },
    );
    expect(ranked.map((m) => [m.id, m.parts.frames])).toEqual([
      ['odd-files', CHANGE_MATCH_DEFAULTS.throwingFrameWeight],
      ['no-files', 0],
    ]);
  });
});
