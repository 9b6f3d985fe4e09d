import { parentPort, workerData } from 'node:worker_threads';
import { investigate } from '../../agent/investigate';
import type { FromWorker, ToWorker } from './protocol';
import { type WorkerRuntimeSpec, workerRuntime } from './worker-runtime';

/**
 * An investigation worker thread (started by pool.ts through worker-bootstrap.mjs): it builds
 * its runtime once, then runs what the main thread sends, several at a time, and sends back each
 * run's events and its result. It posts nothing to Slack and touches no job row.
 */
const port = parentPort;
if (!port) throw new Error('investigation-worker.ts runs only as a worker thread');
const send = (message: FromWorker) => port.postMessage(message);
const runtime = await workerRuntime(workerData as WorkerRuntimeSpec);
const running = new Map<number, AbortController>();

port.on('message', (message: ToWorker) => {
  if (message.type === 'abort') return running.get(message.runId)?.abort();
  if (message.type === 'close') {
    for (const controller of running.values()) controller.abort();
    void runtime.close().finally(() => process.exit(0));
    return;
  }
  const { runId, request } = message;
  const controller = new AbortController();
  running.set(runId, controller);
  investigate({
    ...request,
    runtime,
    signal: controller.signal,
    onEvent: (event) => {
      // The result travels once, with `done`; chart data stays here (see protocol.ts).
      if (event.type === 'summary') return;
      if (event.type === 'tool_finished') {
        const { data: _chart, ...lean } = event;
        return send({ type: 'event', runId, event: lean });
      }
      send({ type: 'event', runId, event });
    },
  })
    .then(
      (result) => send({ type: 'done', runId, result }),
      (err: unknown) =>
        send({ type: 'failed', runId, message: err instanceof Error ? err.message : String(err) }),
    )
    .finally(() => running.delete(runId));
});
send({ type: 'ready' });
