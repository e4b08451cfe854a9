/**
 * A file on disk about to be uploaded as an artifact (Node only): its size, refusing anything but a
 * regular file, and its sha256, hashed as a stream so a large file is never held in memory. Shared
 * by `loom job upload` and `loom model publish`.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Hex } from 'viem';

/** The size of a regular file; throws a plain Error (for the caller to word) otherwise. */
export async function regularFileSize(path: string): Promise<number> {
  const st = await stat(path);
  if (!st.isFile()) throw new Error('not a regular file');
  return st.size;
}

/** The file's sha256 as 0x-prefixed hex, read as a stream. */
export async function sha256OfFile(path: string): Promise<Hex> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `0x${hash.digest('hex')}`;
}
