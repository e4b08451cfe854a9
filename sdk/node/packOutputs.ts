/**
 * Deterministic packing of a job's outputs: the same files give the same bytes on every worker,
 * so the sha256 of the bundle can be the result hash posted on-chain and anyone can re-check it.
 *
 * Format: POSIX ustar (with a pax header only for a path over 255 bytes or a file of 8 GiB or
 * more). Entries in byte order of their paths (a parent always before its children), mtime 0,
 * uid/gid 0 with empty owner names, mode 0755 for directories and files with any execute bit,
 * 0644 for other files. Symbolic links are kept only when relative and inside the packed tree;
 * anything else (an escaping or absolute link, a device, a fifo, a socket) refuses the result, as
 * the job's output is meant to be plain files.
 *
 * Run only after the sandbox's processes are all gone (the runner checks its cgroup is empty), so
 * nothing changes the tree while it is read.
 */
import { createHash } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Hex } from 'viem';
import { coded } from '../errors';

const BLOCK = 512;
/** 11 octal digits: the largest size a ustar header holds. */
const USTAR_MAX_SIZE = 8 ** 11 - 1;

export type PackOptions = {
  /** The host directory bound at /out in the sandbox. */
  outDir: string;
  /** The spec's outputs: /out, or paths under it. */
  outputs: string[];
  /** Where to write the tar. */
  destination: string;
  /** Largest tar in bytes; past it the result is refused. */
  maxBytes: number;
  /**
   * Files the packer adds that are not in /out (the worker's record of the run): each packed at its
   * relative `path` as a 0644 file, its parent directories as directories, in the same byte order as
   * everything else. A job output at one of these paths (or a parent that is not a directory)
   * refuses the result: the bundle holds one file per name.
   */
  extraFiles?: { path: string; content: string | Uint8Array }[];
};

export type PackResult = {
  /** The tar file written. */
  path: string;
  size: number;
  /** sha256 of the tar, lowercase hex. */
  sha256: string;
  /** The same hash as bytes32, what `submitResult` takes. */
  resultHash: Hex;
  /** Paths in the tar, in order (directories end with /). */
  entries: string[];
};

type Entry =
  | { kind: 'dir'; name: string }
  | { kind: 'file'; name: string; hostPath: string; size: number; executable: boolean }
  | { kind: 'symlink'; name: string; target: string }
  | { kind: 'data'; name: string; content: Buffer };

/**
 * Packs the outputs into a deterministic tar and hashes it.
 *
 * @example
 * const { resultHash } = await packOutputs({ outDir, outputs: spec.outputs, destination: `${jobDir}/result.tar`, maxBytes: spec.resources.outputMiB * 2 ** 20 });
 */
export async function packOutputs(options: PackOptions): Promise<PackResult> {
  const entries = addExtraFiles(await collectEntries(options.outDir, options.outputs), options.extraFiles ?? []);

  let total = 2 * BLOCK;
  for (const e of entries) {
    total += headerBlocks(e) * BLOCK + (e.kind === 'file' ? roundUp(e.size) : e.kind === 'data' ? roundUp(e.content.length) : 0);
    if (total > options.maxBytes) {
      throw coded('OUTPUT_REJECTED', `the outputs are over the ${options.maxBytes}-byte limit`);
    }
  }

  const hash = createHash('sha256');
  const out = createWriteStream(options.destination, { mode: 0o644 });
  const write = (chunk: Buffer) => {
    hash.update(chunk);
    return out.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };

  let size = 0;
  try {
    for (const e of entries) {
      for (const block of headers(e)) {
        await write(block);
        size += block.length;
      }
      if (e.kind === 'file') {
        size += await copyFile(e, write);
      } else if (e.kind === 'data') {
        await write(e.content);
        const pad = roundUp(e.content.length) - e.content.length;
        if (pad > 0) await write(Buffer.alloc(pad));
        size += roundUp(e.content.length);
      }
    }
    const end = Buffer.alloc(2 * BLOCK);
    await write(end);
    size += end.length;
  } finally {
    out.end();
    await finished(out);
  }

  const sha256 = hash.digest('hex');
  return {
    path: options.destination,
    size,
    sha256,
    resultHash: `0x${sha256}`,
    entries: entries.map((e) => (e.kind === 'dir' ? `${e.name}/` : e.name)),
  };
}

/** Streams a file's bytes and its padding; the size must not have changed since lstat. */
async function copyFile(e: Extract<Entry, { kind: 'file' }>, write: (b: Buffer) => Promise<void>): Promise<number> {
  let copied = 0;
  // O_NOFOLLOW: the entry was a regular file at lstat; never follow a link swapped in since.
  const file = await open(e.hostPath, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    for await (const chunk of file.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
      copied += chunk.length;
      if (copied > e.size) break;
      await write(chunk);
    }
  } finally {
    await file.close();
  }
  if (copied !== e.size) throw coded('OUTPUT_REJECTED', `output ${e.name} changed size while being packed`);
  const pad = roundUp(e.size) - e.size;
  if (pad > 0) await write(Buffer.alloc(pad));
  return roundUp(e.size);
}

/** Walks the selected outputs without following links, sorted by path bytes. */
async function collectEntries(outDir: string, outputs: string[]): Promise<Entry[]> {
  const byName = new Map<string, Entry>();

  async function visit(rel: string): Promise<void> {
    if (byName.has(rel)) return;
    const hostPath = rel === '' ? outDir : posix.join(outDir, rel);
    const st = await lstat(hostPath);
    if (st.isDirectory()) {
      if (rel !== '') byName.set(rel, { kind: 'dir', name: rel });
      const children = await readdir(hostPath, { encoding: 'buffer' });
      for (const child of children) await visit(rel === '' ? utf8Name(child, rel) : `${rel}/${utf8Name(child, rel)}`);
    } else if (st.isFile()) {
      byName.set(rel, { kind: 'file', name: rel, hostPath, size: st.size, executable: (st.mode & 0o111) !== 0 });
    } else if (st.isSymbolicLink()) {
      const target = await readlink(hostPath);
      // Resolved lexically against the link's own directory; it must stay inside /out.
      const resolved = posix.normalize(posix.join(posix.dirname(rel), target));
      if (target.startsWith('/') || resolved === '..' || resolved.startsWith('../')) {
        throw coded('OUTPUT_REJECTED', `output /out/${rel} is a symbolic link leaving the output (${target})`);
      }
      byName.set(rel, { kind: 'symlink', name: rel, target });
    } else {
      throw coded('OUTPUT_REJECTED', `output /out/${rel} is not a regular file, directory or symbolic link`);
    }
  }

  for (const output of outputs) {
    const rel = output === '/out' ? '' : output.slice('/out/'.length);
    // Parents of a selected path become directory entries, so the tar extracts on its own.
    const parts = rel === '' ? [] : rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      const st = await lstat(posix.join(outDir, parent)).catch(() => undefined);
      if (!st?.isDirectory()) throw coded('OUTPUT_REJECTED', `output ${output} does not exist`);
      byName.set(parent, { kind: 'dir', name: parent });
    }
    try {
      await visit(rel);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw coded('OUTPUT_REJECTED', `output ${output} does not exist`);
      throw err;
    }
  }

  return [...byName.values()].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

/** The outputs' entries with the extra files (and their parent directories) merged in, in byte order. */
function addExtraFiles(entries: Entry[], extras: { path: string; content: string | Uint8Array }[]): Entry[] {
  if (extras.length === 0) return entries;
  const byName = new Map(entries.map((e) => [e.name, e]));
  for (const extra of extras) {
    const parts = extra.path.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..')) throw new Error(`extra file path "${extra.path}" must be relative and normalized`);
    for (let i = 1; i <= parts.length; i++) {
      const name = parts.slice(0, i).join('/');
      const existing = byName.get(name);
      if (i < parts.length) {
        if (existing === undefined) byName.set(name, { kind: 'dir', name });
        else if (existing.kind !== 'dir') throw coded('OUTPUT_REJECTED', `output /out/${name} is in the way of the worker's /out/${extra.path}: that name is reserved`);
      } else {
        if (existing !== undefined) throw coded('OUTPUT_REJECTED', `output /out/${name} is reserved for the worker's record of the run`);
        byName.set(name, { kind: 'data', name, content: Buffer.from(extra.content) });
      }
    }
  }
  return [...byName.values()].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

function utf8Name(raw: Buffer, parent: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw coded('OUTPUT_REJECTED', `a file name in /out/${parent} is not valid UTF-8`);
  }
}

function roundUp(n: number): number {
  return Math.ceil(n / BLOCK) * BLOCK;
}

function tarName(e: Entry): string {
  return e.kind === 'dir' ? `${e.name}/` : e.name;
}

/** Where a name fits ustar's 100-byte name + 155-byte prefix; undefined when it needs pax. */
function splitUstarName(name: string): { name: string; prefix: string } | undefined {
  const bytes = Buffer.byteLength(name);
  if (bytes <= 100) return { name, prefix: '' };
  if (bytes > 256) return undefined;
  // Split at a slash so that prefix <= 155 bytes and name <= 100 bytes.
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== '/') continue;
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== '') return { name: rest, prefix };
  }
  return undefined;
}

function needsPax(e: Entry): boolean {
  return (
    splitUstarName(tarName(e)) === undefined ||
    (e.kind === 'file' && e.size > USTAR_MAX_SIZE) ||
    (e.kind === 'data' && e.content.length > USTAR_MAX_SIZE) ||
    (e.kind === 'symlink' && Buffer.byteLength(e.target) > 100)
  );
}

function headerBlocks(e: Entry): number {
  return needsPax(e) ? 2 + Math.ceil(paxBody(e).length / BLOCK) : 1;
}

function headers(e: Entry): Buffer[] {
  const typeflag = e.kind === 'dir' ? '5' : e.kind === 'symlink' ? '2' : '0';
  const mode = e.kind === 'dir' || (e.kind === 'file' && e.executable) ? 0o755 : e.kind === 'symlink' ? 0o777 : 0o644;
  const size = e.kind === 'file' ? e.size : e.kind === 'data' ? e.content.length : 0;
  const linkname = e.kind === 'symlink' ? e.target : '';
  if (!needsPax(e)) {
    const split = splitUstarName(tarName(e))!;
    return [header({ ...split, mode, size, typeflag, linkname })];
  }
  // pax: the real path/size/linkpath in an extended header, truncated placeholders in ustar.
  const body = paxBody(e);
  const paxHeader = header({ name: 'PaxHeader', prefix: '', mode: 0o644, size: body.length, typeflag: 'x', linkname: '' });
  const padded = Buffer.alloc(roundUp(body.length));
  body.copy(padded);
  const short = Buffer.from(tarName(e)).subarray(0, 100).toString('latin1');
  return [
    paxHeader,
    padded,
    header({ name: short, prefix: '', mode, size: Math.min(size, USTAR_MAX_SIZE), typeflag, linkname: Buffer.from(linkname).subarray(0, 100).toString('latin1'), latin1: true }),
  ];
}

function paxBody(e: Entry): Buffer {
  const records: Buffer[] = [];
  const add = (key: string, value: string) => {
    // "<len> <key>=<value>\n" where len counts itself.
    const rest = ` ${key}=${value}\n`;
    let len = Buffer.byteLength(rest) + 1;
    while (String(len).length + Buffer.byteLength(rest) !== len) len = String(len).length + Buffer.byteLength(rest);
    records.push(Buffer.from(`${len}${rest}`));
  };
  if (splitUstarName(tarName(e)) === undefined) add('path', tarName(e));
  if (e.kind === 'file' && e.size > USTAR_MAX_SIZE) add('size', String(e.size));
  if (e.kind === 'symlink' && Buffer.byteLength(e.target) > 100) add('linkpath', e.target);
  return Buffer.concat(records);
}

function header(h: { name: string; prefix: string; mode: number; size: number; typeflag: string; linkname: string; latin1?: boolean }): Buffer {
  const b = Buffer.alloc(BLOCK);
  const enc: BufferEncoding = h.latin1 ? 'latin1' : 'utf8';
  b.write(h.name, 0, 100, enc);
  octal(b, 100, 8, h.mode);
  octal(b, 108, 8, 0); // uid
  octal(b, 116, 8, 0); // gid
  octal(b, 124, 12, h.size);
  octal(b, 136, 12, 0); // mtime
  b.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  b.write(h.typeflag, 156, 1, 'latin1');
  b.write(h.linkname, 157, 100, enc);
  b.write('ustar\u000000', 257, 8, 'latin1');
  // uname/gname (265, 297) stay empty; devmajor/devminor are zero for everything we pack.
  octal(b, 329, 8, 0);
  octal(b, 337, 8, 0);
  b.write(h.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return b;
}

/** A zero-padded octal number ending in NUL, as ustar writes numbers. */
function octal(b: Buffer, offset: number, length: number, value: number): void {
  b.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'latin1');
}
