import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorlds, listScenarioDirs, parseSeeds } from './sandbox';

/** Where the worlds an eval scores come from: a folder of scenario folders, or seeds to generate. */
export type WorldsSource = { scenarios: string } | { generated: string };

/** The worlds cannot be had as asked (a bad seed range, a folder without scenarios). */
export class WorldsError extends Error {}

/**
 * Runs `use` over the worlds of a source. Generated worlds are written to a temporary folder
 * that is removed afterwards, whatever `use` does.
 */
export async function withWorlds<T>(
  source: WorldsSource,
  use: (worlds: { root: string; dirs: string[]; generated: boolean }) => Promise<T>,
): Promise<T> {
  let seeds: number[] = [];
  if ('generated' in source)
    try {
      seeds = parseSeeds(source.generated);
    } catch (err) {
      throw new WorldsError((err as Error).message);
    }
  const temp = 'generated' in source ? mkdtempSync(join(tmpdir(), 'sre-eval-')) : undefined;
  const root = temp ?? (source as { scenarios: string }).scenarios;
  try {
    if (temp) generateWorlds(seeds, temp);
    const dirs = listScenarioDirs(root);
    if (dirs.length === 0) throw new WorldsError(`no scenario folders (with scenario.json) in ${root}`);
    return await use({ root, dirs, generated: temp !== undefined });
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}
