/**
 * The post form's job spec: a draft as the form holds it, turned into a v1 spec and validated with
 * the SDK's `parseSpec` (sdk/spec/jobSpec.ts), the one workers use, so the UI accepts exactly what workers run.
 *
 * With an image (pinned by digest, checked with the SDK's `parseImageRef` as the user types), the
 * command or script may be left empty: the image's default command (Entrypoint + Cmd) runs, and the
 * working directory defaults to the image's WorkingDir.
 */
import { bytesToHex, type Hex } from 'viem';
import { parseImageRef, type ParseImageRefResult } from '$sdk/spec/imageRef';
import { MAX_SPEC_BYTES, parseSpec, type JobSpec } from '$sdk/spec/jobSpec';
import { splitArgs } from './splitArgs';

export type InputDraft = { uri: string; sha256: string; name: string; mountPath: string; size: string };

export type SpecDraft = {
  kind: 'command' | 'script';
  /** A command line, split into argv like a shell would (no expansion). Optional with an image. */
  command: string;
  script: string;
  /** `registry/repository[:tag]@sha256:<64 hex>`, or empty: the worker's host (host mode). */
  image: string;
  workdir: string;
  env: { name: string; value: string }[];
  inputs: InputDraft[];
  /** Paths under /out, one per line. */
  outputs: string;
  gpus: number | null;
  vramMiB: number | null;
  memoryMiB: number | null;
  cpus: number | null;
  timeoutSeconds: number | null;
};

export const emptyInput = (): InputDraft => ({ uri: '', sha256: '', name: '', mountPath: '', size: '' });

export function defaultSpecDraft(): SpecDraft {
  return {
    kind: 'command',
    command: '',
    script: '',
    image: '',
    workdir: '',
    env: [],
    inputs: [],
    outputs: '/out',
    gpus: 0,
    vramMiB: 0,
    memoryMiB: 4096,
    cpus: 1,
    timeoutSeconds: 600,
  };
}

/** One problem, at a spec path such as "resources.gpus" or "inputs.0.sha256". */
export type SpecIssue = { path: string; message: string };

export type SpecCheck =
  | { ok: true; spec: JobSpec; value: Record<string, unknown>; json: string; hex: Hex; size: number }
  | { ok: false; issues: SpecIssue[]; value?: Record<string, unknown> };

/** Builds the spec object the draft describes; only what differs from the defaults is written. */
export function buildSpec(draft: SpecDraft): { value: Record<string, unknown>; issues: SpecIssue[] } {
  const issues: SpecIssue[] = [];
  const value: Record<string, unknown> = { version: 1 };
  const image = draft.image.trim();
  if (image) {
    // Checked here rather than left to parseSpec: the reason is one message (it may contain "; ").
    const ref = parseImageRef(image);
    if (!ref.ok) issues.push({ path: 'image', message: ref.reason });
    value.image = image;
  }
  if (draft.kind === 'command') {
    const split = splitArgs(draft.command);
    if (!split.ok) issues.push({ path: 'command', message: split.reason });
    else if (split.argv.length > 0) value.command = split.argv;
    else if (!image) issues.push({ path: 'command', message: 'enter the program to run and its arguments (or set an image: its default command runs)' });
  } else if (draft.script.trim()) {
    value.script = draft.script;
  } else if (!image) {
    issues.push({ path: 'script', message: 'enter the script to run (or set an image: its default command runs)' });
  }
  if (draft.workdir.trim()) value.workdir = draft.workdir.trim();

  const env: Record<string, string> = {};
  draft.env.forEach((e, i) => {
    const name = e.name.trim();
    if (!name && !e.value) return;
    if (!name) issues.push({ path: `env.${i}`, message: 'a variable needs a name' });
    else if (name in env) issues.push({ path: `env.${name}`, message: 'is set twice' });
    else env[name] = e.value;
  });
  if (Object.keys(env).length) value.env = env;

  const inputs = draft.inputs
    .filter((i) => i.uri.trim() || i.sha256.trim() || i.name.trim() || i.mountPath.trim() || i.size.trim())
    .map((input, i) => {
      const out: Record<string, unknown> = { uri: input.uri.trim(), sha256: input.sha256.trim() };
      if (input.name.trim()) out.name = input.name.trim();
      if (input.mountPath.trim()) out.mountPath = input.mountPath.trim();
      if (input.size.trim()) {
        const size = Number(input.size.trim());
        if (!Number.isSafeInteger(size) || size < 0) issues.push({ path: `inputs.${i}.size`, message: 'must be a whole number of bytes' });
        else out.size = size;
      }
      return out;
    });
  if (inputs.length) value.inputs = inputs;

  const outputs = draft.outputs
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (!(outputs.length === 1 && outputs[0] === '/out')) value.outputs = outputs.length ? outputs : ['/out'];

  const resources: Record<string, unknown> = {};
  const gpus = draft.gpus ?? 0;
  if (gpus) resources.gpus = gpus;
  if (gpus && draft.vramMiB) resources.vramMiB = draft.vramMiB;
  if (draft.memoryMiB !== null) resources.memoryMiB = draft.memoryMiB;
  if (draft.cpus !== null) resources.cpus = draft.cpus;
  if (draft.timeoutSeconds !== null) resources.timeoutSeconds = draft.timeoutSeconds;
  value.resources = resources;
  return { value, issues };
}

/** The image field as the user types: undefined while empty (host mode), else parseImageRef's verdict. */
export function checkImage(text: string): ParseImageRefResult | undefined {
  const image = text.trim();
  return image ? parseImageRef(image) : undefined;
}

/** True when the draft leaves the program to the image: an image is set and the chosen field is empty. */
export function runsImageDefault(draft: Pick<SpecDraft, 'kind' | 'command' | 'script' | 'image'>): boolean {
  if (!draft.image.trim()) return false;
  return draft.kind === 'command' ? draft.command.trim() === '' : draft.script.trim() === '';
}

/** Splits parseSpec's reason ("a.b: message; missing field: c; unknown field: d") into issues. */
export function parseIssues(reason: string): SpecIssue[] {
  return reason.split('; ').map((part) => {
    const missing = /^missing field: (.+)$/.exec(part);
    if (missing) return { path: missing[1]!, message: 'is required' };
    const unknown = /^unknown fields?: (.+)$/.exec(part);
    if (unknown) return { path: unknown[1]!.split(', ')[0]!, message: `is not a spec field (${unknown[1]})` };
    const at = part.indexOf(': ');
    if (at > 0 && !part.startsWith('invalid JSON')) return { path: part.slice(0, at) === '(spec)' ? '' : part.slice(0, at), message: part.slice(at + 2) };
    return { path: '', message: part };
  });
}

/** Builds and validates the spec: the same check every worker makes before taking the job. */
export function checkSpec(draft: SpecDraft): SpecCheck {
  const { value, issues } = buildSpec(draft);
  if (issues.length) return { ok: false, issues, value };
  const parsed = parseSpec(value);
  if (!parsed.ok) return { ok: false, issues: parseIssues(parsed.reason), value };
  const json = JSON.stringify(value);
  const bytes = new TextEncoder().encode(json);
  if (bytes.length > MAX_SPEC_BYTES) {
    return { ok: false, issues: [{ path: '', message: `the spec is ${bytes.length} bytes, over the ${MAX_SPEC_BYTES}-byte limit` }], value };
  }
  return { ok: true, spec: parsed.spec, value, json, hex: bytesToHex(bytes), size: bytes.length };
}

/** The message for a field, if any: an issue at `path` or below it. */
export function issueAt(issues: SpecIssue[], path: string): string | undefined {
  return issues.find((i) => i.path === path || i.path.startsWith(`${path}.`))?.message;
}
