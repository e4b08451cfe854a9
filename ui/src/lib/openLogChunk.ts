/**
 * A private job's live log chunk, opened in the browser with the client's sealing key (the worker
 * seals each chunk for purpose 'log', bound to the chain, the job and the client: worker/daemon/run.ts;
 * `loom job logs --decrypt` opens them the same way).
 */
import type { Address, Hex } from 'viem';
import { SealError, type SealingKeyPair, open } from '$sdk/sealing';

/** The chunk's text, or undefined when it does not open with this key (another client's, altered). */
export function openLogChunk(o: { data: Uint8Array; key: SealingKeyPair; chainId: number; jobId: Hex; client: Address }): string | undefined {
  try {
    const plain = open({ envelope: o.data, secretKey: o.key.secretKey, purpose: 'log', context: { chainId: o.chainId, jobId: o.jobId, recipient: o.client } });
    return new TextDecoder().decode(plain);
  } catch (err) {
    if (err instanceof SealError) return undefined;
    throw err;
  }
}
