/**
 * The types the image store (pulling, unpacking, caching) and its users (the daemon's intake, the
 * sandbox) share. An image is pulled by digest, unpacked into a root directory that jobs see
 * read-only as `/`, and run as its config says (see imageProcess.ts).
 */
import type { ImageRef } from '../../sdk/spec/imageRef';

/** The parts of an OCI image config (`config` in the config blob) that decide how a job starts. */
export type ImageConfig = {
  /** `KEY=VALUE` entries, in order. */
  env: string[];
  workingDir?: string;
  entrypoint?: string[];
  cmd?: string[];
  /** As written in the image; jobs run as the sandbox's unprivileged user whatever it says. */
  user?: string;
};

export type Platform = { os: string; architecture: string; variant?: string };

/** What the registry says about an image without downloading its layers: the check before a claim. */
export type ImageCheck =
  | {
      ok: true;
      /** The manifest for this host's platform (for an index: the entry picked). */
      manifestDigest: string;
      platform: Platform;
      /** Sum of the layer descriptors' sizes. */
      compressedBytes: number;
      layers: number;
      config: ImageConfig;
    }
  | { ok: false; code: ImageRefusal; reason: string };

/** Why an image is refused before any transaction (each a metrics label and a log reason). */
export type ImageRefusal = 'registry_not_allowed' | 'not_found' | 'unauthorized' | 'unreachable' | 'too_large' | 'platform' | 'invalid' | 'cuda' | 'host_mode_off';

/** An unpacked image held for one job: its root is not evicted until `release`. */
export type PreparedImage = {
  ref: ImageRef;
  manifestDigest: string;
  /** The unpacked root: bound read-only as the job's `/`. */
  rootDir: string;
  config: ImageConfig;
  /** Whether this preparation downloaded anything (false: everything came from the cache). */
  pulled: boolean;
  release(): Promise<void>;
};
