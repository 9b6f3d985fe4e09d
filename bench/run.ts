import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark, BenchResult } from './contract';

/** Runs every bench/**\/*.bench.ts, prints a table, or one JSON object per result with --json. */
function findBenchFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return findBenchFiles(full);
    return e.name.endsWith('.bench.ts') ? [full] : [];
  });
}

function fmt(n: number | undefined): string {
  if (n === undefined) return '';
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3);
}

async function main(argv: string[]): Promise<void> {
  const asJson = argv.includes('--json');
  const filterAt = argv.indexOf('--filter');
  const filter = filterAt >= 0 ? argv[filterAt + 1] : undefined;
  const unknown = argv.filter(
    (a, i) => a.startsWith('--') && a !== '--json' && a !== '--filter' && argv[i - 1] !== '--filter',
  );
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown option ${unknown[0]} (usage: npm run bench -- [--json] [--filter <substr>])\n`,
    );
    process.exitCode = 2;
    return;
  }
  const root = import.meta.dirname;
  const files = findBenchFiles(root)
    .filter((f) => !filter || f.includes(filter))
    .sort();
  const rows: BenchResult[] = [];
  for (const file of files) {
    process.stderr.write(`running ${relative(process.cwd(), file)}…\n`);
    const mod = (await import(pathToFileURL(file).href)) as { default: Benchmark };
    const results = await mod.default();
    for (const r of results) {
      rows.push(r);
      if (asJson) process.stdout.write(`${JSON.stringify(r)}\n`);
    }
  }
  if (asJson) return;
  const header = ['benchmark', 'metric', 'value', 'unit', 'baseline', 'ratio'];
  const table = rows.map((r) => [r.name, r.metric, fmt(r.value), r.unit, fmt(r.baseline), fmt(r.ratio)]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of table) process.stdout.write(`${line(row)}\n`);
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
