/**
 * A job's models (the LoomModels hub: the job was posted with `postJobWithModels`) as the worker runs
 * them: a pure function of the spec and the models the API lists for the job (`Job.models`), so each
 * refusal can be explained and tested without a chain.
 *
 * - WEIGHTS and DATASET models: each file is mounted read-only at `/models/<name>/<path>`, its bytes
 *   fetched by sha256 from the artifact store (modelStore.ts) and checked like an input's.
 * - An IMAGE model: a spec that names no image runs in the model's image (the spec is read as if it
 *   named it: the image's WorkingDir and default command apply); a spec that names another image is
 *   refused, as are two IMAGE models naming different images.
 *
 * What a creator published is untrusted: a name must be one path segment, a file's path relative and
 * clean (the SDK's `modelPathIssue`, what publishing checks too), no two mounts may overlap each other or an input's, and the total size must be within the
 * worker's limit. Any of these refuses the job before a transaction (`models`).
 */
import { type ImageRef, parseImageRef } from '../../sdk/spec/imageRef';
import { type JobSpec, parseSpec } from '../../sdk/spec/jobSpec';
import { modelPathIssue } from '../../sdk/modelParams';

/** Where a job's models are mounted in the sandbox: `/models/<name>/<path>`. */
export const MODELS_DIR = '/models';

/** A model a job uses, as the API lists it (`Job.models[].model`): amounts as decimal strings, hashes as 0x hex. */
export type JobModel = {
  id: string;
  name: string;
  kind: 'WEIGHTS' | 'DATASET' | 'IMAGE';
  files: readonly { sha256: string; size: string | number | bigint; path: string }[];
  image?: string | null;
};

/** One model file to fetch and mount. */
export type ModelFileMount = {
  /** The model's id and name, for reasons and logs. */
  model: string;
  /** Lowercase hex, no 0x: its address in the artifact store and the cache. */
  sha256: string;
  size: number;
  /** `/models/<name>/<path>`. */
  mountPath: string;
};

/**
 * A job's spec as it runs (with its models' image) and the model files it mounts; or why it cannot
 * run here: its spec is invalid (`stage: 'spec'`), or its models cannot be used (`stage: 'models'`).
 */
export type ResolvedJob = { ok: true; spec: JobSpec; models: ModelFileMount[] } | { ok: false; stage: 'spec' | 'models'; reason: string };

export type ModelLimits = {
  /** Largest total of a job's model files (bytes). */
  maxModelBytes: number;
};

const sha256Hex = /^(0x)?[0-9a-fA-F]{64}$/;

/**
 * Parses the spec bytes and applies the job's models to it.
 *
 * @example
 * const job = resolveJob(hexToBytes(apiJob.spec), apiJob.models.map((m) => m.model), { maxModelBytes: 100 * 2 ** 30 });
 * if (!job.ok) refuse('models', job.reason);
 */
export function resolveJob(specBytes: Uint8Array, models: readonly JobModel[], limits: ModelLimits): ResolvedJob {
  const parsed = parseSpec(specBytes);
  if (!parsed.ok) return { ok: false, stage: 'spec', reason: parsed.reason };
  if (models.length === 0) return { ok: true, spec: parsed.spec, models: [] };
  const refuse = (reason: string): ResolvedJob => ({ ok: false, stage: 'models', reason });

  const describe = (m: JobModel) => `model ${m.id} "${m.name}"`;
  const names = new Set<string>();
  for (const m of models) {
    const bad = badName(m.name);
    if (bad) return refuse(`${describe(m)}: its name ${bad}, so it cannot be mounted at ${MODELS_DIR}/<name>`);
    if (m.kind !== 'IMAGE' && names.has(m.name)) return refuse(`${describe(m)}: another model of the job has the same name, and both would be mounted at ${MODELS_DIR}/${m.name}`);
    if (m.kind !== 'IMAGE') names.add(m.name);
  }

  // The image: the spec's, or the one its IMAGE models agree on.
  let image: ImageRef | undefined = parsed.spec.image;
  let imageFrom = 'the spec';
  for (const m of models.filter((x) => x.kind === 'IMAGE')) {
    const ref = parseImageRef(m.image ?? '');
    if (!ref.ok) return refuse(`${describe(m)}: its image cannot be run: ${ref.reason}`);
    if (image && !sameImage(image, ref.ref)) {
      return refuse(`${describe(m)} is the image ${ref.ref.text}, and ${imageFrom} names ${image.text}: a job runs in one image`);
    }
    if (!image) [image, imageFrom] = [ref.ref, describe(m)];
  }
  let spec = parsed.spec;
  if (image && !parsed.spec.image) {
    // Read the spec as if it named the image, so the image's WorkingDir and default command apply.
    const value = JSON.parse(new TextDecoder().decode(specBytes)) as Record<string, unknown>;
    const withImage = parseSpec({ ...value, image: image.text });
    if (!withImage.ok) return refuse(`the spec cannot run in its model's image ${image.text}: ${withImage.reason}`);
    spec = withImage.spec;
  }

  // The files: clean relative paths, no mount over another's or an input's, within the size limit.
  const files: ModelFileMount[] = [];
  const mounts = spec.inputs.map((i) => ({ path: i.mountPath, what: `input "${i.name}"` }));
  let total = 0;
  for (const m of models) {
    if (m.kind === 'IMAGE') continue;
    if (m.files.length === 0) return refuse(`${describe(m)}: a ${m.kind.toLowerCase()} model without files`);
    for (const f of m.files) {
      const bad = modelPathIssue(f.path);
      if (bad) return refuse(`${describe(m)}: file "${f.path}" ${bad}`);
      if (!sha256Hex.test(f.sha256)) return refuse(`${describe(m)}: file "${f.path}": "${f.sha256}" is not a sha256`);
      const size = Number(f.size);
      if (!Number.isSafeInteger(size) || size < 0) return refuse(`${describe(m)}: file "${f.path}": size ${String(f.size)} is not a byte count`);
      const mountPath = `${MODELS_DIR}/${m.name}/${f.path}`;
      const clash = mounts.find((o) => o.path === mountPath || o.path.startsWith(`${mountPath}/`) || mountPath.startsWith(`${o.path}/`));
      if (clash) return refuse(`${describe(m)}: file "${f.path}" would be mounted at ${mountPath}, over ${clash.what} at ${clash.path}`);
      mounts.push({ path: mountPath, what: `${describe(m)}'s file "${f.path}"` });
      total += size;
      files.push({ model: `${m.id} "${m.name}"`, sha256: f.sha256.replace(/^0x/, '').toLowerCase(), size, mountPath });
    }
  }
  if (total > limits.maxModelBytes) return refuse(`the job's models are ${total} bytes, over this worker's limit of ${limits.maxModelBytes} bytes (--max-model-gib)`);
  return { ok: true, spec, models: files };
}

/** The same image: the same repository of the same registry at the same digest (a tag is for people only). */
function sameImage(a: ImageRef, b: ImageRef): boolean {
  return a.registry === b.registry && a.repository === b.repository && a.digest === b.digest;
}

/** Why a model's name cannot be one directory under /models; undefined when it can. */
function badName(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return `"${name}" is not a directory name`;
  if (name.includes('/') || name.includes('\0')) return `"${name}" has a "/" or a NUL`;
  if (Buffer.byteLength(name) > 255) return 'is over 255 bytes';
  return undefined;
}
