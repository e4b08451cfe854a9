/**
 * A job's sealed secrets, on the worker's side (README: Private jobs). The worker's X25519 key pair
 * is derived from its signing key (sdk/sealing.ts: a signature of a fixed message, deterministic by
 * RFC 6979), so it is kept exactly like that key: nothing new on disk, the same after a restart. The
 * secret half stays in the closure `workerSealing` returns; only the public half is published
 * (`setEncryptionKey`) and logged.
 *
 * Before a job that expects secrets runs, `awaitSecrets` polls the API for the job's bundles (the
 * API lists only those the job's client sent; each names its worker), takes the latest sealed to this
 * worker, checks its bytes against the hash sent on-chain, opens it in memory and checks it holds
 * everything the spec names. A bundle that does not open (another key, another job or worker,
 * altered), whose bytes do not match the hash sent on-chain, is over the size cap or incomplete is
 * refused with its reason, at no cost: the worker keeps waiting for a newer one. A bundle sent by URI
 * whose bytes cannot be fetched for now (the network, the store) is fetched again at the next poll.
 * When the wait ends without a usable bundle the job is given up: the daemon returns it
 * (returnJob.ts: price to the client, collateral unlocked unslashed) rather than leave it to a
 * reclaim that would slash the worker for the client's fault. The opened secrets are never
 * logged (reasons name fields, never values), never written to disk, and only reach that job's run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Account, Address, Hex } from 'viem';
import { bundleBytes, latestBundleFor } from '../../sdk/sealedDelivery';
import { SEALING_KEY_MESSAGE, SealError, type SecretsBundle, openSecrets, sealingKeyFromSignature } from '../../sdk/sealing';
import type { SealedExpectation } from '../../sdk/spec/jobSpec';
import { WorkerError } from '../errors';
import type { LoomApi } from './loomApi';

/** The worker's sealing key: its public half, and an opener that keeps the secret half to itself. */
export type WorkerSealing = {
  publicKey: Hex;
  open(envelope: Uint8Array, context: { chainId: number; jobId: Hex }): SecretsBundle;
};

/**
 * Derives the worker's sealing key from its account; throws KEY_UNAVAILABLE when the account signs
 * non-deterministically (the key would change on restart, and bundles sealed to it would not open).
 */
export async function workerSealing(account: Account): Promise<WorkerSealing> {
  if (!account.signMessage) throw new WorkerError('KEY_UNAVAILABLE', 'the worker account cannot sign messages (its sealing key is derived from a signature)');
  const [a, b] = await Promise.all([account.signMessage({ message: SEALING_KEY_MESSAGE }), account.signMessage({ message: SEALING_KEY_MESSAGE })]);
  if (a !== b) throw new WorkerError('KEY_UNAVAILABLE', 'the worker account signs non-deterministically: its sealing key would not survive a restart');
  const { secretKey, publicKey } = sealingKeyFromSignature(a);
  const address = account.address;
  return { publicKey, open: (envelope, c) => openSecrets({ envelope, secretKey, context: { ...c, recipient: address } }) };
}

export type AwaitSecretsOptions = {
  api: Pick<LoomApi, 'sealing'>;
  jobId: Hex;
  worker: Address;
  chainId: number;
  sealing: WorkerSealing | undefined;
  expect: SealedExpectation;
  /** The registry of the job's image (ImageRef.registry): the one registry credentials are expected for. */
  imageRegistry?: string;
  /** Stop waiting at this time (ms since the epoch). */
  until: number;
  /** Fetches a bundle stored by URI (artifact://<sha256> or http(s)), at most `maxBytes`. */
  fetchUri: (uri: string, maxBytes: number) => Promise<Uint8Array>;
  signal?: AbortSignal;
  pollMs?: number;
  /** Told each refused bundle, by its event id, with the reason (no secret in it). */
  onRefused?: (bundleId: string, reason: string) => void;
  /** Told when a bundle's bytes could not be fetched (it is tried again at the next poll). */
  onUnfetched?: (bundleId: string, reason: string) => void;
};

export type AwaitedSecrets = { ok: true; secrets: SecretsBundle; bundleId: string } | { ok: false; reason: string };

/** Waits for, fetches, opens and checks this worker's bundle for a job; never throws for the bundle's faults. */
export async function awaitSecrets(o: AwaitSecretsOptions): Promise<AwaitedSecrets> {
  if (!o.sealing) return { ok: false, reason: 'this worker has no sealing key (its account cannot derive one)' };
  const refused = new Map<string, string>();
  let unfetched: { bundleId: string; reason: string } | undefined;
  for (;;) {
    if (o.signal?.aborted) return { ok: false, reason: 'stopped' };
    const job = await o.api.sealing(o.jobId).catch(() => null);
    const bundle = job ? latestBundleFor(job.sealedBundles, o.worker) : undefined;
    if (bundle && !refused.has(bundle.id)) {
      let bytes: Uint8Array | undefined;
      try {
        bytes = await bundleBytes(bundle, o.fetchUri);
        const secrets = o.sealing.open(bytes, { chainId: o.chainId, jobId: o.jobId });
        checkComplete(secrets, o.expect, o.imageRegistry);
        return { ok: true, secrets, bundleId: bundle.id };
      } catch (err) {
        if (err instanceof SealError) {
          refused.set(bundle.id, err.shortMessage);
          o.onRefused?.(bundle.id, err.shortMessage);
        } else {
          // The fetch failed (the network, the store): not the bundle's fault, so it is tried again
          // at the next poll; told once per bundle.
          const reason = `the sealed bundle could not be fetched: ${(err as Error).message}`;
          if (unfetched?.bundleId !== bundle.id) o.onUnfetched?.(bundle.id, reason);
          unfetched = { bundleId: bundle.id, reason };
        }
      }
    }
    if (Date.now() >= o.until) {
      if (unfetched && !refused.has(unfetched.bundleId)) return { ok: false, reason: `no usable sealed bundle arrived (the last could not be fetched: ${unfetched.reason})` };
      const last = [...refused.values()].at(-1);
      return { ok: false, reason: last ? `no usable sealed bundle arrived (the last was refused: ${last})` : 'no sealed bundle arrived from the client in time' };
    }
    await sleep(Math.min(o.pollMs ?? 1000, Math.max(0, o.until - Date.now())));
  }
}

/** The bundle must hold every name the public spec announces, and a result key for a private result. */
function checkComplete(s: SecretsBundle, expect: SealedExpectation, imageRegistry: string | undefined): void {
  const missingEnv = expect.env.filter((n) => !(n in s.env));
  if (missingEnv.length > 0) throw new SealError(`the sealed bundle lacks the secret variables ${missingEnv.join(', ')}`);
  const extraEnv = Object.keys(s.env).filter((n) => !expect.env.includes(n));
  if (extraEnv.length > 0) throw new SealError(`the sealed bundle holds variables the spec does not name: ${extraEnv.join(', ')}`);
  const names = s.privateInputs.map((p) => p.name);
  if (names.length !== expect.privateInputs.length || expect.privateInputs.some((n) => !names.includes(n))) {
    throw new SealError(`the sealed bundle's private inputs (${names.join(', ') || 'none'}) are not the spec's (${expect.privateInputs.join(', ') || 'none'})`);
  }
  if (expect.privateResult && !s.resultKey) throw new SealError('the spec asks for a private result and the sealed bundle has no result key');
  // Credentials are for the job's image's registry only: any other would never be used, and is not asked for.
  const registries = s.registryAuth.map((r) => r.registry);
  if (expect.registryAuth) {
    if (!imageRegistry || !registries.includes(imageRegistry)) throw new SealError(`the spec's image is private (sealed.registryAuth) and the sealed bundle has no credentials for its registry ${imageRegistry ?? '(none)'}`);
  }
  const stray = registries.filter((r) => !expect.registryAuth || r !== imageRegistry);
  if (stray.length > 0) throw new SealError(`the sealed bundle holds registry credentials the spec does not ask for (${stray.join(', ')})`);
}
