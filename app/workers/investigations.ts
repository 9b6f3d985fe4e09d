import type { investigate as investigateFn } from '../../agent/investigate';
import type { Runtime } from '../runtime';
import { InvestigationPool } from './pool';
import { workerRuntimeSpec } from './worker-runtime';

type Investigate = typeof investigateFn;

export type Investigations = {
  investigate: Investigate;
  /** Worker threads asked for; 0: investigations run on the event loop. */
  workers: number;
  /** Resolves with how many workers became ready (a run waits for one anyway). */
  ready: Promise<number>;
  close(): Promise<void>;
};

/**
 * How the Slack app investigates: in `workers` worker threads, off Bolt's event loop, or (0, or
 * a database in memory that no other thread can open) with `inProcess` on the event loop. The
 * workers start in the background, so the app answers at once; when none can start, the pool
 * runs investigations on the event loop and logs why.
 */
export function startInvestigations(
  runtime: Runtime,
  options: { workers: number; inProcess: Investigate; entry?: URL },
): Investigations {
  if (options.workers === 0 || runtime.db.memory)
    return { investigate: options.inProcess, workers: 0, ready: Promise.resolve(0), close: async () => {} };
  const pool = new InvestigationPool({
    size: options.workers,
    spec: workerRuntimeSpec(runtime),
    logger: runtime.logger,
    inProcess: options.inProcess,
    entry: options.entry,
  });
  const ready = pool.start();
  void ready.then((n) => runtime.logger.info({ ready: n, of: options.workers }, 'investigation workers'));
  return { investigate: pool.investigate, workers: options.workers, ready, close: () => pool.close() };
}
