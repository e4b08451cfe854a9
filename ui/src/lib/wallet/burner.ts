/**
 * The burner wallet for local chains: a key kept in this browser's localStorage, funded on anvil
 * (anvil_setBalance) and with test USDC (its open `mint`). Never offered on a real network.
 */
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Hex } from 'viem';

export const BURNER_KEY = 'loom.burner.key';

export function loadBurnerKey(storage: Storage = localStorage): Hex {
  const stored = storage.getItem(BURNER_KEY);
  if (stored && /^0x[0-9a-fA-F]{64}$/.test(stored)) return stored as Hex;
  const key = generatePrivateKey();
  storage.setItem(BURNER_KEY, key);
  return key;
}

export function burnerAccount(storage?: Storage) {
  return privateKeyToAccount(loadBurnerKey(storage));
}
