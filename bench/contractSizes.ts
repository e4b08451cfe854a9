/**
 * Runtime code size of every contract of the set (`contracts.size.<Name>`, bytes), from forge's build
 * artifacts: the code a chain stores, which EIP-170 caps at 24,576 bytes. Our own goal is 20,480 per
 * contract, so each has room to grow; `contracts.size.maxRatio` is the largest size over that goal.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The contracts deployed by contracts/script/Deploy.s.sol (TestUSDC is local-only and not measured). */
export const CONTRACTS = ['LoomRegistry', 'LoomMarket', 'LoomReplicatedMarket', 'LoomDeposits', 'LoomModels'] as const;
export const SIZE_GOAL = 20_480;

export async function contractSizesBench(): Promise<Record<string, number>> {
  const build = spawnSync(process.execPath, ['scripts/foundry/run.mjs', 'forge', 'build', 'contracts/src', '--quiet'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('forge build failed');
  const figures: Record<string, number> = {};
  let max = 0;
  for (const name of CONTRACTS) {
    const artifact = JSON.parse(readFileSync(`${root}/contracts/out/${name}.sol/${name}.json`, 'utf8')) as { deployedBytecode: { object: string } };
    const bytes = (artifact.deployedBytecode.object.length - 2) / 2;
    figures[`contracts.size.${name}`] = bytes;
    max = Math.max(max, bytes);
  }
  figures['contracts.size.maxRatio'] = Math.round((max / SIZE_GOAL) * 1000) / 1000;
  return figures;
}
