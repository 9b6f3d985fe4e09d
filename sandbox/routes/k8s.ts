import { json, type Route, type SandboxRequest, type SandboxResponse, type SandboxWorld } from '../http';
import { compileFieldSelector, FieldSelectorError } from '../query/field-selector';
import { compileLabelSelector, LabelSelectorError } from '../query/label-selector';
import { K8S_RESOURCES, type K8sResource } from '../scenario';
import type { K8sObject } from '../scenario-schema';

/**
 * The Kubernetes API's list endpoints, served from the world's k8s/ folder in the API's wire
 * format (https://kubernetes.io/docs/reference/using-api/api-concepts/): a `<Kind>List` with
 * `metadata.resourceVersion` and `items` (which, unlike kubectl's output, carry no kind or
 * apiVersion), `labelSelector`, `fieldSelector`, `limit` with a `continue` token, a Bearer token
 * required, and failures as `Status` objects. Read-only: there is no route for any other verb.
 */
const API: Record<K8sResource, { prefix: string; apiVersion: string; kind: string }> = {
  pods: { prefix: '/api/v1', apiVersion: 'v1', kind: 'PodList' },
  events: { prefix: '/api/v1', apiVersion: 'v1', kind: 'EventList' },
  nodes: { prefix: '/api/v1', apiVersion: 'v1', kind: 'NodeList' },
  deployments: { prefix: '/apis/apps/v1', apiVersion: 'apps/v1', kind: 'DeploymentList' },
  replicasets: { prefix: '/apis/apps/v1', apiVersion: 'apps/v1', kind: 'ReplicaSetList' },
  statefulsets: { prefix: '/apis/apps/v1', apiVersion: 'apps/v1', kind: 'StatefulSetList' },
  controllerrevisions: { prefix: '/apis/apps/v1', apiVersion: 'apps/v1', kind: 'ControllerRevisionList' },
  horizontalpodautoscalers: {
    prefix: '/apis/autoscaling/v2',
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscalerList',
  },
};

/** The one resourceVersion the sandbox's unchanging world has. */
const RESOURCE_VERSION = '1000';

function status(code: number, reason: string, message: string): SandboxResponse {
  return json(
    { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code },
    code,
  );
}

/** A list item as the API server sends it: no kind or apiVersion of its own. */
function asListItem(o: K8sObject): Record<string, unknown> {
  const {
    kind: _kind,
    apiVersion: _apiVersion,
    ...rest
  } = o as K8sObject & { kind?: unknown; apiVersion?: unknown };
  return rest;
}

/** `continue` tokens are opaque to clients; here they are the offset of the next item. */
function offsetOf(token: string | null): number {
  if (!token) return 0;
  const n = Number(Buffer.from(token, 'base64url').toString('utf8'));
  return Number.isInteger(n) && n >= 0 ? n : Number.NaN;
}

function listHandler(resource: K8sResource) {
  return (req: SandboxRequest, world: SandboxWorld): SandboxResponse => {
    if (!/^Bearer \S+/.test(String(req.headers.authorization ?? '')))
      return status(401, 'Unauthorized', 'Unauthorized');
    let matches: (o: K8sObject) => boolean;
    try {
      const labels = compileLabelSelector(req.query.get('labelSelector'));
      const fields = compileFieldSelector(req.query.get('fieldSelector'));
      matches = (o) => labels(o.metadata.labels ?? {}) && fields(o);
    } catch (err) {
      if (err instanceof LabelSelectorError || err instanceof FieldSelectorError)
        return status(400, 'BadRequest', err.message);
      throw err;
    }
    const offset = offsetOf(req.query.get('continue'));
    if (!Number.isFinite(offset)) return status(410, 'Expired', 'The provided continue parameter is too old');
    const namespace = req.params.namespace;
    const all = (world.scenario.k8s?.[resource] ?? [])
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .filter(matches)
      .sort(
        (a, b) =>
          (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
          a.metadata.name.localeCompare(b.metadata.name),
      );
    const limit = Number(req.query.get('limit') ?? 0);
    const end = limit > 0 ? offset + limit : all.length;
    const more = end < all.length;
    const { apiVersion, kind } = API[resource];
    return json({
      kind,
      apiVersion,
      metadata: {
        resourceVersion: RESOURCE_VERSION,
        ...(more
          ? { continue: Buffer.from(String(end)).toString('base64url'), remainingItemCount: all.length - end }
          : {}),
      },
      items: all.slice(offset, end).map(asListItem),
    });
  };
}

export const routes: Route[] = (Object.keys(API) as K8sResource[]).flatMap((resource) => {
  const { prefix } = API[resource];
  const handler = listHandler(resource);
  const reads = () => `k8s/${resource}.json`;
  const clusterWide: Route = { method: 'GET', pattern: `${prefix}/${resource}`, handler, reads };
  return K8S_RESOURCES[resource].namespaced
    ? [{ method: 'GET', pattern: `${prefix}/namespaces/:namespace/${resource}`, handler, reads }, clusterWide]
    : [clusterWide];
});
