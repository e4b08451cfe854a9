/**
 * Sends one change to the worker's registration (register, updateClaim, setAvailability,
 * setEncryptionKey) through an RPC that may fail, and waits for the API to show it. A send whose
 * answer was lost may still have been mined: the API is asked before anything is sent again.
 */
import type { Address } from 'viem';
import type { Logger } from 'pino';
import type { ApiWorker, LoomApi } from './loomApi';
import { TxError } from './createWorkerWriter';

/** Sends of one registration change when the RPC fails, and how long the API is watched after a lost answer. */
const RPC_ATTEMPTS = 5;
const MAYBE_SENT_WAIT_MS = 15_000;

/**
 * Sends one registration change and waits for the API to show it. When the RPC fails instead (a
 * TxError with `rpc`: not sent, or sent with its answer lost), the API says whether it happened; if
 * not, it is sent again, a few times: a change that did go through is then refused by its simulation.
 */
export async function sendRegistrationChange(
  o: { api: LoomApi; address: Address; logger: Logger; waitMs?: number },
  what: string,
  send: () => Promise<unknown>,
  done: (w: ApiWorker | null) => boolean,
): Promise<ApiWorker | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return await waitFor(o.api, o.address, done, o.waitMs);
    } catch (err) {
      if (!(err instanceof TxError && err.rpc) || attempt >= RPC_ATTEMPTS) throw err;
      o.logger.warn({ attempt, err: err.message }, `${what}: the RPC failed; checking whether it went through`);
      // A transaction the node took may show only after the indexer catches up.
      const seen = await waitFor(o.api, o.address, done, err.maybeSent ? MAYBE_SENT_WAIT_MS : 0);
      if (done(seen)) return seen;
    }
  }
}

async function waitFor(api: LoomApi, address: Address, done: (w: ApiWorker | null) => boolean, waitMs = 60_000): Promise<ApiWorker | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const w = await api.worker(address);
    if (done(w) || Date.now() > deadline) return w;
    await new Promise((r) => setTimeout(r, 100));
  }
}
