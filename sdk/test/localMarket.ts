/**
 * A real chain for the SDK's tests: anvil with the contracts deployed (scripts/deploy.ts), viem
 * clients for the anvil mnemonic's accounts, and an SDK writer for each role.
 * Roles as the deploy script sets them: 0 owns, 8 arbitrates, 9 is the treasury.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPublicClient, createWalletClient, http, parseEther, stringToHex, toHex, zeroAddress, type Address, type PublicClient } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { deploy } from '../../scripts/deploy';
import { type Deployment } from '../chain/deploymentRecord';
import { startAnvil, type Anvil } from '../../scripts/lib/anvil';
import { createMarketWriter, type HardwareClaim, type JobParams } from '../writes';

const MNEMONIC = 'test test test test test test test test test test test junk';
const root = fileURLToPath(new URL('../..', import.meta.url));

export type LocalMarket = Awaited<ReturnType<typeof startLocalMarket>>;

export async function startLocalMarket(name: string) {
  const anvil: Anvil = await startAnvil();
  const deploymentFile = `.cache/deployments/${name}-${Date.now().toString(36)}${randomBytes(3).toString('hex')}.json`;
  let deployment: Deployment;
  try {
    deployment = await deploy(anvil.rpcUrl, { quiet: true, file: deploymentFile });
  } catch (err) {
    await anvil.stop();
    throw err;
  }
  const transport = http(anvil.rpcUrl);
  const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 20, cacheTime: 0 }) as PublicClient;
  const market = deployment.LoomMarket.address;
  const usdc = deployment.TestUSDC.address;
  const wallet = (i: number) => createWalletClient({ account: mnemonicToAccount(MNEMONIC, { addressIndex: i }), chain: foundry, transport });
  const writer = (i: number) => createMarketWriter({ publicClient, walletClient: wallet(i), market, pollingIntervalMs: 20 });

  const rpc = (method: string, params: unknown[] = []) => publicClient.request({ method: method as never, params: params as never });
  const now = async () => Number((await publicClient.getBlock({ blockTag: 'latest' })).timestamp);
  const warp = async (seconds: number) => {
    await rpc('evm_increaseTime', [toHex(seconds)]);
    await rpc('evm_mine');
  };

  let salt = 0n;
  /** Claim-mode ETH terms unless told otherwise; open for an hour from the chain's clock. */
  const jobParams = async (p: Partial<JobParams> = {}): Promise<JobParams> => ({
    token: zeroAddress,
    arbiter: zeroAddress,
    budget: parseEther('0.1'),
    collateral: parseEther('0.01'),
    mode: 0,
    openUntil: (await now()) + 3600,
    executionTimeout: 3600,
    challengeWindow: 600,
    minGpuCount: 1,
    minVramMiB: 16_384,
    gpuModel: toHex(0, { size: 32 }),
    salt: ++salt,
    ...p,
  });

  const claim = (model = 'NVIDIA H100 80GB HBM3'): HardwareClaim => ({
    gpuModel: stringToHex(model, { size: 32 }),
    gpuCount: 2,
    vramMiB: 81_920,
    cpuCores: 32,
    ramMiB: 262_144,
    pricePerGpuHour: 2_500_000n,
    metadataURI: 'ipfs://sdk-test-worker',
  });

  return {
    anvil,
    deployment,
    deploymentFile,
    publicClient,
    market,
    usdc,
    wallet,
    writer,
    rpc,
    now,
    warp,
    jobParams,
    claim,
    address: (i: number): Address => mnemonicToAccount(MNEMONIC, { addressIndex: i }).address,
    stop: async () => {
      await anvil.stop();
      rmSync(join(root, deploymentFile), { force: true });
    },
  };
}
