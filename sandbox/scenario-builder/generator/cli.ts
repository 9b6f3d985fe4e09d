import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateWorld, parseSeeds } from './index';
import { writeScenarioCompact } from './verify';

/** `npm run scenarios:generate -- --seeds <a..b> --out <dir>`: one complete world per seed. */
export function generateWorlds(seeds: readonly number[], out: string): string[] {
  mkdirSync(out, { recursive: true });
  return seeds.map((seed) => {
    const w = generateWorld(seed);
    writeScenarioCompact(out, w.id, w.files);
    return w.id;
  });
}

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run scenarios:generate -- --seeds <a..b>[,c..d] --out <dir>\n`,
  );
  process.exit(2);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let seeds: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--help' || a === '-h')
      usage('Writes generated incident worlds (tuning seeds 1..399, validation 1000..1199).');
    else if (a === '--seeds') seeds = args[++i];
    else if (a === '--out') out = args[++i];
    else if (a.startsWith('--seeds=')) seeds = a.slice(8);
    else if (a.startsWith('--out=')) out = a.slice(6);
    else usage(`unknown argument "${a}"`);
  }
  if (!seeds) usage('missing --seeds');
  if (!out) usage('missing --out');
  let list: number[];
  try {
    list = parseSeeds(seeds);
  } catch (err) {
    usage((err as Error).message);
  }
  const started = Date.now();
  const ids = generateWorlds(list, resolve(out));
  process.stderr.write(
    `wrote ${ids.length} worlds to ${resolve(out)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
