/**
 * Brings the worker's on-chain registration in line with this machine: registers it with its
 * hardware claim and stake when it is not registered, replaces the claim (`updateClaim`) when the
 * hardware or the advertised offer changed, and opens it to jobs (`setAvailability(true)`).
 * What is on-chain is read from the API (`worker(address)`); the contract refuses what is not
 * needed (AlreadyRegistered), which is read as done. A change whose transaction the RPC failed to
 * send, or whose answer it lost, is looked for in the API and sent again if it is not there.
 */
import type { Address } from 'viem';
import type { Logger } from 'pino';
import type { HardwareClaim } from '../hardware';
import type { ApiClaim, ApiWorker, LoomApi } from './loomApi';
import { type MarketWriter, TxError } from './createWorkerWriter';
import { sendRegistrationChange as sendOnce } from './sendRegistrationChange';

export type RegistrationResult = { registered: boolean; updated: boolean; madeAvailable: boolean; worker: ApiWorker | null };

/** True when the on-chain claim differs from `claim` in any field. */
function claimChanged(onChain: ApiClaim, claim: HardwareClaim): boolean {
  return (
    onChain.gpuModel.toLowerCase() !== claim.gpuModel.toLowerCase() ||
    onChain.gpuCount !== claim.gpuCount ||
    Number(onChain.vramMiB) !== claim.vramMiB ||
    onChain.cpuCores !== claim.cpuCores ||
    Number(onChain.ramMiB) !== claim.ramMiB ||
    BigInt(onChain.pricePerGpuHour) !== claim.pricePerGpuHour ||
    onChain.metadataURI !== claim.metadataURI
  );
}

/**
 * @example
 * await ensureRegistered({ api, writer, address, claim: hardware.claim, stake: parseEther('1'), logger });
 */
export async function ensureRegistered(o: {
  api: LoomApi;
  writer: MarketWriter;
  address: Address;
  claim: HardwareClaim;
  stake: bigint;
  logger: Logger;
  /** How long to wait for the API to show a change (default 60 s). */
  waitMs?: number;
}): Promise<RegistrationResult> {
  const result: RegistrationResult = { registered: false, updated: false, madeAvailable: false, worker: null };
  let w = await o.api.worker(o.address);
  if (!w?.registered) {
    let already = false;
    const register = async () => {
      try {
        await o.writer.register(o.claim, o.stake);
      } catch (err) {
        // The indexer has not caught up with an earlier registration: the chain says we are registered.
        if (!(err instanceof TxError && err.revert?.name === 'AlreadyRegistered')) throw err;
        already = true;
      }
    };
    w = await sendOnce(o, 'register', register, (x) => x?.registered === true);
    if (!already) {
      result.registered = true;
      o.logger.info({ stake: o.stake.toString(), claim: printable(o.claim) }, 'registered as a worker');
    }
  }
  if (w && claimChanged(w.claim, o.claim)) {
    w = await sendOnce(o, 'updateClaim', () => o.writer.updateClaim(o.claim), (x) => x !== null && !claimChanged(x.claim, o.claim));
    result.updated = true;
    o.logger.info({ claim: printable(o.claim) }, 'hardware claim updated');
  }
  if (w && !w.available) {
    w = await sendOnce(o, 'setAvailability', () => o.writer.setAvailability(true), (x) => x?.available === true);
    result.madeAvailable = true;
    o.logger.info('available for jobs');
  }
  result.worker = w;
  return result;
}

function printable(c: HardwareClaim) {
  return { ...c, pricePerGpuHour: c.pricePerGpuHour.toString() };
}
