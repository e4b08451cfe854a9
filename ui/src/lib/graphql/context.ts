/**
 * What the root layout creates once and every page reads: the config, the SDK's reader of the API,
 * the live feed and the wallet.
 */
import { getContext, setContext } from 'svelte';
import type { LoomReader } from '$sdk/reads';
import type { LoomConfig } from '$lib/config';
import type { WalletState } from '$lib/wallet/walletState.svelte';
import type { LiveFeed } from './liveFeed.svelte';

export type Loom = { config: LoomConfig; reader: LoomReader; feed: LiveFeed; wallet: WalletState };

const KEY = Symbol('loom');

export function setLoom(loom: Loom): Loom {
  return setContext(KEY, loom);
}

/** The context map a component test renders with (`render(Component, { context: loomContext(fake) })`). */
export function loomContext(loom: Loom): Map<symbol, Loom> {
  return new Map([[KEY, loom]]);
}

export function getLoom(): Loom {
  const loom = getContext<Loom | undefined>(KEY);
  if (!loom) throw new Error('getLoom() outside the root layout');
  return loom;
}
