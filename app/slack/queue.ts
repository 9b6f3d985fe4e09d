/** A bounded FIFO: at most `concurrency` jobs run; the rest wait in order. Exposes depth for /healthz. */
export class WorkQueue {
  private running = 0;
  private waiting: (() => void)[] = [];
  private accepting = true;
  private idleWaiters: (() => void)[] = [];
  started = 0;
  finished = 0;

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
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    this.started += 1;
    try {
      return await job();
    } finally {
      this.running -= 1;
      this.finished += 1;
      this.waiting.shift()?.();
      if (this.running === 0 && this.waiting.length === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
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
