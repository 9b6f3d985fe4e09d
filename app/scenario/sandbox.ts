/**
 * The scenario switch's one door into sandbox/ (the dependency check lets no other production
 * module through): everything scenario mode (`--scenario`, SRE_SCENARIO, eval, generated worlds)
 * uses of the loopback world, named here so what production code can reach stays visible.
 */

export { channelOf, listScenarioDirs, loadScenario, type Scenario } from '../../sandbox/scenario';
export { generateWorlds } from '../../sandbox/scenario-builder/generator/cli';
export { parseSeeds } from '../../sandbox/scenario-builder/generator/index';
export type { Truth } from '../../sandbox/scenario-schema';
export { type Sandbox, startSandbox } from '../../sandbox/server';
export { SANDBOX_CREDENTIALS, sandboxDataSources } from '../../sandbox/sources';
