/**
 * `loom job seal <id> --secret NAME=@file|NAME=value … --private-input name=URL … [--private-input-header 'Name: value'] [--registry-login host=user:@file] [--wait 10m]`
 *
 * Seals a job's secrets to its assigned worker (each slot holder of a replicated job) and sends them
 * chain-first (the registry's sendSealed; README: Private jobs). Everything is checked against the
 * spec's `sealed` field before anything is signed: the names of the secrets and private inputs must
 * be exactly the spec's. Each private input is downloaded here once, with its headers, to take its
 * sha256, which the worker checks. A private image (`sealed.registryAuth`) needs `--registry-login` for
 * its registry, and only that one; the worker pulls the image with it. The bundle also carries this key's result key (derived from a
 * signature of SEALING_KEY_MESSAGE), so `loom job result` can open a private result. `loom job post`
 * runs the same steps right after posting when given these flags.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Address, Hex } from 'viem';
import { JobSealingQuery, type JobSealing } from '../../../sdk/documents';
import { ArtifactUploadError } from '../../../sdk/artifactUpload';
import { allWorkersKnown, deliverSealed, sealTargets } from '../../../sdk/sealedDelivery';
import { MAX_INLINE_SEALED_BYTES, type PrivateInput, type RegistryCredential, SEALING_KEY_MESSAGE, SealError, type SecretsBundle, sealSecrets, sealingKeyFromSignature } from '../../../sdk/sealing';
import { canonicalRegistry } from '../../../sdk/spec/imageRef';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import type { LoomReader } from '../../../sdk/reads';
import { type SealedExpectation, parseSpec } from '../../../sdk/spec/jobSpec';
import { CliError } from '../../cliError';
import { type ClientConfig, connectionOptions, resolveClientConfig } from '../../config';
import { toJson } from '../../output/format';
import { type Progress, createProgress } from '../../output/progress';
import { parseDuration } from '../../parse/parseDuration';
import { type WriterSession, openReader, openWriter, parseJobId } from '../../session';

/** The flags of sealing, shared with `loom job post`. */
export const sealOptions: OptionTable = {
  secret: { type: 'string', multiple: true, value: '<NAME=@file|NAME=value>', help: 'A secret variable for the job, sealed to its worker (prefer @file: a value on the command line is visible to other users of this machine)' },
  'private-input': { type: 'string', multiple: true, value: '<name=URL>', help: 'A private input, mounted at /in/<name>; its URL travels sealed' },
  'private-input-header': { type: 'string', multiple: true, value: "<'Name: value'|'Name: @file'>", help: 'A request header for the private inputs (e.g. Authorization), sealed with them' },
  'registry-login': { type: 'string', value: '<host=user:@file|host=user:password>', help: "Credentials for the registry of the job's private image (sealed.registryAuth), sealed to its worker; prefer @file (a password on the command line is visible to other users of this machine)" },
  'seal-wait': { type: 'string', value: '<duration>', help: 'How long to wait for the job to be assigned before sealing (default 10m)' },
};

const options: OptionTable = { ...sealOptions, ...connectionOptions };

const USAGE = `Usage: loom job seal <job id> [options]

Seals the secrets a job's spec expects ("sealed": env names, private inputs, a private result, a
login for its private image's registry) to its assigned worker's published key (each slot holder's,
for a replicated job, as each takes its slot), and sends them with the registry's sendSealed: inline
up to 4 KiB, else stored in the artifact store (ciphertext only) and sent by its artifact:// URI.
Waits for the assignment first. The worker does not start the job until its bundle arrives.

Options:
${optionsHelp(options)}`;

export type SealFlags = { secret?: string[]; 'private-input'?: string[]; 'private-input-header'?: string[]; 'registry-login'?: string; 'seal-wait'?: string };

/** True when any sealing flag was given. */
export function hasSealFlags(f: SealFlags): boolean {
  return (f.secret?.length ?? 0) + (f['private-input']?.length ?? 0) + (f['private-input-header']?.length ?? 0) > 0 || f['registry-login'] !== undefined;
}

/** What to seal, read from the flags and checked against what the spec expects; no secret in any message. */
export async function readSealFlags(f: SealFlags, expect: SealedExpectation | undefined, imageRegistry?: string): Promise<Omit<SecretsBundle, 'resultKey'>> {
  if (!expect) {
    if (hasSealFlags(f)) throw new CliError('BAD_INPUT', 'the spec has no "sealed" field: name the secrets it expects there (README: Private jobs)');
    return { env: {}, privateInputs: [], registryAuth: [] };
  }
  const env: Record<string, string> = {};
  for (const s of f.secret ?? []) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new CliError('BAD_INPUT', '--secret takes NAME=@file or NAME=value');
    const name = s.slice(0, eq);
    if (!expect.env.includes(name)) throw new CliError('BAD_INPUT', `--secret ${name}: the spec's sealed.env does not name it (it names ${expect.env.join(', ') || 'none'})`);
    env[name] = await valueOf(s.slice(eq + 1), `--secret ${name}`);
  }
  const missing = expect.env.filter((n) => !(n in env));
  if (missing.length > 0) throw new CliError('BAD_INPUT', `the spec expects the secret variables ${missing.join(', ')}: give each with --secret NAME=@file`);

  const headers: Record<string, string> = {};
  for (const h of f['private-input-header'] ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new CliError('BAD_INPUT', "--private-input-header takes 'Name: value'");
    const name = h.slice(0, colon).trim();
    headers[name] = await valueOf(h.slice(colon + 1).trim(), `--private-input-header ${name}`);
  }
  const privateInputs: PrivateInput[] = [];
  for (const p of f['private-input'] ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new CliError('BAD_INPUT', '--private-input takes name=URL');
    const name = p.slice(0, eq);
    if (!expect.privateInputs.includes(name)) throw new CliError('BAD_INPUT', `--private-input ${name}: the spec's sealed.privateInputs does not name it`);
    const url = p.slice(eq + 1);
    if (!/^https?:\/\//.test(url)) throw new CliError('BAD_INPUT', `--private-input ${name}: not an http(s) URL`);
    privateInputs.push({ name, url, sha256: await sha256Of(name, url, headers), headers });
  }
  const absent = expect.privateInputs.filter((n) => !privateInputs.some((p) => p.name === n));
  if (absent.length > 0) throw new CliError('BAD_INPUT', `the spec expects the private inputs ${absent.join(', ')}: give each with --private-input name=URL`);
  return { env, privateInputs, registryAuth: await readRegistryLogin(f['registry-login'], expect, imageRegistry) };
}

/**
 * `--registry-login host=user:@file` (or `host=user:password`): the credential for the registry of the
 * job's private image, and for no other registry (the worker refuses a bundle with others).
 */
async function readRegistryLogin(flag: string | undefined, expect: SealedExpectation, imageRegistry: string | undefined): Promise<RegistryCredential[]> {
  if (flag === undefined) {
    if (expect.registryAuth) throw new CliError('BAD_INPUT', `the spec's image is private (sealed.registryAuth): give its registry's credentials with --registry-login ${imageRegistry ?? 'host'}=user:@passwordfile`);
    return [];
  }
  if (!expect.registryAuth) throw new CliError('BAD_INPUT', '--registry-login: the spec does not say its image is private (add "registryAuth": true to its "sealed" field)');
  const eq = flag.indexOf('=');
  const colon = flag.indexOf(':', eq + 1);
  if (eq <= 0 || colon <= eq + 1) throw new CliError('BAD_INPUT', '--registry-login takes host=user:@passwordfile or host=user:password');
  const registry = canonicalRegistry(flag.slice(0, eq));
  if (registry === undefined) throw new CliError('BAD_INPUT', `--registry-login: "${flag.slice(0, eq)}" is not a registry host[:port]`);
  if (registry !== imageRegistry) throw new CliError('BAD_INPUT', `--registry-login ${registry}: the job's image is on ${imageRegistry ?? 'no registry'}; credentials are sealed for that registry only`);
  const username = flag.slice(eq + 1, colon);
  const password = await valueOf(flag.slice(colon + 1), `--registry-login ${registry}`);
  if (/[\x00-\x1f\x7f]/.test(username + password)) throw new CliError('BAD_INPUT', `--registry-login ${registry}: the username or password holds a control character`);
  if (password.length === 0) throw new CliError('BAD_INPUT', `--registry-login ${registry}: the password (or token) is empty`);
  return [{ registry, username, password }];
}

/** `@file` reads the file (one trailing newline dropped); anything else is the value itself. */
async function valueOf(text: string, what: string): Promise<string> {
  if (!text.startsWith('@')) return text;
  try {
    return (await readFile(text.slice(1), 'utf8')).replace(/\r?\n$/, '');
  } catch (err) {
    throw new CliError('BAD_INPUT', `${what}: cannot read ${text.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

async function sha256Of(name: string, url: string, headers: Record<string, string>): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { headers });
  } catch (err) {
    throw new CliError('BAD_INPUT', `--private-input ${name}: cannot fetch it: ${(err as Error).message}`);
  }
  if (!res.ok || !res.body) throw new CliError('BAD_INPUT', `--private-input ${name}: HTTP ${res.status} (the worker would be refused the same)`);
  const hash = createHash('sha256');
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest('hex');
}

/** The client's X25519 key pair for private results, from its key's signature. */
export async function clientSealingKey(account: WriterSession['account']) {
  if (!account.signMessage) throw new CliError('CONFIG', 'this client key cannot sign messages (private results need it)');
  return sealingKeyFromSignature(await account.signMessage({ message: SEALING_KEY_MESSAGE }));
}

/**
 * Seals the bundle to each of the job's workers as soon as it is known with a published key (the
 * assigned worker; each slot holder of a replicated job as it takes its slot, so the first ones do
 * not wait for the last) and sends it, until every worker the job will have has one: the assigned
 * worker, or the holder of each slot (for a replicated job whose slots did not all fill, until its
 * openUntil has passed). A bundle over the registry's inline cap is stored in the artifact store
 * first (signed with the client key, purpose `input`) and sent by its `artifact://<sha256>` URI with
 * its hash; the worker fetches it and checks both. Returns one line per worker.
 */
export async function sealAndSend(o: {
  reader: LoomReader;
  session: WriterSession;
  jobId: Hex;
  secrets: Omit<SecretsBundle, 'resultKey'>;
  privateResult: boolean;
  waitMs: number;
  progress: Progress;
  /** The artifact store, for a bundle too large to travel inline. */
  artifactUrl: string;
}): Promise<{ worker: Address; tx: Hex; bytes: number; uri?: string }[]> {
  const resultKey = o.privateResult ? (await clientSealingKey(o.session.account)).publicKey : undefined;
  const secrets: SecretsBundle = { ...o.secrets, ...(resultKey ? { resultKey } : {}) };
  o.progress.update(`waiting for job ${o.jobId} to be assigned`);
  const deadline = Date.now() + o.waitMs;
  const sent: { worker: Address; tx: Hex; bytes: number; uri?: string }[] = [];
  const isSent = (w: Address) => sent.some((s) => s.worker.toLowerCase() === w.toLowerCase());
  for (;;) {
    const job: JobSealing | null = (await o.reader.query(JobSealingQuery, { id: o.jobId }).catch(() => ({ job: null }))).job;
    if (job) {
      if (job.terms.client.toLowerCase() !== o.session.account.address.toLowerCase()) throw new CliError('BAD_INPUT', `job ${o.jobId} is not yours: its client is ${job.terms.client} (workers open bundles from the client only)`);
      if (job.status === 'CLOSED') throw new CliError('BAD_INPUT', `job ${o.jobId} is closed: nothing to seal`);
      const targets = sealTargets(job);
      for (const t of targets) if (t.encryptionKey && !isSent(t.worker)) sent.push(await sendTo(o, secrets, t.worker, t.encryptionKey));
      const allSent = targets.length > 0 && targets.every((t) => isSent(t.worker));
      if (allSent && allWorkersKnown(job)) return sent;
      // A replicated job whose slots did not all fill: once its openUntil passes no one else can take
      // one; a grace lets the API index a slot taken in the last blocks before it.
      if (job.kind === 'REPLICATED' && (allSent || targets.length === 0) && (await chainNow(o.session)) > BigInt(job.terms.openUntil) + SLOTS_INDEXED_GRACE_SECONDS) {
        if (allSent) return sent;
        throw new CliError('BAD_INPUT', `job ${o.jobId}: no slot was taken before its openUntil: nothing to seal`);
      }
    }
    if (Date.now() > deadline) {
      const some = sent.length > 0 ? ` (sealed to ${sent.length} of its workers so far)` : '';
      throw new CliError('API', `job ${o.jobId} was not assigned (to workers with a published key) within the wait${some}; seal later with loom job seal ${o.jobId}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Seconds past a replicated job's openUntil after which the API is taken to show every slot taken. */
const SLOTS_INDEXED_GRACE_SECONDS = 30n;

async function chainNow(session: WriterSession): Promise<bigint> {
  return (await session.publicClient.getBlock({ blockTag: 'latest' })).timestamp;
}

/** Seals the bundle to one worker and sends it, inline or (over the inline cap) stored first and sent by URI. */
async function sendTo(
  o: { session: WriterSession; jobId: Hex; progress: Progress; artifactUrl: string },
  secrets: SecretsBundle,
  worker: Address,
  key: Hex,
): Promise<{ worker: Address; tx: Hex; bytes: number; uri?: string }> {
  let envelope: Uint8Array;
  try {
    envelope = sealSecrets({ secrets, to: key, context: { chainId: o.session.chainId, jobId: o.jobId, recipient: worker } });
  } catch (err) {
    if (err instanceof SealError) throw new CliError('BAD_INPUT', `${err.shortMessage} (fewer or shorter secrets)`);
    throw err;
  }
  let d: Awaited<ReturnType<typeof deliverSealed>>;
  // Over the inline cap the bundle is stored first (only ciphertext leaves: sealed to this worker's key).
  if (envelope.length > MAX_INLINE_SEALED_BYTES) o.progress.update(`storing the ${envelope.length}-byte sealed bundle for ${worker} in the artifact store`);
  try {
    d = await deliverSealed(envelope, { artifactUrl: o.artifactUrl, signer: o.session.account, chainId: o.session.chainId, market: o.session.market });
  } catch (err) {
    const later = err instanceof ArtifactUploadError && err.retryAfterSeconds ? ` (retry in ${err.retryAfterSeconds} s)` : '';
    throw new CliError('API', `the sealed bundle (${envelope.length} bytes, over the ${MAX_INLINE_SEALED_BYTES}-byte inline cap) could not be stored at ${o.artifactUrl}: ${(err as Error).message}${later}`, { cause: err });
  }
  const uri = d.uri || undefined;
  o.progress.update(`sending the sealed bundle to ${worker}`);
  const tx = await o.session.writer.sendSealed(o.jobId, worker, d.bundleHash, d.inlineBundle, d.uri);
  return { worker, tx: tx.hash, bytes: envelope.length, ...(uri ? { uri } : {}) };
}

export async function runSeal(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseCommandLine(argv, { options, usage: USAGE, positionals: [1, 1] });
  if (help) return showHelp(USAGE);
  const config: ClientConfig = resolveClientConfig(values);
  const jobId = parseJobId(positionals[0]);
  const reader = openReader(config);
  const progress = createProgress();
  const { job } = await reader.query(JobSealingQuery, { id: jobId });
  if (!job) throw new CliError('API', `no job ${jobId} (the API at ${reader.url} does not know it)`);
  const parsed = parseSpec(job.specJson);
  if (!parsed.ok || !parsed.spec.sealed) throw new CliError('BAD_INPUT', `job ${jobId}'s spec expects no sealed secrets`);
  const flags = values as unknown as SealFlags;
  const secrets = await readSealFlags(flags, parsed.spec.sealed, parsed.spec.image?.registry);
  const session = await openWriter(config, progress);
  const sent = await sealAndSend({ reader, session, jobId, secrets, privateResult: parsed.spec.sealed.privateResult, artifactUrl: config.artifactUrl, waitMs: parseDuration(flags['seal-wait'] ?? '10m', '--seal-wait') * 1000, progress });
  progress.clear();
  if (config.json) process.stdout.write(toJson({ jobId, sent }));
  else for (const s of sent) process.stdout.write(`sealed ${s.bytes} bytes to ${s.worker}${s.uri ? ` (stored at ${s.uri})` : ''} (tx ${s.tx})\n`);
  return 0;
}
