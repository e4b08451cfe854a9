/**
 * The client's key: LOOM_CLIENT_KEY (0x + 64 hex), else a V3 keystore (--keystore or
 * LOOM_CLIENT_KEYSTORE, password from LOOM_CLIENT_KEYSTORE_PASSWORD or a hidden prompt), decrypted
 * by the SDK's key loader (sdk/node/keys.ts), the worker's too. Never a flag (flags show in `ps`), never printed: the
 * result is a viem account whose private key stays in a closure, and the variables that held a
 * secret are removed from the environment once read, so no child process inherits them.
 */
import type { Hex } from 'viem';
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { loadWorkerKey } from '../sdk/node/keys';
import { CliError } from './cliError';

export const CLIENT_KEY_ENV = 'LOOM_CLIENT_KEY';
export const CLIENT_KEYSTORE_PASSWORD_ENV = 'LOOM_CLIENT_KEYSTORE_PASSWORD';

export type ClientKey = { account: PrivateKeyAccount; source: 'env' | 'keystore' };

/**
 * @example
 * const { account } = await loadClientKey({ keystore: config.keystore });
 */
export async function loadClientKey(o: { keystore?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ClientKey> {
  const env = o.env ?? process.env;
  const raw = env[CLIENT_KEY_ENV]?.trim();
  const password = env[CLIENT_KEYSTORE_PASSWORD_ENV];
  delete env[CLIENT_KEY_ENV];
  delete env[CLIENT_KEYSTORE_PASSWORD_ENV];
  if (raw !== undefined && raw !== '') {
    const hex = raw.startsWith('0x') ? raw : `0x${raw}`;
    // The message never repeats the value: a mistyped key is still mostly a key.
    if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new CliError('CONFIG', `${CLIENT_KEY_ENV} must be 32 bytes of hex (0x + 64 hex digits)`);
    return { account: privateKeyToAccount(hex as Hex), source: 'env' };
  }
  if (!o.keystore) {
    throw new CliError('CONFIG', `no client key: set ${CLIENT_KEY_ENV}, or a keystore with --keystore / LOOM_CLIENT_KEYSTORE`);
  }
  try {
    // An empty env: the worker's own variables (LOOM_WORKER_KEY) must never stand in for the client's.
    const key = await loadWorkerKey({ env: {}, keystorePath: o.keystore, ...(password === undefined ? {} : { password }), scrubEnv: false });
    return { account: key.account, source: 'keystore' };
  } catch (err) {
    throw new CliError('CONFIG', (err as { shortMessage?: string }).shortMessage ?? (err as Error).message, { cause: err });
  }
}
