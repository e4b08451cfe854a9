/**
 * Replicated jobs' commit-reveal, as LoomReplicatedMarket checks it. A worker commits
 * `keccak256(abi.encode(jobId, worker, resultHash, salt))` and later reveals the hash and the salt
 * (workers derive the salt: sdk/node/revealSalt.ts).
 *
 * @example
 * const commitment = resultCommitment(jobId, worker, resultHash, salt);
 */
import { type Address, type Hex, encodeAbiParameters, keccak256 } from 'viem';

/** What a worker commits to for `resultHash` (LoomReplicatedMarket.commitmentOf). */
export function resultCommitment(jobId: Hex, worker: Address, resultHash: Hex, salt: Hex): Hex {
  return keccak256(
    encodeAbiParameters([{ type: 'bytes32' }, { type: 'address' }, { type: 'bytes32' }, { type: 'bytes32' }], [jobId, worker, resultHash, salt]),
  );
}
