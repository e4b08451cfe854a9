/**
 * Watches a PostgreSQL server through one idle connection of its own: says when the connection is
 * lost (the server stopped, crashed or restarted, or the network dropped) and when the server
 * answers again. ponderProcess.ts restarts a supervised indexer then.
 *
 * Why the indexer must restart: Ponder keeps indexed rows in memory and commits with
 * `synchronous_commit = off`, so a server that crashes (or fails over to a replica that lags) can
 * come back without the last commits Ponder was told had succeeded. Ponder retries its queries and
 * carries on from its memory, past blocks the database no longer holds: those blocks' new rows are
 * lost for good (seen: a `job_event` row missing after `pg_ctl stop -m immediate`). Started again,
 * Ponder resumes from what the database holds (its checkpoint is committed with each block's rows).
 */
import pg from 'pg';

export type DatabaseWatch = {
  /** Resolves once the server answers (at once when the watch is connected), or the watch is closed. */
  whenUp: () => Promise<void>;
  close: () => Promise<void>;
};

/**
 * @example
 * const watch = watchDatabase(url, { lost: () => log('lost'), back: () => restart() });
 */
export function watchDatabase(url: string, on: { lost: (err?: unknown) => void; back: () => void }, retryMs = 500): DatabaseWatch {
  let closed = false;
  let client: pg.Client | undefined;
  let up = false;
  let wasLost = false;
  const waiters: (() => void)[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const lose = (c: pg.Client, err?: unknown) => {
    if (client !== c) return;
    client = undefined;
    c.end().catch(() => {});
    if (closed) return;
    if (up) {
      up = false;
      wasLost = true;
      on.lost(err);
    }
    timer = setTimeout(connect, retryMs);
  };

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, keepAlive: true, application_name: 'loom_indexer_watch' });
    client = c;
    c.on('error', (err) => lose(c, err));
    c.on('end', () => lose(c));
    try {
      await c.connect();
      await c.query('SELECT 1');
    } catch (err) {
      lose(c, err);
      // A first connection that fails is a server not up yet, not a loss.
      return;
    }
    if (client !== c || closed) return;
    up = true;
    for (const w of waiters.splice(0)) w();
    if (wasLost) {
      wasLost = false;
      on.back();
    }
  };
  void connect();

  return {
    whenUp: () => (up || closed ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    close: async () => {
      closed = true;
      clearTimeout(timer);
      // Whoever waits for the server learns that the watch is over (and checks why itself).
      for (const w of waiters.splice(0)) w();
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
