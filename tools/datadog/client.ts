import { client, logger as datadogClientLogger } from '@datadog/datadog-api-client';
import { TOOL_DEFAULTS } from '../defaults';
import { abortableSleep, errorDetail } from '../http';
import type { DataSources } from '../sources';
import { checkedJsonFetch, describeUnreadable, UnreadableResponseError } from '../unreadable';

export type DatadogConfig = NonNullable<DataSources['datadog']>;

// The client prints every failed request to the console, body and all, past the app's redacting
// logger; each failure already reaches the tool, which reports it.
datadogClientLogger.setLevel('silent');

/**
 * The client's own retry honours x-ratelimit-reset; we cap each wait (a 60 s reset is better
 * reported than waited for inside an investigation) and make it abortable. `sleep` is private in
 * the typings, so it is replaced on the instance rather than overridden in a subclass.
 */
function boundedRetryHttp(maxWaitMs: number, signal: AbortSignal): client.HttpLibrary {
  const http = new client.IsomorphicFetchHttpLibrary();
  Object.assign(http, {
    sleep: (ms: number) => abortableSleep(Math.min(ms, maxWaitMs), signal),
  });
  return http;
}

export function datadogConfiguration(cfg: DatadogConfig, signal: AbortSignal): client.Configuration {
  const configuration = client.createConfiguration({
    authMethods: { apiKeyAuth: cfg.apiKey, appKeyAuth: cfg.appKey },
    enableRetry: true,
    maxRetries: TOOL_DEFAULTS.maxRetries,
    httpApi: boundedRetryHttp(TOOL_DEFAULTS.maxRetryWaitMs, signal),
    // createConfiguration sets the library's fetch from here. The client turns a body it cannot
    // parse into an empty result ("no log lines matched"); checked first, it is a failure.
    fetch: checkedJsonFetch(),
    httpConfig: { signal },
    ...(cfg.baseUrl
      ? { baseServer: new client.BaseServerConfiguration(cfg.baseUrl.replace(/\/$/, ''), {}) }
      : {}),
  });
  if (!cfg.baseUrl) configuration.setServerVariables({ site: cfg.site });
  return configuration;
}

/**
 * The DataDog web app URL for a site (links shown to people). The three original sites put the
 * app on `app.` (app.datadoghq.com, app.datadoghq.eu, app.ddog-gov.com); the newer ones serve it
 * on the site's own host (us3.datadoghq.com, us5…, ap1…): `app.us3.datadoghq.com` does not exist.
 */
export function appUrl(cfg: Pick<DatadogConfig, 'site'>): string {
  const site = cfg.site.replace(/^app\./, '');
  return `https://${['datadoghq.com', 'datadoghq.eu', 'ddog-gov.com'].includes(site) ? `app.${site}` : site}`;
}

/** Turns a client error into what to change. */
export function describeDatadogError(err: unknown, what: string): string {
  if (err instanceof UnreadableResponseError) return describeUnreadable('DataDog', err, what);
  const e = err as { code?: number; body?: unknown; message?: string };
  const body =
    typeof e.body === 'object' && e.body ? JSON.stringify(e.body).slice(0, 200) : String(e.body ?? '');
  switch (e.code) {
    case 403:
    case 401:
      return `DataDog refused ${what} (HTTP ${e.code}): check DD_API_KEY / DD_APP_KEY and the key's scopes`;
    case 404:
      return `${what}: not found in DataDog`;
    case 400:
      return `DataDog rejected ${what} (HTTP 400): ${body} — fix the query syntax`;
    case 422:
      return `DataDog could not process ${what} (HTTP 422): ${errorDetail(e.body)}`;
    case 429:
      return `DataDog rate limit hit for ${what} after retries; try again shortly`;
    default:
      if (typeof e.code === 'number' && e.code >= 500)
        return `DataDog returned HTTP ${e.code} for ${what} after retries`;
      return `DataDog request for ${what} failed: ${e.message ?? String(err)}`;
  }
}
