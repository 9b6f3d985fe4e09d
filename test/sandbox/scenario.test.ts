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

describe('loadScenario with brokenFiles: record (what the sandbox and `--scenario` use)', () => {
  const log = { timestamp: '2026-03-01T11:59:00Z', service: 'checkout', status: 'error', message: 'boom' };
  const tolerant = (files: Record<string, unknown>) =>
    loadScenario(world({ 'scenario.json': manifest, ...files }), { brokenFiles: 'record' });

  it('records each broken file with its field; the other sources load', () => {
    const s = tolerant({
      'datadog/logs.json': '[{"timestamp": "2026-03-01T11:59:00Z", "service": ',
      'datadog/metrics.json': [{ metric: 'errors', points: [['2026-03-01T11:59:00Z', null]] }],
      'datadog/spans.json': [{ ...log, resource: 'GET /', durationMs: -3, error: true }],
      'datadog/monitors.json': [{ id: 1, name: 'm', type: 'metric alert', query: 'q', priority: 9 }],
      'github/acme/checkout.json': { commits: [{ sha: 'abc1234', message: 'm', author: 'a', date: 'soon' }] },
      'datadog/events.json': [{ timestamp: '2026-03-01T11:00:00Z', title: 'Deployed checkout' }],
    });
    expect(s.broken).toEqual([
      { file: 'datadog/monitors.json', message: expect.stringMatching(/^field 0\.priority: .*5/) },
      { file: 'datadog/metrics.json', message: expect.stringMatching(/^field 0\.points\.0\.1: .*number/) },
      { file: 'datadog/logs.json', message: expect.stringMatching(/^not valid JSON/) },
      { file: 'datadog/spans.json', message: expect.stringMatching(/^field 0\.durationMs: /) },
      { file: 'github/acme/checkout.json', message: expect.stringMatching(/^field commits\.0\.date: /) },
    ]);
    expect([s.logs, s.metrics, s.spans, s.monitors, s.repos]).toEqual([[], [], [], [], {}]);
    expect(s.events.map((e) => e.title)).toEqual(['Deployed checkout']);
  });

  it('rejects times without a zone (never read as local time) and impossible dates', () => {
    const s = tolerant({
      'datadog/logs.json': [{ ...log, timestamp: '2026-03-01T11:59:00' }],
      'rootly/incidents.json': [
        { id: 'i1', title: 't', summary: 's', severity: 'sev2', startedAt: '2026-02-30T10:00:00Z' },
      ],
      'flags.json': [{ key: 'f', changedAt: '2026-03-01', from: false, to: true }],
    });
    expect(s.broken.map((b) => [b.file, b.message])).toEqual([
      [
        'datadog/logs.json',
        expect.stringMatching(/^field 0\.timestamp: expected an ISO 8601 time with a zone/),
      ],
      [
        'rootly/incidents.json',
        expect.stringMatching(/^field 0\.startedAt: expected an ISO 8601 time with a zone/),
      ],
      ['flags.json', expect.stringMatching(/^field 0\.changedAt: expected an ISO 8601 time with a zone/)],
    ]);
  });

  it('reads a page whose front matter is not valid YAML, and names it in warnings', () => {
    const s = tolerant({
      'docs/runbooks/foo.md':
        '---\ntitle: Runbook: foo\nurl: https://wiki/foo\n---\n# Heading\nRestart the pods.',
      'docs/runbooks/bar.md': '---\ntitle: Bar\nsource: wiki\nupdatedAt: 2026-03-01T10:00:00\n---\nbody',
    });
    expect(s.docs.map((d) => [d.id, d.title, d.url, d.source, d.updatedAt])).toEqual([
      ['runbooks/bar.md', 'Bar', undefined, 'runbook', '2026-03-01T12:00:00.000Z'],
      ['runbooks/foo.md', 'Runbook: foo', 'https://wiki/foo', 'runbook', '2026-03-01T12:00:00.000Z'],
    ]);
    expect(s.broken).toEqual([]);
    expect(s.warnings).toEqual([
      {
        file: 'docs/runbooks/bar.md',
        message: expect.stringMatching(/^front matter field source: .*ignored$/),
      },
      {
        file: 'docs/runbooks/bar.md',
        message: expect.stringMatching(/^front matter field updatedAt: .*zone.*ignored$/),
      },
      { file: 'docs/runbooks/foo.md', message: expect.stringMatching(/^front matter is not valid YAML/) },
    ]);
  });

  it('still fails the whole world, clearly, when scenario.json itself is broken', () => {
    expect(() =>
      loadScenario(world({ 'scenario.json': { ...manifest, now: '2026-03-01T12:00:00' } }), {
        brokenFiles: 'record',
      }),
    ).toThrow(/scenario\.json: field now: expected an ISO 8601 time with a zone/);
  });
});
