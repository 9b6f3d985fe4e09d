import { join } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { withRuntime } from './common';
import { runAndPresent } from './investigate';

export const DEMO_SCENARIO = join(
  import.meta.dirname,
  '..',
  '..',
  'sandbox',
  'scenarios',
  'checkout-bad-commit',
);

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'Investigate the bundled demo scenario offline, with live output (no credentials, no network)',
    )
    .action(async () => {
      process.stderr.write(
        `${pc.dim('Demo: a sandbox serves a scenario world (DataDog, GitHub, Rootly, LaunchDarkly, runbooks) on loopback;\nthe offline investigator works it like an on-call engineer would.')}\n\n`,
      );
      await withRuntime({ scenarioDir: DEMO_SCENARIO }, async (runtime) => {
        await runAndPresent(runtime, runtime.alertFromScenario!, false);
      });
    });
}
