/**
 * `npm start`: brings the local marketplace up on embedded defaults and prints where to look.
 * Today that is the chain: anvil with its state persisted in .data/anvil-state.json (a restart keeps
 * the chain) and the contracts deployed once (skipped when already live). The indexer, API, UI and
 * workers join here as they land. Ctrl-C stops everything.
 * Env: ANVIL_PORT (8545).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startAnvil } from './lib/anvil.ts';
import { deploy } from './deploy.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
mkdirSync(`${root}.data`, { recursive: true });
const port = Number(process.env.ANVIL_PORT ?? 8545);

const anvil = await startAnvil({ port, stateFile: `${root}.data/anvil-state.json` });
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
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
  console.log(`
Loom is up (chain only for now; indexer, API, UI and workers are on the way).
  chain       ${anvil.rpcUrl} (chain id ${d.chainId}, state in .data/anvil-state.json)
  LoomMarket  ${d.LoomMarket.address}${d.deployed ? ' (deployed now)' : ' (already deployed)'}
  TestUSDC    ${d.TestUSDC.address}
  record      deployments/${d.chainId}.json
Ctrl-C stops it.`);
} catch (err) {
  console.error(`start failed: ${err instanceof Error ? err.message : err}`);
  await stop(1);
}
