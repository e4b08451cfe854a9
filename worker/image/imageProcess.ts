/**
 * The process an image-mode job starts: argv, environment and working directory, decided from the
 * spec and the image's config the way container runtimes (Docker, containerd, podman) decide them.
 *
 * - argv: the spec's `command` replaces the image's Cmd and follows its Entrypoint
 *   (`docker run IMAGE cmd...`); a spec with neither command nor script runs Entrypoint + Cmd.
 *   A `script` runs as `/bin/sh -c <script>` with the image's Entrypoint and Cmd both ignored
 *   (`docker run --entrypoint /bin/sh IMAGE -c <script>`): a script is a whole program of its own,
 *   and prefixing it with an entrypoint such as `python` would make no sense. The image must have
 *   a /bin/sh for it.
 * - env: the worker's defaults (PATH, HOME=/tmp), overridden by the image's Env, with the spec's env
 *   on top. The spec cannot set PATH, HOME or LANG (parseSpec refuses them); the image can. An
 *   image Env entry without "=" is ignored (it names no value). LANG is not set by the worker here:
 *   the locale must exist in the image, so the image decides.
 * - workdir: the spec's, else the image's WorkingDir (a relative one is taken from /, as Docker
 *   does), else /.
 *
 * The config is untrusted (it came from a registry): NUL bytes anywhere, which no process can be
 * given, refuse the image with the reason.
 */
import { posix } from 'node:path';
import type { JobSpec } from '../../sdk/spec/jobSpec';
import type { ImageConfig } from './imageTypes';

export type ImageProcess = { argv: string[]; env: Record<string, string>; workdir: string };

/** The worker's defaults under an image's Env: the usual Linux PATH, and HOME in the job's private /tmp. */
export const IMAGE_DEFAULT_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/tmp',
};

/**
 * Resolves how an image-mode job starts, or why it cannot.
 *
 * @example
 * imageProcess(spec, { env: ['PATH=/opt/conda/bin:/usr/bin'], entrypoint: ['python'], cmd: ['-V'] })
 * // spec.command ['train.py'] -> { argv: ['python', 'train.py'], env: { PATH: '/opt/conda/bin:/usr/bin', HOME: '/tmp', ... }, workdir: '/' }
 */
export function imageProcess(spec: JobSpec, config: ImageConfig): ImageProcess | { error: string } {
  const entrypoint = config.entrypoint ?? [];
  const cmd = config.cmd ?? [];
  let argv: string[];
  if (spec.script !== undefined) argv = ['/bin/sh', '-c', spec.script];
  else if (spec.command !== undefined) argv = [...entrypoint, ...spec.command];
  else argv = [...entrypoint, ...cmd];
  if (argv.length === 0) return { error: 'the image has no Entrypoint or Cmd and the spec no command' };
  if (argv[0] === '') return { error: "the image's Entrypoint/Cmd starts with an empty program name" };
  if (argv.some((a) => a.includes('\0'))) return { error: "the image's Entrypoint/Cmd contains a NUL byte" };

  const env: Record<string, string> = { ...IMAGE_DEFAULT_ENV };
  for (const entry of config.env) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    if (entry.includes('\0')) return { error: `the image's Env entry ${JSON.stringify(entry.slice(0, 64))} contains a NUL byte` };
    env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  Object.assign(env, spec.env);

  const imageDir = config.workingDir === undefined || config.workingDir === '' ? undefined : config.workingDir;
  if (imageDir?.includes('\0')) return { error: "the image's WorkingDir contains a NUL byte" };
  const workdir = spec.workdir ?? (imageDir === undefined ? '/' : posix.resolve('/', imageDir));
  return { argv, env, workdir };
}
