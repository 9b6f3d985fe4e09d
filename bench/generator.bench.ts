import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorlds } from '../sandbox/scenario-builder/generator/cli';
import { generateWorld, parseSeeds } from '../sandbox/scenario-builder/generator/index';
import { MAX_WORLD_BYTES, worldBytes } from '../sandbox/scenario-builder/generator/verify';
import type { Benchmark } from './contract';

/**
 * The world generator: writing the 200 validation worlds to disk (target under 60 s on two
 * cores), and the largest world's size against the 2 MB limit (the ratio must stay below 1).
 */
const bench: Benchmark = async () => {
  const seeds = parseSeeds('1000..1199');
  const out = mkdtempSync(join(tmpdir(), 'bench-generator-'));
  try {
    const started = performance.now();
    generateWorlds(seeds, out);
    const totalMs = performance.now() - started;
    const largest = Math.max(...seeds.slice(0, 60).map((s) => worldBytes(generateWorld(s).files)));
    return [
      {
        name: 'generator',
        metric: '200 validation worlds written',
        value: totalMs / 1000,
        unit: 's',
        baseline: 60,
        ratio: totalMs / 60_000,
      },
      { name: 'generator', metric: 'per world', value: totalMs / seeds.length, unit: 'ms' },
      {
        name: 'generator',
        metric: 'largest of 60 worlds',
        value: largest / 1024 / 1024,
        unit: 'MiB',
        baseline: MAX_WORLD_BYTES / 1024 / 1024,
        ratio: largest / MAX_WORLD_BYTES,
      },
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
};
export default bench;
