/**
 * Ponder's "something was indexed" notification, for the change feed (api/feed/changeFeed.ts).
 *
 * After each indexed block, Ponder's trigger on `_ponder_checkpoint` runs
 * `pg_notify('<schema>_live_query', ...)` (ponder/src/drizzle/onchain.ts), on PGlite and on
 * PostgreSQL alike. The API module runs inside Ponder's process, where Ponder leaves its runtime on
 * `globalThis` (ponder/src/build/index.ts, the same globals its own `client()` middleware reads):
 *
 * - PGlite (`ponder start`/`dev`): the indexer's own PGlite instance; `LISTEN` on it and
 *   `onNotification` deliver the indexer's notifications in-process.
 * - PostgreSQL (`ponder start`, and `ponder serve`, which indexes nothing): a DEDICATED `pg.Client`
 *   (never Ponder's pools: borrowing from its admin pool, max 2, stalls indexing), reconnecting on
 *   failure. A serve process hears the indexing process's notifications through PostgreSQL. With
 *   `--views-schema`, Ponder notifies `<views schema>_live_query` too; a serve process reading the
 *   views schema listens there (its `--schema`). A serve process reading a hot standby (a read
 *   replica) cannot LISTEN there ("cannot execute LISTEN during recovery"): it is given the primary's
 *   URL to listen on (LOOM_NOTIFY_DATABASE_URL). A notification may arrive before the replica has
 *   replayed the commit; the feed's safety poll (1 s) then picks the rows up.
 *
 * Outside Ponder (tests building the API on a plain database) there is no signal: the feed polls.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import type { ChangeSignal } from './changeFeed';

type PgliteLike = {
  query: (sql: string) => Promise<unknown>;
  onNotification: (callback: (channel: string, payload: string) => void) => () => void;
};

type PonderGlobals = {
  PONDER_DATABASE?: { driver?: { dialect: 'pglite'; instance: PgliteLike } | { dialect: 'postgres' } };
  PONDER_NAMESPACE_BUILD?: { schema: string; viewsSchema?: string };
  PONDER_PRE_BUILD?: { databaseConfig?: { kind: string; poolConfig?: Record<string, unknown> } };
  PONDER_COMMON?: { apiShutdown?: { add: (fn: () => unknown) => void } };
  PONDER_INDEXING_BUILD?: { chains?: { finalityBlockCount?: number }[] };
};

/** What the API takes from the Ponder process it runs in. */
export type PonderRuntime = {
  /** Creates the notification signal (call once, when the feed starts). */
  signal: () => ChangeSignal;
  /** The deepest unfinalized window of the indexed chains (blocks), if Ponder says. */
  reorgDepth: number | undefined;
  /** Runs `fn` when Ponder shuts the API down (or reloads it). */
  onShutdown: (fn: () => unknown) => void;
};

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The Ponder runtime around this module, or undefined outside Ponder. `notifyDatabaseUrl`: where to
 * LISTEN instead of the database Ponder reads (a read replica's serve process listens on the primary).
 */
export function ponderRuntime(logger: Logger, o: { notifyDatabaseUrl?: string } = {}): PonderRuntime | undefined {
  const g = globalThis as unknown as PonderGlobals;
  const driver = g.PONDER_DATABASE?.driver;
  const schema = g.PONDER_NAMESPACE_BUILD?.schema;
  if (!driver || !schema) return undefined;
  const channel = `${schema}_live_query`;
  const depths = (g.PONDER_INDEXING_BUILD?.chains ?? []).map((c) => c.finalityBlockCount).filter((n): n is number => typeof n === 'number');
  return {
    signal: () => {
      if (driver.dialect === 'pglite') return pgliteSignal(driver.instance, channel, logger);
      if (o.notifyDatabaseUrl) return postgresSignal({ connectionString: o.notifyDatabaseUrl }, channel, logger);
      const poolConfig = g.PONDER_PRE_BUILD?.databaseConfig?.poolConfig;
      if (!poolConfig) throw new Error('no PostgreSQL configuration found in Ponder');
      return postgresSignal(poolConfig, channel, logger);
    },
    reorgDepth: depths.length > 0 ? Math.max(...depths) : undefined,
    onShutdown: (fn) => g.PONDER_COMMON?.apiShutdown?.add(fn),
  };
}

/** Notifications of the PGlite instance the indexer writes with (same process). */
export function pgliteSignal(instance: PgliteLike, channel: string, logger: Logger): ChangeSignal {
  const listeners = new Set<() => void>();
  const off = instance.onNotification((ch) => {
    if (ch !== channel) return;
    for (const listener of listeners) listener();
  });
  instance.query(`LISTEN ${quoteIdent(channel)}`).catch((err) => logger.warn({ err, channel }, 'change feed: LISTEN failed on PGlite'));
  return {
    kind: 'pglite',
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      off();
    },
  };
}

/**
 * Notifications through a dedicated PostgreSQL connection, reconnecting after failures (each new
 * connection fires once: something may have been missed while it was down).
 */
export function postgresSignal(config: Record<string, unknown>, channel: string, logger: Logger, retryMs = 500): ChangeSignal {
  const listeners = new Set<() => void>();
  const fire = () => {
    for (const listener of listeners) listener();
  };
  let client: pg.Client | undefined;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  const { max: _max, idleTimeoutMillis: _idle, ...clientConfig } = config;

  const reconnect = (c: pg.Client, err?: unknown) => {
    if (client !== c || closed) return;
    client = undefined;
    c.removeAllListeners('notification');
    c.end().catch(() => {});
    if (failures++ === 0) logger.warn({ err, channel }, 'change feed: notification connection lost, reconnecting');
    retry = setTimeout(connect, retryMs);
    retry.unref?.();
  };

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ ...(clientConfig as pg.ClientConfig), application_name: 'loom_api_changes' });
    client = c;
    c.on('notification', (n) => {
      if (n.channel === channel) fire();
    });
    c.on('error', (err) => reconnect(c, err));
    c.on('end', () => reconnect(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${quoteIdent(channel)}`);
      if (failures > 0) logger.info({ channel }, 'change feed: notification connection restored');
      failures = 0;
      fire();
    } catch (err) {
      reconnect(c, err);
    }
  };
  void connect();

  return {
    kind: 'postgres',
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      listeners.clear();
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
