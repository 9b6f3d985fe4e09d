/**
 * The layering of DESIGN.md, checked on every `npm test` (`npm run deps`):
 *   app -> agent -> tools -> data,  indexer -> data,  and lib/ (leaf helpers) under all of them.
 * test/ and bench/ may import anything; sandbox/ stands in for the outside world.
 * There is no list of known violations: every rule holds everywhere.
 */
const PRODUCTION = '^(app|agent|tools|indexer|data|lib)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type-only ones included: a cycle is two modules that are really one.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-is-a-leaf',
      severity: 'error',
      comment: 'lib/ holds helpers every layer uses (redaction, token counts); it imports no project code.',
      from: { path: '^lib/' },
      to: { path: '^(app|agent|tools|indexer|data|sandbox|test|bench)/' },
    },
    {
      name: 'data-is-the-bottom',
      severity: 'error',
      comment: 'data/ is the store: it knows nothing of the layers above it.',
      from: { path: '^data/' },
      to: { path: '^(app|agent|tools|indexer|sandbox)/' },
    },
    {
      name: 'indexer-only-to-data',
      severity: 'error',
      comment: 'indexer -> data: connectors that need a tool client or Slack are built in app/.',
      from: { path: '^indexer/' },
      to: { path: '^(app|agent|tools|sandbox)/' },
    },
    {
      name: 'tools-only-to-data',
      severity: 'error',
      comment: 'tools -> data: a tool never reaches up into the agent, the app or the indexer.',
      from: { path: '^tools/' },
      to: { path: '^(app|agent|indexer|sandbox)/' },
    },
    {
      name: 'agent-only-to-tools-and-data',
      severity: 'error',
      comment: 'agent -> tools -> data: the agent is given what it needs by app/, never imports it.',
      from: { path: '^agent/' },
      to: { path: '^(app|indexer|sandbox)/' },
    },
    {
      name: 'offline-not-to-learning',
      severity: 'error',
      comment: 'Learned effects are injected into the offline planner by investigate.ts.',
      from: { path: '^agent/offline/' },
      to: { path: '^agent/learning/' },
    },
    {
      name: 'slack-only-in-app',
      severity: 'error',
      comment: 'Only app/ talks to Slack; the layers below are Slack-agnostic.',
      from: { path: PRODUCTION, pathNot: '^app/' },
      to: { path: '(^|/)node_modules/@slack/' },
    },
    {
      name: 'sandbox-only-through-the-scenario-switch',
      severity: 'error',
      comment:
        'Production code reaches the sandbox only through the scenario switch: app/scenario/sandbox.ts ' +
        'is its one door (the runtime calls mountScenario; eval and generated worlds use the same door).',
      from: { path: PRODUCTION, pathNot: '^app/scenario/sandbox\\.ts$' },
      to: { path: '^sandbox/' },
    },
    {
      name: 'sandbox-not-to-app',
      severity: 'error',
      comment: 'The sandbox stands in for the outside world: it never imports the product it serves.',
      from: { path: '^sandbox/' },
      to: { path: '^app/' },
    },
    {
      name: 'production-not-to-tests',
      severity: 'error',
      from: { path: PRODUCTION },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    // node_modules is a symlink in worktrees: keep its path so the @slack/ rule sees it.
    preserveSymlinks: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(coverage|tmp)/' },
  },
};
