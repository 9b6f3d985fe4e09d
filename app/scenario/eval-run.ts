import { join } from 'node:path';
import type { Logger } from 'pino';
import { investigate } from '../../agent/investigate';
import type { Env } from '../config';
import { createRuntime } from '../runtime';
import { failedScore, type ScenarioScore, scoreScenario } from './eval-score';
import { loadScenario } from './sandbox';

/**
 * Who investigates each world: the configured planner (the model, when one is configured, else
 * the offline investigator), or the offline investigator whatever is configured.
 */
export type EvalPlanner = NonNullable<ScenarioScore['run']>;

/**
 * Investigates each scenario folder that has a truth and scores it, once per planner asked for
 * (default: the configured one), in one runtime per world. A world that cannot be investigated
 * (its alert is not understood, a file is broken) becomes a failed row naming why; it never
 * stops the rest of the run. Rows come world by world, in the order of `planners`.
 */
export async function evaluateScenarioDirs(
  dirs: readonly string[],
  options: {
    env: Env;
    logger: Logger;
    /** The DB for a world (default: the configured DB's per-scenario file). */
    dbPathFor?: (scenarioId: string) => string | undefined;
    onRow?: (row: ScenarioScore) => void;
    planners?: readonly EvalPlanner[];
  },
): Promise<ScenarioScore[]> {
  const planners = options.planners ?? ['configured'];
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
    const worldRows: ScenarioScore[] = [];
    const failed = (err: unknown, run: EvalPlanner): ScenarioScore => ({
      ...failedScore(id, truth, err instanceof Error ? err.message : String(err)),
      run,
    });
    try {
      const runtime = await createRuntime({
        env: options.env,
        logger: options.logger,
        scenarioDir: dir,
        dbPath: options.dbPathFor?.(id),
      });
      try {
        for (const p of planners) {
          const chosen = p === 'offline' ? { ...runtime, llm: undefined } : runtime;
          const row = await investigate({ alert: runtime.alertFromScenario!, runtime: chosen }).then(
            (result): ScenarioScore => ({ ...scoreScenario(id, result, truth), run: p }),
            (err) => failed(err, p),
          );
          worldRows.push(row);
          options.onRow?.(row);
        }
      } finally {
        await runtime.close();
      }
    } catch (err) {
      for (const p of planners.slice(worldRows.length)) {
        const row = failed(err, p);
        worldRows.push(row);
        options.onRow?.(row);
      }
    }
    rows.push(...worldRows);
  }
  return rows;
}

/** Scenario ids become file names: keep them to safe characters. */
export function evalDbPath(root: string, scenarioId: string): string {
  return join(root, `${scenarioId.replace(/[^\w.-]/g, '_')}.db`);
}
