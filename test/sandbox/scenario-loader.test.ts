import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, ScenarioError } from '../../sandbox/scenario';

const manifest = {
  id: 'tiny',
  title: 'Tiny world',
  now: '2026-03-01T12:00:00Z',
  alert: { text: 'checkout errors are up' },
  catalog: { services: { checkout: { repos: ['acme/checkout'], dependsOn: ['payments'] } } },
};

function world(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
  for (const [rel, content] of Object.entries(files)) {
    const full = join(dir, rel);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

function loadError(dir: string): ScenarioError {
  try {
    loadScenario(dir);
  } catch (err) {
    if (err instanceof ScenarioError) return err;
    throw err;
  }
  throw new Error('expected a ScenarioError');
}

describe('loadScenario', () => {
  it('loads a minimal world; missing sources are empty, not errors', () => {
    const s = loadScenario(world({ 'scenario.json': manifest }));
    expect(s.manifest.id).toBe('tiny');
    expect(s.logs).toEqual([]);
    expect(s.repos).toEqual({});
    expect(s.truth).toBeUndefined();
  });

  it('reads repos, docs with front matter, and slack channels', () => {
    const s = loadScenario(
      world({
        'scenario.json': manifest,
        'github/acme/checkout.json': {
          commits: [{ sha: 'abc1234', message: 'fix', author: 'ana', date: '2026-03-01T11:00:00Z' }],
        },
        'docs/runbooks/payments.md':
          '---\ntitle: Payments runbook\nurl: https://wiki/x\n---\n# Ignored heading\nbody',
        'docs/notes.md': '# From heading\ntext',
        'slack/incidents.json': [{ ts: '1700000000.000100', user: 'U1', text: 'hi' }],
      }),
    );
    expect(Object.keys(s.repos)).toEqual(['acme/checkout']);
    expect(s.repos['acme/checkout']!.commits[0]!.files).toEqual([]);
    expect(s.docs.map((d) => [d.id, d.title, d.source])).toEqual([
      ['notes.md', 'From heading', 'runbook'],
      ['runbooks/payments.md', 'Payments runbook', 'runbook'],
    ]);
    expect(s.slack.incidents).toHaveLength(1);
  });

  it('names the file and field when a scenario does not follow the format', () => {
    const err = loadError(
      world({
        'scenario.json': manifest,
        'datadog/logs.json': [{ timestamp: 'yesterday', service: 'x', status: 'error', message: 'm' }],
      }),
    );
    expect(err.message).toMatch(/datadog[\\/]logs\.json: field 0\.timestamp: expected an ISO 8601 time/);
  });

  it('rejects a bad catalog repo and broken JSON with the file name', () => {
    const bad = { ...manifest, catalog: { services: { checkout: { repos: ['not-a-repo'] } } } };
    expect(loadError(world({ 'scenario.json': bad })).message).toMatch(
      /scenario\.json: field catalog\.services\.checkout\.repos\.0: expected owner\/repo/,
    );
    expect(loadError(world({ 'scenario.json': '{ nope' })).message).toMatch(/scenario\.json: not valid JSON/);
    expect(loadError(world({})).message).toMatch(/scenario\.json: missing/);
  });
});
