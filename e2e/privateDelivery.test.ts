/**
 * Private jobs beyond one small bundle to one worker (README: Private jobs), end to end with the real
 * `loom` CLI, three worker daemons (`loom-worker start`, each running jobs in its bubblewrap sandbox),
 * the indexer, the API and the artifact store:
 *
 * - secrets over the registry's 4 KiB inline cap: `loom job post` stores the sealed bundle in the
 *   artifact store and sends its hash and `artifact://` URI; the worker fetches it, checks it, opens
 *   it, and the job reads the secrets;
 * - a bundle whose URI serves bytes that do not match the hash sent on-chain is refused with that
 *   reason, and the worker gives the job up without spending a transaction on it;
 * - a replicated private job (3 replicas, quorum 2): `loom job post --replicas` seals a bundle to each
 *   slot holder; each worker runs with the secret, stores its result sealed to the client and commits
 *   and reveals the plaintext's hash, so the quorum forms; the job settles, and the client opens the
 *   result (`loom job result`) and finds it is the plaintext the quorum's hash names.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Address, type Hex, parseEther } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loomReplicatedMarketAbi } from '../abis/generated';
import { putArtifact, signArtifactUpload } from '../sdk/artifactUpload';
import { bundleHashOf } from '../sdk/sealedDelivery';
import { MAX_INLINE_SEALED_BYTES, sealSecrets } from '../sdk/sealing';
import { ROLES, accountOf } from '../testkit/accounts';
import { scriptSpec } from '../testkit/jobs';
import { runLoom } from '../testkit/loomCli';
import { type Stack, startStack } from '../testkit/stack';
import { waitFor } from '../testkit/waitFor';
import type { WorkerProcess } from '../testkit/workers';
import { skipSandboxTests } from '../worker/test/sandboxAvailability';

const CLIENT = ROLES.clients[0]!;
const TOKEN = 'hf_Repl1catedT0ken_4e9a';
// A certificate-sized secret: with it the sealed bundle cannot travel inline.
const CERT = `-----BEGIN CERTIFICATE-----\n${createHash('sha512').update('loom').digest('base64').repeat(70)}\n-----END CERTIFICATE-----`;

let m: Stack;
let workers: WorkerProcess[];
let dir: string;

beforeAll(async () => {
  if (skipSandboxTests) return;
  m = await startStack({ name: 'private-delivery', indexer: true, artifacts: true, jobDefaults: { executionTimeout: 300, challengeWindow: 3600 } });
  dir = mkdtempSync(join(m.workDir, 'client-'));
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
  writeFileSync(join(dir, 'cert'), CERT);
  // A short wait for bundles: the refused one below ends in a give-up that the test waits for.
  workers = await Promise.all(ROLES.workers.slice(0, 3).map((i) => m.startWorker(i, { LOOM_SEALED_WAIT_SECONDS: '15' })));
}, 240_000);

afterAll(async () => {
  await m?.stop();
});

const loomEnv = () => m.cliEnv(CLIENT);

const workerOf = (address: string) => workers.find((w) => w.address === address.toLowerCase())!;
const logged = (w: WorkerProcess, msg: string, jobId: Hex) => w.lines.some((l) => l.msg === msg && l.jobId === jobId);

/** The job's SealedBundleSent events as the API lists them. */
async function sentBundles(id: Hex): Promise<{ worker: string; bundleHash: string; inlineBundle: string; uri: string }[]> {
  const r = await m.gql(`query($id: ID!) { job(id: $id) { sealedBundles { worker bundleHash inlineBundle uri } } }`, { id });
  return r.job.sealedBundles;
}

function writeSpec(name: string, spec: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(spec));
  return path;
}

describe.skipIf(skipSandboxTests)('private jobs: bundles by URI, and replicated', () => {
  test('default: secrets over the inline cap travel by artifact:// URI; the worker fetches, checks and opens them, and the job reads them', async () => {
    const spec = writeSpec(
      'big.json',
      scriptSpec('printf %s "$CERT" | sha256sum | cut -d" " -f1 > /out/cert.sha; printf %s "$CERT" | wc -c > /out/cert.len; echo "token=$HF_TOKEN" > /out/token.txt', {
        sealed: { env: ['CERT', 'HF_TOKEN'] },
      }),
    );
    const post = await runLoom(['job', 'post', spec, '--budget', '0.01', '--secret', `CERT=@${join(dir, 'cert')}`, '--secret', `HF_TOKEN=@${join(dir, 'token')}`, '--json'], loomEnv(), 150_000);
    expect(post.code, post.stderr).toBe(0);
    const posted = JSON.parse(post.stdout);
    expect(posted.sealed).toHaveLength(1);
    const [sent] = posted.sealed;
    expect(sent.bytes).toBeGreaterThan(MAX_INLINE_SEALED_BYTES);
    expect(sent.uri).toMatch(/^artifact:\/\/[0-9a-f]{64}$/);

    // On-chain: only the hash and the URI; the store holds exactly the bytes that hash names, sealed.
    await m.synced();
    const [bundle] = await sentBundles(posted.jobId);
    expect(bundle).toMatchObject({ worker: sent.worker.toLowerCase(), uri: sent.uri });
    expect(bundle!.inlineBundle ?? '0x').toBe('0x');
    const stored = Buffer.from(await (await fetch(`${m.artifactUrl}/artifacts/0x${sent.uri.slice('artifact://'.length)}`)).arrayBuffer());
    expect(bundleHashOf(stored)).toBe(bundle!.bundleHash);
    expect(stored.includes(TOKEN)).toBe(false);
    expect(stored.includes('BEGIN CERTIFICATE')).toBe(false);

    const j = await m.jobIn(posted.jobId, 'SUBMITTED', 120_000);
    const w = workerOf(j.worker);
    expect(logged(w, 'sealed bundle opened', posted.jobId)).toBe(true);
    const tar = join(dir, 'big.tar');
    writeFileSync(tar, Buffer.from(await (await fetch(`${m.artifactUrl}/artifacts/${j.resultHash}`)).arrayBuffer()));
    expect(execFileSync('tar', ['-xOf', tar, 'cert.sha'], { encoding: 'utf8' }).trim()).toBe(createHash('sha256').update(CERT).digest('hex'));
    expect(Number(execFileSync('tar', ['-xOf', tar, 'cert.len'], { encoding: 'utf8' }))).toBe(CERT.length);
    expect(execFileSync('tar', ['-xOf', tar, 'token.txt'], { encoding: 'utf8' })).toBe(`token=${TOKEN}\n`);
    expect(w.output.join('')).not.toContain(TOKEN);
  });

  test('error: a bundle whose URI serves bytes that do not match its hash is refused with that reason; the worker hands the job back with one returnJob and nothing else', async () => {
    const job = await m.post({ client: CLIENT, spec: scriptSpec('echo "$CERT" > /out/c.txt', { sealed: { env: ['CERT'] } }), budget: parseEther('0.01') });
    const assigned = await m.jobIn(job.id, 'ASSIGNED', 60_000);
    const w = workerOf(assigned.worker);
    const sealing = await m.gql(`query($id: ID!) { job(id: $id) { assignee { encryptionKey } } }`, { id: job.id });
    const envelope = sealSecrets({ secrets: { env: { CERT }, privateInputs: [], registryAuth: [] }, to: sealing.job.assignee.encryptionKey, context: { chainId: 31337, jobId: job.id, recipient: w.address } });
    expect(envelope.length).toBeGreaterThan(MAX_INLINE_SEALED_BYTES);
    // The store holds other bytes (the envelope with its last byte changed) under the URI sent.
    const altered = Uint8Array.from(envelope);
    altered[altered.length - 1]! ^= 1;
    const alteredHash = bundleHashOf(altered);
    const headers = await signArtifactUpload({ signer: accountOf(CLIENT), chainId: 31337, market: m.market, sha256: alteredHash, size: altered.length, purpose: 'input' });
    const { uri } = await putArtifact({ baseUrl: m.artifactUrl, body: altered, sha256: alteredHash, headers });
    const startBlock = (await m.pub.getBlockNumber({ cacheTime: 0 })) + 1n;
    await m.send(CLIENT, 'sendSealed', [job.id, w.address as Address, bundleHashOf(envelope), '0x', uri]);

    await waitFor(
      'the bundle refused',
      () => w.lines.some((l) => l.msg === 'sealed bundle refused; waiting for another' && l.jobId === job.id && /does not match the hash sent on-chain/.test(String(l.reason))),
      30_000,
    );
    await waitFor('the job given up', () => logged(w, 'giving the job up without a result: it expects sealed secrets and none usable arrived', job.id), 60_000);
    const given = w.lines.find((l) => l.msg === 'giving the job up without a result: it expects sealed secrets and none usable arrived' && l.jobId === job.id);
    expect(String(given!.reason)).toMatch(/the last was refused: the sealed bundle does not match the hash sent on-chain/);

    // One transaction of the worker's is about the job, the return (it settles its other jobs
    // meanwhile): the job closes RETURNED, the client refunded, nothing slashed.
    const closed = await m.jobIn(job.id, 'CLOSED', 60_000);
    await m.synced();
    expect(await m.callsAboutJob(w.address, job.terms.specHash, startBlock)).toEqual(['returnJob']);
    expect(closed).toMatchObject({ closeReason: 'RETURNED', workerPayout: '0', slashed: '0', clientRefund: closed.price });
  });

  test('default: a replicated private job: a bundle to each slot holder, each worker runs with the secret, the quorum forms on the plaintext hash, and the client opens the result', async () => {
    const spec = writeSpec('replicated.json', scriptSpec('echo "token=$HF_TOKEN" > /out/token.txt', { sealed: { env: ['HF_TOKEN'], privateResult: true } }));
    const fromBlock = await m.pub.getBlockNumber({ cacheTime: 0 });
    const post = await runLoom(
      ['job', 'post', spec, '--replicas', '3', '--quorum', '2', '--budget', '0.01', '--collateral', '0.01', '--open-for', '5m', '--commit-window', '5m', '--reveal-window', '5m', '--secret', `HF_TOKEN=@${join(dir, 'token')}`, '--json'],
      loomEnv(),
      150_000,
    );
    expect(post.code, post.stderr).toBe(0);
    const posted = JSON.parse(post.stdout);
    const id = posted.jobId as Hex;
    // One bundle per slot holder, each sealed to that worker.
    expect(posted.sealed, post.stderr).toHaveLength(3);
    expect(new Set(posted.sealed.map((s: { worker: string }) => s.worker.toLowerCase()))).toEqual(new Set(workers.map((w) => w.address)));

    const closed = await waitFor(
      `job ${id} finalized by its workers`,
      async () => (await m.pub.getContractEvents({ address: m.replicated, abi: loomReplicatedMarketAbi, eventName: 'ReplicatedJobClosed', args: { jobId: id }, fromBlock }))[0]?.args,
      120_000,
      250,
    );
    expect(closed.outcome).toBe(1); // QuorumReached
    expect(closed.slashed).toEqual([0n, 0n, 0n]);
    for (const w of workers) expect(logged(w, 'sealed bundle opened', id)).toBe(true);

    // Every reveal is the same plaintext hash; each stored result is that worker's own ciphertext.
    const reveals = (await m.pub.getContractEvents({ address: m.replicated, abi: loomReplicatedMarketAbi, eventName: 'ResultRevealed', args: { jobId: id }, fromBlock })).map((l) => l.args);
    expect(reveals).toHaveLength(3);
    expect(new Set(reveals.map((r) => r.resultHash))).toEqual(new Set([closed.resultHash]));
    const uris = new Set(reveals.map((r) => r.resultURI));
    expect(uris.size).toBe(3);
    for (const u of uris) {
      const bytes = Buffer.from(await (await fetch(`${m.artifactUrl}/artifacts/0x${String(u).replace('artifact://', '')}`)).arrayBuffer());
      expect(bytes.length).toBeGreaterThan(0);
      expect(`0x${createHash('sha256').update(bytes).digest('hex')}`).not.toBe(closed.resultHash);
      expect(bytes.includes(TOKEN)).toBe(false);
    }

    // The client opens the quorum's result and it is the plaintext the on-chain hash names.
    await m.jobIn(id, 'CLOSED', 30_000);
    const out = join(dir, 'replicated.tar');
    const got = await runLoom(['job', 'result', id, '-o', out, '--json'], loomEnv());
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ verified: true, resultHash: closed.resultHash });
    expect(execFileSync('tar', ['-xOf', out, 'token.txt'], { encoding: 'utf8' })).toBe(`token=${TOKEN}\n`);
    for (const w of workers) expect(w.output.join('')).not.toContain(TOKEN);
  });
});
