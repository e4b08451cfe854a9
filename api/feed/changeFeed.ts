/**
 * The change feed: the ONE reader of indexing progress in an API process, fanned out to every
 * subscription (api/feed/subscriptions.ts). Subscribers never poll the database; the feed reads it once per
 * change and hands every subscriber the same batch.
 *
 * What drives it: a {@link ChangeSignal}, Ponder's `pg_notify('<schema>_live_query')` after each
 * indexed block (api/feed/ponderSignal.ts: PGlite's in-process LISTEN, or a dedicated PostgreSQL
 * connection, which also serves `ponder serve` processes), plus one slow safety ticker (Ponder
 * notifies nothing while it backfills history, nor when it rolls a reorg back: it only notifies
 * the next canonical block). Without a signal, the ticker alone drives it, faster.
 *
 * What it keeps: the unfinalized window of `job_event` (the blocks above Ponder's finalized
 * checkpoint, at most the newest `reorgDepth`) as it last delivered it, the position of the newest
 * event (`lastId`), and a log of recent reorgs. While no subscription listens it only follows the
 * ticker and reads only the window (nobody needs the rest: a subscriber reads final history from
 * the database), so an idle API costs the indexer nothing per block.
 *
 * One tick:
 *   1. the latest indexed and finalized blocks (Ponder's checkpoints) -> the window's first event id;
 *   2. the window's keys (id, block hash) as the database has them now, compared with what the feed
 *      delivered: the first block whose events differ is the fork; every delivered event from that
 *      block on was removed by a reorg (Ponder rolled it back) and is RETRACTED, newest first;
 *   3. the rows after the fork (or after `lastId`): ADDED, in chain order (paged);
 *   4. when `jobUpdated` has subscribers, the jobs those events touch, before and after;
 *   5. then, synchronously, the new state is committed and the batch is published, so a subscriber
 *      that switches from its backfill to live delivery in one synchronous step sees either the old
 *      state and the batch, or the new state and no batch: never a gap or an overlap.
 *
 * Event ids (`job_event.id`) are fixed-width `block-logIndex` strings, so string order is chain order
 * and a position in the log is an id: "everything up to and including this id".
 */
import type { Logger } from 'pino';
import { and, asc, gt, gte, inArray, lte } from 'ponder';
import { eventId } from '../../indexer/src/fold/event';
import type { Db, JobEventRow, JobFold, JobRow, Tables } from '../data/tables';
import { readCheckpoints } from '../data/indexingStatus';

/** Something that says "the indexer may have written": Ponder's live-query notifications. */
export type ChangeSignal = {
  /** What drives it, for logs (`pglite`, `postgres`). */
  kind: string;
  /** Calls `listener` on every notification; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  close(): Promise<void>;
};

/** How a job changed in one batch. */
export type JobChange = {
  jobId: `0x${string}`;
  /** Before the batch: a row, null (no such job), or undefined (unknown: no fold configured). */
  before: JobRow | null | undefined;
  /** After the batch: the row, or null when a reorg removed the job. */
  after: JobRow | null;
  /** Some of the job's events were retracted by a reorg in this batch. */
  retracted: boolean;
};

/** What one tick changed, published to every subscriber. */
export type FeedBatch = {
  /** Increasing batch number. */
  seq: number;
  /** The latest indexed block when the batch was read. */
  head: bigint;
  /**
   * With a reorg: the position just before the first event of the first changed block. Every event
   * the feed had delivered after it is in `retracted`; the canonical ones come in `added`.
   */
  forkPos: string | null;
  /** Events removed by a reorg, newest first, as they were delivered. */
  retracted: JobEventRow[];
  /** New events, in chain order. */
  added: JobEventRow[];
  /** The feed's `lastId` after this batch. */
  lastId: string;
  /** Jobs touched by the batch (only computed while `jobUpdated` has subscribers). */
  jobs: JobChange[];
};

export type ChangeFeedOptions = {
  db: Db;
  tables: Tables;
  /** The indexer's job fold: lets `jobUpdated` tell a job's state before a change it first sees. */
  foldJob?: JobFold;
  logger: Logger;
  /** Creates the signal when the feed starts (none: the ticker alone drives the feed). */
  signal?: () => ChangeSignal | undefined;
  /** Safety ticker period (ms); default 1000 with a signal, 200 without. */
  pollMs?: number;
  /** Blocks that may still be reorganized (the unfinalized window); default 64. */
  reorgDepth?: number;
  /** Rows read per query; default 2000. */
  pageSize?: number;
  /** Reorg batches remembered for resuming subscribers; default 1000. */
  maxReorgBatches?: number;
  /** Job rows remembered to tell what changed; default 10,000. */
  maxCachedJobs?: number;
};

/**
 * The position just before event `id`: every id below it is at or before the position.
 * @example positionBefore('000000000012-000003') // '000000000012-000002'
 * @example positionBefore('000000000012-000000') // '000000000011-999999'
 */
export function positionBefore(id: string): string {
  const match = /^([0-9]+)-([0-9]+)$/.exec(id);
  if (!match) return '';
  const block = BigInt(match[1]!);
  const logIndex = Number(match[2]);
  if (logIndex > 0) return eventId(block, logIndex - 1);
  return block > 0n ? eventId(block - 1n, 999_999) : '';
}

/** The block number of an event id. */
export function blockOfId(id: string): bigint {
  return BigInt(id.slice(0, id.indexOf('-')));
}

/** The first event id of a block. */
export const firstIdOfBlock = (block: bigint) => eventId(block, 0);

const noop = () => {};
const maxId = (a: string, b: string) => (a > b ? a : b);

/** A value's stable text, for "did this row change". */
const fingerprint = (row: unknown) => JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? v.toString() : v));

export class ChangeFeed {
  /** The unfinalized window as delivered: events with id >= windowStartId, in chain order. */
  known: JobEventRow[] = [];
  /** The first id of the window: events below it are final. */
  windowStartId = firstIdOfBlock(0n);
  /** The position of the newest event delivered ('' before the first). */
  lastId = '';
  /** The latest indexed block at the last tick (null before anything is indexed). */
  head: bigint | null = null;
  /** The last batch's number. */
  seq = 0;
  /** Recent batches with retractions, oldest first. */
  readonly reorgs: FeedBatch[] = [];
  /** Batches up to this one may have had reorgs that are no longer remembered. */
  forgottenUpTo = 0;

  private readonly listeners = new Set<(batch: FeedBatch) => void>();
  private jobListeners = 0;
  private readonly jobCache = new Map<string, JobRow | null>();
  private initialized = false;
  private current: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private started = false;
  private closed = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private signal: ChangeSignal | undefined;
  private unsubscribeSignal: (() => void) | undefined;
  private failing = false;
  private readonly reorgDepth: bigint;
  private readonly pageSize: number;

  constructor(private readonly options: ChangeFeedOptions) {
    this.reorgDepth = BigInt(options.reorgDepth ?? 64);
    this.pageSize = options.pageSize ?? 2000;
  }

  /** Starts following the indexer (idempotent); resolves once the feed holds the current window. */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the change feed is closed'));
    if (!this.started) {
      this.started = true;
      try {
        this.signal = this.options.signal?.();
      } catch (err) {
        this.options.logger.warn({ err }, 'change feed: no notifications, polling only');
      }
      // While nobody listens, the ticker alone keeps the window and the reorg log current.
      this.unsubscribeSignal = this.signal?.subscribe(() => {
        if (this.listeners.size > 0) this.sync().catch(noop);
      });
      const pollMs = this.options.pollMs ?? (this.signal ? 1000 : 200);
      this.timer = setInterval(() => this.sync().catch(noop), pollMs);
      this.timer.unref?.();
      this.options.logger.info({ signal: this.signal?.kind ?? 'none', pollMs, reorgDepth: Number(this.reorgDepth) }, 'change feed started');
    }
    return this.initialized ? Promise.resolve() : this.sync();
  }

  /** Resolves after a tick that began after this call (the feed then reflects the database as of now). */
  sync(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the change feed is closed'));
    if (!this.current) {
      this.current = this.runTick().finally(() => {
        this.current = null;
      });
      return this.current;
    }
    // A tick is under way and may have read before this call: run one more after it.
    this.queued ??= this.current
      .catch(noop)
      .then(() => {
        this.queued = null;
        return this.sync();
      });
    return this.queued;
  }

  /** Receives every batch from now on; returns the unsubscribe function. */
  listen(listener: (batch: FeedBatch) => void, options: { jobs?: boolean } = {}): () => void {
    const wrapped = (batch: FeedBatch) => listener(batch);
    this.listeners.add(wrapped);
    if (options.jobs) this.jobListeners++;
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.listeners.delete(wrapped);
      if (options.jobs) this.jobListeners--;
    };
  }

  /** How many subscriptions listen now. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Reorg batches after `seq`, oldest first; throws when some may be forgotten. */
  reorgsAfter(seq: number): FeedBatch[] {
    if (seq < this.forgottenUpTo) throw new Error('reorg log overflow');
    return this.reorgs.filter((b) => b.seq > seq);
  }

  /** The oldest remembered reorg batch that retracted the event (id, blockHash). */
  findRetraction(id: string, blockHash: string): FeedBatch | undefined {
    return this.reorgs.find((b) => b.retracted.some((r) => r.id === id && r.blockHash === blockHash));
  }

  /** Whether the window holds the event (id, blockHash) now (only meaningful for id >= windowStartId). */
  windowHas(id: string, blockHash: string): boolean {
    let lo = 0;
    let hi = this.known.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const row = this.known[mid]!;
      if (row.id === id) return row.blockHash === blockHash;
      if (row.id < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.unsubscribeSignal?.();
    this.listeners.clear();
    await this.signal?.close().catch(noop);
  }

  private async runTick(): Promise<void> {
    try {
      const more = await this.tick();
      if (this.failing) this.options.logger.info('change feed: database readable again');
      this.failing = false;
      if (more) this.sync().catch(noop);
    } catch (err) {
      if (!this.failing) this.options.logger.warn({ err }, 'change feed: cannot read the database (retrying)');
      this.failing = true;
      throw err;
    }
  }

  /** One read of the database; returns true when a page limit left rows for another tick. */
  private async tick(): Promise<boolean> {
    const { db } = this.options;
    const { jobEvent } = this.options.tables;
    const checkpoints = await readCheckpoints(db);
    const head = checkpoints?.head ?? null;
    const headNumber = head?.number ?? 0n;
    // The window is what Ponder may still roll back: above its finalized block, and never deeper
    // than reorgDepth. (While Ponder backfills, nothing it indexed is unfinalized, so the window is
    // empty: its events can be many, and reading them every tick would compete with the indexing.)
    const deepest = headNumber > this.reorgDepth ? headNumber - this.reorgDepth : 0n;
    const aboveFinal = checkpoints ? checkpoints.finalized.number + 1n : 0n;
    const computedStart = firstIdOfBlock(aboveFinal > deepest ? aboveFinal : deepest);

    if (!this.initialized) {
      // The current window, as of now; nothing is published.
      const rows: JobEventRow[] = [];
      for (let after = positionBefore(computedStart); ; ) {
        const page = await db.select().from(jobEvent).where(gt(jobEvent.id, after)).orderBy(asc(jobEvent.id)).limit(this.pageSize);
        rows.push(...page);
        if (page.length < this.pageSize) break;
        after = page.at(-1)!.id;
      }
      this.known = rows;
      this.windowStartId = computedStart;
      this.lastId = rows.at(-1)?.id ?? positionBefore(computedStart);
      this.head = head?.number ?? null;
      this.initialized = true;
      return false;
    }

    // The window never moves back (a reorg can lower the head for a moment).
    const windowStartId = maxId(this.windowStartId, computedStart);
    const window = this.known.filter((r) => r.id >= windowStartId);

    // 2. Has anything the feed delivered changed? Compare the window with the database's keys.
    let forkPos: string | null = null;
    if (this.lastId >= windowStartId) {
      const keys = await db
        .select({ id: jobEvent.id, blockHash: jobEvent.blockHash })
        .from(jobEvent)
        .where(and(gte(jobEvent.id, windowStartId), lte(jobEvent.id, this.lastId)))
        .orderBy(asc(jobEvent.id));
      const n = Math.max(keys.length, window.length);
      for (let i = 0; i < n; i++) {
        const known = window[i];
        const now = keys[i];
        if (known && now && known.id === now.id && known.blockHash === now.blockHash) continue;
        // The first difference: everything from its block on is another history.
        const firstId = known && now ? (known.id < now.id ? known.id : now.id) : (known?.id ?? now!.id);
        forkPos = positionBefore(firstIdOfBlock(blockOfId(firstId)));
        break;
      }
    }
    const retracted = forkPos === null ? [] : window.filter((r) => r.id > forkPos!).reverse();

    // 3. The rows after the fork, or after the newest delivered event; while nobody listens, only
    //    the window's (what is below it is final, and a subscriber reads it from the database).
    let fetchAfter = forkPos ?? this.lastId;
    const skipping = this.listeners.size === 0 && fetchAfter < positionBefore(windowStartId);
    if (skipping) fetchAfter = positionBefore(windowStartId);
    const withJobs = this.jobListeners > 0;
    const added = await db.select().from(jobEvent).where(gt(jobEvent.id, fetchAfter)).orderBy(asc(jobEvent.id)).limit(this.pageSize);

    // 4. The jobs they touch, while someone listens for jobs.
    const jobs = withJobs ? await this.jobChanges(retracted, added, fetchAfter) : [];
    if (!withJobs) this.jobCache.clear();

    // 5. Commit and publish, synchronously.
    if (this.closed) return false;
    // Someone subscribed meanwhile: this read left out what they need; read again.
    if ((skipping && this.listeners.size > 0) || (!withJobs && this.jobListeners > 0)) return true;
    const kept = forkPos === null ? window : window.filter((r) => r.id <= forkPos!);
    this.known = kept.concat(added.filter((r) => r.id >= windowStartId));
    this.windowStartId = windowStartId;
    this.lastId = added.at(-1)?.id ?? fetchAfter;
    this.head = head?.number ?? this.head;
    for (const change of jobs) this.cacheJob(change.jobId, change.after);

    if (retracted.length > 0 || added.length > 0 || forkPos !== null) {
      const batch: FeedBatch = {
        seq: ++this.seq,
        head: headNumber,
        forkPos,
        retracted,
        added,
        lastId: this.lastId,
        jobs,
      };
      if (forkPos !== null) {
        // Resuming subscribers need the retractions only.
        this.reorgs.push({ ...batch, added: [], jobs: [] });
        const max = this.options.maxReorgBatches ?? 1000;
        while (this.reorgs.length > max) this.forgottenUpTo = this.reorgs.shift()!.seq;
        this.options.logger.info(
          { forkBlock: retracted.length ? blockOfId(retracted.at(-1)!.id).toString() : null, retracted: retracted.length, added: added.length },
          'change feed: reorg, delivered events retracted',
        );
      }
      for (const listener of [...this.listeners]) {
        try {
          listener(batch);
        } catch (err) {
          this.options.logger.error({ err }, 'change feed: a subscriber failed on a batch');
        }
      }
    }
    return added.length === this.pageSize;
  }

  /** Before and after of every job the batch touches (before: cached, else folded from its events). */
  private async jobChanges(retracted: JobEventRow[], added: JobEventRow[], fetchAfter: string): Promise<JobChange[]> {
    const { db, foldJob } = this.options;
    const { job, jobEvent } = this.options.tables;
    const retractedJobs = new Set(retracted.map((r) => r.jobId).filter((id): id is `0x${string}` => id != null));
    const ids = [...new Set([...retracted.map((r) => r.jobId), ...added.map((r) => r.jobId)])].filter(
      (id): id is `0x${string}` => id != null,
    );
    if (ids.length === 0) return [];

    const after = new Map<string, JobRow>();
    for (let i = 0; i < ids.length; i += 500) {
      for (const row of await db.select().from(job).where(inArray(job.id, ids.slice(i, i + 500)))) after.set(row.id, row);
    }

    const before = new Map<string, JobRow | null | undefined>();
    const unknown = ids.filter((id) => !this.jobCache.has(id));
    for (const id of ids) if (this.jobCache.has(id)) before.set(id, this.jobCache.get(id));
    if (unknown.length > 0 && foldJob) {
      // The job as it was before this batch: its events up to the batch, plus what the batch retracted.
      const history = new Map<string, JobEventRow[]>(unknown.map((id) => [id, []]));
      for (let i = 0; i < unknown.length; i += 500) {
        const rows = await db
          .select()
          .from(jobEvent)
          .where(and(inArray(jobEvent.jobId, unknown.slice(i, i + 500)), lte(jobEvent.id, fetchAfter)))
          .orderBy(asc(jobEvent.id));
        for (const row of rows) history.get(row.jobId!)?.push(row);
      }
      for (const row of [...retracted].reverse()) if (row.jobId) history.get(row.jobId)?.push(row);
      for (const [id, events] of history) before.set(id, events.length > 0 ? (foldJob(events).job ?? null) : null);
    }

    const changes: JobChange[] = [];
    for (const id of ids) {
      const now = after.get(id) ?? null;
      const was = before.get(id);
      if (was !== undefined && fingerprint(was) === fingerprint(now)) continue;
      changes.push({ jobId: id, before: was, after: now, retracted: retractedJobs.has(id) });
    }
    return changes;
  }

  private cacheJob(id: string, row: JobRow | null) {
    this.jobCache.delete(id);
    this.jobCache.set(id, row);
    const max = this.options.maxCachedJobs ?? 10_000;
    while (this.jobCache.size > max) this.jobCache.delete(this.jobCache.keys().next().value!);
  }
}
