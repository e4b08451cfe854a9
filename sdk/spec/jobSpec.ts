/**
 * Job spec format v1: the zod twin of job-spec.v1.schema.json (the documented format), and
 * `parseSpec`, which turns the bytes a client posted into a resolved spec (defaults filled in, input
 * names and mount paths decided, hashes normalized) or a reason a person can read.
 *
 * The spec is untrusted input from a stranger: every field is bounded, unknown fields are refused
 * (so a requirement this worker does not understand is never silently ignored), and paths are
 * checked here so the sandbox builder can trust them.
 */
import { z } from 'zod';
import { type ImageRef, parseImageRef } from './imageRef';

/** The contract's MAX_SPEC_BYTES: a spec longer than this could never have been posted. */
export const MAX_SPEC_BYTES = 8192;

/** The versions this worker understands. */
export const SPEC_VERSIONS = [1] as const;

/** Top-level directories of the sandbox that belong to the system or the worker, never to inputs. */
const reservedRoots = new Set(['usr', 'bin', 'lib', 'lib64', 'sbin', 'etc', 'proc', 'dev', 'sys', 'run', 'tmp', 'out']);

/** Absolute, no '.', '..' or empty segments, no NUL: the sandbox builder relies on this. */
function isCleanAbsolutePath(p: string): boolean {
  if (!p.startsWith('/') || p.length > 1024 || p.includes('\0')) return false;
  if (p === '/') return true;
  return p
    .slice(1)
    .split('/')
    .every((s) => s !== '' && s !== '.' && s !== '..');
}

const cleanPath = z.string().refine(isCleanAbsolutePath, 'must be a clean absolute path (no ".", ".." or empty segments)');
const noNul = (s: string) => !s.includes('\0');

const envName = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** Set by the worker itself (see sandbox/sandboxEnv.ts); a spec may not override them. */
export const WORKER_ENV_NAMES = ['PATH', 'HOME', 'LANG'] as const;

const inputName = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const sha256Hex = /^(0x)?[0-9a-fA-F]{64}$/;

const inputSchema = z.strictObject({
  name: z.string().regex(inputName, 'must be 1-128 of [A-Za-z0-9._-], not starting with "." or "-"').optional(),
  uri: z
    .string()
    .max(2048)
    .refine((u) => parseInputUri(u) !== undefined, 'must be an http(s) URL or artifact://<sha256>'),
  sha256: z.string().regex(sha256Hex, 'must be 64 hex digits'),
  size: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  mountPath: cleanPath
    .refine((p) => !reservedRoots.has(p.split('/')[1] ?? ''), 'must not be under a system directory or /out, /tmp')
    .refine((p) => p !== '/' && p !== '/in', 'must name a file, not / or /in')
    .optional(),
});

const resourcesSchema = z.strictObject({
  gpus: z.int().min(0).max(16).default(0),
  vramMiB: z.int().min(0).max(4294967295).default(0),
  memoryMiB: z.int().min(16).max(4194304).default(4096),
  cpus: z.number().gt(0).max(1024).default(1),
  pids: z.int().min(8).max(65536).default(512),
  timeoutSeconds: z.int().min(1).max(604800).default(3600),
  outputMiB: z.int().min(1).max(1048576).default(1024),
});

/**
 * What a job expects to receive sealed (sdk/sealing.ts) rather than in this public spec: the names of
 * its secret environment variables and private inputs (their values, URLs and headers travel only in
 * the bundle the client seals to the assigned worker), and whether its result is encrypted to the
 * client. Names are public so the worker can check the bundle is complete before the job runs.
 * `registryAuth`: the job's image is private; the bundle holds credentials for its registry (and no
 * other), the worker checks the image anonymously only as far as it can before a claim, and pulls it
 * with those credentials once the bundle has opened (worker/image/README.md).
 */
const sealedSchema = z.strictObject({
  env: z.array(z.string().regex(envName, 'must match [A-Za-z_][A-Za-z0-9_]*')).max(64).default([]),
  privateInputs: z.array(z.string().regex(inputName, 'must be 1-128 of [A-Za-z0-9._-], not starting with "." or "-"')).max(16).default([]),
  privateResult: z.boolean().default(false),
  registryAuth: z.boolean().default(false),
});

const specSchema = z
  .strictObject({
    version: z.literal(1),
    image: z
      .string()
      .superRefine((v, ctx) => {
        const r = parseImageRef(v);
        if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
      })
      .optional(),
    command: z.array(z.string().max(4096).refine(noNul, 'must not contain NUL')).min(1).max(256).optional(),
    script: z.string().min(1).max(8192).refine(noNul, 'must not contain NUL').optional(),
    workdir: cleanPath.optional(),
    env: z
      .record(
        z.string().regex(envName, 'must match [A-Za-z_][A-Za-z0-9_]*'),
        z.string().max(4096).refine(noNul, 'must not contain NUL'),
      )
      .refine((e) => Object.keys(e).length <= 64, 'at most 64 variables')
      .default({}),
    inputs: z.array(inputSchema).max(64).default([]),
    outputs: z
      .array(cleanPath.refine((p) => p === '/out' || p.startsWith('/out/'), 'must be /out or a path under /out'))
      .min(1)
      .max(64)
      .default(['/out']),
    resources: resourcesSchema.default(() => resourcesSchema.parse({})),
    deterministic: z.boolean().default(false),
    sealed: sealedSchema.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.command !== undefined && s.script !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'at most one of command and script' });
    } else if (s.command === undefined && s.script === undefined && s.image === undefined) {
      // An image brings its own default (Entrypoint + Cmd); the host has none.
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'one of command and script is required (or an image, whose default command runs)' });
    }
    if (s.command !== undefined && s.command[0] === '') {
      ctx.addIssue({ code: 'custom', path: ['command', 0], message: 'the program must not be empty' });
    }
    for (const name of Object.keys(s.env)) {
      if ((WORKER_ENV_NAMES as readonly string[]).includes(name)) {
        ctx.addIssue({ code: 'custom', path: ['env', name], message: 'is set by the worker' });
      } else if (name.startsWith('LOOM_')) {
        ctx.addIssue({ code: 'custom', path: ['env', name], message: 'LOOM_ names are reserved for the worker' });
      }
    }
    if (s.sealed?.registryAuth && s.image === undefined) {
      ctx.addIssue({ code: 'custom', path: ['sealed', 'registryAuth'], message: 'needs an image: registry credentials are only used to pull the job\'s image' });
    }
    for (const [i, name] of (s.sealed?.env ?? []).entries()) {
      if ((WORKER_ENV_NAMES as readonly string[]).includes(name) || name.startsWith('LOOM_')) {
        ctx.addIssue({ code: 'custom', path: ['sealed', 'env', i], message: 'is set by the worker' });
      } else if (name in s.env) ctx.addIssue({ code: 'custom', path: ['sealed', 'env', i], message: `"${name}" is also a public env variable` });
    }
  });

/** A resolved input: name, mount path and hash decided, so every worker reads the spec the same way. */
export type JobInput = {
  name: string;
  uri: string;
  /** Lowercase hex, no 0x. */
  sha256: string;
  size?: number;
  mountPath: string;
};

export type JobResources = z.infer<typeof resourcesSchema>;

/** A valid v1 spec with every default applied. */
export type JobSpec = {
  version: 1;
  /** The image the job runs in (image mode); absent: the worker's own read-only root (host mode). */
  image?: ImageRef;
  /**
   * argv; for a script spec: ['/bin/sh', '-c', script]. Empty only in image mode without command or
   * script: the image's Entrypoint + Cmd run (the worker resolves it with the image's config).
   */
  argv: string[];
  command?: string[];
  script?: string;
  /** Host mode: the spec's, default /in. Image mode: the spec's when it sets one, else absent (the image's WorkingDir, else /). */
  workdir?: string;
  env: Record<string, string>;
  inputs: JobInput[];
  outputs: string[];
  resources: JobResources;
  /**
   * The client's statement that the same inputs give a byte-identical result bundle on any worker:
   * what a replicated job needs to reach a quorum. Informative (nothing can check it in advance).
   */
  deterministic: boolean;
  /** Present when the job expects a sealed bundle from its client (sdk/sealing.ts). */
  sealed?: SealedExpectation;
};

/**
 * The secrets a job expects sealed: env names, private input names (mounted at /in/<name>), a private
 * result, and credentials for the registry of its (private) image.
 */
export type SealedExpectation = { env: string[]; privateInputs: string[]; privateResult: boolean; registryAuth?: boolean };

export type ParseSpecResult = { ok: true; spec: JobSpec } | { ok: false; reason: string };

/** A parsed input URI: a URL to fetch, or a file of the artifact store by its sha256. */
export type InputSource = { kind: 'url'; url: URL } | { kind: 'artifact'; sha256: string };

/** Reads an input's `uri`; undefined when it is neither http(s) nor artifact://<sha256>. */
export function parseInputUri(uri: string): InputSource | undefined {
  const artifact = /^artifact:\/\/(?:0x)?([0-9a-fA-F]{64})$/.exec(uri);
  if (artifact) return { kind: 'artifact', sha256: artifact[1]!.toLowerCase() };
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // Credentials in a public, on-chain spec are a mistake at best; refuse rather than send them.
  if (url.username !== '' || url.password !== '') return undefined;
  return { kind: 'url', url };
}

/**
 * Parses a job spec: the raw bytes from `JobPosted` (or the API's `spec` hex), JSON text, or an
 * already-parsed value (the API's `specJson`).
 *
 * @example
 * const r = parseSpec('{"version":1,"command":["python","train.py"],"resources":{"gpus":1}}');
 * if (!r.ok) skip(job, r.reason); // e.g. 'resources.gpus: expected int, received string'
 */
export function parseSpec(input: Uint8Array | string | unknown): ParseSpecResult {
  let value: unknown = input;
  if (input instanceof Uint8Array || typeof input === 'string') {
    const decoded = decodeSpecText(input);
    if (!decoded.ok) return decoded;
    try {
      value = JSON.parse(decoded.text);
    } catch (err) {
      return { ok: false, reason: `invalid JSON: ${(err as Error).message}` };
    }
  }

  // The version decides which schema applies, so check it first and say exactly what is wrong.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'the spec must be a JSON object' };
  }
  if (!('version' in value)) return { ok: false, reason: 'missing field: version' };
  const version = (value as { version: unknown }).version;
  if (!(SPEC_VERSIONS as readonly unknown[]).includes(version)) {
    return { ok: false, reason: `unknown spec version ${JSON.stringify(version)} (this worker understands ${SPEC_VERSIONS.join(', ')})` };
  }

  const parsed = specSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) return { ok: false, reason: formatIssues(parsed.error.issues) };
  return resolveSpec(parsed.data);
}

function decodeSpecText(input: Uint8Array | string): { ok: true; text: string } | { ok: false; reason: string } {
  let bytes: Uint8Array;
  if (typeof input === 'string') {
    // The API's `spec` field and JobPosted's bytes come as 0x-hex; JSON text never starts with 0x.
    if (/^0x([0-9a-fA-F]{2})*$/.test(input)) bytes = Buffer.from(input.slice(2), 'hex');
    else bytes = Buffer.from(input, 'utf8');
  } else bytes = input;
  if (bytes.length > MAX_SPEC_BYTES) return { ok: false, reason: `the spec is ${bytes.length} bytes, over the ${MAX_SPEC_BYTES}-byte limit` };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: 'invalid JSON: the spec is not valid UTF-8' };
  }
}

type ParsedSpec = z.infer<typeof specSchema>;

/** Applies what the schema cannot: default input names and mount paths, and their uniqueness. */
function resolveSpec(s: ParsedSpec): ParseSpecResult {
  const inputs: JobInput[] = [];
  const names = new Set<string>();
  const mounts: string[] = [];
  for (const [i, input] of s.inputs.entries()) {
    const sha256 = input.sha256.replace(/^0x/, '').toLowerCase();
    const source = parseInputUri(input.uri)!;
    if (source.kind === 'artifact' && source.sha256 !== sha256) {
      return { ok: false, reason: `inputs.${i}.uri: an artifact:// URI must name the input's own sha256` };
    }
    const name = input.name ?? defaultInputName(source, sha256);
    if (names.has(name)) return { ok: false, reason: `inputs.${i}.name: duplicate input name "${name}"` };
    names.add(name);
    const mountPath = input.mountPath ?? `/in/${name}`;
    // Each input is a file: one mount path may not equal or contain another.
    const clash = mounts.find((m) => m === mountPath || m.startsWith(`${mountPath}/`) || mountPath.startsWith(`${m}/`));
    if (clash !== undefined) return { ok: false, reason: `inputs.${i}.mountPath: "${mountPath}" overlaps "${clash}"` };
    mounts.push(mountPath);
    inputs.push({ name, uri: input.uri, sha256, ...(input.size === undefined ? {} : { size: input.size }), mountPath });
  }
  for (const [i, name] of (s.sealed?.privateInputs ?? []).entries()) {
    if (names.has(name)) return { ok: false, reason: `sealed.privateInputs.${i}: duplicate input name "${name}"` };
    names.add(name);
    const mountPath = `/in/${name}`;
    const clash = mounts.find((m) => m === mountPath || m.startsWith(`${mountPath}/`) || mountPath.startsWith(`${m}/`));
    if (clash !== undefined) return { ok: false, reason: `sealed.privateInputs.${i}: "${mountPath}" overlaps "${clash}"` };
    mounts.push(mountPath);
  }
  const argv = s.command ?? (s.script === undefined ? [] : ['/bin/sh', '-c', s.script]);
  const image = s.image === undefined ? undefined : (parseImageRef(s.image) as { ok: true; ref: ImageRef }).ref;
  const workdir = s.workdir ?? (image === undefined ? '/in' : undefined);
  const spec: JobSpec = {
    version: 1,
    ...(image === undefined ? {} : { image }),
    argv,
    ...(s.command === undefined ? {} : { command: s.command }),
    ...(s.script === undefined ? {} : { script: s.script }),
    ...(workdir === undefined ? {} : { workdir }),
    env: s.env,
    inputs,
    outputs: s.outputs,
    resources: s.resources,
    deterministic: s.deterministic,
    ...(s.sealed === undefined ? {} : { sealed: s.sealed }),
  };
  return { ok: true, spec };
}

function defaultInputName(source: InputSource, sha256: string): string {
  if (source.kind === 'url') {
    const last = decodeURIComponentSafe(source.url.pathname.split('/').pop() ?? '');
    if (inputName.test(last)) return last;
  }
  return sha256;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}

/** "resources.gpus: Invalid input: expected int, received string; inputs.0.sha256: must be 64 hex digits" */
function formatIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
        return `unknown field${keys.length > 1 ? 's' : ''}: ${keys.join(', ')}`;
      }
      if (issue.code === 'invalid_type' && issue.input === undefined) return `missing field: ${path}`;
      return `${path || '(spec)'}: ${issue.message}`;
    })
    .join('; ');
}
