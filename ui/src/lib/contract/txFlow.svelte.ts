/**
 * Follows a transaction (or a sequence: approve, then post) from the wallet's signature to the
 * block and on to the indexer, so the page shows where it stands and, when it fails, why.
 */
import type { Hex, TransactionReceipt } from 'viem';
import type { LiveFeed } from '$lib/graphql/liveFeed.svelte';
import type { WalletState } from '$lib/wallet/walletState.svelte';
import { explainError, type ExplainContext, type Explained } from './explainError';

export type StepStatus = 'waiting' | 'signing' | 'mining' | 'indexing' | 'done' | 'skipped' | 'failed';

export type TxStep = {
  label: string;
  /** Sends the transaction; resolves with its hash once signed. */
  send: () => Promise<Hex>;
  /** Resolves true when the step is not needed (e.g. the allowance suffices). */
  skip?: () => Promise<boolean>;
  /** Wait until the indexer has the transaction's market events (default true). */
  indexed?: boolean;
};

export type StepState = { label: string; status: StepStatus; hash?: Hex };

const INDEX_TIMEOUT_MS = 30_000;

export class TxFlow {
  steps = $state<StepState[]>([]);
  error = $state.raw<Explained | undefined>();
  busy = $state(false);
  done = $state(false);
  receipts: TransactionReceipt[] = [];

  #wallet: WalletState;
  #feed: LiveFeed;

  constructor(wallet: WalletState, feed: LiveFeed) {
    this.#wallet = wallet;
    this.#feed = feed;
  }

  reset(): void {
    this.steps = [];
    this.error = undefined;
    this.busy = false;
    this.done = false;
    this.receipts = [];
  }

  /** Runs the steps in order; returns the receipts, or undefined when a step failed (see `error`). */
  async run(steps: TxStep[], ctx: ExplainContext = {}): Promise<TransactionReceipt[] | undefined> {
    this.reset();
    this.busy = true;
    this.steps = steps.map((s) => ({ label: s.label, status: 'waiting' }));
    try {
      for (const [i, step] of steps.entries()) {
        const state = this.steps[i]!;
        if (step.skip && (await step.skip())) {
          state.status = 'skipped';
          continue;
        }
        state.status = 'signing';
        const hash = await step.send();
        state.hash = hash;
        state.status = 'mining';
        const indexed = step.indexed === false ? undefined : this.#waitIndexed(hash);
        const receipt = await this.#wallet.publicClient.waitForTransactionReceipt({ hash });
        if (receipt.status !== 'success') throw new Error('The transaction was mined but reverted.');
        this.receipts.push(receipt);
        if (indexed) {
          state.status = 'indexing';
          await indexed;
        }
        state.status = 'done';
      }
      this.done = true;
      return this.receipts;
    } catch (err) {
      const current = this.steps.find((s) => s.status !== 'done' && s.status !== 'skipped');
      if (current) current.status = 'failed';
      this.error = explainError(err, ctx);
      console.warn('transaction failed', err);
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /** Resolves once the live feed delivers an event of this transaction (or after a timeout). */
  #waitIndexed(hash: Hex): Promise<void> {
    const target = hash.toLowerCase();
    return new Promise((resolve) => {
      if (this.#feed.recent.some((d) => d.event.txHash.toLowerCase() === target)) return resolve();
      const timer = setTimeout(finish, INDEX_TIMEOUT_MS);
      const off = this.#feed.on((m) => {
        if (m.kind === 'event' && m.delivery.event.txHash.toLowerCase() === target) finish();
      });
      function finish() {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  }
}
