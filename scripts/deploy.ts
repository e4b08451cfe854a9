/**
 * Deploys the contracts to a chain through contracts/script/Deploy.s.sol, unless the deployment
 * recorded in deployments/<chainId>.json is already live there (same genesis, code at the address).
 * Adds the chain's identity (`genesisHash`: see chainIdentity in indexer/run/genesisGuard.ts) to the record so
 * that a fresh chain is told from the old one.
 *
 * CLI: `npm run contracts:deploy` (RPC_URL, default http://127.0.0.1:8545).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPublicClient, http } from 'viem';
import { deploymentPath, readDeployment, type Deployment } from '../sdk/chain/deploymentRecord';
import { chainIdentity } from '../indexer/run/genesisGuard.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The record, relative to the repository root (where forge, which writes it, runs). */
const readRecord = (file: string) => readDeployment(file, root);

export type DeployOptions = {
  /** Deploy even when the recorded deployment is live. */
  force?: boolean;
  quiet?: boolean;
  /** Repository-relative record file; default deployments/<chainId>.json. Tests use .cache/. */
  file?: string;
  /** Protocol fee in basis points (default 100). */
  feeBps?: number;
};

/** Deploys unless the recorded deployment is live on this chain; returns the deployment. */
export async function deploy(rpcUrl: string, opts: DeployOptions = {}): Promise<Deployment & { deployed: boolean }> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const { chainId } = await chainIdentity(rpcUrl);
  const file = opts.file ?? deploymentPath(chainId);
  const known = readRecord(file);
  if (!opts.force && known?.chainId === chainId && known.genesisHash === (await chainIdentity(rpcUrl)).genesisHash) {
    const code = await client.getCode({ address: known.LoomMarket.address });
    if (code && code !== '0x') return { ...known, deployed: false };
  }
  mkdirSync(dirname(resolve(root, file)), { recursive: true });
  try {
    await runForgeScript(rpcUrl, file, opts);
  } catch (err) {
    if (!(err instanceof ForgeTimeout)) throw err;
    // Should --slow not suffice: forge wrote the record and never finished broadcasting. A second
    // run deploys afresh (from the accounts' current nonces) and rewrites the record.
    console.error(`deploy: ${err.message}; running the script once more`);
    await runForgeScript(rpcUrl, file, opts);
  }
  const fresh = readRecord(file);
  if (!fresh) throw new Error(`deploy script wrote no ${file}`);
  // Taken after deploying: on an empty chain, block 1 is the deployment's own.
  const record: Deployment = { ...fresh, genesisHash: (await chainIdentity(rpcUrl)).genesisHash };
  writeFileSync(resolve(root, file), `${JSON.stringify(record, null, 2)}\n`);
  return { ...record, deployed: true };
}

class ForgeTimeout extends Error {}

/**
 * How long `forge script --broadcast` may take once the contracts are built: ~1 s on anvil, so
 * longer means it hangs. The build runs first, without a limit (a first build takes a while).
 */
const FORGE_SCRIPT_TIMEOUT_MS = 60_000;

async function runForgeScript(rpcUrl: string, file: string, opts: DeployOptions): Promise<void> {
  const quiet = opts.quiet ?? false;
  // Only the script and what it imports (a few seconds the first time, then cached).
  await runForge(['build', SCRIPT, ...(quiet ? ['--quiet'] : [])], process.env, quiet);
  const env = { ...process.env, DEPLOYMENT_FILE: file, ...(opts.feeBps === undefined ? {} : { FEE_BPS: String(opts.feeBps) }) };
  // --slow: one transaction at a time, each after the previous one's receipt. Sent all at once,
  // anvil (1.7, automine) once kept nonce 4 queued behind a mined nonce 3 and forge waited forever.
  await runForge(['script', SCRIPT, '--rpc-url', rpcUrl, '--broadcast', '--slow', ...(quiet ? ['--silent'] : [])], env, quiet, FORGE_SCRIPT_TIMEOUT_MS);
}

const SCRIPT = 'contracts/script/Deploy.s.sol';

/** Runs forge (through scripts/foundry/run.mjs) in its own process group, which a timeout kills whole. */
function runForge(forgeArgs: string[], env: NodeJS.ProcessEnv, quiet: boolean, timeoutMs?: number): Promise<void> {
  const args = ['scripts/foundry/run.mjs', 'forge', ...forgeArgs];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: root, env, detached: true, stdio: quiet ? ['ignore', 'ignore', 'pipe'] : 'inherit' });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            try {
              process.kill(-child.pid!, 'SIGKILL');
            } catch {}
            fail(new ForgeTimeout(`forge ${forgeArgs[0]} did not finish within ${timeoutMs / 1000} s${stderr ? `: ${stderr.trim().slice(-2000)}` : ''}`));
          }, timeoutMs);
    child.on('error', (err) => (clearTimeout(timer), fail(err)));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) done();
      else fail(new Error(`forge ${forgeArgs[0]} failed (exit ${code})\n${stderr}`));
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rpcUrl = process.env.RPC_URL ?? 'http://127.0.0.1:8545';
  deploy(rpcUrl).then(
    (d) => {
      console.log(`${d.deployed ? 'deployed' : 'already deployed'} on chain ${d.chainId}: LoomMarket ${d.LoomMarket.address}, TestUSDC ${d.TestUSDC.address}`);
    },
    (err) => {
      console.error(`deploy failed: ${err instanceof Error ? err.message : err}`);
      process.exit(1);
    },
  );
}
