import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import type { Tool } from '../../../tools/contract';
import type { PodsData } from '../../../tools/k8s/pods';
import { contextFor } from '../helpers';
import { clusterSandbox, fixtureCluster } from './cluster';

describe('k8s.pods with the real client against the sandbox', () => {
  let sandbox: Sandbox;
  let pods: Tool;
  beforeAll(async () => {
    const c = await clusterSandbox();
    sandbox = c.sandbox;
    pods = c.tool('k8s.pods');
  });
  afterAll(() => sandbox.close());

  it('finds a service by app.kubernetes.io/name and reads OOM kills, crash loops, restarts and versions', async () => {
    const o = await pods.run({ service: 'checkout' }, contextFor(sandbox));
    expect(o.ok).toBe(true);
    const data = o.data as PodsData;
    expect(data.selector).toBe('app.kubernetes.io/name=checkout');
    expect(data.totals).toEqual({ pods: 2, ready: 1, restarts: 10, oomKilled: 2, crashLooping: 1 });
    const [crashing] = data.pods;
    expect(crashing).toMatchObject({
      name: 'checkout-7d9f8c6b5d-9kq4w',
      namespace: 'shop',
      node: 'ip-10-0-2-41.ec2.internal',
      ready: false,
      version: '1.9.0',
    });
    expect(crashing!.containers[0]).toMatchObject({
      state: 'waiting',
      reason: 'CrashLoopBackOff',
      lastTermination: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-03-12T13:58:39.000Z' },
    });
    expect(o.summary).toMatch(/2 OOMKilled, 1 in CrashLoopBackOff/);
    expect(o.citations.map((c) => c.ref)).toContain('pod:shop/checkout-7d9f8c6b5d-9kq4w');
  });

  it('sent a bearer token and a bounded label-selected list to the API', () => {
    const call = sandbox.requests.find((r) => r.path === '/api/v1/pods');
    expect(call?.query).toMatchObject({ labelSelector: 'app.kubernetes.io/name=checkout', limit: '500' });
    expect(call?.headers.authorization).toBe('Bearer sandbox-token');
  });

  it("falls back to DataDog's tags.datadoghq.com/service label, and to the catalog's own selector", async () => {
    const cluster = fixtureCluster();
    for (const p of cluster.pods) delete p.metadata.labels!['app.kubernetes.io/name'];
    const c = await clusterSandbox(cluster);
    try {
      const ctx = contextFor(c.sandbox);
      const byTag = (await c.tool('k8s.pods').run({ service: 'ledger' }, ctx)).data as PodsData;
      expect(byTag.selector).toBe('tags.datadoghq.com/service=ledger');
      expect(byTag.pods.map((p) => p.name)).toEqual(['ledger-0']);
      const catalog = {
        services: {
          payments: {
            repos: [],
            kubernetes: { namespace: 'shop', labelSelector: 'statefulset.kubernetes.io/pod-name=ledger-0' },
          },
        },
      };
      const mapped = (await c.tool('k8s.pods').run({ service: 'payments' }, { ...ctx, catalog }))
        .data as PodsData;
      expect(mapped.pods.map((p) => p.name)).toEqual(['ledger-0']);
      expect(c.sandbox.requests.at(-1)?.path).toBe('/api/v1/namespaces/shop/pods');
    } finally {
      await c.sandbox.close();
    }
  });

  it('no pods: says which selectors it tried; a service name no label can hold is refused by the schema', async () => {
    const o = await pods.run({ service: 'search' }, contextFor(sandbox));
    expect(o.ok).toBe(true);
    expect(o.summary).toMatch(
      /No pods of search in any namespace \(selectors tried: app.kubernetes.io\/name=search; tags.datadoghq.com\/service=search\)/,
    );
    expect(pods.input.safeParse({ service: 'not a label' }).success).toBe(false);
  });
});
