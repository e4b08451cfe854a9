// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Eip1193Provider } from '$lib/wallet/eip1193';

declare global {
  namespace App {}
  interface Window {
    ethereum?: Eip1193Provider;
  }
}

export {};
