import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { EventListener } from '../../agent/events';
import type { investigate as investigateFn } from '../../agent/investigate';
import type { InvestigationResult } from '../../agent/result';
import type { FromWorker, RunRequest, ToWorker } from './protocol';
import { RunInterrupted } from './run-interrupted';
import type { WorkerRuntimeSpec } from './worker-runtime';

type Investigate = typeof investigateFn;

export type PoolOptions = {
  size: number;
  spec: WorkerRuntimeSpec;
  logger: Logger;
  /** Runs an investigation on this thread: used while no worker can be started at all. */
  inProcess: Investigate;
  /** The worker script; tests give one that dies. */
  entry?: URL;
  /** How long a closing worker may take to close its database before it is terminated. */
  closeGraceMs?: number;
};

type Pending = {
  onEvent?: EventListener;
  resolve(result: InvestigationResult): void;
  reject(err: Error): void;
};

type Slot = { worker: Worker; ready: Promise<boolean>; runs: Map<number, Pending> };

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);
/** Workers in a row that died before they were ready: past this, no more are started. */
const MAX_FAILED_STARTS = 3;

/**
 * A fixed number of investigation worker threads. `investigate` has the in-process function's
 * shape: the run goes to the least busy worker, its events come back to `onEvent` on this
 * thread, and it resolves with the result. A worker that dies rejects its runs with
 * RunInterrupted (the job runner runs them again) and is replaced; when no worker can start at
 * all, runs fall back to this thread, so a broken worker set-up slows the bot down but never
 * stops it.
 */
export class InvestigationPool {
  private slots: Slot[] = [];
  private nextRunId = 1;
  private closing = false;
  private failedStarts = 0;

  constructor(private readonly options: PoolOptions) {}

  /** Starts the workers; resolves with how many became ready. */
  async start(): Promise<number> {
    for (let i = 0; i < this.options.size; i++) this.spawn();
    const ready = await Promise.all(this.slots.map((s) => s.ready));
    return ready.filter(Boolean).length;
  }

  /** The workers alive now (each may run several investigations). */
  get size(): number {
    return this.slots.length;
  }

  readonly investigate: Investigate = async (options) => {
    if (this.closing) throw new RunInterrupted('shutting down: investigation workers are closed');
    const slot = await this.readySlot();
    if (this.closing) throw new RunInterrupted('shutting down: investigation workers are closed');
    if (!slot) return this.options.inProcess(options);
    const { alert, channelId, threadTs, id, followUp, onEvent, signal } = options;
    const request: RunRequest = { alert, channelId, threadTs, id, followUp };
    const runId = this.nextRunId++;
    return new Promise<InvestigationResult>((resolve, reject) => {
      slot.runs.set(runId, { onEvent, resolve, reject });
      signal?.addEventListener('abort', () => this.post(slot, { type: 'abort', runId }), { once: true });
      this.post(slot, { type: 'run', runId, request });
    });
  };

  /** The least busy worker that started; undefined when none can (the caller runs in-process). */
  private async readySlot(): Promise<Slot | undefined> {
    while (this.slots.length < this.options.size && this.failedStarts < MAX_FAILED_STARTS) this.spawn();
    const byLoad = [...this.slots].sort((a, b) => a.runs.size - b.runs.size);
    for (const slot of byLoad) if (await slot.ready) return slot;
    return undefined;
  }

  private post(slot: Slot, message: ToWorker): void {
    slot.worker.postMessage(message);
  }

  private spawn(): void {
    const { logger } = this.options;
    // Workers get no execArgv of ours: the bootstrap registers the TypeScript loader itself.
    const worker = new Worker(this.options.entry ?? BOOTSTRAP, {
      workerData: this.options.spec,
      execArgv: [],
    });
    let started = false;
    let markReady: (ok: boolean) => void = () => {};
    const slot: Slot = { worker, runs: new Map(), ready: new Promise((r) => (markReady = r)) };
    this.slots.push(slot);
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        started = true;
        this.failedStarts = 0;
        return markReady(true);
      }
      const pending = slot.runs.get(message.runId);
      if (!pending) return;
      if (message.type === 'event') return pending.onEvent?.(message.event);
      slot.runs.delete(message.runId);
      if (message.type === 'done') {
        pending.onEvent?.({ type: 'summary', result: message.result });
        pending.resolve(message.result);
      } else pending.reject(new Error(message.message));
    });
    worker.on('error', (err) => logger.error({ err }, 'investigation worker failed'));
    worker.on('exit', (code) => {
      markReady(false);
      if (!started && ++this.failedStarts === MAX_FAILED_STARTS)
        logger.error('investigation workers cannot start: investigations run on the event loop');
      this.slots = this.slots.filter((s) => s !== slot);
      if (!this.closing) logger.warn({ code, runs: slot.runs.size }, 'investigation worker stopped');
      for (const pending of slot.runs.values())
        pending.reject(new RunInterrupted(`the investigation worker stopped (exit code ${code})`));
      slot.runs.clear();
    });
  }

  /**
   * Stops every worker: each closes its database. Runs still going are rejected with RunInterrupted
   * at once, so no result that arrives during shutdown lands in a thread whose job was already
   * handed back to the database for the next process.
   */
  async close(): Promise<void> {
    this.closing = true;
    for (const slot of this.slots) {
      for (const pending of slot.runs.values()) pending.reject(new RunInterrupted('shutting down'));
      slot.runs.clear();
    }
    const grace = this.options.closeGraceMs ?? 5_000;
    await Promise.all(
      this.slots.map(async ({ worker }) => {
        const exited = new Promise<void>((r) => worker.once('exit', () => r()));
        worker.postMessage({ type: 'close' } satisfies ToWorker);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), grace)));
        if ((await Promise.race([exited, late])) === 'late') await worker.terminate();
        clearTimeout(timer);
      }),
    );
  }
}
