import { describe, expect, it } from 'vitest';
import { STACK_DEFAULTS } from '../../../tools/analysis/defaults';
import { normalizePath, parseStackFrames, type StackFrame } from '../../../tools/analysis/stack-frames';

// Traces rebuilt from each runtime's documented print format: Node's Error.stack (V8 stack trace
// API), Java's Throwable.printStackTrace (with Logback's jar suffix), Python's traceback module,
// Go's runtime panic output, Ruby's backtrace (3.4 quotes `'Class#method'`, older `` `method' ``),
// and .NET's Exception.ToString (inner exceptions first, "--- End of inner exception stack trace ---").

const throwing = (frames: readonly StackFrame[]) => frames.filter((f) => f.isThrowing);
const brief = (f: StackFrame | undefined) => f && `${f.file}:${f.line} ${f.fn ?? ''}`.trim();

describe('Matching means something: stack frames are parsed from every runtime, the throwing frame marked', () => {
  it('Node: frames in order, node_modules and node: internals are vendor, the first app frame throws', () => {
    const stack = [
      "TypeError: Cannot read properties of undefined (reading 'rate')",
      '    at Object.get (/app/node_modules/lodash/get.js:11:30)',
      '    at applyDiscount (/app/src/payments/discount.ts:42:31)',
      '    at async chargeCard (file:///app/src/payments/charge.ts:88:5)',
      '    at /app/src/server.ts:17:9',
      '    at Array.map (<anonymous>)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ].join('\n');
    const frames = parseStackFrames(stack);
    expect(frames.map(brief)).toEqual([
      '/app/node_modules/lodash/get.js:11 Object.get',
      '/app/src/payments/discount.ts:42 applyDiscount',
      '/app/src/payments/charge.ts:88 chargeCard',
      '/app/src/server.ts:17',
      'node:internal/process/task_queues:95 process.processTicksAndRejections',
    ]);
    expect(frames.map((f) => f.isVendor)).toEqual([true, false, false, false, true]);
    expect(throwing(frames).map(brief)).toEqual(['/app/src/payments/discount.ts:42 applyDiscount']);
    expect(frames.every((f) => f.language === 'javascript')).toBe(true);
  });

  it('Java: package paths from class names, the JDK and frameworks are vendor, the root cause (last Caused by) throws', () => {
    const stack = [
      'org.springframework.dao.DataAccessResourceFailureException: could not acquire connection',
      '\tat org.springframework.orm.jpa.EntityManagerFactoryUtils.convert(EntityManagerFactoryUtils.java:251) ~[spring-orm-6.1.2.jar:6.1.2]',
      '\tat com.acme.orders.OrderRepository.save(OrderRepository.java:57) ~[app.jar:1.4.2]',
      '\tat com.acme.orders.OrderService.place(OrderService.java:31) ~[app.jar:1.4.2]',
      '\tat java.base/java.lang.Thread.run(Thread.java:1583)',
      'Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available',
      '\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)',
      '\tat com.acme.orders.db.PoolConfig$Holder.lambda$get$0(PoolConfig.java:22)',
      '\tat com.acme.orders.OrderRepository.save(OrderRepository.java:55)',
      '\t... 3 more',
    ].join('\n');
    const frames = parseStackFrames(stack);
    expect(frames).toHaveLength(7);
    expect(frames[1]).toMatchObject({
      file: 'com/acme/orders/OrderRepository.java',
      line: 57,
      fn: 'com.acme.orders.OrderRepository.save',
      language: 'java',
      isVendor: false,
      isThrowing: false,
    });
    expect(frames[3]).toMatchObject({ file: 'java/lang/Thread.java', isVendor: true });
    expect(throwing(frames).map(brief)).toEqual([
      'com/acme/orders/db/PoolConfig.java:22 com.acme.orders.db.PoolConfig$Holder.lambda$get$0',
    ]);
  });

  it('Java: a root cause with only library frames is thrown from the nearest enclosing application frame', () => {
    const stack = [
      'com.acme.pay.GatewayException: charge failed',
      '\tat com.acme.pay.StripeClient.charge(StripeClient.java:120)',
      '\tat com.acme.pay.ChargeService.run(ChargeService.java:40)',
      'Caused by: java.net.SocketTimeoutException: Read timed out',
      '\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)',
      '\tat okhttp3.internal.http1.Http1ExchangeCodec.readResponseHeaders(Http1ExchangeCodec.kt:199)',
      '\t... 2 more',
    ].join('\n');
    expect(throwing(parseStackFrames(stack)).map(brief)).toEqual([
      'com/acme/pay/StripeClient.java:120 com.acme.pay.StripeClient.charge',
    ]);
  });

  it('Python: the innermost frame is printed last; site-packages and the standard library are vendor', () => {
    const stack = [
      'Traceback (most recent call last):',
      '  File "/app/.venv/lib/python3.12/site-packages/flask/app.py", line 1473, in wsgi_app',
      '    response = self.full_dispatch_request()',
      '  File "/app/billing/api.py", line 51, in create_invoice',
      '    total = compute_total(order)',
      '  File "/app/billing/totals.py", line 18, in compute_total',
      '    return sum(line.amount for line in order.lines) * TAX_RATE',
      '           ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~^~~~~~~~~~',
      '  File "/usr/lib/python3.12/decimal.py", line 40, in __mul__',
      "TypeError: unsupported operand type(s) for *: 'decimal.Decimal' and 'float'",
    ].join('\n');
    const frames = parseStackFrames(stack);
    expect(frames.map((f) => [f.file, f.line, f.fn, f.isVendor])).toEqual([
      ['/app/.venv/lib/python3.12/site-packages/flask/app.py', 1473, 'wsgi_app', true],
      ['/app/billing/api.py', 51, 'create_invoice', false],
      ['/app/billing/totals.py', 18, 'compute_total', false],
      ['/usr/lib/python3.12/decimal.py', 40, '__mul__', true],
    ]);
    expect(throwing(frames).map(brief)).toEqual(['/app/billing/totals.py:18 compute_total']);
  });

  it('Python: of chained tracebacks, the first (the original error) holds the throwing frame', () => {
    const stack = [
      'Traceback (most recent call last):',
      '  File "/app/inventory/reserve.py", line 33, in reserve',
      '    stock = STOCK[sku]',
      "KeyError: 'sku_missing'",
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "/app/inventory/handlers.py", line 12, in handle',
      '    raise ReservationError(sku) from None',
      'inventory.errors.ReservationError: sku_missing',
    ].join('\n');
    expect(throwing(parseStackFrames(stack)).map(brief)).toEqual(['/app/inventory/reserve.py:33 reserve']);
  });

  it('Go: function and file lines pair up, the runtime is vendor, only the panicking goroutine counts', () => {
    const stack = [
      'panic: runtime error: invalid memory address or nil pointer dereference',
      '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b3d2a]',
      '',
      'goroutine 41 [running]:',
      'panic({0x7a2b80?, 0xc0000a2030?})',
      '\t/usr/local/go/src/runtime/panic.go:770 +0x132',
      'github.com/acme/ledger/internal/store.(*Pool).Get(0x0, {0x8c1e20, 0xc0001b2000})',
      '\t/src/ledger/internal/store/pool.go:64 +0x1d',
      'github.com/acme/ledger/internal/api.(*Server).postEntry(0xc0001a4000, {0x8c3f40, 0xc0002a61c0}, 0xc0001d6000)',
      '\t/src/ledger/internal/api/entries.go:112 +0x8f',
      'created by net/http.(*Server).Serve in goroutine 1',
      '\t/usr/local/go/src/net/http/server.go:3285 +0x4b4',
      '',
      'goroutine 1 [IO wait]:',
      'main.main()',
      '\t/src/ledger/cmd/ledger/main.go:40 +0x2a5',
    ].join('\n');
    const frames = parseStackFrames(stack);
    expect(frames.map((f) => [f.file, f.line, f.fn, f.isVendor])).toEqual([
      ['/usr/local/go/src/runtime/panic.go', 770, 'panic', true],
      ['/src/ledger/internal/store/pool.go', 64, 'github.com/acme/ledger/internal/store.(*Pool).Get', false],
      [
        '/src/ledger/internal/api/entries.go',
        112,
        'github.com/acme/ledger/internal/api.(*Server).postEntry',
        false,
      ],
      ['/usr/local/go/src/net/http/server.go', 3285, 'net/http.(*Server).Serve', true],
    ]);
    expect(throwing(frames).map((f) => f.file)).toEqual(['/src/ledger/internal/store/pool.go']);
  });

  it('Ruby: both quote styles, `from` continuation lines, gems are vendor', () => {
    const stack = [
      "/app/app/models/order.rb:42:in 'Order#apply_coupon!': undefined method 'percent' for nil (NoMethodError)",
      "\tfrom /usr/local/bundle/gems/activesupport-7.1.3/lib/active_support/callbacks.rb:121:in 'block in run_callbacks'",
      "\tfrom /app/app/controllers/checkouts_controller.rb:18:in `create'",
    ].join('\n');
    const frames = parseStackFrames(stack);
    expect(frames.map((f) => [f.file, f.line, f.fn, f.isVendor])).toEqual([
      ['/app/app/models/order.rb', 42, 'Order#apply_coupon!', false],
      [
        '/usr/local/bundle/gems/activesupport-7.1.3/lib/active_support/callbacks.rb',
        121,
        'block in run_callbacks',
        true,
      ],
      ['/app/app/controllers/checkouts_controller.rb', 18, 'create', false],
    ]);
    expect(throwing(frames).map((f) => f.file)).toEqual(['/app/app/models/order.rb']);
  });

  it('.NET: `in path:line N`, Windows paths, the inner exception (printed first) throws, System.* is vendor', () => {
    const stack = [
      'System.InvalidOperationException: Payment could not be captured',
      ' ---> System.NullReferenceException: Object reference not set to an instance of an object.',
      '   at System.Collections.Generic.Dictionary`2.FindValue(TKey key)',
      '   at Acme.Payments.FeeTable.Lookup(String region) in C:\\build\\src\\Payments\\FeeTable.cs:line 27',
      '   at Acme.Payments.CaptureService.<CaptureAsync>d__4.MoveNext() in C:\\build\\src\\Payments\\CaptureService.cs:line 61',
      '   --- End of inner exception stack trace ---',
      '   at Acme.Payments.CaptureController.Post(CaptureRequest request) in /src/Payments/CaptureController.cs:line 19',
    ].join('\n');
    const frames = parseStackFrames(stack);
    expect(frames.map((f) => [f.file, f.line, f.fn, f.language])).toEqual([
      ['C:/build/src/Payments/FeeTable.cs', 27, 'Acme.Payments.FeeTable.Lookup', 'dotnet'],
      [
        'C:/build/src/Payments/CaptureService.cs',
        61,
        'Acme.Payments.CaptureService.<CaptureAsync>d__4.MoveNext',
        'dotnet',
      ],
      ['/src/Payments/CaptureController.cs', 19, 'Acme.Payments.CaptureController.Post', 'dotnet'],
    ]);
    expect(throwing(frames).map((f) => f.file)).toEqual(['C:/build/src/Payments/FeeTable.cs']);
  });

  it('marks no throwing frame when every frame is library code', () => {
    const frames = parseStackFrames(
      'Error: socket hang up\n    at connResetException (node:internal/errors:720:14)\n    at TLSSocket.socketOnEnd (node:_http_client:525:23)',
    );
    expect(frames).toHaveLength(2);
    expect(throwing(frames)).toEqual([]);
  });
});

describe('Matching means something: stack parsing survives hostile input', () => {
  it('returns no frames for text that is not a stack, or not text', () => {
    expect(parseStackFrames('card declined for order 42')).toEqual([]);
    expect(parseStackFrames(undefined)).toEqual([]);
    expect(parseStackFrames({ stack: 'at x (/a.js:1:1)' })).toEqual([]);
  });

  it('keeps at most maxFrames frames of a runaway recursion and reads only maxChars of text', () => {
    const recursion = Array.from({ length: 5_000 }, (_, i) => `    at walk (/app/src/tree.ts:${i + 1}:3)`);
    const frames = parseStackFrames(`RangeError: Maximum call stack size exceeded\n${recursion.join('\n')}`);
    expect(frames).toHaveLength(STACK_DEFAULTS.maxFrames);
    expect(frames[0]).toMatchObject({ line: 1, isThrowing: true });

    const beyond = `${'x'.repeat(STACK_DEFAULTS.maxChars)}\n    at late (/app/src/late.ts:1:1)`;
    expect(parseStackFrames(beyond)).toEqual([]);
  });

  it('skips overlong lines and degenerate frame look-alikes without misreading them', () => {
    const hostile = [
      `    at ${'('.repeat(900)}`,
      `    at ${'a:1'.repeat(300)}`,
      `  File "${'"'.repeat(500)}", line 1, in f`,
      `${':'.repeat(2_000)}:1:in 'x'`,
      '    at fn (/app/src/ok.ts:7:1)',
    ].join('\n');
    const frames = parseStackFrames(hostile);
    expect(frames.at(-1)).toMatchObject({ file: '/app/src/ok.ts', line: 7, isThrowing: true });
    expect(frames.every((f) => f.line === undefined || Number.isSafeInteger(f.line))).toBe(true);
  });

  it('normalizes printed locations to plain paths', () => {
    expect(normalizePath('file:///app/src/x.mjs')).toBe('/app/src/x.mjs');
    expect(normalizePath('webpack:///./src/cart.ts')).toBe('src/cart.ts');
    expect(normalizePath('C:\\src\\Foo.cs')).toBe('C:/src/Foo.cs');
  });
});
