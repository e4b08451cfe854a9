/**
 * GPU requirements and hardware in words. The contract stores a GPU model as a left-aligned,
 * zero-padded bytes32 string; these turn it into a name and back.
 */
import { hexToString, stringToHex, zeroHash, type Hex } from 'viem';

/** MiB as people say it: 81920 -> "80 GiB", 512 -> "512 MiB", 1536 -> "1.5 GiB". */
export function formatMiB(mib: number | null | undefined): string {
  if (mib === null || mib === undefined) return '—';
  if (mib >= 1024 * 1024) return `${trimNumber(mib / (1024 * 1024))} TiB`;
  if (mib >= 1024) return `${trimNumber(mib / 1024)} GiB`;
  return `${mib} MiB`;
}

const trimNumber = (n: number, digits = 1) => Number(n.toFixed(digits)).toString();

/** A GPU model as the contract stores it; null for "any". */
export function decodeGpuModel(bytes32: Hex | string | null | undefined): string | null {
  if (!bytes32 || /^0x0*$/.test(bytes32)) return null;
  return hexToString(bytes32 as Hex, { size: 32 }).replace(/\0+$/, '');
}

/** The contract's GPU model names are at most this many UTF-8 bytes (one bytes32). */
export const MAX_GPU_MODEL_BYTES = 32;

/** The bytes32 for a GPU model name; zero for "any". Throws a RangeError when the name is over 32 bytes. */
export function encodeGpuModel(name: string): Hex {
  const trimmed = name.trim();
  if (!trimmed) return zeroHash;
  if (new TextEncoder().encode(trimmed).length > MAX_GPU_MODEL_BYTES) throw new RangeError(`"${trimmed}" is longer than 32 bytes`);
  return stringToHex(trimmed, { size: 32 });
}

/** "2 × NVIDIA H100 80GB HBM3 · 80 GiB" or "CPU only". */
export function formatHardware(gpuCount: number, vramMiB: number, model: string | null | undefined): string {
  if (gpuCount === 0) return 'CPU only';
  return `${gpuCount} × ${model || 'GPU'}${vramMiB ? ` · ${formatMiB(vramMiB)}` : ''}`;
}

/** A job's GPU requirement: "1 GPU · 40 GiB VRAM · H100" or "No GPU needed". */
export function formatRequirement(minGpuCount: number, minVramMiB: number, model: string | null | undefined): string {
  if (minGpuCount === 0 && minVramMiB === 0 && !model) return 'No GPU needed';
  const parts = [`${minGpuCount} GPU${minGpuCount === 1 ? '' : 's'}`];
  if (minVramMiB) parts.push(`${formatMiB(minVramMiB)} VRAM`);
  if (model) parts.push(model);
  return parts.join(' · ');
}
