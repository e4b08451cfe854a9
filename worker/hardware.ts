/**
 * What this machine can offer, as the contract's HardwareClaim: GPUs from nvidia-smi when it is
 * present, CPU cores and RAM from the OS. A machine without nvidia-smi (or whose driver does not
 * answer) is CPU-only: gpuCount 0 and a zero gpuModel, which the contract reads as "no GPU".
 *
 * Also what the daemon needs beyond the claim: each GPU's UUID (recorded with the jobs it ran), the
 * driver's version, and the CUDA version the driver supports (images' NVIDIA_REQUIRE_CUDA is
 * checked against it: worker/gpu/cudaRequirement.ts). nvidia-smi runs under a timeout and is
 * killed with everything it started when it does not answer: a hung driver must not hang the worker.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { type Hex, stringToHex, zeroHash } from 'viem';

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

/** One GPU as nvidia-smi lists it: its index (/dev/nvidia<index>), UUID (GPU-...), model and memory. */
export type Gpu = { index: number; uuid: string; name: string; memoryMiB: number };

export type Hardware = {
  claim: HardwareClaim;
  /** Every GPU nvidia-smi listed; the claim covers the largest group of one model. */
  gpus: Gpu[];
  /** The NVIDIA driver's version (e.g. 550.54.15); undefined on a CPU-only machine. */
  driverVersion?: string;
  /** The newest CUDA version the driver supports (nvidia-smi's "CUDA Version: 12.4"); undefined when unknown. */
  cudaVersion?: string;
  /** Why the machine is CPU-only (or its CUDA version unknown) when nvidia-smi exists but did not answer; undefined otherwise. */
  warning?: string;
};

export const NVIDIA_SMI_QUERY = ['--query-gpu=index,uuid,name,memory.total,driver_version', '--format=csv,noheader,nounits'];

/**
 * Parses `nvidia-smi --query-gpu=index,uuid,name,memory.total,driver_version --format=csv,noheader,nounits`:
 * one line per GPU, "<index>, <uuid>, <name>, <MiB>, <driver>". A GPU whose memory reads "[N/A]"
 * or is not a number is listed with 0 MiB, so it counts only toward jobs that ask for no VRAM.
 *
 * @example
 * parseNvidiaSmi('0, GPU-8c2f…, NVIDIA H100 80GB HBM3, 81559, 550.54.15\n')
 * // { gpus: [{ index: 0, uuid: 'GPU-8c2f…', name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 }], driverVersion: '550.54.15' }
 */
export function parseNvidiaSmi(output: string): { gpus: Gpu[]; driverVersion?: string } {
  const gpus: Gpu[] = [];
  let driverVersion: string | undefined;
  for (const line of output.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const fields = line.split(',').map((f) => f.trim());
    // The name is the only field that may hold a comma: it is whatever lies between uuid and memory.
    const [index = '', uuid = ''] = fields;
    const driver = fields.length >= 5 ? fields[fields.length - 1]! : '';
    const memory = fields.length >= 5 ? fields[fields.length - 2]! : '';
    const name = fields.slice(2, Math.max(3, fields.length - 2)).join(', ');
    gpus.push({ index: /^\d+$/.test(index) ? Number(index) : gpus.length, uuid, name, memoryMiB: /^\d+$/.test(memory) ? Number(memory) : 0 });
    if (/^\d+(\.\d+)+$/.test(driver)) driverVersion ??= driver;
  }
  return { gpus, ...(driverVersion === undefined ? {} : { driverVersion }) };
}

/**
 * The CUDA version the driver supports, from nvidia-smi's header ("| NVIDIA-SMI 550.54.15  Driver
 * Version: 550.54.15  CUDA Version: 12.4 |") or `nvidia-smi -q` ("CUDA Version : 12.4").
 */
export function parseCudaVersion(output: string): string | undefined {
  return /CUDA Version\s*:\s*(\d+\.\d+(?:\.\d+)?)/.exec(output)?.[1];
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
  options: { nvidiaSmi?: string; pricePerGpuHour?: bigint; metadataURI?: string; /** Per nvidia-smi call (default 15 s). */ timeoutMs?: number } = {},
): Promise<Hardware> {
  const host = { cpuCores: os.availableParallelism(), ramMiB: Math.floor(os.totalmem() / 2 ** 20) };
  const smi = options.nvidiaSmi ?? 'nvidia-smi';
  const timeoutMs = options.timeoutMs ?? 15_000;
  let gpus: Gpu[] = [];
  let driverVersion: string | undefined;
  let cudaVersion: string | undefined;
  let warning: string | undefined;
  try {
    ({ gpus, driverVersion } = parseNvidiaSmi(await runBounded(smi, NVIDIA_SMI_QUERY, timeoutMs)));
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    // No nvidia-smi at all is the ordinary CPU-only machine; one that fails is worth saying.
    if (e.code !== 'ENOENT') warning = `nvidia-smi failed, treating this machine as CPU-only: ${(e.stderr || e.message).trim()}`;
  }
  if (gpus.length > 0) {
    try {
      cudaVersion = parseCudaVersion(await runBounded(smi, [], timeoutMs));
      if (cudaVersion === undefined) warning = "nvidia-smi's header names no CUDA version: images that require one are refused";
    } catch (err) {
      const e = err as Error & { stderr?: string };
      warning = `nvidia-smi failed to say the driver's CUDA version, so images that require one are refused: ${(e.stderr || e.message).trim()}`;
    }
  }
  return {
    claim: claimFor(gpus, host, options),
    gpus,
    ...(driverVersion === undefined ? {} : { driverVersion }),
    ...(cudaVersion === undefined ? {} : { cudaVersion }),
    ...(warning === undefined ? {} : { warning }),
  };
}

/**
 * Runs a command and resolves with its stdout; rejects on a non-zero exit (with its stderr), or
 * when it has not finished in `timeoutMs`: then its whole process group is killed and the promise
 * rejects at once, without waiting for the pipes (a process stuck in the driver may never close them).
 */
export function runBounded(file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
      child.stdout.destroy();
      child.stderr.destroy();
      child.unref();
      settle(() => reject(Object.assign(new Error(`${file} did not answer within ${timeoutMs / 1000} s (a hung driver?); it was killed`), { code: 'ETIMEDOUT' })));
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', (err) => settle(() => reject(err)));
    child.on('close', (code, signal) =>
      settle(() => (code === 0 ? resolve(stdout) : reject(Object.assign(new Error(`${file} exited with ${code ?? signal}`), { stderr: stderr.slice(-4096) })))),
    );
  });
}
