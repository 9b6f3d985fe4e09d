import type { Tool } from '../contract';
import { changesTool } from './changes';
import type { GithubConfig } from './client';
import { commitTool } from './commit';

/** Read-only GitHub tools on @octokit/rest with the retry and throttling plugins. */
export function createGithubTools(cfg: GithubConfig, options: { retryBaseMs?: number } = {}): Tool[] {
  return [changesTool(cfg, options.retryBaseMs), commitTool(cfg, options.retryBaseMs)];
}
