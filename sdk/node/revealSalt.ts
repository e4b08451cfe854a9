/**
 * The salt a worker reveals with on a replicated job, derived rather than drawn: HMAC-SHA256 of the job
 * id under the worker's secret (its signing key), with a domain tag. A worker killed between commit and
 * reveal finds the same salt after a restart without having stored anything, and nobody without the
 * key can compute it to test guessed results against a commitment. Node only (node:crypto).
 *
 * @example
 * const salt = revealSalt(workerPrivateKey, jobId);
 */
import { createHmac } from 'node:crypto';
import { type Hex, hexToBytes } from 'viem';

/** Domain separation: the key never yields this MAC for any other purpose. */
const DOMAIN = 'loom/replicated-reveal-salt/v1:';

export function revealSalt(secret: Hex, jobId: Hex): Hex {
  const mac = createHmac('sha256', hexToBytes(secret)).update(DOMAIN).update(hexToBytes(jobId)).digest('hex');
  return `0x${mac}`;
}
