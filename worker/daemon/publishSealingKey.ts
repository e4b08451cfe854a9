/**
 * Publishes the worker's sealing public key in its registration (`setEncryptionKey`, the registry's
 * EncryptionKeySet event) when the indexed one differs: at first start, and after the key changes
 * (a new signing key, a new derivation), which is the rotation. Clients seal to the indexed key; a
 * bundle sealed to an older key does not open and is refused with that reason. Like every
 * registration change it survives an RPC that fails or loses the answer (sendRegistrationChange).
 */
import type { Address, Hex } from 'viem';
import type { Logger } from 'pino';
import type { MarketWriter } from './createWorkerWriter';
import type { LoomApi } from './loomApi';
import { sendRegistrationChange } from './sendRegistrationChange';

/** @example await publishSealingKey({ api, writer, address, publicKey: sealing.publicKey, logger }); */
export async function publishSealingKey(o: { api: LoomApi; writer: Pick<MarketWriter, 'setEncryptionKey'>; address: Address; publicKey: Hex; logger: Logger }): Promise<boolean> {
  const w = await o.api.worker(o.address);
  if (w?.encryptionKey?.toLowerCase() === o.publicKey.toLowerCase()) return false;
  const published = (x: { encryptionKey?: string | null } | null) => x?.encryptionKey?.toLowerCase() === o.publicKey.toLowerCase();
  await sendRegistrationChange(o, 'setEncryptionKey', () => o.writer.setEncryptionKey(o.publicKey), published);
  o.logger.info({ encryptionKey: o.publicKey, previous: w?.encryptionKey ?? null }, 'sealing key published');
  return true;
}
