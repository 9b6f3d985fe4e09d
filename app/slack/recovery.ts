import type { Alert } from '../../agent/alert';
import { listInterruptedInvestigations, markResumed } from '../../data/investigations';
import type { SlackDeps } from './handlers';
import { investigateInThread } from './run-in-thread';

/**
 * After a crash (kill -9) or a shutdown that could not wait, runs left `running`/`interrupted`
 * are found at start-up: each thread is told, and each run is re-run once as a new investigation.
 * The old rows (steps, tool calls, feedback) are kept.
 */
export async function recoverInterrupted(deps: SlackDeps): Promise<number> {
  let resumed = 0;
  for (const inv of listInterruptedInvestigations(deps.runtime.db)) {
    if (!markResumed(deps.runtime.db, inv.id)) continue;
    if (!inv.channelId || !inv.threadTs) continue;
    resumed += 1;
    await deps.client.chat
      .postMessage({
        channel: inv.channelId,
        thread_ts: inv.threadTs,
        text: ':arrows_counterclockwise: I was restarted while investigating this; starting the investigation again.',
      })
      .catch((err) => deps.logger.warn({ err }, 'could not tell the thread about the restart'));
    void investigateInThread(deps, inv.alert as Alert, inv.channelId, inv.threadTs);
  }
  return resumed;
}
