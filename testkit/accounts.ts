/**
 * The accounts of anvil's default mnemonic, by role. The roles are those the deploy script gives
 * (0 owns the market, 8 arbitrates, 9 is the treasury); the tests use the rest as below.
 */
import { type Address, type Hex, toHex } from 'viem';
import { type HDAccount, mnemonicToAccount } from 'viem/accounts';

/** anvil's default mnemonic: its accounts are funded with 10,000 ETH each at genesis. */
export const MNEMONIC = 'test test test test test test test test test test test junk';

/** Account indexes by role. */
export const ROLES = {
  deployer: 0,
  clients: [1, 2],
  stranger: 3,
  workers: [4, 5, 6],
  newOwner: 7,
  arbiter: 8,
  treasury: 9,
} as const;

const cache = new Map<number, HDAccount>();

/** Account `i` of the mnemonic. */
export function accountOf(i: number): HDAccount {
  let account = cache.get(i);
  if (!account) cache.set(i, (account = mnemonicToAccount(MNEMONIC, { addressIndex: i })));
  return account;
}

/** The private key of account `i` (what a worker holds in LOOM_WORKER_KEY, a client in LOOM_CLIENT_KEY). */
export function keyOf(i: number): Hex {
  return toHex(accountOf(i).getHdKey().privateKey!);
}

/** The address of account `i`. */
export function addressOf(i: number): Address {
  return accountOf(i).address;
}
