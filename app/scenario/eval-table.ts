import { CONFIDENCE_LEVELS, type EvalTotals, type ScenarioScore } from './eval-score';

/** Renders eval rows and totals as the terminal table (pure: returns text). */
const pct = (x: number | null) => (x === null ? '  -' : `${Math.round(x * 100)}%`.padStart(4));
const yn = (x: boolean | null) => (x === null ? '-' : x ? 'yes' : 'no');

export function renderRows(rows: readonly ScenarioScore[]): string {
  const header = `${'scenario'.padEnd(38)} hit@1 hit@3 rank runbook similar conf   steps tools  wall`;
  const lines = rows.map(
    (r) =>
      `${r.scenario.padEnd(38)} ${yn(r.hit1).padEnd(5)} ${yn(r.hit3).padEnd(5)} ${String(r.rank ?? '-').padEnd(4)} ${yn(r.runbook).padEnd(7)} ${yn(r.similarIncident).padEnd(7)} ${r.confidence.padEnd(6)} ${String(r.steps).padStart(5)} ${String(r.toolCalls).padStart(5)} ${`${(r.wallMs / 1000).toFixed(2)}s`.padStart(6)}${r.failure ? `  FAILED: ${r.failure.slice(0, 120)}` : ''}`,
  );
  return `${header}\n${'-'.repeat(header.length)}\n${lines.join('\n')}\n`;
}

export function renderByClass(totals: EvalTotals): string {
  if (totals.byClass.length < 2) return '';
  const header = `${'class'.padEnd(30)} worlds hit@1 hit@3`;
  const lines = totals.byClass.map(
    (c) =>
      `${c.className.padEnd(30)} ${String(c.scenarios).padStart(6)} ${pct(c.hit1).padStart(5)} ${pct(c.hit3).padStart(5)}`,
  );
  return `\n${header}\n${'-'.repeat(header.length)}\n${lines.join('\n')}\n`;
}

export function renderCalibration(totals: EvalTotals): string {
  const lines = totals.calibration.map(
    (c) => `${c.level.padEnd(8)} ${String(c.answers).padStart(7)} ${pct(c.right).padStart(9)}`,
  );
  return `\nconfidence answers top right\n${lines.join('\n')}\n`;
}

export function renderTotals(totals: EvalTotals): string {
  return `\n${totals.scenarios} scenarios${totals.failed ? ` (${totals.failed} could not be investigated)` : ''}: hit@1 ${pct(totals.hit1)}, hit@3 ${pct(totals.hit3)}, runbook recall ${pct(totals.runbookRecall)}, similar-incident recall ${pct(totals.similarIncidentRecall)}${totals.abstention === null ? '' : `, inconclusive answered low/none ${pct(totals.abstention)}`}, mean ${totals.meanSteps.toFixed(1)} steps, ${totals.meanToolCalls.toFixed(1)} tool calls, ${(totals.meanWallMs / 1000).toFixed(2)} s\n`;
}

/** The README's tables: by class, then calibration, then the totals line. */
export function renderMarkdown(totals: EvalTotals): string {
  const p = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
  const classes = totals.byClass.map(
    (c) => `| ${c.className} | ${c.scenarios} | ${p(c.hit1)} | ${p(c.hit3)} |`,
  );
  const cal = totals.calibration.map((c) => `| ${c.level} | ${c.answers} | ${p(c.right)} |`);
  return [
    '| class | worlds | hit@1 | hit@3 |',
    '|---|---:|---:|---:|',
    ...classes,
    `| **all** | **${totals.scenarios}** | **${p(totals.hit1)}** | **${p(totals.hit3)}** |`,
    '',
    '| confidence | answers | top suspect right |',
    '|---|---:|---:|',
    ...cal,
    '',
    `Runbook recall ${p(totals.runbookRecall)}, similar-incident recall ${p(totals.similarIncidentRecall)}, inconclusive worlds answered low/none ${p(totals.abstention)}, ${totals.failed} worlds could not be investigated at all, mean ${totals.meanToolCalls.toFixed(1)} tool calls and ${(totals.meanWallMs / 1000).toFixed(2)} s per investigation.`,
    '',
  ].join('\n');
}

/** One column of `eval --llm`: who investigated, and how they scored on the same worlds. */
export type EvalColumn = { label: string; totals: EvalTotals };

const tokens = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(Math.round(n)));
const seconds = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(2)} s`);

/** `eval --llm`: the offline investigator and the configured model side by side, metric by metric. */
export function renderComparison(columns: readonly EvalColumn[]): string {
  const metrics: [string, (t: EvalTotals) => string][] = [
    ['hit@1', (t) => pct(t.hit1).trim()],
    ['hit@3', (t) => pct(t.hit3).trim()],
    ...CONFIDENCE_LEVELS.map((level): [string, (t: EvalTotals) => string] => [
      `${level}: answers, top right`,
      (t) => {
        const c = t.calibration.find((x) => x.level === level)!;
        return `${c.answers}, ${pct(c.right).trim()}`;
      },
    ]),
    ['prompt tokens / investigation', (t) => tokens(t.meanPromptTokens)],
    ['tokens / investigation', (t) => tokens(t.meanTokens)],
    ['cost, all worlds', (t) => `$${t.costUsd.toFixed(4)}`],
    ['wall time / investigation', (t) => seconds(t.meanWallMs)],
    ['first answer / investigation', (t) => seconds(t.meanFirstAnswerMs)],
    [
      'refinements',
      (t) =>
        Object.entries(t.refinements)
          .filter(([, n]) => n > 0)
          .map(([o, n]) => `${o} ${n}`)
          .join(', ') || '-',
    ],
    ['could not be investigated', (t) => String(t.failed)],
  ];
  const width = Math.max(...metrics.map(([m]) => m.length));
  const cells = metrics.map(([, f]) => columns.map((c) => f(c.totals)));
  const colWidths = columns.map((c, i) => Math.max(c.label.length, ...cells.map((row) => row[i]!.length)));
  const line = (name: string, values: readonly string[]) =>
    `${name.padEnd(width)}  ${values.map((v, i) => v.padStart(colWidths[i]!)).join('  ')}`;
  const header = line(
    `${columns[0]?.totals.scenarios ?? 0} worlds`,
    columns.map((c) => c.label),
  );
  return `\n${header}\n${'-'.repeat(header.length)}\n${metrics.map(([m], r) => line(m, cells[r]!)).join('\n')}\n`;
}
