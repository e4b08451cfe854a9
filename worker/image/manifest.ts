/**
 * Image manifests and indexes (OCI and Docker v2 schema 2), as far as pulling needs them: which
 * manifest of an index this host runs, and the config and layer descriptors of a manifest.
 */
import { ImageRefusalError } from './imageRefusal';
import type { Platform } from './imageTypes';
import { platformMatches, platformText } from './platform';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/** The Accept header of a manifest GET: every kind this store reads. */
export const MANIFEST_ACCEPT = [MEDIA.ociIndex, MEDIA.ociManifest, MEDIA.dockerList, MEDIA.dockerManifest].join(', ');

/** Manifests and indexes are small; a larger one is refused before it is read whole. */
export const MAX_MANIFEST_BYTES = 4 << 20;

export type Descriptor = { mediaType: string; digest: string; size: number; platform?: Platform };

export type Compression = 'gzip' | 'none';

export type Layer = Descriptor & { compression: Compression };

export type ImageManifest = { kind: 'manifest'; config: Descriptor; layers: Layer[] };
export type ImageIndex = { kind: 'index'; manifests: Descriptor[] };

const digestPattern = /^sha256:[0-9a-f]{64}$/;

/** Parses manifest or index bytes; `invalid` when they are neither. */
export function parseManifest(bytes: Buffer, contentType?: string | null): ImageManifest | ImageIndex {
  let doc: { mediaType?: string; schemaVersion?: number; manifests?: unknown; config?: unknown; layers?: unknown };
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ImageRefusalError('invalid', 'the manifest is not JSON');
  }
  const mediaType = doc.mediaType ?? contentType?.split(';')[0]?.trim();
  if (doc.schemaVersion !== 2) throw new ImageRefusalError('invalid', `unsupported manifest schema version ${String(doc.schemaVersion)} (only schema 2, OCI or Docker, is read)`);
  const isIndex = mediaType === MEDIA.ociIndex || mediaType === MEDIA.dockerList || (mediaType === undefined && Array.isArray(doc.manifests));
  if (isIndex) {
    if (!Array.isArray(doc.manifests)) throw new ImageRefusalError('invalid', 'the image index has no manifests');
    return { kind: 'index', manifests: doc.manifests.map((d) => descriptor(d, 'index entry')) };
  }
  if (mediaType !== undefined && mediaType !== MEDIA.ociManifest && mediaType !== MEDIA.dockerManifest) {
    throw new ImageRefusalError('invalid', `unsupported manifest media type "${mediaType}"`);
  }
  if (!Array.isArray(doc.layers)) throw new ImageRefusalError('invalid', 'the manifest has no layers');
  return { kind: 'manifest', config: descriptor(doc.config, 'config'), layers: doc.layers.map((d) => layer(descriptor(d, 'layer'))) };
}

/** The index entry this host runs; `platform` lists what the index offers when none fits. */
export function pickPlatform(index: ImageIndex, host: Platform): Descriptor {
  const images = index.manifests.filter((d) => d.mediaType === MEDIA.ociManifest || d.mediaType === MEDIA.dockerManifest || d.mediaType === undefined);
  // Exact variants first, then entries that name none (read as the architecture's default).
  const match =
    images.find((d) => d.platform && d.platform.os === host.os && d.platform.architecture === host.architecture && d.platform.variant === host.variant) ??
    images.find((d) => d.platform && platformMatches(d.platform, host));
  if (match) return match;
  // Attestation entries (buildx writes unknown/unknown) are not platforms a person would look for.
  const offered = images.map((d) => d.platform).filter((p): p is Platform => p !== undefined && p.os !== 'unknown').map(platformText);
  throw new ImageRefusalError(
    'platform',
    `the image has no manifest for this worker's platform ${platformText(host)}; it is built for ${offered.length > 0 ? [...new Set(offered)].join(', ') : 'no named platform'}`,
  );
}

function descriptor(value: unknown, what: string): Descriptor {
  const d = value as { mediaType?: unknown; digest?: unknown; size?: unknown; platform?: { os?: unknown; architecture?: unknown; variant?: unknown } } | null;
  if (!d || typeof d !== 'object') throw new ImageRefusalError('invalid', `the manifest's ${what} is not a descriptor`);
  if (typeof d.digest !== 'string' || !digestPattern.test(d.digest)) throw new ImageRefusalError('invalid', `the manifest's ${what} has an unsupported digest "${String(d.digest)}" (only sha256 is read)`);
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) throw new ImageRefusalError('invalid', `the manifest's ${what} ${d.digest} has no valid size`);
  const out: Descriptor = { mediaType: typeof d.mediaType === 'string' ? d.mediaType : '', digest: d.digest, size: d.size };
  const p = d.platform;
  if (p && typeof p.os === 'string' && typeof p.architecture === 'string') {
    out.platform = { os: p.os, architecture: p.architecture, ...(typeof p.variant === 'string' && p.variant ? { variant: p.variant } : {}) };
  }
  return out;
}

function layer(d: Descriptor): Layer {
  const t = d.mediaType;
  if (t.includes('zstd')) {
    throw new ImageRefusalError('invalid', `layer ${d.digest} is zstd-compressed (${t}); this worker reads gzip and uncompressed layers only (rebuild or push the image with gzip compression)`);
  }
  if (t.includes('nondistributable') || t.includes('foreign')) throw new ImageRefusalError('invalid', `layer ${d.digest} is a foreign layer (${t}), which is not pulled`);
  if (t === 'application/vnd.oci.image.layer.v1.tar+gzip' || t === 'application/vnd.docker.image.rootfs.diff.tar.gzip') return { ...d, compression: 'gzip' };
  if (t === 'application/vnd.oci.image.layer.v1.tar' || t === 'application/vnd.docker.image.rootfs.diff.tar') return { ...d, compression: 'none' };
  throw new ImageRefusalError('invalid', `layer ${d.digest} has an unsupported media type "${t}"`);
}
