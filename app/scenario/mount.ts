import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Alert } from '../../agent/alert';
import { type Db, openDatabase } from '../../data/db';
import type { Embedder } from '../../data/knowledge-store';
import type { ServiceCatalog } from '../../tools/contract';
import type { DataSources } from '../../tools/sources';
import { type Env, secretValues } from '../config';
import { alertFromScenario } from './alert';
import { indexScenario } from './knowledge';
import { type Sandbox, sandboxDataSources, startSandbox } from './sandbox';

/** A scenario world a runtime runs on: its sandbox, the database indexed with its knowledge, its alert and clock. */
export type MountedScenario = {
  db: Db;
  /** Every data-source client pointed at the sandbox. */
  sources: DataSources;
  catalog: ServiceCatalog;
  now(): Date;
  sandbox: Sandbox;
  alert: Alert;
  /** Closes the database and stops the sandbox. */
  close(): Promise<void>;
};

/** A scenario's own DB file next to the configured one, so worlds never mix. */
export function scenarioDbPath(dbPath: string, scenarioId: string): string {
  if (dbPath === ':memory:') return dbPath;
  return join(resolve(dbPath, '..'), 'scenarios', `${scenarioId}.db`);
}

/**
 * The database a scenario runs on. A SRE_DB_PATH that was set is used as given, so `report`,
 * `show` and `learn export` read what `npm start` stored; only the default gives way to the
 * scenario's own file.
 */
export function scenarioDatabase(env: Pick<Env, 'SRE_DB_PATH' | 'dbPathSet'>, scenarioId: string): string {
  return env.dbPathSet ? env.SRE_DB_PATH : scenarioDbPath(env.SRE_DB_PATH, scenarioId);
}

/**
 * Scenario mode (`--scenario`, SRE_SCENARIO) in one place: serves the world in `dir` from the
 * in-process sandbox, opens its database and indexes its docs, incidents and Slack on first use
 * (later runs change nothing), and reads its alert. A world whose alert cannot be read leaves
 * no sandbox listening and no database open.
 */
export async function mountScenario(
  dir: string,
  options: { env: Env; logger: Logger; embedder: Embedder; dbPath?: string },
): Promise<MountedScenario> {
  const { env, logger } = options;
  const sandbox = await startSandbox(dir);
  const { scenario } = sandbox;
  for (const p of scenario.broken)
    logger.warn(
      { scenario: scenario.manifest.id, ...p },
      'scenario file is broken: its source answers an error',
    );
  for (const p of scenario.warnings)
    logger.warn({ scenario: scenario.manifest.id, ...p }, 'scenario page read leniently');
  let db: Db | undefined;
  let alert: Alert;
  try {
    const dbPath = options.dbPath ?? scenarioDatabase(env, scenario.manifest.id);
    if (!options.dbPath && env.dbPathSet)
      logger.warn(
        { dbPath, scenario: scenario.manifest.id },
        "scenario uses SRE_DB_PATH as set: its runbooks, incidents and Slack threads replace that database's",
      );
    db = openDatabase(dbPath);
    await indexScenario(
      db,
      scenario,
      options.embedder,
      new Date(scenario.manifest.now),
      sandbox.url,
      secretValues(env),
    );
    alert = alertFromScenario(scenario);
  } catch (err) {
    db?.close();
    await sandbox.close();
    throw err;
  }
  const opened = db;
  return {
    db: opened,
    sources: sandboxDataSources(sandbox.url, { kubernetes: scenario.k8s !== undefined }),
    catalog: scenario.manifest.catalog,
    now: () => new Date(scenario.manifest.now),
    sandbox,
    alert,
    close: async () => {
      opened.close();
      await sandbox.close();
    },
  };
}
