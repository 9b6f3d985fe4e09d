import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { investigate } from '../../../../agent/investigate';
import { parseEnv } from '../../../../app/config';
import { silentLogger } from '../../../../app/logger';
import { createRuntime } from '../../../../app/runtime';
import { loadScenario } from '../../../../sandbox/scenario';
import { CLASSES } from '../../../../sandbox/scenario-builder/generator/classes';
import {
  type GeneratedWorld,
  generateWorld,
  TUNING_SEEDS,
} from '../../../../sandbox/scenario-builder/generator/index';
import { verifyWorld, writeScenarioCompact } from '../../../../sandbox/scenario-builder/generator/verify';
import { startSandbox } from '../../../../sandbox/server';
import { SANDBOX_CREDENTIALS } from '../../../../sandbox/sources';
import type { ToolContext } from '../../../../tools/contract';
import { executeTool } from '../../../../tools/execute';
import { createK8sTools } from '../../../../tools/k8s/index';
import type { PodsData } from '../../../../tools/k8s/pods';
import type { RolloutsData } from '../../../../tools/k8s/rollouts';

type Truth = { accept: string[] };
type Repo = { commits: { sha: string }[]; deployments: { sha: string; description: string }[] };

/** The first tuning world of a class that `wanted` picks (seeds rotate through the classes). */
function firstWorld(className: string, wanted: (w: GeneratedWorld) => boolean): GeneratedWorld {
  const offset = CLASSES.findIndex((c) => c.name === className);
  for (let seed = offset || CLASSES.length; seed <= TUNING_SEEDS.to; seed += CLASSES.length) {
    const w = generateWorld(seed);
    if (wanted(w)) return w;
  }
  throw new Error(`no ${className} world in the tuning seeds matches`);
}

const hasCluster = (w: GeneratedWorld) => 'k8s/pods.json' in w.files;
const clusterOnly = (w: GeneratedWorld) =>
  (w.files['truth.json'] as Truth).accept.some((ref) => ref.includes('/Deployment/'));
/** The alerting service: its Deployment is written first (the estate lists it first). */
const alertingService = (w: GeneratedWorld) =>
  (w.files['k8s/deployments.json'] as { metadata: { name: string } }[])[0]!.metadata.name;

/** A generated world written to disk and served by the sandbox, with the Kubernetes tools on it. */
async function served(w: GeneratedWorld) {
  const root = mkdtempSync(join(tmpdir(), 'gen-k8s-'));
  writeScenarioCompact(root, w.id, w.files);
  const dir = join(root, w.id);
  const sandbox = await startSandbox(dir);
  const tools = createK8sTools({ server: sandbox.url, token: SANDBOX_CREDENTIALS.token });
  const ctx: ToolContext = {
    now: new Date(sandbox.scenario.manifest.now),
    signal: new AbortController().signal,
    deadline: Date.now() + 30_000,
    logger: silentLogger,
    catalog: sandbox.scenario.manifest.catalog,
  };
  const run = async <T>(name: string, input: unknown) => {
    const obs = await executeTool(tools.find((t) => t.name === name)!, input, ctx);
    expect(obs.ok, obs.error).toBe(true);
    return obs.data as T;
  };
  return {
    dir,
    sandbox,
    run,
    close: async () => {
      await sandbox.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function solve(dir: string) {
  const runtime = await createRuntime({
    env: parseEnv({ SRE_DB_PATH: ':memory:' }),
    logger: silentLogger,
    scenarioDir: dir,
    dbPath: ':memory:',
  });
  try {
    return await investigate({ alert: runtime.alertFromScenario!, runtime });
  } finally {
    await runtime.close();
  }
}

describe('a memory-leak world on a cluster', () => {
  const world = firstWorld('memory-leak', hasCluster);
  let w: Awaited<ReturnType<typeof served>>;
  beforeAll(async () => {
    w = await served(world);
  });
  afterAll(() => w.close());

  it('is a sound world: it loads through the scenario schema and its truth refs exist', () => {
    expect(verifyWorld(world.id, world.files)).toEqual([]);
    expect(loadScenario(w.dir).k8s?.pods.length).toBeGreaterThan(0);
  });

  it("shows the kills to the real client: restarts and each pod's last termination, after the leaking release", async () => {
    const service = alertingService(world);
    const pods = await w.run<PodsData>('k8s.pods', { service });
    expect(pods.totals.restarts).toBeGreaterThan(0);
    const ended = pods.pods.flatMap((p) =>
      p.containers.flatMap((c) => (c.lastTermination ? [c.lastTermination] : [])),
    );
    expect(ended.length).toBeGreaterThan(0);
    for (const t of ended) {
      expect(t.reason === 'OOMKilled' ? t.exitCode === 137 : t.reason === 'Error' && t.exitCode! > 0).toBe(
        true,
      );
    }
    const rollouts = await w.run<RolloutsData>('k8s.rollouts', { service });
    const current = rollouts.rollouts.find((r) => r.current)!;
    // Every pod runs the current revision, which went out before the first kill.
    expect(new Set(pods.pods.map((p) => p.version))).toEqual(new Set([current.version]));
    expect(Math.min(...ended.map((t) => Date.parse(t.finishedAt!)))).toBeGreaterThan(Date.parse(current.at!));
  });

  it('is solved: the leaking release is the top suspect', async () => {
    const result = await solve(w.dir);
    expect((world.files['truth.json'] as Truth).accept).toContain(result.summary.suspects[0]?.ref);
    expect(result.evidence.some((e) => e.tool === 'k8s.pods')).toBe(true);
  }, 60_000);
});

describe('a bad-commit world whose release only the cluster shows', () => {
  const world = firstWorld('bad-commit', clusterOnly);
  let w: Awaited<ReturnType<typeof served>>;
  beforeAll(async () => {
    w = await served(world);
  });
  afterAll(() => w.close());

  it('has no GitHub deployment and no DataDog deploy event of the alerting service; the truth names its revision', () => {
    expect(verifyWorld(world.id, world.files)).toEqual([]);
    const service = alertingService(world);
    const repos = Object.entries(world.files).filter(([k]) => k.startsWith('github/'));
    const deployments = repos.flatMap(([, r]) => (r as Repo).deployments);
    expect(deployments.filter((d) => d.description.startsWith(`${service} `))).toEqual([]);
    const events = world.files['datadog/events.json'] as { tags: string[] }[];
    expect(
      events.filter(
        (e) => e.tags.includes(`service:${service}`) && e.tags.some((t) => t.startsWith('git.commit.sha:')),
      ),
    ).toEqual([]);
    expect((world.files['truth.json'] as Truth).accept.at(-1)).toMatch(
      new RegExp(`/Deployment/${service}@\\d+$`),
    );
  });

  it('shows the release to the real client as the newest ReplicaSet revision, with its image and version', async () => {
    const service = alertingService(world);
    const rollouts = await w.run<RolloutsData>('k8s.rollouts', { service });
    const ref = (world.files['truth.json'] as Truth).accept.at(-1)!;
    const current = rollouts.rollouts.find((r) => r.current)!;
    expect(`${current.namespace}/${current.workload}@${current.revision}`).toBe(ref);
    expect(current.images[0]).toMatch(new RegExp(`/${service}:`));
    expect(current.version).toBeDefined();
  });

  it('is solved: the commit the revision shipped is the top suspect, joined through the cluster', async () => {
    const result = await solve(w.dir);
    const top = result.summary.suspects[0]!;
    expect((world.files['truth.json'] as Truth).accept).toContain(top.ref);
    const rolloutEvidence = result.evidence.filter((e) => e.tool === 'k8s.rollouts').map((e) => e.id);
    expect(top.evidence.some((id) => rolloutEvidence.includes(id))).toBe(true);
  }, 60_000);
});
