/**
 * Retention: deletes the artifacts that nothing on-chain refers to once they are older than a grace
 * period. What the indexed chain refers to (artifactReferences.ts: job specs' inputs, results, worker
 * metadata; models later) is kept however old. The grace period covers the time between an upload
 * and the transaction that refers to it (a client uploads its inputs, then posts the job; a worker
 * uploads its result, then submits it), and the indexer's lag behind the chain.
 *
 * It runs only when the indexer has finished its backfill: half-indexed tables would make
 * referenced artifacts look unreferenced. The store is listed before the references are read, so an
 * artifact referenced while the collection runs is seen as referenced.
 */
import type { Logger } from 'pino';
import { readIndexingStatus } from '../data/indexingStatus';
import type { Db, Tables } from '../data/tables';
import { type ReferenceSource, referencedArtifacts, referenceSources } from './artifactReferences';
import type { ArtifactHash, ArtifactStore } from './artifactStore';

export type CollectOptions = {
  store: ArtifactStore;
  db: Db;
  tables: Tables;
  /** Unreferenced artifacts stored longer ago than this are deleted (seconds). */
  graceSeconds: number;
  /** Default: now. */
  now?: Date;
  /** Count what would go, delete nothing. */
  dryRun?: boolean;
  logger?: Logger;
  /** Default: every source in artifactReferences.ts. */
  sources?: readonly ReferenceSource[];
};

export type CollectReport = {
  /** Set when nothing was collected, with why (the indexer not ready). */
  skipped?: string;
  /** Artifacts listed. */
  scanned: number;
  /** Kept: younger than the grace period. */
  young: number;
  /** Kept: old, but referenced on-chain. */
  referenced: number;
  /** Deleted (or, on a dry run, would be). */
  deleted: ArtifactHash[];
  deletedBytes: number;
};

/** The default grace period: LOOM_ARTIFACT_GRACE_SECONDS, else 7 days. */
export function defaultGraceSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LOOM_ARTIFACT_GRACE_SECONDS;
  const v = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  return Number.isFinite(v) && v >= 0 ? v : 7 * 24 * 3600;
}

/**
 * @example
 * const report = await collectArtifacts({ store, db, tables, graceSeconds: 7 * 24 * 3600 });
 * // { scanned: 120, young: 4, referenced: 100, deleted: ['0x…', …], deletedBytes: 5_000_000 }
 */
export async function collectArtifacts(o: CollectOptions): Promise<CollectReport> {
  const report: CollectReport = { scanned: 0, young: 0, referenced: 0, deleted: [], deletedBytes: 0 };
  if (!Number.isFinite(o.graceSeconds) || o.graceSeconds < 0) throw new Error(`collectArtifacts: graceSeconds must be a number of seconds >= 0, got ${o.graceSeconds}`);
  const status = await readIndexingStatus(o.db);
  if (!status.ready) {
    report.skipped = 'the indexer has not finished its backfill: references are incomplete';
    return report;
  }
  const cutoff = (o.now ?? new Date()).getTime() - o.graceSeconds * 1000;

  const old: { hash: ArtifactHash; size: number }[] = [];
  for await (const a of o.store.list()) {
    report.scanned++;
    if (a.storedAt.getTime() > cutoff) report.young++;
    else old.push({ hash: a.hash, size: a.size });
  }
  if (old.length === 0) return report;

  const referenced = await referencedArtifacts(o.db, o.tables, o.sources ?? referenceSources);
  for (const a of old) {
    if (referenced.has(a.hash)) {
      report.referenced++;
      continue;
    }
    if (o.dryRun || (await o.store.delete(a.hash))) {
      report.deleted.push(a.hash);
      report.deletedBytes += a.size;
    }
  }
  if (report.deleted.length > 0) {
    o.logger?.info({ deleted: report.deleted.length, bytes: report.deletedBytes, referenced: report.referenced, young: report.young, dryRun: !!o.dryRun }, 'artifacts collected');
  }
  return report;
}

export type ArtifactCollector = { stop: () => void; runNow: () => Promise<CollectReport | undefined> };

/**
 * Runs `collectArtifacts` every `intervalSeconds` (never two at once), in the API process.
 * Timers are unref'd: they never keep a process alive.
 */
export function startArtifactCollector(o: Omit<CollectOptions, 'now'> & { intervalSeconds: number }): ArtifactCollector {
  let running: Promise<CollectReport | undefined> | undefined;
  const runNow = () => {
    running ??= collectArtifacts(o)
      .then((report) => {
        if (report.skipped) o.logger?.info({ reason: report.skipped }, 'artifact collection skipped');
        return report;
      })
      .catch((err) => {
        o.logger?.warn({ err }, 'artifact collection failed; retrying at the next interval');
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void runNow(), o.intervalSeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer), runNow };
}
