/**
 * What a job runs and where, in one line each, for `loom job post` and `loom job show`. The spec
 * comes from the API's `specJson`: anything a stranger posted, so every shape is handled.
 */
import { shortImageRef } from '../../sdk/format/images';
import { parseImageRef } from '../../sdk/spec/imageRef';

/**
 * "image docker.io/library/busybox:1.36@sha256:0123456789ab…", "the worker's host (no image)", or
 * why workers refuse the image (a spec posted past the client's checks).
 */
export function runsIn(specJson: unknown): string {
  if (!isObject(specJson)) return '-';
  if (specJson.image === undefined) return "the worker's host (no image: its own read-only /usr)";
  if (typeof specJson.image !== 'string') return 'an image that is not a string (workers refuse the spec)';
  const parsed = parseImageRef(specJson.image);
  return parsed.ok ? `image ${shortImageRef(parsed.ref)}` : `image "${specJson.image}", which workers refuse: ${parsed.reason}`;
}

/** The command, the script on one line, or the image's default: "python train.py", "(the image's default command)". */
export function specSummary(specJson: unknown, specHex: string): string {
  if (!isObject(specJson)) return `${(specHex.length - 2) / 2} bytes (not JSON)`;
  const s = specJson as { image?: unknown; command?: unknown; script?: unknown };
  const run = Array.isArray(s.command)
    ? s.command.join(' ')
    : typeof s.script === 'string'
      ? s.script.replace(/\s+/g, ' ').trim()
      : s.image !== undefined
        ? "(the image's default command)"
        : '?';
  return run.length > 80 ? `${run.slice(0, 79)}…` : run;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
