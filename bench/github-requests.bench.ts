import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { investigate } from '../agent/investigate';
import { parseEnv } from '../app/config';
import { silentLogger } from '../app/logger';
import { createRuntime } from '../app/runtime';
import { withLongHistory } from '../sandbox/scenario-builder/busy-repo';
import { RepoSchema } from '../sandbox/scenario-schema';
import type { Benchmark } from './contract';
import { DEMO_SCENARIO } from './slack-app';

/**
 * GitHub API requests per investigation when every repository has a long history (5,000 merged
 * pull requests and 2,000 deployments over two years before the incident): the offline
 * investigation of the demo world, counted at the sandbox. Target: at most 10 per repository,
 * however long the history.
 */
const HISTORY = { pulls: 5_000, deployments: 2_000, spanDays: 730 };
const FULL_LISTING_PAGES = Math.ceil(HISTORY.pulls / 100) + Math.ceil(HISTORY.deployments / 100);

/** The demo world copied with each repository's history added before its own recent changes. */
function busyWorld(): string {
  const dir = mkdtempSync(join(tmpdir(), 'github-requests-bench-'));
  cpSync(DEMO_SCENARIO, dir, { recursive: true });
  const now = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8')).now as string;
  const before = new Date(Date.parse(now) - 24 * 3_600_000).toISOString();
  for (const owner of readdirSync(join(dir, 'github')))
    for (const file of readdirSync(join(dir, 'github', owner))) {
      const path = join(dir, 'github', owner, file);
      const repo = RepoSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
      writeFileSync(path, JSON.stringify(withLongHistory(repo, { ...HISTORY, before })));
    }
  return dir;
}

const bench: Benchmark = async () => {
  const dir = busyWorld();
  const runtime = await createRuntime({
    env: parseEnv({}),
    logger: silentLogger,
    scenarioDir: dir,
    dbPath: ':memory:',
  });
  try {
    const before = runtime.sandbox!.requests.length;
    await investigate({ alert: runtime.alertFromScenario!, runtime });
    const perRepo = new Map<string, number>();
    for (const r of runtime.sandbox!.requests.slice(before)) {
      const repo =
        /^\/repos\/([^/]+\/[^/]+)\//.exec(r.path)?.[1] ??
        (r.path === '/search/issues' ? 'search' : undefined);
      if (repo) perRepo.set(repo, (perRepo.get(repo) ?? 0) + 1);
    }
    const counts = [...perRepo.values()];
    return [
      {
        name: 'github requests',
        metric: `most requests to one repository per investigation, ${HISTORY.pulls} PRs + ${HISTORY.deployments} deployments each (target <= 10)`,
        value: Math.max(0, ...counts),
        unit: 'requests',
        // What listing every pull request and deployment would take, 100 a page.
        baseline: FULL_LISTING_PAGES,
        ratio: Math.max(0, ...counts) / FULL_LISTING_PAGES,
      },
      {
        name: 'github requests',
        metric: `all GitHub requests per investigation (${perRepo.size} repositories read)`,
        value: counts.reduce((a, b) => a + b, 0),
        unit: 'requests',
      },
    ];
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;
