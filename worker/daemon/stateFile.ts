/**
 * The daemon's only local state: the cursor of the last event it processed, so a restart resumes
 * the event log where it stopped. Everything else (jobs held, bids, results) is rebuilt from the
 * chain through the API; losing this file costs at most the jobs posted while the worker was down.
 *
 * Written atomically (temporary file, fsync, rename), at most every `debounceMs`, and tied to the
 * worker, market and chain it was written for: a cursor from another deployment is ignored.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Address } from 'viem';

export type WorkerState = {
  version: 1;
  chainId: number;
  market: Address;
  worker: Address;
  /** The cursor of the last delivery processed (null: none yet). */
  cursor: string | null;
  updatedAt: string;
};

type Identity = Pick<WorkerState, 'chainId' | 'market' | 'worker'>;

export class StateFile {
  private pending: string | null | undefined;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly identity: Identity,
    private readonly debounceMs = 200,
  ) {}

  /** The saved cursor, or null when there is no state for this worker, market and chain. */
  async loadCursor(): Promise<string | null> {
    let state: Partial<WorkerState>;
    try {
      state = JSON.parse(await readFile(this.path, 'utf8')) as Partial<WorkerState>;
    } catch {
      return null;
    }
    const same = (a: unknown, b: string | number) => String(a).toLowerCase() === String(b).toLowerCase();
    if (state.version !== 1 || !same(state.chainId, this.identity.chainId) || !same(state.market, this.identity.market) || !same(state.worker, this.identity.worker)) {
      return null;
    }
    return typeof state.cursor === 'string' ? state.cursor : null;
  }

  /** Records `cursor`, written within `debounceMs`. */
  saveCursor(cursor: string | null): void {
    this.pending = cursor;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.debounceMs);
  }

  /** Writes what is pending now. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending === undefined) return this.writing;
    const cursor = this.pending;
    this.pending = undefined;
    this.writing = this.writing.then(() => this.write(cursor)).catch(() => {});
    return this.writing;
  }

  private async write(cursor: string | null): Promise<void> {
    const state: WorkerState = { version: 1, ...this.identity, cursor, updatedAt: new Date().toISOString() };
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
