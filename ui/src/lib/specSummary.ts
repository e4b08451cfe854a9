/** One line that says what a job runs, and where, from the API's `specJson` (any shape: it is untrusted). */
import { parseImageRef, type ImageRef } from '$sdk/spec/imageRef';
import { joinArgs } from './spec/splitArgs';

export function specSummary(specJson: unknown): string {
  if (!specJson || typeof specJson !== 'object' || Array.isArray(specJson)) return 'Unreadable spec';
  const s = specJson as { command?: unknown; script?: unknown; image?: unknown };
  if (Array.isArray(s.command) && s.command.every((a) => typeof a === 'string')) return joinArgs(s.command as string[]);
  if (typeof s.script === 'string') {
    const first = s.script.split('\n').find((l) => l.trim() && !l.startsWith('#!')) ?? s.script;
    return first.trim();
  }
  // An image spec without command or script runs the image's default: name the image (digest aside).
  if (typeof s.image === 'string' && s.image) return `${s.image.split('@')[0]} (its default command)`;
  return 'Spec without a command';
}

/**
 * Where the job runs: in an image (its reference parsed, or why workers refuse it: a spec posted
 * past the clients' checks), or on the worker's host.
 */
export type SpecPlace = { mode: 'image'; ref: ImageRef } | { mode: 'invalid-image'; text: string; reason: string } | { mode: 'host' };

export function specPlace(specJson: unknown): SpecPlace | undefined {
  if (!specJson || typeof specJson !== 'object' || Array.isArray(specJson)) return undefined;
  const image = (specJson as { image?: unknown }).image;
  if (image === undefined) return { mode: 'host' };
  if (typeof image !== 'string') return { mode: 'invalid-image', text: JSON.stringify(image), reason: 'the image must be a string' };
  const parsed = parseImageRef(image);
  return parsed.ok ? { mode: 'image', ref: parsed.ref } : { mode: 'invalid-image', text: image, reason: parsed.reason };
}
