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
