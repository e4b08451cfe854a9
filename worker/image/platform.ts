/**
 * Platforms as OCI image indexes name them (`os`/`architecture`/`variant`), and which index entry
 * a host runs. Node spells architectures its own way (`x64`, `ia32`); OCI uses Go's (`amd64`, `386`).
 */
import type { Platform } from './imageTypes';

const ociArchitecture: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' };

/** The variant an entry means when it names none (containerd's normalisation: arm64 is v8). */
const defaultVariant: Record<string, string> = { arm64: 'v8', arm: 'v7' };

/** This host's platform: linux, Node's architecture mapped to OCI's (arm64 with variant v8). */
export function hostPlatform(): Platform {
  const architecture = ociArchitecture[process.arch] ?? process.arch;
  const variant = defaultVariant[architecture];
  return { os: 'linux', architecture, ...(variant ? { variant } : {}) };
}

/** `linux/arm64/v8`: how platforms are listed in reasons. */
export function platformText(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * Whether an image built for `image` runs on `host`: same os and architecture, and the same variant
 * once a missing variant is read as the architecture's default.
 */
export function platformMatches(image: Platform, host: Platform): boolean {
  if (image.os !== host.os || image.architecture !== host.architecture) return false;
  const want = host.variant ?? defaultVariant[host.architecture];
  const have = image.variant ?? defaultVariant[image.architecture];
  return want === undefined || have === undefined || want === have;
}
