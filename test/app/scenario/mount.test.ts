import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../app/config';
import { silentLogger } from '../../../app/logger';
import { createRuntime } from '../../../app/runtime';
import { mountScenario, scenarioDatabase } from '../../../app/scenario/mount';
import { listDocumentIds } from '../../../data/knowledge-store';
import { LocalEmbedder } from '../../../indexer/embed/local';
import { DEMO } from '../../tools/helpers';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '..', '..', '..');

async function sre(args: string[], env: Record<string, string>): Promise<string> {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'app/cli.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, NO_COLOR: '1', ...env },
    maxBuffer: 20 * 1024 * 1024,
  });
  return stdout;
}

const mountDemo = (dir = DEMO) =>
  mountScenario(dir, {
    env: parseEnv({}),
    logger: silentLogger,
    embedder: new LocalEmbedder(64),
    dbPath: ':memory:',
  });

describe('mountScenario', () => {
  it("serves the world: every client points at its sandbox, its docs are indexed, the alert and clock are the world's", async () => {
    const world = await mountDemo();
    try {
      const { manifest } = world.sandbox.scenario;
      expect(world.sources.datadog?.baseUrl).toBe(world.sandbox.url);
      expect(world.sources.github?.baseUrl).toBe(world.sandbox.url);
      expect(world.sources.rootly?.baseUrl).toBe(world.sandbox.url);
      expect(world.sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(world.now().toISOString()).toBe(new Date(manifest.now).toISOString());
      expect(world.catalog).toEqual(manifest.catalog);
      expect(world.alert).toMatchObject({
        source: 'datadog-slack',
        service: 'checkout',
        status: 'triggered',
      });
      expect(listDocumentIds(world.db, 'runbook').sort()).toEqual(
        world.sandbox.scenario.docs.map((d) => d.id).sort(),
      );
    } finally {
      await world.close();
    }
    await expect(fetch(`${world.sandbox.url}/api/v1/validate`)).rejects.toThrow();
  });

  it('refuses a world whose alert is not a DataDog notification, naming its file', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'scenario-mount-')), 'world');
    cpSync(DEMO, dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8'));
    manifest.alert = { slackMessage: { type: 'message', text: 'lunch is here' } };
    writeFileSync(join(dir, 'scenario.json'), JSON.stringify(manifest));
    await expect(mountDemo(dir)).rejects.toThrow(`${dir}/scenario.json: alert.slackMessage is not a DataDog`);
  });
});

describe('the database a scenario uses', () => {
  it('is SRE_DB_PATH when it is set; the per-scenario file is only the default', () => {
    expect(scenarioDatabase(parseEnv({ SRE_DB_PATH: '/srv/sre/trial.db' }), 'checkout-bad-commit')).toBe(
      '/srv/sre/trial.db',
    );
    expect(scenarioDatabase(parseEnv({}), 'checkout-bad-commit')).toBe(
      resolve('data', 'scenarios', 'checkout-bad-commit.db'),
    );
  });

  it('SRE_SCENARIO with SRE_DB_PATH set: the runtime opens exactly that file', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'scenario-db-')), 'trial.db');
    const runtime = await createRuntime({
      env: parseEnv({ SRE_SCENARIO: DEMO, SRE_DB_PATH: dbPath }),
      logger: silentLogger,
    });
    try {
      expect(runtime.db.name).toBe(dbPath);
    } finally {
      await runtime.close();
    }
  });

  it('report and learn export, given only SRE_DB_PATH, see what a --scenario run stored', {
    timeout: 120_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-db-'));
    const env = { SRE_DB_PATH: join(dir, 'trial.db') };
    await sre(['investigate', '--scenario', DEMO, '--json'], env);
    const report = JSON.parse(await sre(['report', '--json', '--since', '2000-01-01'], env));
    expect(report.overall.investigations).toBe(1);
    expect(await sre(['learn', 'export', '--out', join(dir, 'ft.jsonl')], env)).toMatch(
      /0 examples written .*\(1 investigations skipped\)/,
    );
  });
});
