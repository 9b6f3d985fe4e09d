import type { DataSources } from '../tools/sources';

/** Credentials the sandbox accepts; they only ever travel to loopback. */
export const SANDBOX_CREDENTIALS = {
  token: 'sandbox-token',
  apiKey: 'sandbox-dd-api-key',
  appKey: 'sandbox-dd-app-key',
} as const;

/**
 * Points every data-source client at one sandbox URL. Kubernetes only for a world with a cluster
 * (a k8s/ folder): a world without one runs elsewhere, and its tools would only ever answer nothing.
 */
export function sandboxDataSources(url: string, options: { kubernetes?: boolean } = {}): DataSources {
  return {
    datadog: {
      apiKey: SANDBOX_CREDENTIALS.apiKey,
      appKey: SANDBOX_CREDENTIALS.appKey,
      site: 'datadoghq.com',
      baseUrl: url,
    },
    github: { token: SANDBOX_CREDENTIALS.token, baseUrl: url },
    rootly: { token: SANDBOX_CREDENTIALS.token, baseUrl: url },
    launchdarkly: { token: SANDBOX_CREDENTIALS.token, baseUrl: url },
    ...(options.kubernetes ? { kubernetes: { server: url, token: SANDBOX_CREDENTIALS.token } } : {}),
  };
}
