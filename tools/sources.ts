/**
 * Connection settings for each data source. The registry offers a source's tools only when its
 * entry is present. Built from the environment (app/) or pointed at the sandbox (sandbox/).
 */
export type DataSources = {
  datadog?: { apiKey: string; appKey: string; site: string; baseUrl?: string };
  github?: { token: string; baseUrl?: string };
  rootly?: { token: string; baseUrl: string };
  launchdarkly?: { token: string; baseUrl: string };
  /**
   * A cluster given by `server` and a bearer `token` (the sandbox), or else the usual kubeconfig:
   * KUBECONFIG, ~/.kube/config or the in-cluster service account, optionally at `context`.
   */
  kubernetes?: { server?: string; token?: string; context?: string };
};
