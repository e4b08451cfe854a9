/**
 * Private jobs end to end (README: Private jobs), with the real `loom` CLI, a real worker daemon
 * running jobs in its bubblewrap sandbox, the indexer, the API and the artifact store:
 *
 * - a job whose spec expects a secret variable, a private input and a private result: the client
 *   posts it with `--secret NAME=@file --private-input … --private-input-header 'Authorization: @file'`,
 *   the CLI seals the bundle to the assigned worker once assigned; the job reads the secret and the
 *   input (served only with the header); its result is stored encrypted, only the client opens it
 *   (`loom job result`), and it matches the on-chain hash of the plaintext; another key cannot;
 * - the secret appears nowhere else: not in the worker's logs, not in its data directory, not on-chain
 *   in clear, not in the job's /proc/1/environ beyond the job's own variables, and not in another job
 *   run beside it (a probe job that reads every environment and file it can);
 * - bad bundles (sealed for another job; sent by a stranger) are refused or ignored at no cost to the
 *   worker: when no usable bundle arrives in time it hands the job back with one `returnJob` (and no
 *   other transaction about it): the job ends RETURNED, the client is credited the price, the
 *   worker's stake is whole and its collateral unlocked, and the return is counted in public.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Hex, parseEther, zeroAddress } from 'viem';
import { loomMarketAbi, loomRegistryAbi } from '../abis/generated';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sealedDelivery } from '../sdk/sealedDelivery';
import { sealSecrets } from '../sdk/sealing';
import { scriptSpec } from '../testkit/jobs';
import { runLoom } from '../testkit/loomCli';
import { type Stack, startStack } from '../testkit/stack';
import { waitFor } from '../testkit/waitFor';
import type { WorkerProcess } from '../testkit/workers';
import { skipSandboxTests } from '../worker/test/sandboxAvailability';

const CLIENT = 2;
const OTHER_CLIENT = 3;
const WORKER = 7;
const SECRET = 'hf_Sup3rS3cretT0ken_7c1f';
const HEADER_TOKEN = 'Bearer private-dataset-key-93b2';
const DATA = 'id,label\n1,private row\n';

let m: Stack;
let worker: WorkerProcess;
let dataDir: string;
let server: Server;
let dataUrl: string;
let dir: string;
const hits: { auth: string | undefined }[] = [];

beforeAll(async () => {
  if (skipSandboxTests) return;
  m = await startStack({ name: 'private-jobs', indexer: true, artifacts: true, jobDefaults: { executionTimeout: 300, challengeWindow: 3600 } });
  dir = mkdtempSync(join(m.workDir, 'client-'));
  dataDir = mkdtempSync(join(m.workDir, 'worker-data-'));
  execFileSync('chmod', ['711', dataDir]);
  server = createServer((req, res) => {
    hits.push({ auth: req.headers.authorization });
    if (req.url !== '/private/data.csv') return void res.writeHead(404).end();
    if (req.headers.authorization !== HEADER_TOKEN) return void res.writeHead(401).end('no');
    res.end(DATA);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  dataUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/private/data.csv`;
  worker = await m.startWorker(WORKER, { LOOM_ALLOW_PRIVATE_INPUTS: 'true', LOOM_SEALED_WAIT_SECONDS: '8', LOOM_MAX_CONCURRENT_JOBS: '2', LOOM_WORKER_DATA_DIR: dataDir });
}, 240_000);

afterAll(async () => {
  server?.close();
  await m?.stop();
});

const loomEnv = (client = CLIENT) => m.cliEnv(client);

const logged = (msg: string, jobId?: Hex) => worker.lines.some((l) => l.msg === msg && (jobId === undefined || l.jobId === jobId));

describe.skipIf(skipSandboxTests)('private jobs', () => {
  let privateJob: Hex;

  test('default: a job reads a sealed secret and a private input; its encrypted result opens only for the client', async () => {
    const specPath = join(dir, 'spec.json');
    writeFileSync(
      specPath,
      JSON.stringify(
        scriptSpec(
          [
            'echo "token=$HF_TOKEN" > /out/token.txt',
            'cat /in/data.csv > /out/data.txt',
            // Private output on stdout: its live log must not reach the API in clear.
            'echo "rows: $(wc -l < /in/data.csv)"',
            "tr '\\0' '\\n' < /proc/1/environ > /out/pid1-environ.txt",
            'sleep 4',
          ].join('; '),
          { sealed: { env: ['HF_TOKEN'], privateInputs: ['data.csv'], privateResult: true } },
        ),
      ),
    );
    writeFileSync(join(dir, 'token'), `${SECRET}\n`);
    writeFileSync(join(dir, 'auth'), HEADER_TOKEN);
    const post = await runLoom(
      ['job', 'post', specPath, '--budget', '0.01', '--secret', `HF_TOKEN=@${join(dir, 'token')}`, '--private-input', `data.csv=${dataUrl}`, '--private-input-header', `Authorization: @${join(dir, 'auth')}`, '--json'],
      loomEnv(),
      150_000,
    );
    expect(post.code, post.stderr).toBe(0);
    const posted = JSON.parse(post.stdout);
    privateJob = posted.jobId;
    expect(posted.sealed).toHaveLength(1);
    expect(posted.sealed[0].worker.toLowerCase()).toBe(worker.address);

    // Beside it, another job probes every environment and file it can reach for the secret.
    const probe = await m.post({
      client: OTHER_CLIENT,
      spec: scriptSpec(
        [
          'for p in /proc/[0-9]*; do tr "\\0" "\\n" < $p/environ; tr "\\0" " " < $p/cmdline; echo; done > /out/proc.txt 2>&1',
          'env > /out/env.txt',
          // Spelled apart so that the probe's own command line does not match.
          'grep -rsl -- "Sup3r""S3cret" /tmp /etc /in /usr/local > /out/grep.txt 2>/dev/null || true',
        ].join('; '),
      ),
      budget: parseEther('0.01'),
    });

    const j = await m.jobIn(privateJob, 'SUBMITTED', 120_000);
    const p = await m.jobIn(probe.id, 'SUBMITTED', 120_000);

    // Its live log went out sealed to the client's key: the API holds no clear text; the client opens it.
    const sealedLog = await runLoom(['job', 'logs', privateJob], loomEnv());
    expect(sealedLog.code, sealedLog.stderr).toBe(0);
    expect(sealedLog.stdout).not.toContain('rows:');
    expect(sealedLog.stderr).toMatch(/sealed to the client's key: --decrypt opens them/);
    const openedLog = await runLoom(['job', 'logs', privateJob, '--decrypt'], loomEnv());
    expect(openedLog.code, openedLog.stderr).toBe(0);
    expect(openedLog.stdout).toBe('rows: 2\n');
    const strangerLog = await runLoom(['job', 'logs', privateJob, '--decrypt'], loomEnv(OTHER_CLIENT));
    expect(strangerLog.stdout).not.toContain('rows:');
    expect(strangerLog.stderr).toMatch(/this key does not open them/);

    // The stored result is ciphertext: not the bytes the on-chain hash names, no secret or data in it.
    const stored = Buffer.from(await (await fetch(`${m.artifactUrl}/artifacts/0x${String(j.resultURI).replace('artifact://', '')}`)).arrayBuffer());
    expect(`0x${createHash('sha256').update(stored).digest('hex')}`).not.toBe(j.resultHash);
    expect(stored.includes(SECRET)).toBe(false);
    expect(stored.includes('private row')).toBe(false);

    // The client opens it, and it is the plaintext the on-chain hash names.
    const out = join(dir, 'result.tar');
    const got = await runLoom(['job', 'result', privateJob, '-o', out, '--json'], loomEnv());
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ verified: true, resultHash: j.resultHash });
    expect(execFileSync('tar', ['-xOf', out, 'token.txt'], { encoding: 'utf8' })).toBe(`token=${SECRET}\n`);
    expect(execFileSync('tar', ['-xOf', out, 'data.txt'], { encoding: 'utf8' })).toBe(DATA);
    // The job's PID 1 holds the job's own environment, nothing of the worker's.
    const pid1 = execFileSync('tar', ['-xOf', out, 'pid1-environ.txt'], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split('=')[0]).sort();
    expect(pid1).toEqual(['HF_TOKEN', 'HOME', 'LANG', 'PATH']);
    // The input server saw the header, and only the worker and the CLI asked.
    expect(hits.every((h) => h.auth === HEADER_TOKEN)).toBe(true);

    // Another key cannot open it, and says why.
    const other = await runLoom(['job', 'result', privateJob, '-o', join(dir, 'other.tar')], loomEnv(OTHER_CLIENT));
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/private to the job's client/);

    // The probe beside it found nothing.
    const probeTar = join(dir, 'probe.tar');
    writeFileSync(probeTar, Buffer.from(await (await fetch(`${m.artifactUrl}/artifacts/${p.resultHash}`)).arrayBuffer()));
    expect(execFileSync('tar', ['-xOf', probeTar], { encoding: 'utf8' })).not.toContain('Sup3rS3cret');
  });

  test('probe: the secret is in no log, no file of the worker, and not on-chain in clear', async () => {
    const logs = worker.output.join('');
    for (const s of [SECRET, HEADER_TOKEN, 'private-dataset-key', 'private row']) expect(logs).not.toContain(s);
    expect(logged('sealed bundle opened', privateJob)).toBe(true);
    // grep exits 1 when nothing matches: the worker's data directory (state, inputs, images, jobs).
    for (const s of [SECRET, 'private-dataset-key']) {
      let status = 0;
      try {
        execFileSync('grep', ['-r', '-l', '-a', s, dataDir]);
      } catch (err) {
        status = (err as { status: number }).status;
      }
      expect(status).toBe(1);
    }
    const events = await m.gql(`query($id: ID!) { jobEvents(filter: { jobId: $id }, first: 100) { edges { node { name args } } } }`, { id: privateJob });
    const sent = events.jobEvents.edges.map((e: { node: { name: string; args: unknown } }) => e.node).filter((n: { name: string }) => n.name === 'SealedBundleSent');
    expect(sent).toHaveLength(1);
    const onChain = JSON.stringify(sent);
    expect(onChain).not.toContain(Buffer.from(SECRET).toString('hex'));
    expect(onChain).not.toContain(SECRET);
  });

  test('error: a bundle for another job and a stranger\'s bundle are refused at no cost; with none usable the worker returns the job: RETURNED, the client refunded, the stake whole', async () => {
    const workerRecord = async () =>
      (await m.gql(`query($a: Address!) { worker(address: $a) { stake locked slashCount jobsReturned } }`, { a: worker.address })).worker as {
        stake: string;
        locked: string;
        slashCount: number;
        jobsReturned: number;
      };
    const clientCredits = () => m.pub.readContract({ address: m.market, abi: loomMarketAbi, functionName: 'credits', args: [zeroAddress, m.address(CLIENT)] });
    const before = await workerRecord();
    const creditsBefore = await clientCredits();
    const collateral = parseEther('0.05');
    const job = await m.post({
      client: CLIENT,
      spec: scriptSpec('echo "$HF_TOKEN" > /out/t.txt', { sealed: { env: ['HF_TOKEN'] } }),
      budget: parseEther('0.01'),
      collateral,
    });
    const assigned = await m.jobIn(job.id, 'ASSIGNED', 60_000);
    const sealing = await m.gql(`query($id: ID!) { job(id: $id) { assignee { encryptionKey } } }`, { id: job.id });
    const key = sealing.job.assignee.encryptionKey as Hex;
    expect(assigned.worker.toLowerCase()).toBe(worker.address);
    const startBlock = (await m.pub.getBlockNumber({ cacheTime: 0 })) + 1n;

    // Sealed by the client, but for the private job above: replayed here it does not open.
    const replayed = sealSecrets({ secrets: { env: { HF_TOKEN: SECRET }, privateInputs: [], registryAuth: [] }, to: key, context: { chainId: 31337, jobId: privateJob, recipient: worker.address } });
    const d1 = sealedDelivery(replayed);
    await m.send(CLIENT, 'sendSealed', [job.id, worker.address, d1.bundleHash, d1.inlineBundle, d1.uri]);
    // A good bundle, but sent by a stranger: the API does not list it, the worker never sees it.
    const stranger = sealSecrets({ secrets: { env: { HF_TOKEN: 'x' }, privateInputs: [], registryAuth: [] }, to: key, context: { chainId: 31337, jobId: job.id, recipient: worker.address } });
    const d2 = sealedDelivery(stranger);
    await m.send(OTHER_CLIENT, 'sendSealed', [job.id, worker.address, d2.bundleHash, d2.inlineBundle, d2.uri]);

    await waitFor('the replayed bundle refused', () => worker.lines.some((l) => l.msg === 'sealed bundle refused; waiting for another' && l.jobId === job.id && /does not open/.test(String(l.reason))), 30_000);
    await waitFor('the job given up', () => logged('giving the job up without a result: it expects sealed secrets and none usable arrived', job.id), 60_000);
    await waitFor('the job returned', () => logged('job returned to its client: price refunded, collateral unlocked', job.id), 60_000);
    const returnedLine = worker.lines.find((l) => l.msg === 'job returned to its client: price refunded, collateral unlocked' && l.jobId === job.id);
    expect(String(returnedLine!.reason)).toMatch(/no usable sealed bundle arrived \(the last was refused: .*does not open/);
    const refusal = worker.lines.find((l) => l.msg === 'sealed bundle refused; waiting for another' && l.jobId === job.id);
    expect(String(refusal!.reason)).not.toContain(SECRET);
    const listed = await m.gql(`query($id: ID!) { job(id: $id) { sealedBundles { bundleHash } } }`, { id: job.id });
    expect(listed.job.sealedBundles.map((b: { bundleHash: string }) => b.bundleHash)).toEqual([d1.bundleHash]);

    // One transaction about it, the return (it still settles its other jobs): nothing else spent on it.
    const closed = await m.jobIn(job.id, 'CLOSED', 60_000);
    await m.synced();
    expect(await m.callsAboutJob(worker.address, job.terms.specHash, startBlock)).toEqual(['returnJob']);

    // The client has the price back, the worker paid and was slashed nothing, and its stake is whole.
    expect(closed).toMatchObject({ closeReason: 'RETURNED', workerPayout: '0', fee: '0', clientRefund: closed.price, slashed: '0' });
    expect(await clientCredits()).toBe(creditsBefore + BigInt(closed.price));
    const after = await workerRecord();
    expect(after).toEqual({ stake: before.stake, locked: before.locked, slashCount: before.slashCount, jobsReturned: before.jobsReturned + 1 });
    const [stake, locked] = await m.pub.readContract({ address: m.registry, abi: loomRegistryAbi, functionName: 'workers', args: [worker.address] });
    expect([stake.toString(), locked.toString()]).toEqual([before.stake, before.locked]);
    expect(worker.output.join('')).not.toContain(SECRET);
  });
});
