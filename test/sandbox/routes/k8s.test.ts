import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { K8sResource } from '../../../sandbox/scenario';
import type { Sandbox } from '../../../sandbox/server';
import { missingPaths, shapeDrift, vendorFixture } from '../../fixtures/real/wire-shape';
import { demoSandbox } from '../../tools/helpers';
import { clusterSandbox, FIXTURE_OF } from '../../tools/k8s/cluster';

const PATHS: Record<K8sResource, string> = {
  pods: '/api/v1/namespaces/shop/pods',
  events: '/api/v1/namespaces/shop/events',
  nodes: '/api/v1/nodes',
  deployments: '/apis/apps/v1/namespaces/shop/deployments',
  replicasets: '/apis/apps/v1/namespaces/shop/replicasets',
  statefulsets: '/apis/apps/v1/namespaces/shop/statefulsets',
  controllerrevisions: '/apis/apps/v1/namespaces/shop/controllerrevisions',
  horizontalpodautoscalers: '/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers',
};

/** The sandbox's Kubernetes routes answer in the shape of the API reference's objects. */
describe('sandbox Kubernetes routes against the published shape', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    ({ sandbox } = await clusterSandbox());
  });
  afterAll(() => sandbox.close());
  const get = async (path: string, token = 'Bearer t') => {
    const res = await fetch(`${sandbox.url}${path}`, { headers: token ? { authorization: token } : {} });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  for (const [resource, path] of Object.entries(PATHS) as [K8sResource, string][]) {
    const { kind } = vendorFixture('k8s', FIXTURE_OF[resource]).response as { kind: string };
    it(`GET ${path}: a ${kind} shaped like the reference's, its items without kind or apiVersion`, async () => {
      const { status, body } = await get(path);
      expect(status).toBe(200);
      const published = vendorFixture('k8s', FIXTURE_OF[resource]).response as { kind: string };
      expect(body.kind).toBe(published.kind);
      expect((body.items as unknown[]).length).toBeGreaterThan(0);
      expect(shapeDrift(body, published)).toEqual([]);
      expect(missingPaths(body, ['$.metadata.resourceVersion', '$.items[].metadata.name'])).toEqual([]);
      expect((body.items as Record<string, unknown>[]).some((i) => 'kind' in i || 'apiVersion' in i)).toBe(
        false,
      );
    });
  }

  it('a labelSelector keeps only the objects whose labels satisfy every requirement', async () => {
    const names = async (selector: string) =>
      (
        (await get(`/api/v1/pods?labelSelector=${encodeURIComponent(selector)}`)).body.items as {
          metadata: { name: string };
        }[]
      ).map((p) => p.metadata.name);
    expect(await names('tags.datadoghq.com/service=ledger')).toEqual(['ledger-0']);
    expect(await names('app.kubernetes.io/name in (checkout),tags.datadoghq.com/version!=1.8.2')).toEqual([
      'checkout-7d9f8c6b5d-9kq4w',
      'checkout-7d9f8c6b5d-x2x7q',
    ]);
    expect(await names('controller-revision-hash')).toEqual(['ledger-0']);
  });

  it('a fieldSelector filters on fields; other namespaces hold nothing', async () => {
    const { body } = await get('/api/v1/namespaces/shop/events?fieldSelector=involvedObject.kind%3DPod');
    expect((body.items as { reason: string }[]).map((e) => e.reason)).toEqual(['BackOff']);
    expect(((await get('/api/v1/namespaces/other/pods')).body.items as unknown[]).length).toBe(0);
  });

  it('limit pages with a continue token until the last page', async () => {
    const first = (await get('/api/v1/pods?limit=2')).body as {
      metadata: { continue?: string };
      items: unknown[];
    };
    expect(first.items).toHaveLength(2);
    const rest = (await get(`/api/v1/pods?limit=2&continue=${first.metadata.continue}`)).body as typeof first;
    expect(rest.items).toHaveLength(1);
    expect(rest.metadata.continue).toBeUndefined();
  });

  it('no bearer token: 401 as a Status object; a selector that cannot be parsed: 400 naming it', async () => {
    const denied = await get(PATHS.pods, '');
    expect(denied.status).toBe(401);
    expect(shapeDrift(denied.body, vendorFixture('k8s', 'status-unauthorized').response)).toEqual([]);
    const bad = await get('/api/v1/pods?labelSelector=app%20in%20()');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/app in \(\)/);
  });

  it('a world without a k8s/ folder answers empty lists, not errors', async () => {
    const plain = await demoSandbox();
    try {
      const res = await fetch(`${plain.url}/api/v1/nodes`, { headers: { authorization: 'Bearer t' } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { items: unknown[] }).items).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});
