import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Small deterministic helpers for writing scenario worlds: no Date.now, no Math.random. */
export type Rng = () => number;

export function rng(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export const MINUTE = 60_000;

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function at(base: string, offsetMinutes: number): string {
  return iso(Date.parse(base) + offsetMinutes * MINUTE);
}

export function pick<T>(r: Rng, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

export function hex(r: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(r() * 16).toString(16);
  return out;
}

export function uuid(r: Rng): string {
  const h = hex(r, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

export function ip(r: Rng): string {
  return `10.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`;
}

/** Gaussian-ish noise from the sum of uniforms. */
export function noise(r: Rng, scale: number): number {
  return (r() + r() + r() - 1.5) * scale;
}

/** A 1-minute series from `start` for `minutes`, with occasional missing points (real agents drop some). */
export function series(
  r: Rng,
  metric: string,
  tags: string[],
  start: string,
  minutes: number,
  value: (minute: number, t: number) => number,
  unit?: string,
): { metric: string; tags: string[]; unit?: string; points: [string, number][] } {
  const points: [string, number][] = [];
  const t0 = Date.parse(start);
  for (let m = 0; m < minutes; m++) {
    if (r() < 0.01) continue;
    const t = t0 + m * MINUTE;
    points.push([iso(t), Math.max(0, Math.round(value(m, t) * 100) / 100)]);
  }
  return unit ? { metric, tags, unit, points } : { metric, tags, points };
}

/** Writes a scenario folder from a map of relative path -> JSON value or Markdown string. */
/** A generated file as written to disk: text as is, anything else as pretty JSON. */
export function serializeFile(content: unknown): string {
  return typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`;
}

export function writeScenario(root: string, id: string, files: Record<string, unknown>): void {
  const dir = join(root, id);
  rmSync(dir, { recursive: true, force: true });
  for (const [rel, content] of Object.entries(files)) {
    const full = join(dir, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, serializeFile(content));
  }
}

/** Sorts records by their timestamp field so files read like real exports. */
export function byTime<T extends { timestamp: string }>(records: T[]): T[] {
  return records.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}
