import type { Command } from 'commander';

/**
 * Each CLI command lives in its own file and exports `register(program)`.
 * Add one line here per command.
 */
export const commandRegistrations: ((program: Command) => void)[] = [];
