/**
 * The connected wallet's sealing key (README: Private jobs), derived once per page session from a
 * signature of the SDK's SEALING_KEY_MESSAGE (the CLI derives the same key from the same message):
 * sealing secrets with a private result, decrypting a private result and opening a private job's
 * live log all use it, so the wallet asks for that signature once, not once per action.
 *
 * Kept in memory only (this module's state in the tab): never written to storage, gone on reload.
 * Browser-only: nothing on the server asks for a key.
 */
import type { Account, Address, Hex, WalletClient } from 'viem';
import { SEALING_KEY_MESSAGE, type SealingKeyPair, sealingKeyFromSignature } from '$sdk/sealing';

export type SealingKeySigner = { address: Address; signMessage: (message: string) => Promise<Hex> };

export class SealingKeys {
  /** Keys already derived, by lowercase address: reactive, so a view waiting for one shows it as it arrives. */
  #ready = $state.raw<Record<string, SealingKeyPair>>({});
  /** One signature request at a time per address: a second caller waits for the first's. */
  #pending = new Map<string, Promise<SealingKeyPair>>();

  /** The key of `address` if this session already derived it (no prompt). */
  held(address: string | undefined): SealingKeyPair | undefined {
    return address ? this.#ready[address.toLowerCase()] : undefined;
  }

  /** The key of the signer's address: the one held, or one signature now. A declined signature is not kept. */
  get(signer: SealingKeySigner): Promise<SealingKeyPair> {
    const id = signer.address.toLowerCase();
    const held = this.#ready[id];
    if (held) return Promise.resolve(held);
    let p = this.#pending.get(id);
    if (!p) {
      p = signer
        .signMessage(SEALING_KEY_MESSAGE)
        .then((signature) => {
          const key = sealingKeyFromSignature(signature);
          this.#ready = { ...this.#ready, [id]: key };
          return key;
        })
        .finally(() => this.#pending.delete(id));
      this.#pending.set(id, p);
    }
    return p;
  }

  /** Drops every key (a disconnect). */
  forget(): void {
    this.#ready = {};
    this.#pending.clear();
  }
}

/** The tab's keys. */
export const sealingKeys = new SealingKeys();

/** The connected wallet's key (the app's WalletState): held, or one signature prompt now. Throws NotConnectedError without a wallet. */
export async function walletSealingKey(wallet: { walletClient(): Promise<WalletClient & { account: Account }> }): Promise<SealingKeyPair> {
  const w = await wallet.walletClient();
  return sealingKeys.get({ address: w.account.address, signMessage: (message) => w.signMessage({ account: w.account, message }) });
}
