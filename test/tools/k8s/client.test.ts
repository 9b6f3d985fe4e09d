import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import { createK8sTools } from '../../../tools/k8s/index';
import { contextFor } from '../helpers';
import { clusterSandbox } from './cluster';

describe('the Kubernetes client: credentials and failures', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    ({ sandbox } = await clusterSandbox());
  });
  afterAll(() => sandbox.close());
  const pods = (cfg: Parameters<typeof createK8sTools>[0]) =>
    createK8sTools(cfg).find((t) => t.name === 'k8s.pods')!;

  it('a refused token and a forbidden list are reported as what to fix', async () => {
    sandbox.faults.add('/api/v1/pods', { status: 403, times: 1 });
    const forbidden = await pods({ server: sandbox.url, token: 't' }).run(
      { service: 'checkout' },
      contextFor(sandbox),
    );
    expect(forbidden.ok).toBe(false);
    expect(forbidden.error).toMatch(/Kubernetes forbade the pods of checkout \(HTTP 403.*grant get\/list/);
    const noToken = await pods({ server: sandbox.url }).run({ service: 'checkout' }, contextFor(sandbox));
    expect(noToken.error).toMatch(/HTTP 401/);
  });

  it('a body that is not JSON is an unreadable response, not an empty cluster', async () => {
    sandbox.faults.add('/api/v1/pods', { notJson: true, times: 1 });
    const o = await pods({ server: sandbox.url, token: 't' }).run(
      { service: 'checkout' },
      contextFor(sandbox),
    );
    expect(o.ok).toBe(false);
    expect(o.error).toMatch(
      /Kubernetes returned an unreadable response for the pods of checkout \(HTTP 200: not valid JSON/,
    );
  });

  it('a kubeconfig that cannot be read, or lacks the context asked for, fails each call saying so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
    const file = join(dir, 'config');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: sandbox.url } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'staging', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'staging',
      }),
    );
    const prev = process.env.KUBECONFIG;
    try {
      process.env.KUBECONFIG = file;
      const wrongContext = await pods({ context: 'prod' }).run({ service: 'checkout' }, contextFor(sandbox));
      expect(wrongContext.error).toMatch(
        /cannot load the kubeconfig \(context "prod" \(SRE_K8S_CONTEXT\) is not in the kubeconfig\)/,
      );
      process.env.KUBECONFIG = join(dir, 'missing');
      const missing = await pods({}).run({ service: 'checkout' }, contextFor(sandbox));
      expect(missing.error).toMatch(/cannot load the kubeconfig \(ENOENT.*missing/);
    } finally {
      if (prev === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = prev;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
