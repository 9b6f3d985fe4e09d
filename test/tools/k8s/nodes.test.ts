import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import type { Tool } from '../../../tools/contract';
import type { NodesData } from '../../../tools/k8s/nodes';
import { contextFor } from '../helpers';
import { clusterSandbox } from './cluster';

describe('k8s.nodes with the real client against the sandbox', () => {
  let sandbox: Sandbox;
  let nodes: Tool;
  beforeAll(async () => {
    const c = await clusterSandbox();
    sandbox = c.sandbox;
    nodes = c.tool('k8s.nodes');
  });
  afterAll(() => sandbox.close());

  it('names the node whose kubelet stopped reporting, with the conditions that are not healthy', async () => {
    const o = await nodes.run({}, contextFor(sandbox));
    expect(o.ok).toBe(true);
    const data = o.data as NodesData;
    expect(data.notReady).toEqual(['ip-10-0-2-41.ec2.internal']);
    const bad = data.nodes.find((n) => n.name === 'ip-10-0-2-41.ec2.internal')!;
    expect(bad).toMatchObject({ ready: 'Unknown', zone: 'us-east-1b', kubeletVersion: 'v1.30.4' });
    expect(bad.problems.map((c) => `${c.type}=${c.status}`)).toEqual([
      'MemoryPressure=Unknown',
      'DiskPressure=Unknown',
      'PIDPressure=Unknown',
      'Ready=Unknown',
    ]);
    expect(bad.problems[3]).toMatchObject({ reason: 'NodeStatusUnknown', since: '2026-03-12T13:55:48.000Z' });
    expect(data.nodes.find((n) => n.name === 'ip-10-0-1-23.ec2.internal')!.problems).toEqual([]);
  });

  it('given a service, marks the nodes its pods run on and lists them first', async () => {
    const data = (await nodes.run({ service: 'ledger' }, contextFor(sandbox))).data as NodesData;
    expect(data.nodes.map((n) => [n.name, n.hostsService])).toEqual([
      ['ip-10-0-1-23.ec2.internal', true],
      ['ip-10-0-2-41.ec2.internal', false],
    ]);
  });
});
