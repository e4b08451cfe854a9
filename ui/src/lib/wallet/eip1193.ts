/** The EIP-1193 provider as the UI uses it, and EIP-6963's announcement of one. */
export type Eip1193Provider = {
  request: (args: { method: string; params?: unknown[] | Record<string, unknown> }) => Promise<unknown>;
  on?: (event: string, listener: (...args: never[]) => void) => void;
  removeListener?: (event: string, listener: (...args: never[]) => void) => void;
};

/** EIP-6963 provider info. */
export type Eip6963Info = { uuid: string; name: string; icon: string; rdns: string };

export type Eip6963Detail = { info: Eip6963Info; provider: Eip1193Provider };

/**
 * Listens for EIP-6963 announcements (and asks for them), calling `onProvider` once per wallet.
 * Returns a function that stops listening.
 */
export function discoverProviders(onProvider: (detail: Eip6963Detail) => void): () => void {
  const seen = new Set<string>();
  const listener = (event: Event) => {
    const detail = (event as CustomEvent<Eip6963Detail>).detail;
    if (!detail?.info?.uuid || !detail.provider || seen.has(detail.info.uuid)) return;
    seen.add(detail.info.uuid);
    onProvider(detail);
  };
  window.addEventListener('eip6963:announceProvider', listener);
  window.dispatchEvent(new Event('eip6963:requestProvider'));
  return () => window.removeEventListener('eip6963:announceProvider', listener);
}
