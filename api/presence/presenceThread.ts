/**
 * Starts the presence listener (presenceListener.ts) in a worker thread of this process and serves it
 * from the main thread: answers its registration questions from the database, and records the
 * heartbeats it accepted into the presence store that GraphQL reads. The main thread's share of a
 * heartbeat is then a few microseconds (a batched message and a map update), not a request.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Address } from 'viem';
import type { ListenerConfig, ListenerMessage, MainMessage } from './presenceListener';
import type { PresenceStore } from './presenceStore';

export type PresenceThreadOptions = ListenerConfig & {
  isRegisteredWorker: (address: Address) => Promise<boolean>;
  store: PresenceStore;
  logger?: Logger;
};

export type PresenceThread = {
  /** The listener's port once it listens (rejects when it cannot). */
  port: Promise<number>;
  close(): Promise<void>;
};

// Vite (Ponder's and vitest's module runner) would run the thread's entry here, in the main thread:
// it takes `new URL('./file', import.meta.url)` for an import of that file (so the path is joined by
// hand), and resolves `./presenceThread` to a .mjs before a .ts (so the entry has another name).
const THREAD_ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'presenceThreadEntry.mjs');

export function startPresenceThread(o: PresenceThreadOptions): PresenceThread {
  const { isRegisteredWorker, store, logger, ...config } = o;
  const worker = new Worker(THREAD_ENTRY, { workerData: config });
  // The API's lifetime is the server's, not this thread's.
  worker.unref();
  const tell = (m: MainMessage) => worker.postMessage(m);
  let closed = false;
  const port = new Promise<number>((resolve, reject) => {
    worker.on('message', (m: ListenerMessage) => {
      switch (m.type) {
        case 'listening':
          logger?.info({ port: m.port }, 'presence: taking heartbeats on their own port');
          resolve(m.port);
          break;
        case 'failed':
          logger?.error({ err: m.message }, 'presence: the heartbeat listener failed');
          reject(new Error(`the presence listener failed: ${m.message}`));
          break;
        case 'isRegistered':
          isRegisteredWorker(m.worker).then(
            (value) => tell({ type: 'isRegistered', id: m.id, value }),
            (err: unknown) => tell({ type: 'isRegistered', id: m.id, error: err instanceof Error ? err.message : String(err) }),
          );
          break;
        case 'accepted':
          for (const [heartbeat, receivedAt] of m.beats) store.record(heartbeat, receivedAt);
          break;
      }
    });
    worker.on('error', (err) => {
      logger?.error({ err }, 'presence: the heartbeat listener stopped');
      reject(err);
    });
    worker.on('exit', (code) => {
      if (!closed) reject(new Error(`the presence listener exited (${code})`));
    });
  });
  port.catch(() => {}); // a failure is logged; readers of `port` see it too
  return {
    port,
    async close() {
      if (closed) return;
      closed = true;
      const exited = new Promise((r) => worker.once('exit', r));
      tell({ type: 'close' });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
      await worker.terminate();
    },
  };
}
