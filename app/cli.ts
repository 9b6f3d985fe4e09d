import { Command, CommanderError } from 'commander';
import { UsageError } from './commands/common';
import { commandRegistrations } from './commands/index';
import { ConfigError, loadDotEnv } from './config';

/** Exit codes: 0 ok, 1 the command failed, 2 the command line was wrong. */
export const EXIT_USAGE = 2;

export function buildProgram(): Command {
  const program = new Command('sre')
    .description('SRE Assistant: investigates production alerts from the terminal or Slack.')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .exitOverride();
  for (const register of commandRegistrations) register(program);
  // Subcommands inherit strictness and the exit override so every level fails the same way.
  const harden = (cmd: Command) => {
    cmd.exitOverride();
    cmd.showHelpAfterError('(run with --help for usage)');
    cmd.commands.forEach(harden);
  };
  program.commands.forEach(harden);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return 0;
      return EXIT_USAGE;
    }
    if (err instanceof ConfigError || err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

const isMain = process.argv[1] !== undefined && /app[\\/]cli\.ts$/.test(process.argv[1]);
if (isMain) {
  loadDotEnv();
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
