import {
  ApiException,
  AppsV1Api,
  AutoscalingV2Api,
  type ConfigurationOptions,
  CoreV1Api,
  KubeConfig,
  Observable,
  type RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';
import type { DataSources } from '../sources';
import { describeUnreadable, UnreadableResponseError, unreadableDetail } from '../unreadable';

export type K8sConfig = NonNullable<DataSources['kubernetes']>;

/** The three API groups the tools read; the client has no write call here that a tool makes. */
export type K8sApis = { core: CoreV1Api; apps: AppsV1Api; autoscaling: AutoscalingV2Api };

/**
 * The sandbox (or any cluster given by URL and token), else the usual kubeconfig: KUBECONFIG,
 * ~/.kube/config or the in-cluster service account, as kubectl finds them. Throws when none loads.
 */
export function kubeConfigOf(cfg: K8sConfig): KubeConfig {
  const kc = new KubeConfig();
  if (cfg.server) {
    kc.loadFromOptions({
      // The client refuses plain HTTP unless TLS checks are off; only the loopback sandbox speaks it.
      clusters: [{ name: 'cluster', server: cfg.server, skipTLSVerify: cfg.server.startsWith('http://') }],
      users: [{ name: 'reader', token: cfg.token }],
      contexts: [{ name: 'reader@cluster', cluster: 'cluster', user: 'reader' }],
      currentContext: 'reader@cluster',
    });
    return kc;
  }
  kc.loadFromDefault();
  if (cfg.context) {
    if (!kc.getContextObject(cfg.context))
      throw new Error(`context ${JSON.stringify(cfg.context)} (SRE_K8S_CONTEXT) is not in the kubeconfig`);
    kc.setCurrentContext(cfg.context);
  }
  if (!kc.getCurrentCluster()) throw new Error('the kubeconfig names no current cluster');
  return kc;
}

/**
 * Built once per family, on first use: a kubeconfig that cannot be read fails each Kubernetes
 * call with what was wrong, and costs nothing else.
 */
export function lazyApis(cfg: K8sConfig): () => K8sApis {
  let apis: K8sApis | undefined;
  let problem: Error | undefined;
  return () => {
    if (apis) return apis;
    if (problem) throw problem;
    try {
      const kc = kubeConfigOf(cfg);
      apis = {
        core: kc.makeApiClient(CoreV1Api),
        apps: kc.makeApiClient(AppsV1Api),
        autoscaling: kc.makeApiClient(AutoscalingV2Api),
      };
      return apis;
    } catch (err) {
      problem = new KubeConfigError(err instanceof Error ? err.message : String(err));
      throw problem;
    }
  };
}

export class KubeConfigError extends Error {
  constructor(detail: string) {
    super(`Kubernetes is not reachable: cannot load the kubeconfig (${detail})`);
    this.name = 'KubeConfigError';
  }
}

/**
 * A success whose body is not JSON (an HTML login wall, a cut-off body) is a failure of the
 * source: the client would otherwise read it as an empty list, "no pods".
 */
async function checkedBody(res: ResponseContext): Promise<ResponseContext> {
  if (res.httpStatusCode < 200 || res.httpStatusCode >= 300) return res;
  const text = await readBodyText(res);
  const detail = unreadableDetail(text);
  if (detail) throw new UnreadableResponseError(res.httpStatusCode, detail);
  return new ResponseContext(res.httpStatusCode, res.headers, {
    text: async () => text,
    binary: async () => Buffer.from(text),
  });
}

async function readBodyText(res: ResponseContext): Promise<string> {
  try {
    return await res.body.text();
  } catch (err) {
    if (err instanceof Error && err.name === 'AbortError') throw err;
    throw new UnreadableResponseError(res.httpStatusCode, `the body was cut off (${(err as Error).message})`);
  }
}

/** Per-call options: the tool's cancellation signal on every request, and every body checked to be JSON. */
export function withSignal(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (ctx: RequestContext) => {
          ctx.setSignal(signal);
          return new Observable(Promise.resolve(ctx));
        },
        post: (res: ResponseContext) => new Observable(checkedBody(res)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/** The API server's message from a Status body, which the client hands over as text or object. */
function statusMessage(body: unknown): string {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.slice(0, 200);
    }
  }
  const v = value as { message?: unknown; errors?: unknown } | undefined;
  if (typeof v?.message === 'string') return v.message.slice(0, 300);
  return JSON.stringify(value ?? '').slice(0, 200);
}

/** Turns a client error into what to change. */
export function describeK8sError(err: unknown, what: string): string {
  if (err instanceof KubeConfigError) return err.message;
  if (err instanceof UnreadableResponseError) return describeUnreadable('Kubernetes', err, what);
  if (err instanceof ApiException) {
    const detail = statusMessage(err.body);
    switch (err.code) {
      case 401:
        return `Kubernetes refused ${what} (HTTP 401): the kubeconfig's credentials were not accepted`;
      case 403:
        return `Kubernetes forbade ${what} (HTTP 403: ${detail}): grant get/list on it in the ClusterRole (README)`;
      case 404:
        return `${what}: not found in Kubernetes (${detail})`;
      case 400:
        return `Kubernetes rejected ${what} (HTTP 400): ${detail}`;
      default:
        return `Kubernetes returned HTTP ${err.code} for ${what}: ${detail}`;
    }
  }
  if (err instanceof SyntaxError)
    return `Kubernetes returned an unreadable response for ${what} (${err.message})`;
  return `Kubernetes request for ${what} failed: ${err instanceof Error ? err.message : String(err)}`;
}
