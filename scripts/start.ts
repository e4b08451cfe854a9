/**
 * `npm start`: brings the local marketplace up on embedded defaults and prints where to look.
 *
 *   chain     anvil, state persisted in .data/anvil-state.json (a restart keeps the chain)
 *   contracts deployed once (skipped when the recorded deployment is live)
 *   indexer   Ponder on PGlite in .data/pglite (PostgreSQL when DATABASE_URL is set), serving the
 *             GraphQL API; a fresh chain clears its cache (scripts/indexer.ts)
 *
 * The web UI and local workers join here as they land. Ctrl-C stops everything.
 * Env: ANVIL_PORT (8545), API_PORT (42069), DATABASE_URL.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAnvil } from './lib/anvil.ts';
import { startPonder, type Ponder } from './lib/ponder.ts';
import { deploy, deploymentPath } from './deploy.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = join(root, '.data');
mkdirSync(dataDir, { recursive: true });
const anvilPort = Number(process.env.ANVIL_PORT ?? 8545);
const apiPort = Number(process.env.API_PORT ?? 42069);

/**
 * Ponder refuses to resume a schema built by other indexing code, so the schema is named after a
 * hash of that code: an unchanged indexer resumes where it stopped, a changed one re-indexes.
 */
function indexerBuildSchema(): string {
  const files = ['ponder.config.ts', 'indexer/ponder.schema.ts', 'abis/generated.ts', ...walk('indexer/src')]
    .filter((f) => !f.startsWith('indexer/src/api/'))
    .sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(join(root, f)));
  return `loom_${hash.digest('hex').slice(0, 10)}`;
}

function walk(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const anvil = await startAnvil({ port: anvilPort, stateFile: join(dataDir, 'anvil-state.json') });
let ponder: Ponder | undefined;
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await ponder?.stop();
  await anvil.stop();
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
anvil.process.on('exit', (code) => {
  if (!stopping) {
    console.error(`anvil exited unexpectedly (code ${code})`);
    void stop(1);
  }
});

try {
  const d = await deploy(anvil.rpcUrl, { quiet: true });
  console.log(`chain ready; starting the indexer (first start builds and indexes, a few seconds)...`);
  const logFile = join(dataDir, 'ponder.log');
  ponder = await startPonder({
    rpcUrl: anvil.rpcUrl,
    deploymentFile: deploymentPath(d.chainId),
    databaseUrl: process.env.DATABASE_URL,
    pgliteDir: join(dataDir, 'pglite'),
    schema: indexerBuildSchema(),
    port: apiPort,
    logFile,
    readyTimeoutMs: 300_000,
  });
  ponder.process.on('exit', (code) => {
    if (!stopping) {
      console.error(`the indexer exited unexpectedly (code ${code}); see ${relative(root, logFile)}`);
      void stop(1);
    }
  });
  console.log(`
Loom is up.
  chain       ${anvil.rpcUrl} (chain id ${d.chainId}, state in .data/anvil-state.json)
  LoomMarket  ${d.LoomMarket.address}${d.deployed ? ' (deployed now)' : ' (already deployed)'}
  TestUSDC    ${d.TestUSDC.address}
  GraphQL     ${ponder.url}/graphql (GraphiQL in a browser; subscriptions over SSE)
  database    ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'PGlite in .data/pglite'}, schema ${ponder.schema}
  logs        ${relative(root, logFile)}
The web UI (npm run ui:build; node ui/build) and workers (npm run worker -- start) run on their own for now.
Ctrl-C stops everything.`);
} catch (err) {
  console.error(`start failed: ${err instanceof Error ? err.message : err}`);
  await stop(1);
}
