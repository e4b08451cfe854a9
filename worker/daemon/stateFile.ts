/**
 * The daemon's local state, in one file: the cursor of the last event it processed, so a restart
 * resumes the event log where it stopped, and the results it committed to on replicated jobs and has
 * not revealed yet (`commits`), so a restart reveals them. Everything else (jobs held, bids, results,
 * slots) is rebuilt from the chain through the API; losing this file costs at most the jobs posted
 * while the worker was down, and a commitment whose result must then be computed again (the run is
 * deterministic) or given up.
 *
 * A commit record holds the result hash and URI, never the salt (derived from the key again:
 * revealSecret.ts) and never the key. It is written, and synced to disk, before the commitment is
 * sent: a crash between the two leaves a record of a commit that may not have happened, which the
 * chain's slot state settles; never a commit without its record.
 *
 * Written atomically (temporary file, fsync, rename); the cursor at most every `debounceMs`. Tied to
 * the worker, market and chain it was written for: a file from another deployment is ignored.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Address, Hex } from 'viem';

/** What the worker committed to for one replicated job's slot. */
export type CommitRecord = {
  slot: number;
  resultHash: Hex;
  resultURI: string;
};

export type WorkerState = {
  version: 1;
  chainId: number;
  market: Address;
  worker: Address;
  /** The cursor of the last delivery processed (null: none yet). */
  cursor: string | null;
  /** Commitments not yet revealed, by job id (absent in files written before replicated jobs). */
  commits?: Record<Hex, CommitRecord>;
  updatedAt: string;
};

type Identity = Pick<WorkerState, 'chainId' | 'market' | 'worker'>;

export class StateFile {
  private cursor: string | null = null;
  private commits: Record<Hex, CommitRecord> = {};
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly identity: Identity,
    private readonly debounceMs = 200,
  ) {}

  /**
   * Reads the file: the saved cursor (null when there is no state for this worker, market and
   * chain) and the commit records, which later writes keep.
   */
  async load(): Promise<{ cursor: string | null; commits: Record<Hex, CommitRecord> }> {
    let state: Partial<WorkerState>;
    try {
      state = JSON.parse(await readFile(this.path, 'utf8')) as Partial<WorkerState>;
    } catch {
      return { cursor: null, commits: {} };
    }
    const same = (a: unknown, b: string | number) => String(a).toLowerCase() === String(b).toLowerCase();
    if (state.version !== 1 || !same(state.chainId, this.identity.chainId) || !same(state.market, this.identity.market) || !same(state.worker, this.identity.worker)) {
      return { cursor: null, commits: {} };
    }
    this.cursor = typeof state.cursor === 'string' ? state.cursor : null;
    this.commits = {};
    for (const [id, r] of Object.entries(state.commits ?? {})) {
      if (isCommitRecord(r)) this.commits[id.toLowerCase() as Hex] = r;
    }
    return { cursor: this.cursor, commits: { ...this.commits } };
  }

  /** Records `cursor`, written within `debounceMs`. */
  saveCursor(cursor: string | null): void {
    this.cursor = cursor;
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.debounceMs);
  }

  /** The jobs with a commitment recorded. */
  committedJobs(): Hex[] {
    return Object.keys(this.commits) as Hex[];
  }

  /** The commitment recorded for a job (as loaded or recorded since). */
  commitOf(jobId: Hex): CommitRecord | undefined {
    return this.commits[jobId.toLowerCase() as Hex];
  }

  /** Records a commitment about to be sent; resolves once it is on disk (rejects when it could not be written). */
  async recordCommit(jobId: Hex, record: CommitRecord): Promise<void> {
    this.commits[jobId.toLowerCase() as Hex] = record;
    this.dirty = true;
    await this.writeNow();
  }

  /** Forgets a commitment (revealed, or the job closed). */
  async forgetCommit(jobId: Hex): Promise<void> {
    if (!delete this.commits[jobId.toLowerCase() as Hex]) return;
    this.dirty = true;
    await this.flush();
  }

  /** Writes what is pending now; a failed write is tried again with the next change. */
  async flush(): Promise<void> {
    await this.writeNow().catch(() => {});
  }

  private writeNow(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.dirty) return this.writing;
    this.dirty = false;
    const state: WorkerState = { version: 1, ...this.identity, cursor: this.cursor, commits: { ...this.commits }, updatedAt: new Date().toISOString() };
    const written = this.writing.then(() => this.write(state));
    this.writing = written.catch(() => {
      this.dirty = true;
    });
    return written;
  }

  private async write(state: WorkerState): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${randomBytes(4).toString('hex')}.tmp`;
    const file = await open(tmp, 'w', 0o600);
    try {
      await file.writeFile(`${JSON.stringify(state, null, 2)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, this.path).catch(async (err) => {
      await rm(tmp, { force: true });
      throw err;
    });
  }
}

function isCommitRecord(r: unknown): r is CommitRecord {
  const x = r as Partial<CommitRecord> | null;
  return typeof x === 'object' && x !== null && Number.isInteger(x.slot) && typeof x.resultHash === 'string' && /^0x[0-9a-fA-F]{64}$/.test(x.resultHash) && typeof x.resultURI === 'string';
}
