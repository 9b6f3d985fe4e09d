/** A bounded FIFO: at most `concurrency` jobs run; the rest wait in order. Exposes depth for /healthz. */
export class WorkQueue {
  private running = 0;
  private waiting: (() => void)[] = [];
  private accepting = true;
  private idleWaiters: (() => void)[] = [];
  private freeListeners: (() => void)[] = [];
  started = 0;
  finished = 0;
  /** Recent run and wait times (ms), newest last: timings for /healthz. */
  private runMs: number[] = [];
  private waitMs: number[] = [];

  constructor(private readonly concurrency: number) {}

  get depth(): number {
    return this.waiting.length;
  }
  get active(): number {
    return this.running;
  }

  /** Whether a new job would have to wait. */
  get saturated(): boolean {
    return this.running >= this.concurrency;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (!this.accepting) throw new Error('shutting down: not taking new work');
    const queuedAt = Date.now();
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    this.started += 1;
    const startedAt = Date.now();
    this.remember(this.waitMs, startedAt - queuedAt);
    try {
      return await job();
    } finally {
      this.remember(this.runMs, Date.now() - startedAt);
      this.running -= 1;
      this.finished += 1;
      this.waiting.shift()?.();
      for (const l of this.freeListeners) l();
      if (this.running === 0 && this.waiting.length === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** Called whenever a job ends: the durable job runner takes the freed slot. */
  onFree(listener: () => void): void {
    this.freeListeners.push(listener);
  }

  private remember(list: number[], ms: number): void {
    list.push(ms);
    if (list.length > 200) list.shift();
  }

  /** Queue depth and recent timings, as /healthz shows them. */
  stats() {
    const p95 = (xs: number[]) =>
      xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] : 0;
    return {
      queueDepth: this.depth,
      running: this.running,
      started: this.started,
      finished: this.finished,
      runP95Ms: p95(this.runMs),
      waitP95Ms: p95(this.waitMs),
    };
  }

  /** Stops taking work and resolves when running jobs finish (or the grace period ends). */
  async drain(graceMs: number): Promise<boolean> {
    this.accepting = false;
    if (this.running === 0 && this.waiting.length === 0) return true;
    return Promise.race([
      new Promise<boolean>((r) => this.idleWaiters.push(() => r(true))),
      new Promise<boolean>((r) => setTimeout(() => r(false), graceMs).unref()),
    ]);
  }
}
