// The dependency rules of the code base (docs/design.md §7), checked by
// test/unit/architecture.test.ts on every `npm test` and by hand with
// `npx depcruise functions lib local simulator bench bin scripts test`.
// Type-only imports count: a type-level cycle is still a cycle.

const ROUTES = '(complete|redirect|webhook|orders|reconcile|settled)';

/** The files the stack shares with the functions: facts and rules that import nothing of ours. */
const SHARED_FACTS = [
  '^functions/domain/model/portone-mode\\.ts$',
  '^functions/adapters/eventbridge/event-names\\.ts$',
  '^functions/adapters/dynamodb/table-design\\.ts$',
  '^functions/domain/model/log-lines\\.ts$',
  '^functions/runtime/setting-rules\\.ts$',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle means two modules cannot be understood (or changed) one at a time.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'The domain imports nothing but the domain: no AWS, no HTTP, no Node built-ins.',
      severity: 'error',
      from: { path: '^functions/domain/' },
      to: { pathNot: '^functions/domain/' },
    },
    {
      name: 'model-is-a-leaf',
      comment: 'model/ holds the types and the words; it depends on nothing else.',
      severity: 'error',
      from: { path: '^functions/domain/model/' },
      to: { pathNot: '^functions/domain/model/' },
    },
    {
      name: 'rules-decide-alone',
      comment: 'rules/ are pure decisions on the model: no ports, no use cases.',
      severity: 'error',
      from: { path: '^functions/domain/rules/' },
      to: { path: '^functions/domain/(ports|use-cases)/' },
    },
    {
      name: 'ports-name-the-model',
      comment: 'A port is an interface in terms of the model only.',
      severity: 'error',
      from: { path: '^functions/domain/ports/' },
      to: { path: '^functions/domain/(rules|use-cases)/' },
    },
    {
      name: 'http-is-presentation',
      comment: 'functions/http/ turns requests and results into HTTP; it never wires adapters.',
      severity: 'error',
      from: { path: '^functions/http/' },
      to: { path: `^functions/(adapters|runtime|${ROUTES})/` },
    },
    {
      name: 'adapters-implement-ports',
      comment: 'An adapter implements a port; use cases, HTTP and wiring sit above it.',
      severity: 'error',
      from: { path: '^functions/adapters/' },
      to: { path: `^functions/(domain/use-cases|http|runtime|${ROUTES})/` },
    },
    {
      name: 'routes-get-injected',
      comment:
        'A route builds its handler from injected dependencies; only its handler.ts entry point reaches the runtime wiring.',
      severity: 'error',
      from: { path: '^functions/(complete|redirect|webhook|orders)/', pathNot: '/handler\\.ts$' },
      to: { path: '^functions/(adapters|runtime)/' },
    },
    {
      name: 'functions-stand-alone',
      comment:
        'What is bundled into a Lambda function never reaches into the stack, the local stack or tests.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(lib|bin|local|simulator|bench|scripts|test)/' },
    },
    {
      name: 'stack-reads-facts-only',
      comment:
        'The stack reads the facts it shares with the functions from files with no imports of ours (names, modes, table design, setting rules), never code that runs in a function.',
      severity: 'error',
      from: { path: '^(lib|bin)/' },
      to: {
        path: '^functions/',
        pathNot: SHARED_FACTS,
      },
    },
    {
      name: 'shared-facts-import-nothing',
      comment:
        'A fact the stack and the functions share stays a leaf, so reading it never pulls function code into the stack.',
      severity: 'error',
      from: { path: SHARED_FACTS },
      to: { path: '^(functions|lib|bin|local|simulator|bench|scripts|test)/' },
    },
    {
      name: 'production-needs-no-tests',
      comment: 'Test doubles and helpers stay in test/.',
      severity: 'error',
      from: { path: '^(functions|lib|bin|local|simulator)/' },
      to: { path: '^test/' },
    },
    {
      name: 'zod-mini-only',
      comment:
        'Full zod is ~450 KB of every bundle and ~25 ms of every cold start; zod/mini is the same validation core, tree-shaken to ~25 KB.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: 'node_modules/zod/', pathNot: 'node_modules/zod/mini/' },
    },
    {
      name: 'functions-ship-runtime-dependencies',
      comment:
        'A bundled function may only import packages the deployment installs (and type declarations).',
      severity: 'error',
      from: { path: '^functions/' },
      to: { dependencyTypes: ['npm-dev'], pathNot: '^node_modules/@types/' },
    },
  ],
  options: {
    // TypeScript 7 has no compiler API for dependency-cruiser to parse with; swc does it.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(cdk\\.out|test-output)/' },
  },
};
