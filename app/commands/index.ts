import type { Command } from 'commander';
import { register as demo } from './demo';
import { register as evalCmd } from './eval';
import { register as indexCmd } from './index-cmd';
import { register as investigate } from './investigate';
import { register as learn } from './learn';
import { register as mcp } from './mcp';
import { register as report } from './report';
import { register as search } from './search';
import { register as show } from './show';
import { register as tools } from './tools';
import { register as webhooks } from './webhooks';

/**
 * Each CLI command lives in its own file and exports `register(program)`.
 * Add one line here per command.
 */
export const commandRegistrations: ((program: Command) => void)[] = [
  investigate,
  demo,
  evalCmd,
  tools,
  search,
  indexCmd,
  show,
  learn,
  report,
  webhooks,
  mcp,
];
