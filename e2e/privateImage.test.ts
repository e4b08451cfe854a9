/**
 * A private image end to end (README: Private jobs; worker/image/README.md: Private images), with the
 * real `loom` CLI, a worker daemon running jobs in its bubblewrap sandbox, the indexer, the API, the
 * artifact store, and a real docker-registry that wants htpasswd (bcrypt) Basic auth for everything:
 *
 * - a job whose spec says `sealed: { registryAuth: true }` is posted with
 *   `--registry-login host=user:@file`; the worker claims it though its anonymous check of the
 *   manifest is refused, waits for the sealed bundle, pulls the image with the credentials in it and
 *   runs the job in the image;
 * - the image's manifest digest is public (the spec is on-chain), and the root is cached by it: a job
 *   of another client naming the same digest without credentials is refused before any transaction,
 *   and one with wrong credentials is claimed (it says its image is private) and fails at the image
 *   stage with the registry's refusal as its reason; neither runs in the cached root;
 * - the password is in no log of the worker, no file of its data directory, and not in the job's
 *   environment.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { busyboxImage, type PushedImage, pushImage } from '../testkit/images';
import { runLoom } from '../testkit/loomCli';
import { type Registry, startRegistry } from '../testkit/registry';
import { type Stack, startStack } from '../testkit/stack';
import { waitFor } from '../testkit/waitFor';
import type { WorkerProcess } from '../testkit/workers';
import { skipSandboxTests } from '../worker/test/sandboxAvailability';

const CLIENT = 2;
const OTHER_CLIENT = 3;
const WORKER = 7;
const USER = { username: 'team-puller', password: 'reg-pw-4f1e-Secret-Pull-Token' };

let m: Stack;
let worker: WorkerProcess;
let registry: Registry;
let image: PushedImage;
let dataDir: string;
let dir: string;

beforeAll(async () => {
  if (skipSandboxTests) return;
  const stack = startStack({ name: 'private-image', indexer: true, artifacts: true, jobDefaults: { executionTimeout: 300, challengeWindow: 3600 } });
  registry = await startRegistry({ users: [USER] });
  m = await stack;
  dir = mkdtempSync(join(m.workDir, 'client-'));
  image = await pushImage(registry, await busyboxImage(dir, 'private', { env: ['PATH=/bin', 'IMAGE_MARK=from the private image'] }), 'team/private');
  dataDir = mkdtempSync(join(m.workDir, 'worker-data-'));
  execFileSync('chmod', ['711', dataDir]);
  // A loopback registry is a private address: the worker is told it may reach one.
  worker = await m.startWorker(WORKER, { LOOM_ALLOWED_REGISTRIES: registry.host, LOOM_ALLOW_PRIVATE_INPUTS: 'true', LOOM_SEALED_WAIT_SECONDS: '30', LOOM_WORKER_DATA_DIR: dataDir });
}, 300_000);

afterAll(async () => {
  await m?.stop();
});

const loomEnv = (client = CLIENT) => m.cliEnv(client);

const imageSpec = (script: string, sealed?: object) => ({
  version: 1,
  image: image.text,
  script,
  resources: { memoryMiB: 256, timeoutSeconds: 30, outputMiB: 16 },
  ...(sealed ? { sealed } : {}),
});

/** Posts with the CLI, sealing `--registry-login` from a password file. */
async function postPrivate(client: number, password: string, script: string): Promise<Hex> {
  const specPath = join(dir, `spec-${client}.json`);
  writeFileSync(specPath, JSON.stringify(imageSpec(script, { registryAuth: true })));
  const pwFile = join(dir, `pw-${client}`);
  writeFileSync(pwFile, `${password}\n`);
  const post = await runLoom(['job', 'post', specPath, '--budget', '0.01', '--registry-login', `${registry.host}=${USER.username}:@${pwFile}`, '--json'], loomEnv(client), 150_000);
  expect(post.code, post.stderr).toBe(0);
  const posted = JSON.parse(post.stdout);
  expect(posted.sealed).toHaveLength(1);
  return posted.jobId as Hex;
}

describe.skipIf(skipSandboxTests)('private images', () => {
  test('default: a job with a private image runs in it, pulled with the credentials sealed to its worker', async () => {
    const jobId = await postPrivate(CLIENT, USER.password, ['echo "$IMAGE_MARK" > /out/mark.txt', 'cat /etc/os-release > /out/os.txt', "tr '\\0' '\\n' < /proc/1/environ > /out/environ.txt"].join('; '));
    const job = await m.jobIn(jobId, 'SUBMITTED', 120_000);
    // The anonymous check before the claim could not read it: taken on the spec's word.
    expect(worker.lines.some((l) => l.jobId === jobId && /private image \(sealed.registryAuth\)/.test(String(l.msg)))).toBe(true);
    const tar = join(dir, 'result.tar');
    writeFileSync(tar, Buffer.from(await (await fetch(`${m.artifactUrl}/artifacts/${job.resultHash}`)).arrayBuffer()));
    expect(execFileSync('tar', ['-xOf', tar, 'mark.txt'], { encoding: 'utf8' })).toBe('from the private image\n');
    expect(execFileSync('tar', ['-xOf', tar, 'os.txt'], { encoding: 'utf8' })).toContain('Loom test image');
    expect(execFileSync('tar', ['-xOf', tar, 'environ.txt'], { encoding: 'utf8' })).not.toContain(USER.password);
    expect(worker.lines.some((l) => l.jobId === jobId && l.msg === 'sealed bundle opened' && l.registryCredentials === 1)).toBe(true);
  }, 200_000);

  test('error: the cached private root reaches no job that cannot authenticate for it: anonymous refused before a claim, wrong credentials fail at the image stage', async () => {
    // Another client names the same (public) digest, without credentials: refused, left OPEN.
    const anonymous = await m.post({ client: OTHER_CLIENT, spec: imageSpec('echo stolen > /out/x.txt'), budget: 10n ** 16n });
    await waitFor('the anonymous job refused', () => worker.lines.some((l) => l.msg === 'job refused' && l.jobId === anonymous.id && l.reason === 'image_not_found'), 60_000);
    const refusal = worker.lines.find((l) => l.msg === 'job refused' && l.jobId === anonymous.id);
    expect(String(refusal!.detail)).toMatch(/refused anonymous access/);
    expect((await m.job(anonymous.id)).status).toBe('OPEN');

    // Wrong credentials: the job said its image is private, so it is claimed; the pull is refused.
    const wrong = await postPrivate(OTHER_CLIENT, 'not-the-password', 'echo stolen > /out/x.txt');
    await m.jobIn(wrong, 'SUBMITTED', 120_000);
    const failed = worker.lines.find((l) => l.jobId === wrong && l.msg === 'job failed; posting its failure report as the result');
    expect(failed).toMatchObject({ stage: 'image' });
    expect(String(failed!.reason)).toMatch(/refused the job's credentials for 127\.0\.0\.1:\d+/);
  }, 200_000);

  test('probe: the registry password is in no log and no file of the worker', () => {
    expect(worker.output.join('')).not.toContain(USER.password);
    expect(worker.output.join('')).not.toContain(Buffer.from(`${USER.username}:${USER.password}`).toString('base64'));
    let status = 0;
    try {
      execFileSync('grep', ['-r', '-l', '-a', USER.password, dataDir]);
    } catch (err) {
      status = (err as { status: number }).status;
    }
    expect(status).toBe(1); // grep: nothing matched
  });
});
