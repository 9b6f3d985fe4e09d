import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CLASSES } from '../../../../sandbox/scenario-builder/generator/classes';
import {
  classOfSeed,
  generateWorld,
  parseSeeds,
  serializeGenerated,
  VALIDATION_SEEDS,
} from '../../../../sandbox/scenario-builder/generator/index';
import {
  alertSeries,
  MAX_WORLD_BYTES,
  verifyWorld,
  worldBytes,
} from '../../../../sandbox/scenario-builder/generator/verify';

const digest = (files: Record<string, unknown>) => {
  const h = createHash('sha256');
  for (const [k, v] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b)))
    h.update(k).update(serializeGenerated(v));
  return h.digest('hex');
};

describe('the world generator', () => {
  it('same seed, same bytes; another seed, another world', () => {
    const a = generateWorld(42);
    expect(digest(generateWorld(42).files)).toBe(digest(a.files));
    expect(digest(generateWorld(43).files)).not.toBe(digest(a.files));
  });

  it('covers at least 14 incident classes, each with several variants, rotating with the seed', () => {
    expect(CLASSES.length).toBeGreaterThanOrEqual(14);
    for (const c of CLASSES) expect(c.variants.length, c.name).toBeGreaterThanOrEqual(2);
    const seen = new Set(
      parseSeeds(`${VALIDATION_SEEDS.from}..${VALIDATION_SEEDS.from + CLASSES.length - 1}`).map(
        (s) => classOfSeed(s).name,
      ),
    );
    expect(seen.size).toBe(CLASSES.length);
  });

  // Three seeds per class from the tuning range: schema, size, truth refs, runbook, incident, onset.
  it.each(CLASSES.flatMap((c, i) => [1, 2, 3].map((k) => [c.name, i + k * CLASSES.length] as const)))(
    '%s (seed %i): loads through the scenario schema, its truth refs exist and the onset shows in the alert metric',
    (name, seed) => {
      const w = generateWorld(seed);
      expect(w.className).toBe(name);
      expect(verifyWorld(w.id, w.files)).toEqual([]);
      expect(worldBytes(w.files)).toBeLessThan(MAX_WORLD_BYTES);
    },
  );

  it('draws the estate: APM naming, environment names and alert forms vary across seeds', () => {
    const worlds = parseSeeds('1..40').map((s) => generateWorld(s));
    const apm = new Set<string>();
    const envs = new Set<string>();
    const forms = new Set<string>();
    for (const w of worlds) {
      const metrics = w.files['datadog/metrics.json'] as { metric: string; tags: string[] }[];
      for (const m of metrics) {
        const p = /^trace\.(.+)\.request\.hits$/.exec(m.metric)?.[1];
        if (p) apm.add(p);
        for (const t of m.tags) if (t.startsWith('env:')) envs.add(t);
      }
      const alert = (w.files['scenario.json'] as { alert: Record<string, unknown> }).alert;
      forms.add(Object.keys(alert)[0]!);
    }
    expect(apm.size).toBeGreaterThanOrEqual(6);
    expect([...envs].sort()).toEqual(expect.arrayContaining(['env:prd', 'env:prod', 'env:production']));
    expect(forms).toEqual(new Set(['datadogWebhook', 'slackMessage']));
  });

  /** Tuning seeds built as one class, until `pick` finds a world it wants. */
  const firstWorld = (className: string, pick: (w: ReturnType<typeof generateWorld>) => boolean) => {
    const cls = CLASSES.find((c) => c.name === className)!;
    for (let seed = 1; seed < 400; seed++) {
      const w = generateWorld(seed, cls);
      if (pick(w)) return w;
    }
    throw new Error(`no ${className} world in the tuning seeds matched`);
  };

  it('pages from availability monitors too: requests blocked at the edge drop the service hits below the threshold', () => {
    const w = firstWorld('external-config', (x) =>
      JSON.stringify((x.files['scenario.json'] as { alert: unknown }).alert).includes(
        'availability: requests dropped',
      ),
    );
    expect(verifyWorld(w.id, w.files)).toEqual([]);
    const monitors = w.files['datadog/monitors.json'] as {
      name: string;
      query: string;
      options: { thresholds: { critical: number } };
    }[];
    const m = monitors.find((x) => x.name.includes('availability: requests dropped'))!;
    expect(m.query).toMatch(/request\.hits\{.*\}\.as_count\(\) < \d+$/);
    // The alert metric goes below the threshold after the onset, and stayed above it before.
    const series = alertSeries(w.files);
    const truth = w.files['truth.json'] as { onset: string };
    const onsetMs = Date.parse(truth.onset);
    const windowSum = (endMs: number) =>
      series
        .filter((p) => Date.parse(p.minute) > endMs - 5 * 60_000 && Date.parse(p.minute) <= endMs)
        .reduce((a, p) => a + p.value, 0);
    expect(windowSum(onsetMs - 10 * 60_000)).toBeGreaterThan(m.options.thresholds.critical);
    expect(windowSum(onsetMs + 8 * 60_000)).toBeLessThan(m.options.thresholds.critical);
  });

  it('gives some services two repositories: deploy config in its own, applied by rollouts that keep the running version', () => {
    const w = firstWorld('deploy-config', (x) => {
      const accept = (x.files['truth.json'] as { accept: string[] }).accept;
      return accept.some((a) => /-deploy#\d+$/.test(a));
    });
    expect(verifyWorld(w.id, w.files)).toEqual([]);
    const truth = w.files['truth.json'] as { accept: string[] };
    const repo = truth.accept.find((a) => a.includes('#'))!.split('#')[0]!;
    const catalog = (
      w.files['scenario.json'] as { catalog: { services: Record<string, { repos: string[] }> } }
    ).catalog.services;
    const owner = Object.entries(catalog).find(([, c]) => c.repos.includes(repo));
    expect(owner?.[1].repos).toEqual([repo.replace(/-deploy$/, ''), repo]);
    const files = w.files[`github/${repo}.json`] as {
      commits: { sha: string; files: { filename: string; patch?: string }[] }[];
    };
    const cause = files.commits.find((c) => truth.accept.includes(c.sha))!;
    expect(cause.files[0]!.filename).toMatch(/^charts\/.+\/values-.+\.yaml$/);
    expect(cause.files[0]!.patch).toMatch(/- name: [A-Z_]+\n- {4}value: ".+"\n\+ {4}value: ".+"/);
    // The production rollout of the config commit carries the version an earlier code rollout shipped.
    const env = (x: { tags: string[] }) => x.tags.find((t) => t.startsWith('env:'));
    const events = (w.files['datadog/events.json'] as { tags: string[] }[]).filter((e) =>
      e.tags.includes(`service:${owner![0]}`),
    );
    const tag = (e: { tags: string[] }, k: string) => e.tags.find((t) => t.startsWith(`${k}:`));
    const configRollout = events.find(
      (e) => tag(e, 'git.commit.sha') === `git.commit.sha:${cause.sha}` && env(e) === env(events.at(-1)!),
    );
    expect(configRollout).toBeDefined();
    const codeRollout = events.find(
      (e) =>
        tag(e, 'version') === tag(configRollout!, 'version') &&
        tag(e, 'git.commit.sha') !== tag(configRollout!, 'git.commit.sha'),
    );
    expect(codeRollout).toBeDefined();
  });

  it('the alert metric of a world is read from its own monitor query', () => {
    const w = generateWorld(7);
    const series = alertSeries(w.files);
    expect(series.length).toBeGreaterThan(200);
  });

  it('parses seed ranges and rejects bad ones with the part that was wrong', () => {
    expect(parseSeeds('1..3,7')).toEqual([1, 2, 3, 7]);
    expect(() => parseSeeds('5..2')).toThrow(/5\.\.2/);
    expect(() => parseSeeds('a..b')).toThrow(/"a\.\.b"/);
  });
});
