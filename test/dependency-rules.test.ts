import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..');
const CLI = join(REPO, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** A tiny tree, one module per line: its path and the modules it imports. */
const TREE: Record<string, string[]> = {
  // Allowed: the layers in their direction, Slack in app/, the sandbox through the scenario switch's door.
  'app/main.ts': ['../agent/run', '../indexer/index-docs', './scenario/mount', './slack/bot'],
  'app/slack/bot.ts': ['@slack/web-api'],
  'app/scenario/mount.ts': ['./sandbox'],
  'app/scenario/sandbox.ts': ['../../sandbox/server'],
  'agent/run.ts': ['../tools/search', '../data/store', '../lib/redact'],
  'tools/search.ts': ['../data/store', '../lib/redact'],
  'indexer/index-docs.ts': ['../data/store'],
  'data/store.ts': ['../lib/redact'],
  'lib/redact.ts': [],
  'sandbox/server.ts': ['../tools/search'],
  'test/helper.ts': ['../app/main', '../sandbox/server'],
  // One violation of each rule.
  'data/cycle-a.ts': ['./cycle-b'],
  'data/cycle-b.ts': ['./cycle-a'],
  'lib/uses-data.ts': ['../data/store'],
  'data/uses-tools.ts': ['../tools/search'],
  'indexer/uses-tools.ts': ['../tools/search'],
  'tools/uses-agent.ts': ['../agent/run'],
  'agent/uses-app.ts': ['../app/main'],
  'agent/offline/uses-learning.ts': ['../learning/effects'],
  'agent/learning/effects.ts': [],
  'tools/uses-slack.ts': ['@slack/web-api'],
  'app/uses-sandbox.ts': ['../sandbox/server'],
  'app/scenario/around-the-door.ts': ['../../sandbox/server'],
  'sandbox/uses-app.ts': ['../app/main'],
  'app/uses-test.ts': ['../test/helper'],
};

const EXPECTED = [
  ['agent-only-to-tools-and-data', 'agent/uses-app.ts'],
  ['data-is-the-bottom', 'data/uses-tools.ts'],
  ['indexer-only-to-data', 'indexer/uses-tools.ts'],
  ['lib-is-a-leaf', 'lib/uses-data.ts'],
  ['no-circular', 'data/cycle-a.ts'],
  ['offline-not-to-learning', 'agent/offline/uses-learning.ts'],
  ['production-not-to-tests', 'app/uses-test.ts'],
  ['sandbox-not-to-app', 'sandbox/uses-app.ts'],
  ['sandbox-only-through-the-scenario-switch', 'app/scenario/around-the-door.ts'],
  ['sandbox-only-through-the-scenario-switch', 'app/uses-sandbox.ts'],
  ['slack-only-in-app', 'tools/uses-slack.ts'],
  ['tools-only-to-data', 'tools/uses-agent.ts'],
];

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sre-deps-'));
  for (const [file, imports] of Object.entries(TREE)) {
    mkdirSync(join(root, dirname(file)), { recursive: true });
    const lines = imports.map((spec, i) => `import * as m${i} from '${spec}';`);
    writeFileSync(
      join(root, file),
      `${lines.join('\n')}\nexport const used = [${imports.map((_, i) => `m${i}`)}];\n`,
    );
  }
  const slack = join(root, 'node_modules', '@slack', 'web-api');
  mkdirSync(slack, { recursive: true });
  writeFileSync(join(slack, 'package.json'), JSON.stringify({ name: '@slack/web-api', main: 'index.js' }));
  writeFileSync(join(slack, 'index.js'), 'module.exports = {};\n');
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { moduleResolution: 'Bundler' } }),
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function cruise(): { status: number | null; violations: string[][] } {
  const out = spawnSync(
    process.execPath,
    [
      CLI,
      '--config',
      join(REPO, '.dependency-cruiser.cjs'),
      '-T',
      'json',
      'app',
      'agent',
      'tools',
      'indexer',
      'data',
      'lib',
      'sandbox',
      'test',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  const report = JSON.parse(out.stdout) as {
    summary: { violations: { rule: { name: string }; from: string }[] };
  };
  const violations = report.summary.violations.map((v) => [v.rule.name, v.from]).sort();
  return { status: out.status, violations };
}

describe('.dependency-cruiser.cjs (npm run deps)', () => {
  it('reports each layering rule broken, and nothing the layering allows', () => {
    const { violations } = cruise();
    expect(violations).toEqual(EXPECTED);
  });

  it('fails the run when a rule is broken', () => {
    const out = spawnSync(
      process.execPath,
      [CLI, '--config', join(REPO, '.dependency-cruiser.cjs'), 'indexer/uses-tools.ts'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(out.status).not.toBe(0);
    expect(out.stdout).toContain('indexer-only-to-data: indexer/uses-tools.ts → tools/search.ts');
  });
});
