import { iso, MINUTE, rng } from '../lib';
import { CLASSES } from './classes';
import type { IncidentClass } from './classes/kit';
import { addCluster } from './cluster';
import { addBackgroundKnowledge, addDistractors } from './distractors';
import { WorldDraft } from './draft';
import { drawEstate } from './estate';
import { addHistory } from './history';
import { renderWorld } from './render';

/**
 * The parametric world generator (DESIGN.md: generated worlds). One seed gives one complete
 * incident world with its truth; the same seed always gives the same bytes. Seeds 1–399 are
 * for tuning, 1000–1199 for validation: only ever scored, never tuned on.
 */
export const TUNING_SEEDS = { from: 1, to: 399 } as const;
export const VALIDATION_SEEDS = { from: 1000, to: 1199 } as const;

/**
 * Classes whose failure a healthy cluster would contradict (a bad host is a node, capacity an
 * autoscaler at its maximum, a canary a second workload): they get no cluster as background.
 */
const NO_BACKGROUND_CLUSTER = new Set(['bad-host', 'capacity', 'canary']);
/** How often another class's world runs on a healthy cluster (its rollouts as revisions too). */
const BACKGROUND_CLUSTER_CHANCE = 0.25;

/** The investigation clock of every generated world falls in 2026, spread over the year. */
const EPOCH = Date.parse('2026-01-05T00:00:00Z');

export type GeneratedWorld = {
  id: string;
  className: string;
  variant: string;
  files: Record<string, unknown>;
};

export function classOfSeed(seed: number) {
  // Classes rotate with the seed, so any run of consecutive seeds covers every class evenly.
  return CLASSES[seed % CLASSES.length]!;
}

export function generateWorld(seed: number, cls: IncidentClass = classOfSeed(seed)): GeneratedWorld {
  const r = rng(seed * 2654435761);
  const estate = drawEstate(r);
  const variant = cls.variants[Math.floor(r() * cls.variants.length)]!;
  const alertMinute = Math.floor(r() * 340 * 24 * 60);
  const now = iso(EPOCH + (alertMinute + 2 + Math.floor(r() * 8)) * MINUTE);
  const d = new WorldDraft(seed, r, estate, now);
  d.onset = -(10 + Math.floor(r() * 16));
  addHistory(d);
  cls.build(d, variant);
  addDistractors(d);
  addBackgroundKnowledge(d);
  if (!d.cluster && !NO_BACKGROUND_CLUSTER.has(cls.name))
    addCluster(d, { chance: BACKGROUND_CLUSTER_CHANCE });
  if (!d.truth) throw new Error(`class ${cls.name} set no truth for seed ${seed}`);
  // The class and onset ride along in truth.json: eval groups by class, tests check the onset.
  d.truth = { ...d.truth, class: cls.name, variant, onset: d.at(d.onset) };
  const id = `gen-${String(seed).padStart(4, '0')}-${cls.name}`;
  return { id, className: cls.name, variant, files: renderWorld(d, id) };
}

/** Parses a seed range: `1..60`, `1000..1199`, `7`, or a comma list of those. */
export function parseSeeds(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\d+)(?:\.\.(\d+))?$/.exec(part);
    if (!m) throw new Error(`invalid seed range "${part}": expected N or A..B`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new Error(`invalid seed range "${part}": ${b} is below ${a}`);
    if (b - a > 100_000) throw new Error(`seed range "${part}" is too large`);
    for (let s = a; s <= b; s++) out.push(s);
  }
  return out;
}

/**
 * Generated files are written compactly: one array element per line (records stay greppable
 * and diffable) instead of pretty JSON, which would triple a world's size.
 */
export function serializeGenerated(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.length === 0 ? '[]\n' : `[\n${content.map((x) => JSON.stringify(x)).join(',\n')}\n]\n`;
  if (content && typeof content === 'object' && !('alert' in content))
    return `{\n${Object.entries(content)
      .map(
        ([k, v]) =>
          `${JSON.stringify(k)}: ${Array.isArray(v) ? `[\n${v.map((x) => `  ${JSON.stringify(x)}`).join(',\n')}\n]` : JSON.stringify(v)}`,
      )
      .join(',\n')}\n}\n`;
  return `${JSON.stringify(content, null, 2)}\n`;
}
