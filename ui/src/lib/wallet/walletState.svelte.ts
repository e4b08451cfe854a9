/**
 * The connected wallet: injected EIP-1193 wallets (discovered with EIP-6963, or `window.ethereum`),
 * or, on a local chain, a burner key funded on anvil. Knows the account and the wallet's network and
 * hands out viem clients; the network check happens before every transaction.
 */
import {
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  http,
  numberToHex,
  parseEther,
  parseUnits,
  type Address,
  type Chain,
  type PublicClient,
  type WalletClient,
} from 'viem';
import { testUsdcAbi } from '$sdk/index';
import type { LoomConfig } from '$lib/config';
import { burnerAccount } from './burner';
import { discoverProviders, type Eip1193Provider } from './eip1193';
import { sealingKeys } from '$lib/sealingKey.svelte';

export type WalletOption = {
  id: string;
  name: string;
  icon?: string;
  kind: 'injected' | 'burner';
  provider?: Eip1193Provider;
};

/** Thrown before a transaction when the wallet is on another chain. */
export class WrongNetworkError extends Error {
  override name = 'WrongNetworkError';
}

export class NotConnectedError extends Error {
  override name = 'NotConnectedError';
}

const LAST_WALLET = 'loom.wallet.last';

export function chainFor(config: LoomConfig): Chain {
  return defineChain({
    id: config.chainId,
    name: config.chainName,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
    ...(config.explorerUrl ? { blockExplorers: { default: { name: 'Explorer', url: config.explorerUrl } } } : {}),
  });
}

export class WalletState {
  options = $state.raw<WalletOption[]>([]);
  active = $state.raw<WalletOption | undefined>();
  account = $state<Address | undefined>();
  chainId = $state<number | undefined>();
  connecting = $state(false);
  error = $state<string | undefined>();
  /** The chooser dialog is open. */
  choosing = $state(false);

  readonly config: LoomConfig;
  readonly chain: Chain;
  readonly publicClient: PublicClient;

  connected = $derived(this.account !== undefined);
  wrongNetwork = $derived.by(() => this.#onOtherChain());

  #cleanup: (() => void)[] = [];

  #onOtherChain(): boolean {
    return this.account !== undefined && this.chainId !== undefined && this.chainId !== this.config.chainId;
  }
  #stopDiscovery: (() => void) | undefined;

  constructor(config: LoomConfig) {
    this.config = config;
    this.chain = chainFor(config);
    this.publicClient = createPublicClient({ chain: this.chain, transport: http(config.rpcUrl), pollingInterval: 250 });
  }

  /** Discovers wallets and reconnects the last one used, silently. */
  init(): () => void {
    const burner: WalletOption[] = this.config.localChain ? [{ id: 'burner', name: 'Burner wallet', kind: 'burner' }] : [];
    this.options = burner;
    this.#stopDiscovery = discoverProviders(({ info, provider }) => {
      const option: WalletOption = { id: info.rdns || info.uuid, name: info.name, icon: info.icon, kind: 'injected', provider };
      this.options = [...this.options.filter((o) => o.id !== option.id && o.id !== 'injected'), option].sort((a, b) =>
        a.kind === b.kind ? 0 : a.kind === 'injected' ? -1 : 1,
      );
    });
    // Wallets that predate EIP-6963 only set window.ethereum.
    const legacy = setTimeout(() => {
      if (window.ethereum && !this.options.some((o) => o.kind === 'injected')) {
        this.options = [{ id: 'injected', name: 'Browser wallet', kind: 'injected', provider: window.ethereum }, ...this.options];
      }
      void this.#reconnect();
    }, 250);
    return () => {
      clearTimeout(legacy);
      this.#stopDiscovery?.();
      this.#detach();
    };
  }

  async #reconnect(): Promise<void> {
    const last = localStorage.getItem(LAST_WALLET);
    const option = this.options.find((o) => o.id === last);
    if (option) await this.connect(option, { silent: true });
  }

  /** Opens the chooser, or connects at once when there is exactly one way to connect. */
  choose(): void {
    if (this.options.length === 1) void this.connect(this.options[0]!);
    else this.choosing = true;
  }

  async connect(option: WalletOption, { silent = false } = {}): Promise<void> {
    this.#detach();
    this.error = undefined;
    this.connecting = true;
    try {
      if (option.kind === 'burner') {
        const account = burnerAccount();
        this.active = option;
        this.account = account.address;
        this.chainId = this.config.chainId;
        void this.fundBurner({ onlyIfLow: true });
      } else {
        const provider = option.provider!;
        const accounts = (await provider.request({ method: silent ? 'eth_accounts' : 'eth_requestAccounts' })) as string[];
        if (!accounts.length) {
          if (!silent) this.error = 'The wallet shared no account.';
          return;
        }
        this.active = option;
        this.account = accounts[0] as Address;
        this.chainId = Number(await provider.request({ method: 'eth_chainId' }));
        const onAccounts = (accs: string[]) => {
          if (!accs.length) this.disconnect();
          else this.account = accs[0] as Address;
        };
        const onChain = (id: string) => (this.chainId = Number(id));
        provider.on?.('accountsChanged', onAccounts as never);
        provider.on?.('chainChanged', onChain as never);
        this.#cleanup.push(() => {
          provider.removeListener?.('accountsChanged', onAccounts as never);
          provider.removeListener?.('chainChanged', onChain as never);
        });
      }
      localStorage.setItem(LAST_WALLET, option.id);
      this.choosing = false;
    } catch (err) {
      if (!silent) {
        const e = err as { code?: number; message?: string };
        this.error = e.code === 4001 ? 'You declined the connection in your wallet.' : `The wallet did not connect: ${e.message ?? String(err)}`;
      }
    } finally {
      this.connecting = false;
    }
  }

  disconnect(): void {
    this.#detach();
    // The session's sealing keys go with the wallet that derived them.
    sealingKeys.forget();
    this.active = undefined;
    this.account = undefined;
    this.chainId = undefined;
    localStorage.removeItem(LAST_WALLET);
  }

  #detach(): void {
    for (const fn of this.#cleanup.splice(0)) fn();
  }

  /** Asks the wallet to switch to the market's chain, adding it when the wallet does not know it. */
  async switchNetwork(): Promise<void> {
    const provider = this.active?.provider;
    if (!provider) return;
    const chainId = numberToHex(this.config.chainId);
    try {
      await provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId }] });
    } catch (err) {
      if ((err as { code?: number }).code !== 4902) {
        this.error = (err as { code?: number }).code === 4001 ? 'You declined the network switch.' : 'The wallet could not switch networks.';
        return;
      }
      await provider.request({
        method: 'wallet_addEthereumChain',
        params: [
          {
            chainId,
            chainName: this.config.chainName,
            nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
            rpcUrls: [this.config.rpcUrl],
          },
        ],
      });
    }
    this.chainId = Number(await provider.request({ method: 'eth_chainId' }));
  }

  /**
   * A wallet client for the connected account, on the market's chain. Throws NotConnectedError or
   * WrongNetworkError, which the transaction flow explains.
   */
  async walletClient(): Promise<WalletClient & { account: NonNullable<WalletClient['account']> }> {
    if (!this.active || !this.account) throw new NotConnectedError('Connect a wallet first.');
    if (this.active.kind === 'burner') {
      return createWalletClient({ account: burnerAccount(), chain: this.chain, transport: http(this.config.rpcUrl) }) as never;
    }
    const provider = this.active.provider!;
    const chainId = Number(await provider.request({ method: 'eth_chainId' }));
    this.chainId = chainId;
    if (chainId !== this.config.chainId) throw new WrongNetworkError(`The wallet is on chain ${chainId}, not ${this.config.chainId}.`);
    return createWalletClient({ account: this.account, chain: this.chain, transport: custom(provider) }) as never;
  }

  /** Local chains only: tops the burner up with ETH (anvil_setBalance) and test USDC (mint). */
  async fundBurner({ onlyIfLow = false } = {}): Promise<void> {
    if (!this.config.localChain || this.active?.kind !== 'burner' || !this.account) return;
    const address = this.account;
    try {
      const balance = await this.publicClient.getBalance({ address });
      if (!onlyIfLow || balance < parseEther('10')) {
        await this.publicClient.request({ method: 'anvil_setBalance' as never, params: [address, numberToHex(parseEther('100'))] as never });
      }
      const usdc = this.config.usdc;
      if (usdc) {
        const held = await this.publicClient.readContract({ address: usdc, abi: testUsdcAbi, functionName: 'balanceOf', args: [address] });
        if (!onlyIfLow || held < parseUnits('1000', 6)) {
          const wallet = await this.walletClient();
          const hash = await wallet.writeContract({ address: usdc, abi: testUsdcAbi, functionName: 'mint', args: [address, parseUnits('10000', 6)], chain: this.chain, account: wallet.account });
          await this.publicClient.waitForTransactionReceipt({ hash });
        }
      }
    } catch (err) {
      this.error = `Could not fund the burner wallet: ${(err as Error).message.split('\n')[0]}`;
    }
  }
}
