/**
 * The browser's side of sealing a job's secrets (README: Private jobs), with the SDK's functions the
 * CLI uses: read the form's lines, seal one bundle per worker of the job (the assigned worker, or each
 * slot holder) to its published key, with the connected wallet's result key when the spec asks for a
 * private result. Nothing leaves the browser but the sealed bytes: inline in the transaction up to
 * 4 KiB, else stored first in the artifact store (the upload signed by the connected wallet) and
 * sent by its artifact:// URI, as the CLI does (the SDK's deliverSealed).
 */
import type { Address, Hex } from 'viem';
import { JobSealingQuery } from '$sdk/documents';
import type { LoomReader } from '$sdk/reads';
import type { ArtifactUploadSigner } from '$sdk/artifactUpload';
import { deliverSealed, sealTargets, type sealedDelivery } from '$sdk/sealedDelivery';
import { MAX_INLINE_SEALED_BYTES, type PrivateInput, type RegistryCredential, type SealingKeyPair, type SecretsBundle, sealSecrets } from '$sdk/sealing';
import { canonicalRegistry } from '$sdk/spec/imageRef';

/**
 * "NAME=value" lines to variables, "name URL sha256" lines (with one "Header: value" line for them
 * all) to private inputs, and for a private image (sealed.registryAuth) the login for its registry;
 * throws with the line's problem, never its value.
 */
export function readSecretsForm(o: { env: string; inputs: string; header: string; registry?: { host: string; username: string; password: string } }): Omit<SecretsBundle, 'resultKey'> {
  const env: Record<string, string> = {};
  for (const [i, line] of o.env.split('\n').entries()) {
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`Secret line ${i + 1}: write NAME=value.`);
    env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  const headers: Record<string, string> = {};
  if (o.header.trim()) {
    const colon = o.header.indexOf(':');
    if (colon <= 0) throw new Error('Header: write Name: value.');
    headers[o.header.slice(0, colon).trim()] = o.header.slice(colon + 1).trim();
  }
  const privateInputs: PrivateInput[] = [];
  for (const [i, line] of o.inputs.split('\n').entries()) {
    if (!line.trim()) continue;
    const [name, url, sha256] = line.trim().split(/\s+/);
    if (!name || !url || !sha256 || !/^(0x)?[0-9a-fA-F]{64}$/.test(sha256)) throw new Error(`Private input line ${i + 1}: write name URL sha256.`);
    privateInputs.push({ name, url, sha256: sha256.replace(/^0x/, '').toLowerCase(), headers });
  }
  const registryAuth: RegistryCredential[] = [];
  if (o.registry) {
    const host = canonicalRegistry(o.registry.host.trim());
    if (!host) throw new Error('Registry: the image names no registry host.');
    const username = o.registry.username.trim();
    if (!username || username.includes(':')) throw new Error('Registry login: write the username (without ":").');
    if (!o.registry.password) throw new Error('Registry login: write the password or token.');
    registryAuth.push({ registry: host, username, password: o.registry.password });
  }
  return { env, privateInputs, registryAuth };
}

/** One sealed bundle per worker of the job, ready for `sendSealed` (a large one already stored). */
export async function sealForJob(o: {
  reader: LoomReader;
  jobId: Hex;
  chainId: number;
  secrets: Omit<SecretsBundle, 'resultKey'>;
  privateResult: boolean;
  /** The connected wallet's sealing key (sealingKey.svelte.ts: one signature per session), asked for only for a private result. */
  sealingKey: () => Promise<SealingKeyPair>;
  /** Where a bundle over the inline cap goes: the artifact store, signed by the connected wallet (walletUploadSigner). */
  store: { artifactUrl: string; market: Address; signer: ArtifactUploadSigner; fetch?: typeof fetch };
}): Promise<{ worker: Address; delivery: ReturnType<typeof sealedDelivery> }[]> {
  const { job } = await o.reader.query(JobSealingQuery, { id: o.jobId });
  if (!job) throw new Error('The API does not know this job.');
  const targets = sealTargets(job);
  if (targets.length === 0) throw new Error('No worker holds this job yet: seal once it is assigned.');
  const missing = targets.find((t) => !t.encryptionKey);
  if (missing) throw new Error(`Worker ${missing.worker} has published no encryption key: it cannot receive secrets.`);
  const resultKey = o.privateResult ? (await o.sealingKey()).publicKey : undefined;
  const secrets: SecretsBundle = { ...o.secrets, ...(resultKey ? { resultKey } : {}) };
  const bundles: { worker: Address; delivery: ReturnType<typeof sealedDelivery> }[] = [];
  // One after the other: each stored bundle is one signature prompt of the wallet.
  for (const t of targets) {
    const envelope = sealSecrets({ secrets, to: t.encryptionKey!, context: { chainId: o.chainId, jobId: o.jobId, recipient: t.worker } });
    try {
      bundles.push({ worker: t.worker, delivery: await deliverSealed(envelope, { ...o.store, chainId: o.chainId }) });
    } catch (err) {
      throw new Error(`The sealed bundle (${envelope.length} bytes, over the ${MAX_INLINE_SEALED_BYTES}-byte inline cap) could not be stored in the artifact store: ${(err as { shortMessage?: string }).shortMessage ?? (err as Error).message}`, { cause: err });
    }
  }
  return bundles;
}
