/**
 * The layers of Loom, enforced (`npm run layers`, part of `npm test`). Data flows one way:
 *
 *   contracts -> abis -> indexer -> api -> sdk -> cli / ui / worker / gateway -> transactions
 *
 * - The SDK (sdk/) is the one client core: the CLI, the UI, the worker, scripts and benchmarks reach the
 *   contracts' ABIs, the spec format, the chain and the API through it, never around it.
 * - abis/ (generated) is read by the layers that define the data model (the indexer, the API) and by the
 *   SDK; no client imports it.
 * - The indexer and the API meet only where Ponder forces it: indexer/src/api/index.ts (Ponder requires
 *   the API's entry there) mounts the API; the API reads the indexer's tables and pure folds.
 * - Clients (cli, worker, gateway, ui) import no other client, nor api/, indexer/ or scripts/; the browser bundle never sees the
 *   SDK's Node-only parts (sdk/node.ts, sdk/node/, sdk/chain/).
 * - testkit/ is the one test harness: only tests, benchmarks and e2e use it; it may reach every layer.
 *
 * See "Layers" in README.md; `npm run layers -- --output-type err-long` explains a violation.
 */
const client = '^(cli|worker|gateway|ui/src)/';
const tests = '(\\.test\\.ts$|^testkit/|^e2e/|^ui/tests/|/test/)';

/** A rule forbidding `from` (production code only) to import `to`. */
function forbid(name, comment, from, to) {
  return { name, comment, severity: 'error', from: { path: from, pathNot: tests }, to: { path: to } };
}

module.exports = {
  forbidden: [
    forbid('sdk-is-the-client-core', 'The SDK reads only the ABIs (and itself): it does not reach into the API, the indexer, clients, scripts or tests.', '^sdk/', '^(api|indexer|cli|worker|gateway|ui|scripts|bench|e2e|testkit)/'),
    forbid('clients-through-the-sdk', 'A client reaches the ABIs, the API and the indexer through the SDK, and never imports scripts/ or the test harness.', client, '^(abis|api|indexer|scripts|bench|e2e|testkit)/'),
    { name: 'cli-is-a-client', comment: 'The CLI imports no other client.', severity: 'error', from: { path: '^cli/' }, to: { path: '^(worker|gateway|ui)/' } },
    { name: 'worker-is-a-client', comment: 'The worker imports no other client.', severity: 'error', from: { path: '^worker/' }, to: { path: '^(cli|gateway|ui)/' } },
    { name: 'gateway-is-a-client', comment: 'The x402 gateway imports no other client.', severity: 'error', from: { path: '^gateway/' }, to: { path: '^(cli|worker|ui)/' } },
    { name: 'ui-is-a-client', comment: 'The web UI imports no other client.', severity: 'error', from: { path: '^ui/' }, to: { path: '^(cli|worker|gateway)/' } },
    { name: 'browser-never-sees-node-sdk', comment: "The browser bundle never imports the SDK's Node-only parts (sdk/node.ts, sdk/node/, sdk/chain/: keys, files, processes); server-only UI modules may.", severity: 'error', from: { path: '^ui/src/', pathNot: '^ui/src/lib/server/|\\.server\\.ts$' }, to: { path: '^sdk/(node|chain)(/|\\.ts$)' } },
    forbid('api-is-upstream-of-the-sdk', 'The API serves the indexed tables; it imports no client, no SDK and no script.', '^api/', '^(sdk|cli|worker|gateway|ui|scripts|bench|e2e|testkit)/'),
    forbid('indexer-is-upstream', 'The indexer folds events; it imports nothing downstream (the API mount below is the one exception), not even the scripts that run it.', '^indexer/', '^(sdk|cli|worker|gateway|ui|scripts|bench|e2e|testkit)/'),
    {
      name: 'indexer-config-reads-the-deployment-record',
      comment: "ponder.config.ts reads the deployment record with the SDK's one reader (sdk/chain/), and nothing else downstream.",
      severity: 'error',
      from: { path: '^ponder\\.config\\.ts$' },
      to: { path: '^(sdk|cli|worker|ui|bench|e2e|testkit)/', pathNot: '^sdk/chain/' },
    },
    {
      name: 'indexer-meets-api-once',
      comment: 'Ponder requires the API entry in indexer/src/api/index.ts: the one place where the indexer imports the API.',
      severity: 'error',
      from: { path: '^indexer/', pathNot: '^indexer/src/api/index\\.ts$' },
      to: { path: '^api/' },
    },
    forbid('scripts-are-sdk-users', 'Scripts (start, deploy, demo) use the SDK and the indexer runner; no client, no API internals, no ABIs by hand.', '^scripts/', '^(abis|api|cli|worker|gateway|ui|bench|e2e|testkit)/'),
    {
      name: 'only-tests-use-the-harness',
      comment: 'testkit/ is test infrastructure: production code never depends on it.',
      severity: 'error',
      from: { pathNot: `${tests}|^bench/` },
      to: { path: '^testkit/' },
    },
    { name: 'no-circular', comment: 'Dependencies go one way.', severity: 'error', from: { pathNot: tests }, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.svelte-kit|\\.ponder|generated/|build/)' },
    // Type-only imports count: a client that imports a type from the API depends on the API.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.svelte', '.json', '.d.ts'] },
  },
};
