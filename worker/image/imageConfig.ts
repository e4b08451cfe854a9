/** The image config blob (OCI `application/vnd.oci.image.config.v1+json`, Docker's is the same shape). */
import { ImageRefusalError } from './imageRefusal';
import type { ImageConfig, Platform } from './imageTypes';

/** Reads what decides how a job starts (Env, WorkingDir, Entrypoint, Cmd, User) and the image's platform. */
export function parseImageConfig(bytes: Buffer): { config: ImageConfig; platform: Platform } {
  let doc: { os?: unknown; architecture?: unknown; variant?: unknown; config?: Record<string, unknown> | null };
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ImageRefusalError('invalid', 'the image config is not JSON');
  }
  if (typeof doc.os !== 'string' || typeof doc.architecture !== 'string') throw new ImageRefusalError('invalid', 'the image config names no os and architecture');
  const c = doc.config ?? {};
  const strings = (v: unknown, name: string): string[] | undefined => {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new ImageRefusalError('invalid', `the image config's ${name} is not a list of strings`);
    return v as string[];
  };
  const config: ImageConfig = { env: strings(c.Env, 'Env') ?? [] };
  const entrypoint = strings(c.Entrypoint, 'Entrypoint');
  const cmd = strings(c.Cmd, 'Cmd');
  if (entrypoint) config.entrypoint = entrypoint;
  if (cmd) config.cmd = cmd;
  if (typeof c.WorkingDir === 'string' && c.WorkingDir !== '') config.workingDir = c.WorkingDir;
  if (typeof c.User === 'string' && c.User !== '') config.user = c.User;
  const platform: Platform = { os: doc.os, architecture: doc.architecture, ...(typeof doc.variant === 'string' && doc.variant ? { variant: doc.variant } : {}) };
  return { config, platform };
}
