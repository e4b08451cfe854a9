/**
 * Indexer replay throughput (bench/README.md, "indexer"): Ponder replays a history of real
 * LoomMarket lifecycles from genesis, on PostgreSQL and on PGlite, against the floor (bench/floor.ts)
 * on the same history and the same PostgreSQL server, and against Ponder with handlers that do
 * nothing (bench/noop-indexer); then a sparse history (one event per block)
 * with and without the lifted RPC rate limit of ponder.config.ts.
 */
import { runFloor } from './floor.ts';
import { countLogs, loadHistory } from './lib/history.ts';
import { DEFAULT_DATABASE_URL, replay } from './lib/replay.ts';
import { freshDatabase } from '../indexer/run/ponderProcess.ts';

const log = (msg: string) => console.error(`  [indexer] ${msg}`);
const round = (x: number, digits = 0) => Number(x.toFixed(digits));
/** The sparse comparison runs until this many blocks past the start are indexed. */
const SPARSE_PREFIX_BLOCKS = 1_000;

export async function indexerBench(): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};

  const dense = await loadHistory('dense');
  try {
    figures['indexer.replay.events'] = dense.events;
    figures['indexer.replay.blocks'] = dense.blocksWithEvents;
    log(`dense history: ${dense.events} events in ${dense.blocksWithEvents} blocks (head ${dense.head})`);

    const pg = await replay(dense, { db: 'postgres' });
    figures['indexer.replay.postgres.seconds'] = round(pg.seconds, 1);
    figures['indexer.replay.postgres.startupSec'] = round(pg.startupSec, 1);
    figures['indexer.replay.postgres.eventsPerSec'] = round(dense.events / pg.seconds);
    log(`postgres: ${pg.seconds.toFixed(1)} s (+${pg.startupSec.toFixed(1)} s startup), ${figures['indexer.replay.postgres.eventsPerSec']} events/s`);

    // Ponder itself: the same config and tables, every handler a no-op (bench/noop-indexer). What
    // Ponder costs per log bounds what any handlers can reach; it is measured here, not assumed.
    const noop = await replay(dense, { db: 'postgres', root: 'bench/noop-indexer' });
    figures['indexer.replay.noop.seconds'] = round(noop.seconds, 1);
    figures['indexer.replay.noop.eventsPerSec'] = round(dense.events / noop.seconds);
    log(`postgres, no-op handlers: ${noop.seconds.toFixed(1)} s, ${figures['indexer.replay.noop.eventsPerSec']} events/s`);

    // The floor right after, on the same server; best of two (the floor is the ideal to compare to).
    const db = await freshDatabase(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, 'loom_bench');
    try {
      let best = Infinity;
      for (let i = 0; i < 2; i++) {
        const floor = await runFloor({
          rpcUrl: dense.rpcUrl,
          market: dense.market,
          fromBlock: dense.startBlock,
          toBlock: dense.head,
          databaseUrl: db.url,
          schema: 'floor',
        });
        if (floor.events !== dense.events) throw new Error(`floor saw ${floor.events} events, expected ${dense.events}`);
        best = Math.min(best, floor.seconds);
        log(`floor: ${floor.seconds.toFixed(1)} s, ${Math.round(floor.eventsPerSec)} events/s`);
      }
      figures['indexer.replay.floor.seconds'] = round(best, 2);
      figures['indexer.replay.floor.eventsPerSec'] = round(dense.events / best);
    } finally {
      await db.drop();
    }
    const floorEps = figures['indexer.replay.floor.eventsPerSec']!;
    figures['indexer.replay.floorRatio'] = round(figures['indexer.replay.postgres.eventsPerSec']! / floorEps, 3);
    figures['indexer.replay.noop.floorRatio'] = round(figures['indexer.replay.noop.eventsPerSec']! / floorEps, 3);
    figures['indexer.replay.noopRatio'] = round(noop.seconds / pg.seconds, 3);

    const lite = await replay(dense, { db: 'pglite' });
    figures['indexer.replay.pglite.seconds'] = round(lite.seconds, 1);
    figures['indexer.replay.pglite.startupSec'] = round(lite.startupSec, 1);
    figures['indexer.replay.pglite.eventsPerSec'] = round(dense.events / lite.seconds);
    log(`pglite: ${lite.seconds.toFixed(1)} s (+${lite.startupSec.toFixed(1)} s startup), ${figures['indexer.replay.pglite.eventsPerSec']} events/s`);

    // The same baseline on PGlite, right after: what our handlers keep of Ponder's own speed there.
    const liteNoop = await replay(dense, { db: 'pglite', root: 'bench/noop-indexer' });
    figures['indexer.replay.pglite.noop.seconds'] = round(liteNoop.seconds, 1);
    figures['indexer.replay.pglite.noop.eventsPerSec'] = round(dense.events / liteNoop.seconds);
    figures['indexer.replay.pglite.noopRatio'] = round(liteNoop.seconds / lite.seconds, 3);
    log(`pglite, no-op handlers: ${liteNoop.seconds.toFixed(1)} s, ${figures['indexer.replay.pglite.noop.eventsPerSec']} events/s`);
  } finally {
    await dense.stop();
  }

  const sparse = await loadHistory('sparse');
  try {
    figures['indexer.replay.sparse.events'] = sparse.events;
    figures['indexer.replay.sparse.blocks'] = sparse.blocksWithEvents;
    const prefixEnd = sparse.startBlock + SPARSE_PREFIX_BLOCKS;
    const eventsUpTo = async (block: number) => (await countLogs(sparse.rpcUrl, sparse.market, sparse.startBlock, block)).events;

    // Lifted (ponder.config.ts's default for a loopback RPC): the whole history.
    const lifted = await replay(sparse, { db: 'postgres', markBlock: prefixEnd });
    figures['indexer.replay.sparse.seconds'] = round(lifted.seconds, 1);
    figures['indexer.replay.sparse.eventsPerSec'] = round(sparse.events / lifted.seconds);
    const liftedPrefix = (await eventsUpTo(lifted.mark!.block)) / lifted.mark!.seconds;
    log(`sparse, lifted: ${lifted.seconds.toFixed(1)} s, ${figures['indexer.replay.sparse.eventsPerSec']} events/s`);

    // Ponder's own limit (one bucket, 20 requests/s to start with): only the prefix, which alone
    // takes about a minute; the same prefix of the lifted run is the comparison.
    const limited = await replay(sparse, { db: 'postgres', env: { LOOM_RPC_BUCKETS: '1' }, untilBlock: prefixEnd });
    const limitedPrefix = (await eventsUpTo(limited.block)) / limited.seconds;
    figures['indexer.replay.sparse.prefix.lifted.eventsPerSec'] = round(liftedPrefix);
    figures['indexer.replay.sparse.prefix.ponderLimit.eventsPerSec'] = round(limitedPrefix);
    figures['indexer.replay.sparse.liftSpeedup'] = round(liftedPrefix / limitedPrefix, 2);
    log(`sparse, first ${SPARSE_PREFIX_BLOCKS} blocks: ${Math.round(liftedPrefix)} events/s lifted, ${Math.round(limitedPrefix)} with Ponder's limit`);
  } finally {
    await sparse.stop();
  }
  return figures;
}
