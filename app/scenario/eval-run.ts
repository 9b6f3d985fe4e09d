import { join } from 'node:path';
import type { Logger } from 'pino';
import { investigate } from '../../agent/investigate';
import type { Env } from '../config';
import { createRuntime } from '../runtime';
import { failedScore, type ScenarioScore, scoreScenario } from './eval-score';
import { loadScenario } from './sandbox';

/**
 * Investigates each scenario folder that has a truth and scores it. A world that cannot be
 * investigated (its alert is not understood, a file is broken) becomes a failed row naming
 * why; it never stops the rest of the run.
 */
export async function evaluateScenarioDirs(
  dirs: readonly string[],
  options: {
    env: Env;
    logger: Logger;
    /** The DB for a world (default: the configured DB's per-scenario file). */
    dbPathFor?: (scenarioId: string) => string | undefined;
    onRow?: (row: ScenarioScore) => void;
  },
): Promise<ScenarioScore[]> {
  const rows: ScenarioScore[] = [];
  for (const dir of dirs) {
    let truth: ReturnType<typeof loadScenario>['truth'];
    let id = dir;
    try {
      const scenario = loadScenario(dir);
      truth = scenario.truth;
      id = scenario.manifest.id;
    } catch (err) {
      options.logger.warn({ dir, err: String(err) }, 'scenario skipped: it does not load');
      continue;
    }
    if (!truth) continue;
    let row: ScenarioScore;
    try {
      const runtime = await createRuntime({
        env: options.env,
        logger: options.logger,
        scenarioDir: dir,
        dbPath: options.dbPathFor?.(id),
      });
      try {
        const result = await investigate({ alert: runtime.alertFromScenario!, runtime });
        row = scoreScenario(id, result, truth);
      } finally {
        await runtime.close();
      }
    } catch (err) {
      row = failedScore(id, truth, err instanceof Error ? err.message : String(err));
    }
    rows.push(row);
    options.onRow?.(row);
  }
  return rows;
}

/** Scenario ids become file names: keep them to safe characters. */
export function evalDbPath(root: string, scenarioId: string): string {
  return join(root, `${scenarioId.replace(/[^\w.-]/g, '_')}.db`);
}
