/**
 * What this machine can offer, as the contract's HardwareClaim: GPUs from nvidia-smi when it is
 * present, CPU cores and RAM from the OS. A machine without nvidia-smi (or whose driver does not
 * answer) is CPU-only: gpuCount 0 and a zero gpuModel, which the contract reads as "no GPU".
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import { type Hex, stringToHex, zeroHash } from 'viem';

const execFileAsync = promisify(execFile);

/** Mirrors `HardwareClaim` in contracts/src/interfaces/ILoomTypes.sol, ready for register/updateClaim. */
export type HardwareClaim = {
  gpuModel: Hex;
  gpuCount: number;
  vramMiB: number;
  cpuCores: number;
  ramMiB: number;
  pricePerGpuHour: bigint;
  metadataURI: string;
};

export type Gpu = { index: number; name: string; memoryMiB: number };

export type Hardware = {
  claim: HardwareClaim;
  /** Every GPU nvidia-smi listed; the claim covers the largest group of one model. */
  gpus: Gpu[];
  /** Why the machine is CPU-only when nvidia-smi exists but did not answer; undefined otherwise. */
  warning?: string;
};

const nvidiaSmiArgs = ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'];

/**
 * Parses `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits`: one line per
 * GPU, "<name>, <MiB>". A GPU whose memory reads "[N/A]" or is not a number is listed with 0 MiB,
 * so it counts only toward jobs that ask for no VRAM.
 *
 * @example
 * parseNvidiaSmi('NVIDIA H100 80GB HBM3, 81559\n') // [{ index: 0, name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 }]
 */
export function parseNvidiaSmi(output: string): Gpu[] {
  const gpus: Gpu[] = [];
  for (const line of output.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    // Memory is the last field, so a name containing a comma still parses.
    const cut = line.lastIndexOf(',');
    const name = (cut < 0 ? line : line.slice(0, cut)).trim();
    const memory = cut < 0 ? '' : line.slice(cut + 1).trim();
    const mib = /^\d+$/.test(memory) ? Number(memory) : 0;
    gpus.push({ index: gpus.length, name, memoryMiB: mib });
  }
  return gpus;
}

/** The model as the contract stores it: a left-aligned short string, cut to 32 bytes at a character boundary. */
export function gpuModelToBytes32(name: string): Hex {
  if (name === '') return zeroHash;
  let cut = name;
  while (Buffer.byteLength(cut) > 32) cut = cut.slice(0, -1);
  return stringToHex(cut, { size: 32 });
}

/**
 * The claim for a set of GPUs. A claim names one model and one VRAM figure per GPU, so on a mixed
 * machine it covers the largest group of identical models (ties: the one listed first) at that
 * group's smallest VRAM: never more than every claimed GPU has.
 */
export function claimFor(gpus: Gpu[], host: { cpuCores: number; ramMiB: number }, offer: { pricePerGpuHour?: bigint; metadataURI?: string } = {}): HardwareClaim {
  const groups = new Map<string, Gpu[]>();
  for (const g of gpus) groups.set(g.name, [...(groups.get(g.name) ?? []), g]);
  let best: Gpu[] = [];
  for (const group of groups.values()) if (group.length > best.length) best = group;
  return {
    gpuModel: best.length > 0 ? gpuModelToBytes32(best[0]!.name) : zeroHash,
    gpuCount: Math.min(best.length, 0xffff),
    vramMiB: best.length > 0 ? Math.min(...best.map((g) => g.memoryMiB)) : 0,
    cpuCores: Math.min(host.cpuCores, 0xffff),
    ramMiB: Math.min(host.ramMiB, 0xffffffff),
    pricePerGpuHour: offer.pricePerGpuHour ?? 0n,
    metadataURI: offer.metadataURI ?? '',
  };
}

/**
 * Detects this machine's hardware.
 *
 * @example
 * const { claim } = await detectHardware({ pricePerGpuHour: 2_000_000n });
 * await wallet.writeContract({ ...market, functionName: 'register', args: [claim], value: stake });
 */
export async function detectHardware(
  options: { nvidiaSmi?: string; pricePerGpuHour?: bigint; metadataURI?: string } = {},
): Promise<Hardware> {
  const host = { cpuCores: os.availableParallelism(), ramMiB: Math.floor(os.totalmem() / 2 ** 20) };
  let gpus: Gpu[] = [];
  let warning: string | undefined;
  try {
    const { stdout } = await execFileAsync(options.nvidiaSmi ?? 'nvidia-smi', nvidiaSmiArgs, { timeout: 15_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    gpus = parseNvidiaSmi(stdout);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    // No nvidia-smi at all is the ordinary CPU-only machine; one that fails is worth saying.
    if (e.code !== 'ENOENT') warning = `nvidia-smi failed, treating this machine as CPU-only: ${(e.stderr ?? e.message).trim()}`;
  }
  return { claim: claimFor(gpus, host, options), gpus, ...(warning === undefined ? {} : { warning }) };
}
