/**
 * OCI image references pinned by digest: `registry/repository[:tag]@sha256:<64 hex>`.
 *
 * A job's image must be named by digest so every worker runs the same bytes: a tag can be moved to
 * other content at any time, so a reference with a tag alone is refused, with that reason. A tag
 * may stand before the digest for people to read; the digest decides. The grammar is Docker's
 * (distribution/reference): a first component with a "." or ":" or equal to "localhost" is the
 * registry, otherwise the image is on Docker Hub (`docker.io`), where a one-component name lives
 * under `library/`.
 *
 * Browser-safe: the web UI checks the field as the user types with the same function.
 */

export type ImageRef = {
  /** The registry host (and port) as it is named: `docker.io` for Docker Hub, lowercase. */
  registry: string;
  /** The repository path in that registry, e.g. `library/busybox` or `nvidia/cuda`. */
  repository: string;
  /** The tag written before the digest, kept for people only. */
  tag?: string;
  /** `sha256:<64 lowercase hex>`: what is pulled and checked. */
  digest: string;
  /** The canonical text: `registry/repository[:tag]@digest`. */
  text: string;
};

export type ParseImageRefResult = { ok: true; ref: ImageRef } | { ok: false; reason: string };

/** Docker Hub's name in references; its API answers at registry-1.docker.io (see registryEndpoint). */
export const DOCKER_HUB = 'docker.io';

const component = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const hostPattern = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

/** The longest reference accepted: the spec field's own limit. */
export const MAX_IMAGE_REF_LENGTH = 256;

/**
 * Parses an image reference; the reason says what to change when it is refused.
 *
 * @example
 * parseImageRef('busybox:1.36@sha256:' + 'ab'.repeat(32))
 * // { ok: true, ref: { registry: 'docker.io', repository: 'library/busybox', tag: '1.36', digest: 'sha256:abab…', text: 'docker.io/library/busybox:1.36@sha256:abab…' } }
 * parseImageRef('nvidia/cuda:12.4.1-base-ubuntu22.04').ok // false: a tag alone is not reproducible
 */
export function parseImageRef(input: string): ParseImageRefResult {
  const fail = (reason: string): ParseImageRefResult => ({ ok: false, reason });
  if (input.length === 0) return fail('the image reference is empty');
  if (input.length > MAX_IMAGE_REF_LENGTH) return fail(`the image reference is ${input.length} characters, over the ${MAX_IMAGE_REF_LENGTH}-character limit`);
  if (/\s/.test(input)) return fail('the image reference must not contain spaces');

  const at = input.indexOf('@');
  const named = at < 0 ? input : input.slice(0, at);
  const digest = at < 0 ? undefined : input.slice(at + 1);

  // The tag is after the last ':' that follows the last '/' (a registry port is before a '/').
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  const hasTag = colon > slash;
  const name = hasTag ? named.slice(0, colon) : named;
  const tag = hasTag ? named.slice(colon + 1) : undefined;

  if (digest === undefined) {
    return fail(
      `"${input}" is not pinned by digest: ${tag === undefined ? 'a bare name' : 'a tag'} can point to other content at any time, so a job's image must name its digest (${named}@sha256:<64 hex>; skopeo inspect or docker buildx imagetools inspect print it)`,
    );
  }
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
    return fail(/^sha256:/i.test(digest) ? 'the digest must be sha256: followed by 64 lowercase hex digits' : `unsupported digest "${digest}": only sha256:<64 hex> is accepted`);
  }
  if (tag !== undefined && !tagPattern.test(tag)) return fail(`invalid tag "${tag}": 1-128 of [A-Za-z0-9_.-], not starting with "." or "-"`);

  const parts = name.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    const host = canonicalRegistry(first);
    if (host === undefined) return fail(`invalid registry "${first}"`);
    registry = host;
    parts.shift();
  }
  if (parts.length === 0 || parts.some((p) => !component.test(p))) {
    return fail(`invalid repository "${parts.join('/')}": lowercase letters, digits and separators (. _ __ -), components separated by /`);
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  if (registry.length + 1 + repository.length > 255) return fail('the image name is over 255 characters');

  const text = `${registry}/${repository}${tag === undefined ? '' : `:${tag}`}@${digest}`;
  return { ok: true, ref: { registry, repository, ...(tag === undefined ? {} : { tag }), digest, text } };
}

/**
 * A registry host as ImageRef.registry names it (lowercase, Docker Hub's aliases as `docker.io`), or
 * undefined when it is not a host[:port]. Registry credentials are matched to images by this name.
 */
export function canonicalRegistry(host: string): string | undefined {
  if (!hostPattern.test(host)) return undefined;
  const lower = host.toLowerCase();
  return lower === 'index.docker.io' || lower === 'registry-1.docker.io' ? DOCKER_HUB : lower;
}

/** Where a registry's distribution API answers: Docker Hub's is not at docker.io. */
export function registryEndpoint(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}
