/**
 * A model's files from disk (Node only): `--file PATH[:DEST]` as the CLI spells them, each checked,
 * hashed streamed and opened as a Blob for sdk/modelUpload.ts to upload without reading it into
 * memory. DEST, the path under /models/<name>, defaults to the file's own name.
 *
 * @example
 * const sources = await readModelFiles(['weights/model.safetensors', 'tok.json:tokenizer/tokenizer.json']);
 * const files = await uploadModelFiles({ files: sources, signer, chainId, market, artifactUrl });
 */
import { openAsBlob } from 'node:fs';
import { basename, resolve } from 'node:path';
import { LoomError } from '../errors';
import { modelPathIssue } from '../modelParams';
import type { ModelFileSource } from '../modelUpload';
import { regularFileSize, sha256OfFile } from './localFile';

/** A file on disk and where it goes in the model. */
export type ModelFileSpec = { source: string; dest: string };

/**
 * "PATH[:DEST]" as source and destination. The last ":" splits them unless what follows it is
 * empty or looks like part of a Windows drive ("C:\…").
 */
export function parseModelFileSpec(text: string): ModelFileSpec {
  const colon = text.lastIndexOf(':');
  const split = colon > 1 && colon < text.length - 1;
  const source = split ? text.slice(0, colon) : text;
  const dest = split ? text.slice(colon + 1) : basename(source);
  return { source, dest };
}

/** Each file checked (a regular file, a valid destination, each destination once), hashed and opened. */
export async function readModelFiles(specs: readonly (string | ModelFileSpec)[]): Promise<(ModelFileSource & { source: string; size: number })[]> {
  const parsed = specs.map((s) => (typeof s === 'string' ? parseModelFileSpec(s) : s));
  const seen = new Set<string>();
  for (const { source, dest } of parsed) {
    const why = modelPathIssue(dest);
    if (why) throw new LoomError(`--file ${source}: the path in the model, "${dest}", ${why}`);
    if (seen.has(dest)) throw new LoomError(`--file ${source}: "${dest}" is in the model twice`);
    seen.add(dest);
  }
  const out: (ModelFileSource & { source: string; size: number })[] = [];
  for (const { source, dest } of parsed) {
    const path = resolve(source);
    let size: number;
    try {
      size = await regularFileSize(path);
    } catch (err) {
      throw new LoomError(`--file ${source}: cannot read it (${(err as Error).message})`, { cause: err });
    }
    out.push({ source: path, path: dest, size, sha256: await sha256OfFile(path), body: await openAsBlob(path) });
  }
  return out;
}
