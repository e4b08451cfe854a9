/**
 * Where indexing stands, read from Ponder's own tables in the app's schema (the read-only connection's
 * search_path): `_ponder_meta` (is_ready: the historical backfill is done) and `_ponder_checkpoint`
 * (the latest indexed checkpoint per chain, a fixed-width string holding the block timestamp and
 * number; layout in ponder/src/utils/checkpoint.ts).
 */
import { sql } from 'ponder';
import type { Db } from './tables';

type Block = { number: bigint; timestamp: bigint };

export type IndexingStatus = {
  /** Ponder finished the historical backfill and indexes new blocks as they come. */
  ready: boolean;
  /** The latest indexed block, or null before the first checkpoint. */
  block: Block | null;
};

// Checkpoint layout: timestamp (10 digits), chain id (16), block number (16), then tx index, event type, event index.
const TIMESTAMP_DIGITS = 10;
const CHAIN_ID_DIGITS = 16;
const BLOCK_NUMBER_DIGITS = 16;

/** The block number and timestamp of a Ponder checkpoint string. */
export function decodeCheckpointBlock(checkpoint: string): Block {
  const start = TIMESTAMP_DIGITS + CHAIN_ID_DIGITS;
  return {
    timestamp: BigInt(checkpoint.slice(0, TIMESTAMP_DIGITS)),
    number: BigInt(checkpoint.slice(start, start + BLOCK_NUMBER_DIGITS)),
  };
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  // node-postgres returns { rows }, PGlite { rows } too; keep it defensive.
  const rows = (result as { rows?: unknown }).rows ?? result;
  return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
}

/**
 * The latest indexed block and the latest final one (null before the first checkpoint). Throws when
 * the tables are missing. Ponder never rolls back at or below its finalized checkpoint; while it
 * backfills history, that checkpoint moves with the latest one (everything backfilled is final).
 */
export async function readCheckpoints(db: Db): Promise<{ head: Block; finalized: Block } | null> {
  const result = await db.execute(sql`select latest_checkpoint, finalized_checkpoint from _ponder_checkpoint`);
  let found: { head: Block; finalized: Block } | null = null;
  for (const row of rowsOf(result)) {
    const head = decodeCheckpointBlock(String(row.latest_checkpoint));
    const finalized = decodeCheckpointBlock(String(row.finalized_checkpoint));
    // One chain today; with several, the least advanced one bounds what is consistently indexed.
    if (!found) found = { head, finalized };
    if (head.number < found.head.number) found.head = head;
    if (finalized.number < found.finalized.number) found.finalized = finalized;
  }
  return found;
}

/** The latest indexed block (null before the first checkpoint). Throws when the tables are missing. */
export async function readHeadBlock(db: Db): Promise<Block | null> {
  return (await readCheckpoints(db))?.head ?? null;
}

/** Ponder's readiness and the latest indexed block. Throws when the database cannot be read. */
export async function readIndexingStatus(db: Db): Promise<IndexingStatus> {
  const meta = rowsOf(await db.execute(sql`select value from _ponder_meta where key = 'app'`))[0];
  const value = typeof meta?.value === 'string' ? JSON.parse(meta.value) : meta?.value;
  const ready = (value as { is_ready?: unknown } | undefined)?.is_ready === 1;
  return { ready, block: await readHeadBlock(db) };
}
