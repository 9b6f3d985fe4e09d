import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { RETRY_BASE_MS, TOOL_DEFAULTS } from '../defaults';
import type { DataSources } from '../sources';
import { describeUnreadable, UnreadableResponseError, unreadableData } from '../unreadable';

export type GithubConfig = NonNullable<DataSources['github']>;

const RetryingOctokit = Octokit.plugin(retry, throttling);
export type GithubClient = InstanceType<typeof RetryingOctokit>;

/**
 * Octokit with the retry plugin (5xx, bounded, backoff) and the throttling plugin (429 / rate
 * limits honouring Retry-After, bounded retries and wait). Requests abort with the call's signal.
 */
export function githubClient(
  cfg: GithubConfig,
  signal: AbortSignal,
  retryBaseMs = RETRY_BASE_MS,
): GithubClient {
  const maxRetries = TOOL_DEFAULTS.maxRetries;
  const shouldRetry = (retryAfterSeconds: number, _options: unknown, _octokit: unknown, retryCount: number) =>
    retryCount < maxRetries && retryAfterSeconds * 1000 <= TOOL_DEFAULTS.maxRetryWaitMs;
  const octokit = new RetryingOctokit({
    auth: cfg.token,
    baseUrl: (cfg.baseUrl ?? 'https://api.github.com').replace(/\/$/, ''),
    userAgent: 'sre-assistant',
    request: { signal, retries: maxRetries, retryAfter: retryBaseMs / 1000 },
    retry: { retries: maxRetries, retryAfterBaseValue: retryBaseMs },
    throttle: {
      onRateLimit: shouldRetry,
      onSecondaryRateLimit: shouldRetry,
      fallbackSecondaryRateRetryAfter: 1,
    },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  // Octokit hands a body it cannot parse back as text. Registered last, this wraps the retry and
  // throttling plugins: an unreadable body is reported, not retried.
  octokit.hook.wrap('request', async (request, options) => {
    const response = await request(options);
    const unreadable = unreadableData(response.status, response.data);
    if (unreadable) throw unreadable;
    return response;
  });
  return octokit;
}

export function describeGithubError(err: unknown, what: string): string {
  if (err instanceof UnreadableResponseError) return describeUnreadable('GitHub', err, what);
  const e = err as { status?: number; message?: string };
  switch (e.status) {
    case 401:
      return `GitHub refused ${what} (401 Bad credentials): check GITHUB_TOKEN`;
    case 403:
      return `GitHub refused ${what} (403): the token lacks access to this repository or hit a rate limit`;
    case 404:
      return `${what}: not found on GitHub (check the owner/repo name and the token's access)`;
    case 422:
      return `GitHub could not process ${what}: ${e.message ?? ''}`;
    case 429:
      return `GitHub rate limit hit for ${what} after retries; try again shortly`;
    default:
      if (typeof e.status === 'number' && e.status >= 500)
        return `GitHub returned HTTP ${e.status} for ${what} after retries`;
      return `GitHub request for ${what} failed: ${e.message ?? String(err)}`;
  }
}
