/**
 * Which artifact store the API serves, from the environment: an S3 bucket when
 * LOOM_ARTIFACT_S3_BUCKET is set (every replica configured with the same bucket serves the same
 * artifacts), else the local disk (LOOM_ARTIFACT_DIR, the default). The variables are listed in README.md.
 */
import type { ArtifactStore } from './artifactStore';
import { defaultArtifactDir, LocalArtifactStore } from './localArtifactStore';
import { MIN_PART_SIZE, S3ArtifactStore, type S3ArtifactStoreOptions } from './s3ArtifactStore';

/**
 * @example
 * const store = artifactStoreFromEnv(); // LocalArtifactStore, or S3ArtifactStore with LOOM_ARTIFACT_S3_BUCKET
 */
export function artifactStoreFromEnv(env: NodeJS.ProcessEnv = process.env): ArtifactStore {
  const options = s3OptionsFromEnv(env);
  return options ? new S3ArtifactStore(options) : new LocalArtifactStore({ dir: defaultArtifactDir(env) });
}

/**
 * The S3 store's options from LOOM_ARTIFACT_S3_*, or undefined when no bucket is set. Credentials
 * are not read here: the AWS SDK's default chain finds them (AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY, AWS_PROFILE, an instance or task role).
 */
export function s3OptionsFromEnv(env: NodeJS.ProcessEnv = process.env): S3ArtifactStoreOptions | undefined {
  const bucket = env.LOOM_ARTIFACT_S3_BUCKET?.trim();
  if (!bucket) {
    const stray = Object.keys(env).filter((k) => k.startsWith('LOOM_ARTIFACT_S3_') && env[k]);
    if (stray.length > 0) {
      throw new Error(`${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} set but LOOM_ARTIFACT_S3_BUCKET is not: set the bucket to keep artifacts on S3, or unset ${stray.length > 1 ? 'them' : 'it'} to keep them on local disk`);
    }
    return undefined;
  }
  const endpoint = env.LOOM_ARTIFACT_S3_ENDPOINT?.trim() || undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint)) {
    throw new Error(`LOOM_ARTIFACT_S3_ENDPOINT must be an http:// or https:// URL; got "${endpoint}"`);
  }
  return {
    bucket,
    prefix: env.LOOM_ARTIFACT_S3_PREFIX,
    partSize: bytes(env, 'LOOM_ARTIFACT_S3_PART_SIZE', MIN_PART_SIZE),
    clientConfig: {
      region: env.LOOM_ARTIFACT_S3_REGION || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
      ...(endpoint && { endpoint }),
      // Servers other than AWS (MinIO, Ceph, s3rver) mostly answer only path-style URLs.
      forcePathStyle: flag(env, 'LOOM_ARTIFACT_S3_FORCE_PATH_STYLE', endpoint !== undefined),
    },
  };
}

function bytes(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be a whole number of bytes, at least ${min}; got "${raw}"`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new Error(`${name} must be true or false (1/0); got "${raw}"`);
}
