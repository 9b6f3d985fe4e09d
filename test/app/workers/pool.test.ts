import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvestigationEvent } from '../../../agent/events';
import { investigate } from '../../../agent/investigate';
import { parseEnv } from '../../../app/config';
import { silentLogger } from '../../../app/logger';
import { createRuntime, type Runtime } from '../../../app/runtime';
import { InvestigationPool, type PoolOptions } from '../../../app/workers/pool';
import { RunInterrupted } from '../../../app/workers/run-interrupted';
import { workerRuntimeSpec } from '../../../app/workers/worker-runtime';
import { getInvestigation } from '../../../data/investigations';
import { DEMO } from '../../tools/helpers';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const onTheEventLoop: typeof investigate = async () => {
  throw new Error('ran on the event loop');
};

describe('the investigation pool', () => {
  let runtime: Runtime;
  let dbPath: string;
  beforeAll(async () => {
    dbPath = join(mkdtempSync(join(tmpdir(), 'pool-')), 'sre.db');
    runtime = await createRuntime({
      env: parseEnv({ SRE_DB_PATH: dbPath }),
      logger: silentLogger,
      scenarioDir: DEMO,
    });
  });
  afterAll(async () => {
    await runtime.close();
  });
  /** One worker over the demo runtime; runs that reach the event loop fail unless `inProcess` says otherwise. */
  const poolWith = (options: Partial<PoolOptions> = {}) =>
    new InvestigationPool({
      size: 1,
      spec: workerRuntimeSpec(runtime),
      logger: silentLogger,
      inProcess: onTheEventLoop,
      ...options,
    });

  it('runs an investigation in a worker thread: the answer the event loop gives, its events relayed, its steps in the shared database', {
    timeout: 120_000,
  }, async () => {
    const pool = poolWith();
    try {
      expect(await pool.start()).toBe(1);
      const events: InvestigationEvent[] = [];
      const alert = runtime.alertFromScenario!;
      const result = await pool.investigate({
        alert,
        runtime,
        id: 'inv_in_a_worker',
        onEvent: (e) => events.push(e),
      });
      const here = await investigate({ alert, runtime });

      expect(result.id).toBe('inv_in_a_worker');
      expect(result.summary.headline).toBe(here.summary.headline);
      expect(result.summary.suspects.map((s) => s.ref)).toEqual(here.summary.suspects.map((s) => s.ref));
      // Progress as the Slack thread shows it, the chart data left in the worker, the summary last.
      expect(events.some((e) => e.type === 'thought')).toBe(true);
      const finished = events.filter((e) => e.type === 'tool_finished');
      expect(finished.length).toBe(result.usage.toolCalls);
      expect(finished.every((e) => !('data' in e))).toBe(true);
      expect(events.at(-1)).toEqual({ type: 'summary', result });
      // The worker wrote through its own connection to the same file.
      expect(getInvestigation(runtime.db, 'inv_in_a_worker')?.status).toBe('completed');
    } finally {
      await pool.close();
    }
  });

  it('a worker that dies rejects its run with RunInterrupted; the next run gets a new worker', {
    timeout: 120_000,
  }, async () => {
    writeFileSync(`${dbPath}.deaths`, '1');
    const pool = poolWith({ entry: fixture('dying-worker.mjs') });
    try {
      await pool.start();
      const alert = runtime.alertFromScenario!;
      const died = await pool.investigate({ alert, runtime }).catch((err: unknown) => err);
      expect(died).toBeInstanceOf(RunInterrupted);
      expect((died as Error).message).toMatch(/exit code 7/);
      const result = await pool.investigate({ alert, runtime });
      expect(result.status).toBe('completed');
      expect(pool.size).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('when no worker can start, investigates on the event loop', { timeout: 60_000 }, async () => {
    const ran: string[] = [];
    const pool = poolWith({
      inProcess: async (o) => {
        ran.push(o.alert.id);
        return investigate(o);
      },
      entry: fixture('broken-worker.mjs'),
    });
    try {
      expect(await pool.start()).toBe(0);
      const alert = runtime.alertFromScenario!;
      const result = await pool.investigate({ alert, runtime });
      expect(result.status).toBe('completed');
      expect(ran).toEqual([alert.id]);
    } finally {
      await pool.close();
    }
  });

  it('a run still going at close ends as interrupted, even when its result arrives during the shutdown', {
    timeout: 60_000,
  }, async () => {
    const pool = poolWith({ entry: fixture('finishes-at-close-worker.mjs') });
    await pool.start();
    const cut = pool.investigate({ alert: runtime.alertFromScenario!, runtime }).catch((err: unknown) => err);
    // Once the run is posted (its worker is ready, so that takes only promise callbacks), close:
    // the worker hears the run before the close, as a port delivers in order.
    await new Promise((r) => setImmediate(r));
    await pool.close();
    expect(await cut).toBeInstanceOf(RunInterrupted);
  });

  it('after close, a run is refused as interrupted, for the job to stay queued', {
    timeout: 60_000,
  }, async () => {
    const pool = poolWith({ entry: fixture('broken-worker.mjs') });
    await pool.close();
    await expect(pool.investigate({ alert: runtime.alertFromScenario!, runtime })).rejects.toBeInstanceOf(
      RunInterrupted,
    );
  });
});
