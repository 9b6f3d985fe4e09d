import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { investigate } from '../../agent/investigate';
import type { InvestigationResult } from '../../agent/result';
import { parseDatadogSlackMessage } from '../gateway/datadog-slack';
import { parseDatadogWebhook } from '../gateway/datadog-webhook';
import { alertFromText } from '../gateway/text-alert';
import { renderSummary, terminalPresenter } from '../present/terminal';
import type { Runtime } from '../runtime';
import { UsageError, withRuntime } from './common';

/** An --alert value: a file holding a webhook body or a Slack event, or free text. */
export function alertFromArgument(value: string, now: Date) {
  return existsSync(value) ? alertFromContent(readFileSync(value, 'utf8'), now) : alertFromText(value, now);
}

/** An alert given as text: the JSON of a DataDog webhook body or a Slack event, or what a person wrote. */
export function alertFromContent(text: string, now: Date) {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    return parseDatadogSlackMessage(json.event ?? json) ?? parseDatadogWebhook(json);
  } catch {
    return alertFromText(text, now);
  }
}

export async function runAndPresent(
  runtime: Runtime,
  alert: ReturnType<typeof alertFromText>,
  json: boolean,
): Promise<InvestigationResult> {
  const presenter = terminalPresenter();
  const result = await investigate({ alert, runtime, onEvent: presenter.onEvent });
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stderr.write(`${renderSummary(result, presenter.points)}\n`);
  return result;
}

export function register(program: Command): void {
  program
    .command('investigate')
    .description(
      'Investigate an alert: a scenario world (--scenario) or the configured real sources (--alert)',
    )
    .option('--scenario <dir>', 'scenario folder to investigate (served from the in-process sandbox)')
    .option(
      '--alert <file|text>',
      'alert to investigate against the configured sources: a JSON file (webhook body or Slack event) or free text',
    )
    .option('--json', 'print exactly one InvestigationResult on stdout (progress goes to stderr)')
    .action(async (opts: { scenario?: string; alert?: string; json?: boolean }) => {
      if (!opts.scenario && !opts.alert) throw new UsageError('give --scenario <dir> or --alert <file|text>');
      await withRuntime({ scenarioDir: opts.scenario, mcp: true }, async (runtime) => {
        const alert = opts.alert ? alertFromArgument(opts.alert, runtime.now()) : runtime.alertFromScenario!;
        await runAndPresent(runtime, alert, opts.json === true);
      });
    });
}
