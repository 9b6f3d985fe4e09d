import pc from 'picocolors';
import type { InvestigationEvent } from '../../agent/events';
import type { InvestigationResult } from '../../agent/result';
import { sparkline } from '../../tools/analysis/sparkline';

/** Live terminal output for an investigation (stderr), then a readable summary. Pure renderers + one writer. */
const CONFIDENCE_COLOR = { high: pc.green, medium: pc.yellow, low: pc.magenta, none: pc.gray } as const;

export function renderEvent(e: InvestigationEvent): string | undefined {
  switch (e.type) {
    case 'started':
      return `${pc.bold('🔎 Investigating')} ${e.alertTitle} ${pc.dim(`(${e.id}, ${e.planner} planner)`)}`;
    case 'thought':
      return e.text ? `\n${pc.cyan(`Step ${e.n}`)} ${pc.italic(e.text)}` : undefined;
    case 'tool_finished': {
      const mark = e.ok ? pc.green('✓') : pc.red('✗');
      const detail = e.ok ? pc.dim(e.summary.slice(0, 100)) : pc.red(e.error ?? 'failed');
      return `  ${mark} ${e.tool.padEnd(20)} ${pc.dim(`${Math.round(e.ms)} ms`.padStart(7))}  ${detail}`;
    }
    case 'hypotheses':
      return e.hypotheses.map((h) => `  ${pc.blue('◆')} [${h.status}] ${h.statement}`).join('\n');
    case 'warning':
      return `  ${pc.yellow('⚠')} ${e.message}`;
    case 'first_answer': {
      const s = e.result.summary;
      return `\n${pc.bold(pc.green('⚡ First answer'))} ${pc.dim(`(${(e.result.usage.wallMs / 1000).toFixed(1)} s)`)} ${s.headline} ${CONFIDENCE_COLOR[s.confidence](`(confidence ${s.confidence})`)}\n  ${pc.dim(`${e.refiningWith} is refining it…`)}`;
    }
    case 'stopped':
      return e.reason === 'answered'
        ? undefined
        : `  ${pc.yellow('■')} stopped: ${e.reason.replace('_', ' ')}`;
    default:
      return undefined;
  }
}

const REFINEMENT_COLOR = {
  confirmed: pc.green,
  overturned: pc.cyan,
  added: pc.cyan,
  refused: pc.yellow,
  failed: pc.yellow,
} as const;

/** What the model made of a hybrid run's first answer (and what that answer was, when it changed). */
function refinementLine(r: NonNullable<InvestigationResult['refinement']>): string {
  const was =
    r.outcome === 'overturned' || r.outcome === 'added'
      ? `\n  ${pc.dim(`first answer (${(r.firstAnswerMs / 1000).toFixed(1)} s): ${r.offline.headline}`)}`
      : pc.dim(` · first answer in ${(r.firstAnswerMs / 1000).toFixed(1)} s`);
  return `${REFINEMENT_COLOR[r.outcome](`◆ ${r.note}`)}${was}`;
}

/** The metric the alert is about, as a sparkline, when the investigation fetched it. */
function alertSparkline(pointsByQuery?: Map<string, number[]>): string | undefined {
  if (!pointsByQuery) return undefined;
  const first = [...pointsByQuery.entries()][0];
  return first ? `${pc.dim(first[0].slice(0, 70))}\n  ${pc.red(sparkline(first[1], 60))}` : undefined;
}

export function renderSummary(result: InvestigationResult, pointsByQuery?: Map<string, number[]>): string {
  const s = result.summary;
  const color = CONFIDENCE_COLOR[s.confidence];
  const lines = [
    '',
    pc.bold('━'.repeat(72)),
    `${pc.bold(s.headline)}`,
    `${color(`● confidence: ${s.confidence}`)}`,
    ...(result.refinement ? [refinementLine(result.refinement)] : []),
    '',
    s.rootCause,
  ];
  const spark = alertSparkline(pointsByQuery);
  if (spark) lines.push('', pc.bold('Metric'), `  ${spark}`);
  lines.push('', pc.bold('Impact'), `  ${s.impact}`);
  if (s.suspects.length) {
    lines.push('', pc.bold('Suspects'));
    s.suspects.slice(0, 5).forEach((x, i) => {
      lines.push(
        `  ${i + 1}. ${pc.bold(x.kind)} ${x.kind === 'commit' ? x.ref.slice(0, 12) : x.ref} ${pc.dim(`score ${x.score}`)}`,
        `     ${x.title.slice(0, 140)}${x.url ? `\n     ${pc.underline(pc.blue(x.url))}` : ''}`,
      );
    });
  }
  if (s.nextSteps.length) lines.push('', pc.bold('Next steps'), ...s.nextSteps.map((n) => `  → ${n}`));
  if (s.similarIncidents.length)
    lines.push(
      '',
      pc.bold('Similar incidents'),
      ...s.similarIncidents.map((i) => `  • ${i.title}${i.url ? pc.dim(` ${i.url}`) : ''}`),
    );
  if (s.runbooks.length)
    lines.push(
      '',
      pc.bold('Runbooks'),
      ...s.runbooks.map((r) => `  • ${r.title}${r.url ? pc.dim(` ${r.url}`) : ''}`),
    );
  if (s.unchecked?.length)
    lines.push('', pc.yellow('Could not check'), ...s.unchecked.map((u) => `  • ${u}`));
  if (s.warnings?.length) lines.push('', pc.yellow('Warnings'), ...s.warnings.map((w) => `  • ${w}`));
  const u = result.usage;
  lines.push(
    '',
    pc.dim(
      `${result.steps.length} steps · ${u.toolCalls} tool calls · ${(u.wallMs / 1000).toFixed(1)} s · ${u.promptTokens + u.completionTokens} tokens · $${u.costUsd.toFixed(4)} · ${result.planner} · ${result.id}`,
    ),
  );
  lines.push(pc.dim(`Full trace: npm run sre -- show ${result.id}`));
  return lines.join('\n');
}

/** Subscribes to events, writes them live, and keeps the first metric series (the alert's) for the summary. */
export function terminalPresenter(write: (text: string) => void = (t) => process.stderr.write(`${t}\n`)) {
  const points = new Map<string, number[]>();
  return {
    points,
    onEvent(e: InvestigationEvent) {
      if (e.type === 'tool_finished' && e.tool === 'datadog.metrics' && e.ok) {
        const d = e.data as { query?: string; series?: { points: [number, number][] }[] } | undefined;
        const first = d?.series?.[0];
        if (d?.query && first && !points.has(d.query) && points.size === 0)
          points.set(
            d.query,
            first.points.map((p) => p[1]),
          );
      }
      const line = renderEvent(e);
      if (line) write(line);
    },
  };
}
