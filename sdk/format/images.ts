/**
 * Image references as people read them: the digest cut to its algorithm and 12 hex digits (enough
 * to tell images apart at a glance, as `docker images` does); the whole reference stays in JSON
 * output, titles and copy buttons.
 */
import type { ImageRef } from '../spec/imageRef';

/** "sha256:0123456789ab…" */
export function shortDigest(digest: string): string {
  const at = digest.indexOf(':') + 1;
  return digest.length > at + 12 ? `${digest.slice(0, at + 12)}…` : digest;
}

/** "docker.io/library/busybox:1.36@sha256:0123456789ab…" */
export function shortImageRef(ref: ImageRef): string {
  return `${ref.text.slice(0, ref.text.length - ref.digest.length)}${shortDigest(ref.digest)}`;
}
