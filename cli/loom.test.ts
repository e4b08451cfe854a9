/**
 * The `loom` binary end to end, as a user runs it: each command is the real cli/loom.ts started as a
 * child process (its shebang, its exit code, its stdout and stderr), against a real stack: anvil
 * with the contracts, Ponder serving the API and its artifact store, and a real worker started with
 * `loom worker start` (the worker's own CLI behind it).
 *
 * - A claim job posted from a spec file: `job show` and `job list` reflect it.
 * - Cancelled twice: the second is refused with the contract's error name, and sends nothing;
 *   `job withdraw` pulls the refund.
 * - `job return` as a job's assigned worker (its key as LOOM_CLIENT_KEY): refused for the client and
 *   a second time, sending nothing; the job ends RETURNED, the client refunded, and `loom worker status`
 *   shows the stake whole and the return counted.
 * - An image job posted with `--image` alone: `job show` names the image and its default command.
 * - A direct offer (`--offer-to`): `job show` names the worker, `job list --offered-to`, `--mode direct`
 *   and `--takable-by` find it, or not.
 * - Bad input (a missing spec, a bad budget, an invalid spec, a tag-only image, no key, an unknown flag,
 *   `--mode direct` without `--offer-to`): a clear
 *   message, a non-zero exit code, and not one transaction.
 * - A replicated job (`--replicas 3 --quorum 2`): bad n and k refused before anything is sent, the
 *   escrow (3 × the price) printed before the post, `job show` following three workers (acting through
 *   the SDK) through slots, commits and reveals, `job finalize` settling it with a quorum, `cancel` on
 *   another one, and `job withdraw` pulling credits from both markets.
 * - An auction paid in tUSDC (approved first) on an input uploaded with `job upload` (signed with the
 *   client key; the same bytes unsigned are refused): the worker bids, `accept-bid` takes the lowest bid,
 *   the worker runs the job, `job result` downloads it and verifies its hash (and refuses a tampered
 *   artifact, writing nothing), `release` pays the worker, and `job watch` followed it all live.
 * - An image job: a busybox image built here and pushed to a local registry (Debian's docker-registry
 *   on loopback, on the worker's allow-list), posted from a spec file with `--image ref@sha256:…`; the
 *   worker pulls it and runs the command in it with the image's Env, `job result` verifies the
 *   download against the on-chain hash, and the bundle holds the output and `.loom/run.json` (the
 *   reference and the manifest digest pulled).
 * - `index digest` equals the digest of `index replay` (a fresh indexer replaying from genesis), on
 *   PostgreSQL when DATABASE_URL is set, else on PGlite.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Deployment } from '../sdk/chain/deploymentRecord';
import { createDatabase } from '../testkit/database';
import { type PushedImage, busyboxImage, layerDigests, pushImage } from '../testkit/images';
import { type Registry, startRegistry } from '../testkit/registry';
import { accountOf, keyOf } from '../testkit/accounts';
import type { Indexer } from '../testkit/indexer';
import { root } from '../testkit/root';
import { type Stack, startStack } from '../testkit/stack';
import { LOOM_BIN, type LoomRun, loomProcessEnv, runLoom } from '../testkit/loomCli';
import { keccak256, parseEther, stringToHex, toHex, type Hex } from 'viem';
import { resultCommitment } from '../sdk/replication';
import { toReplicatedTerms } from '../sdk/replicatedTerms';
import { tempDir } from '../testkit/tempDir';
import { waitFor as poll } from '../testkit/waitFor';
import { type WorkerProcess, startWorker } from '../testkit/workers';

const LOOM = LOOM_BIN;
const CLIENT = 1;
const WORKER = 5;

type Run = LoomRun;

let stack: Stack;
let anvil: { rpcUrl: string };
let ponder: Indexer;
let deployment: Deployment;
let deploymentFile: string;
let workDir: string;
let worker: WorkerProcess | undefined;
let registry: Registry;
let image: PushedImage;

/** The environment `loom` gets: only what a user would set (no DATABASE_URL: the replay runs on PGlite). */
const loomEnv = (extra: Record<string, string | undefined> = {}) => ({
  LOOM_API_URL: ponder.url,
  LOOM_RPC_URL: anvil.rpcUrl,
  LOOM_DEPLOYMENT_FILE: join(root, deploymentFile),
  LOOM_CLIENT_KEY: keyOf(CLIENT),
  ...extra,
});

/** Runs the real binary (through its shebang) and collects what it printed. */
const loom = (args: string[], extra: Record<string, string | undefined> = {}, timeoutMs = 90_000): Promise<Run> => runLoom(args, loomEnv(extra), timeoutMs);

/** `loom … --json`, expecting success; the parsed stdout. */
// biome-ignore lint: JSON read field by field in assertions.
async function loomJson(args: string[]): Promise<any> {
  const r = await loom([...args, '--json']);
  if (r.code !== 0) throw new Error(`loom ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const rpc = <T>(method: string, params: unknown[] = []): Promise<T> => stack.rpc<T>(method, params);

const nonceOf = async (i: number) => Number(await rpc<string>('eth_getTransactionCount', [accountOf(i).address, 'latest']));

// biome-ignore lint: test responses are read field by field.
async function gql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(`${ponder.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return ((await res.json()) as { data: unknown }).data;
}

/** testkit's waitFor, every 200 ms, for a minute by default; the worker's output is in the teardown's log tails. */
const waitFor = <T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> => poll(what, check, timeoutMs, 200);

function specFile(name: string, spec: unknown): string {
  const path = join(workDir, name);
  writeFileSync(path, `${JSON.stringify(spec, null, 2)}\n`);
  return path;
}

beforeAll(async () => {
  workDir = tempDir('cli-test');
  const pushed = (async () => {
    registry = await startRegistry();
    // Its Env reaches the job; its Cmd is replaced by the spec's command.
    const built = await busyboxImage(workDir, 'v1', { env: ['PATH=/bin', 'GREETING=hello from the image'], cmd: ['sh', '-c', 'echo default'] });
    image = await pushImage(registry, built, 'loom/cli-test');
  })();
  stack = await startStack({ name: 'cli', indexer: { schema: 'cli_test', artifactDir: join(workDir, 'artifacts') } });
  ({ anvil, deployment, deploymentFile, ponder } = stack);
  await pushed;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('loom', () => {
  let claimJob: string;

  test('default: job post (claim) from a spec file; job show and job list reflect it', async () => {
    const spec = specFile('claim.json', { version: 1, script: 'echo claim > /out/claim.txt', resources: { timeoutSeconds: 30, memoryMiB: 256 } });
    const posted = await loomJson(['job', 'post', spec, '--budget', '0.5', '--token', 'eth', '--mode', 'claim', '--open-for', '1h', '--execution-timeout', '30m', '--challenge-window', '10m']);
    expect(posted.jobId).toMatch(/^0x[0-9a-f]{64}$/);
    expect(posted.indexed).toBe(true);
    expect(posted.terms.budget).toBe('500000000000000000');
    claimJob = posted.jobId;

    const shown = await loomJson(['job', 'show', claimJob]);
    expect(shown.job).toMatchObject({ id: claimJob, status: 'OPEN', terms: { mode: 'CLAIM', budget: '500000000000000000', executionTimeout: 1800, challengeWindow: 600, specHash: posted.specHash } });
    // The spec posted is the file's JSON, compacted: the API parses it back to the same value.
    expect(shown.job.specJson).toEqual(JSON.parse(readFileSync(spec, 'utf8')));
    expect(shown.events.map((e: { name: string }) => e.name)).toEqual(['JobPosted']);

    const listed = await loomJson(['job', 'list', '--status', 'open']);
    expect(listed.jobs.map((j: { id: string }) => j.id)).toContain(claimJob);
    const table = await loom(['job', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+STATUS\s+MODE\s+BUDGET/);
    expect(table.stdout).toContain(`${claimJob}  OPEN`);
    expect(table.stdout).toContain('0.5 ETH');
  });

  test('error: cancel twice; the second is refused with the revert name and sends nothing', async () => {
    const first = await loomJson(['job', 'cancel', claimJob]);
    expect(first).toMatchObject({ jobId: claimJob, action: 'cancel', indexed: true });
    expect((await loomJson(['job', 'show', claimJob])).job).toMatchObject({ status: 'CLOSED', closeReason: 'CANCELLED' });

    const nonce = await nonceOf(CLIENT);
    const second = await loom(['job', 'cancel', claimJob]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/cancelJob refused \(nothing was sent\): UnexpectedStatus\(0x[0-9a-f]{64}, Open, Closed\)/);
    const json = await loom(['job', 'cancel', claimJob, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'TX_FAILED', revert: { name: 'UnexpectedStatus' } });
    expect(await nonceOf(CLIENT)).toBe(nonce);

    // The refund is credited, not sent: withdraw pulls it.
    const withdrawn = await loomJson(['job', 'withdraw']);
    expect(withdrawn.withdrawn).toMatchObject([{ token: '0x0000000000000000000000000000000000000000', amount: '500000000000000000' }]);
  });

  test('behavior: job return as the assigned worker: refused for anyone else and twice, sending nothing; the client refunded, the stake whole, the return counted', async () => {
    const RETURNER = 3;
    const returner = stack.writer(RETURNER);
    await returner.register(stack.claim(), parseEther('1'));
    // One GPU at least: the daemon started later (no GPU here) never takes it.
    const posted = await stack.writer(CLIENT).postJob({ terms: await stack.jobParams({ minGpuCount: 1, collateral: parseEther('0.1') }), spec: { version: 1, script: 'true' } });
    await returner.claimJob(posted.terms);
    const id = posted.jobId;

    const clientNonce = await nonceOf(CLIENT);
    const byClient = await loom(['job', 'return', id]);
    expect(byClient.code).toBe(1);
    expect(byClient.stderr).toMatch(/returnJob refused \(nothing was sent\): NotAssignedWorker\(0x[0-9a-f]{64}, 0x[0-9a-fA-F]{40}\)/);
    expect(await nonceOf(CLIENT)).toBe(clientNonce);

    const asWorker = { LOOM_CLIENT_KEY: keyOf(RETURNER) };
    const returned = await loom(['job', 'return', id, '--json'], asWorker);
    expect(returned.code, returned.stderr).toBe(0);
    expect(JSON.parse(returned.stdout)).toMatchObject({ jobId: id, action: 'return', indexed: true });
    expect((await loomJson(['job', 'show', id])).job).toMatchObject({ status: 'CLOSED', closeReason: 'RETURNED', workerPayout: '0', fee: '0', clientRefund: posted.terms.budget.toString(), slashed: '0' });

    const workerNonce = await nonceOf(RETURNER);
    const again = await loom(['job', 'return', id], asWorker);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/returnJob refused \(nothing was sent\): UnexpectedStatus\(0x[0-9a-f]{64}, Assigned, Closed\)/);
    expect(await nonceOf(RETURNER)).toBe(workerNonce);

    // The stake is whole and unlocked, and the return is on the worker's public record.
    const status = await loom(['worker', 'status', '--address', accountOf(RETURNER).address, '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ stake: parseEther('1').toString(), locked: '0', jobsReturned: 1 });
  });

  test("behavior: job post --image alone: the image's default command, show names the image (digest shortened)", async () => {
    const image = `busybox:1.36@sha256:${'0123456789abcdef'.repeat(4)}`;
    const posted = await loomJson(['job', 'post', '--image', image, '--budget', '0.01', '--execution-timeout', '2h']);
    expect(posted).toMatchObject({ indexed: true, image: `docker.io/library/${image}` });
    const shown = await loom(['job', 'show', posted.jobId]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^runs\s+\(the image's default command\)$/m);
    expect(shown.stdout).toMatch(/^runs in\s+image docker\.io\/library\/busybox:1\.36@sha256:0123456789ab…$/m);
    expect((await loomJson(['job', 'show', posted.jobId])).job.specJson).toEqual({ version: 1, image });
    // Closed again, so the worker started below never sees it open.
    await loomJson(['job', 'cancel', posted.jobId]);
  });

  test('behavior: job post --offer-to: a direct offer; show names the worker, list finds it by --offered-to and --mode direct', async () => {
    const spec = specFile('direct.json', { version: 1, script: 'true', resources: { timeoutSeconds: 30 } });
    const offeredTo = accountOf(3).address;
    const posted = await loomJson(['job', 'post', spec, '--budget', '0.02', '--offer-to', offeredTo.toLowerCase()]);
    expect(posted).toMatchObject({ indexed: true, terms: { mode: 2, offeredTo } });
    const id = posted.jobId;

    const shown = await loom(['job', 'show', id]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^mode\s+DIRECT$/m);
    expect(shown.stdout).toMatch(new RegExp(`^offered to\\s+${offeredTo}$`, 'im'));
    expect((await loomJson(['job', 'show', id])).job.terms).toMatchObject({ mode: 'DIRECT', offeredTo: offeredTo.toLowerCase() });

    const ids = async (args: string[]) => (await loomJson(['job', 'list', ...args])).jobs.map((j: { id: string }) => j.id);
    expect(await ids(['--offered-to', offeredTo])).toEqual([id]);
    expect(await ids(['--mode', 'direct'])).toEqual([id]);
    expect(await ids(['--offered-to', accountOf(WORKER).address])).toEqual([]);
    expect(await ids(['--takable-by', offeredTo, '--status', 'open'])).toContain(id);
    expect(await ids(['--takable-by', accountOf(WORKER).address, '--status', 'open'])).not.toContain(id);
    // Closed again, so the worker started below never sees it open.
    await loomJson(['job', 'cancel', id]);
  });

  test('error: bad input is named, exits non-zero, and costs no transaction', async () => {
    const nonce = await nonceOf(CLIENT);
    const good = specFile('good.json', { version: 1, script: 'true', resources: { timeoutSeconds: 30 } });
    const cases: [args: string[], code: number, message: RegExp, env?: Record<string, string | undefined>][] = [
      [['job', 'post', join(workDir, 'missing.json'), '--budget', '1'], 1, /spec file .*missing\.json: no such file/],
      [['job', 'post', good, '--budget', 'abc'], 1, /--budget: "abc" is not an amount of ETH/],
      [['job', 'post', good, '--budget', '0'], 1, /--budget must be more than zero/],
      [['job', 'post', good], 1, /--budget is required/],
      [['job', 'post', good, '--budget', '1', '--open-for', 'soon'], 1, /--open-for: "soon" is not a duration/],
      [['job', 'post', good, '--budget', '1', '--execution-timeout', '1m'], 1, /shorter than the spec's run timeout/],
      [['job', 'post', specFile('bad.json', { version: 1, script: 'true', gpus: 1 }), '--budget', '1'], 1, /not a valid job spec: unknown field: gpus/],
      [['job', 'post', good, '--budget', '1', '--token', 'doge'], 1, /no allowed token is called "doge"/],
      [['job', 'post', good, '--budget', '1', '--mode', 'direct'], 1, /--offer-to is needed for a DIRECT job: the worker it is offered to/],
      [['job', 'post', good, '--budget', '1', '--offer-to', 'bob'], 1, /--offer-to: "bob" is not a worker's address/],
      [['job', 'post', good, '--budget', '1', '--mode', 'auction', '--offer-to', accountOf(3).address], 1, /--offer-to makes a DIRECT job, not AUCTION/],
      [['job', 'list', '--offered-to', 'bob'], 1, /--offered-to: "bob" is not an address/],
      [['job', 'post', good, '--budget', '1'], 1, /no client key: set LOOM_CLIENT_KEY/, { LOOM_CLIENT_KEY: undefined }],
      [['job', 'post', good, '--budjet', '1'], 2, /Unknown option '--budjet'[\s\S]*Usage: loom job post/],
      [['job', 'post', '--budget', '1'], 2, /missing the spec file \(or --image/],
      [['job', 'post', '--image', 'busybox:1.36', '--budget', '1'], 1, /--image: "busybox:1.36" is not pinned by digest: a tag can point to other content/],
      [['job', 'post', good, '--image', `busybox@sha256:${'AB'.repeat(32)}`, '--budget', '1'], 1, /--image: the digest must be sha256: followed by 64 lowercase hex/],
      [['job', 'show', '0x1234'], 1, /"0x1234" is not a job id/],
      [['job', 'show', `0x${'ab'.repeat(32)}`], 1, /no job 0x(ab){32}/],
      [['job', 'frobnicate'], 2, /unknown job command "frobnicate"/],
    ];
    // Four at a time: each is a process start (tsx compiles on the fly), and none sends anything.
    for (let i = 0; i < cases.length; i += 4) {
      await Promise.all(
        cases.slice(i, i + 4).map(async ([args, code, message, env]) => {
          const r = await loom(args, env);
          expect({ args, code: r.code, stderr: r.stderr }).toMatchObject({ code, stderr: expect.stringMatching(message) });
        }),
      );
    }
    const json = await loom(['job', 'post', good, '--budget', 'abc', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'BAD_INPUT', message: '--budget: "abc" is not an amount of ETH (e.g. 0.5)' } });
    expect(await nonceOf(CLIENT)).toBe(nonce);
  });

  test('behavior: a replicated job: refused n and k, the escrow before the post, slots followed by show, finalize, withdraw from both markets', async () => {
    const spec = specFile('replicated.json', { version: 1, script: 'echo same > /out/answer.txt', resources: { timeoutSeconds: 30, memoryMiB: 256 } });
    const nonce = await nonceOf(CLIENT);
    const refused: [string[], string | RegExp][] = [
      [['--replicas', '1'], '--replicas must be a whole number from 2 to 7'],
      [['--replicas', '8'], '--replicas must be a whole number from 2 to 7'],
      [['--replicas', '4', '--quorum', '2'], '--quorum must be more than half of the 4 replicas and at most 4: 3 to 4'],
      [['--replicas', '3', '--quorum', '4'], /--quorum must be more than half of the 3 replicas/],
      [['--quorum', '2'], '--quorum is for replicated jobs: add --replicas <n>'],
      [['--replicas', '3', '--mode', 'auction'], /--mode does not apply to a replicated job/],
      [['--replicas', '3', '--commit-window', '1m'], /--commit-window is shorter than the spec's run timeout/],
    ];
    for (let i = 0; i < refused.length; i += 4) {
      await Promise.all(
        refused.slice(i, i + 4).map(async ([extra, message]) => {
          const r = await loom(['job', 'post', spec, '--budget', '0.01', ...extra]);
          expect({ extra, code: r.code, stderr: r.stderr }).toMatchObject({ code: 1, stderr: expect.stringMatching(message) });
        }),
      );
    }
    expect(await nonceOf(CLIENT)).toBe(nonce);

    // --budget is one replica's price: three of them are escrowed, and said so before anything is sent.
    const args = ['job', 'post', spec, '--replicas', '3', '--quorum', '2', '--budget', '0.01', '--collateral', '0.05', '--open-for', '10m', '--commit-window', '1h', '--reveal-window', '1h'];
    const run = await loom([...args, '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('loom: escrowing 3 × 0.01 ETH = 0.03 ETH (3 replicas at the --budget price each, quorum 2)');
    const posted = JSON.parse(run.stdout);
    expect(posted).toMatchObject({ kind: 'REPLICATED', escrow: '30000000000000000', indexed: true, terms: { price: '10000000000000000', replicas: 3, quorum: 2, commitWindow: 3600, revealWindow: 3600 } });
    const id: Hex = posted.jobId;

    const open = await loomJson(['job', 'show', id]);
    expect(open.job).toMatchObject({ id, kind: 'REPLICATED', status: 'OPEN', replicas: 3, quorum: 2, slotsFilled: 0, slots: [] });
    expect(open.replication).toMatchObject({ phase: 'TAKING_SLOTS', label: 'Taking slots: 0 of 3' });
    // A single job's step on a replicated job is refused by name, before anything is sent.
    const release = await loom(['job', 'release', id]);
    expect(release).toMatchObject({ code: 1, stderr: expect.stringContaining(`job ${id} is a replicated job (its steps: cancel, finalize): release does not apply to it`) });

    // Three workers, as a daemon would: each takes a slot, commits a sealed hash, then reveals it.
    const workers = [4, 6, 7].map((i) => stack.writer(i));
    for (const w of workers) await w.register(stack.claim(), parseEther('1'));
    const terms = toReplicatedTerms(open.job.replicatedTerms);
    const answers = [keccak256(stringToHex('same')), keccak256(stringToHex('same')), keccak256(stringToHex('other'))];
    const salt = (i: number) => keccak256(toHex(`cli-salt-${i}`));
    for (const w of workers) await w.takeSlot(terms);
    for (const [i, w] of workers.entries()) await w.commitResult(terms, i, resultCommitment(id, w.address, answers[i]!, salt(i)));
    await stack.synced();
    const committed = await loom(['job', 'show', id]);
    expect(committed.stdout).toMatch(/^phase\s+Revealing: 0 of 3$/m);
    expect(committed.stdout).toMatch(/^progress\s+3 of 3 slots taken, 3 committed, 0 revealed$/m);
    for (const [i, w] of workers.entries()) await w.revealResult(terms, i, answers[i]!, salt(i), `artifact://${answers[i]!.slice(2)}`);
    await stack.synced();
    const revealed = await loom(['job', 'show', id]);
    expect(revealed.stdout).toMatch(/^phase\s+Ready to finalize: every slot revealed$/m);
    for (const w of workers) expect(revealed.stdout).toMatch(new RegExp(`^\\s*\\d\\s+${w.address}\\s+REVEALED \\(revealed\\)`, 'mi'));

    expect(await loomJson(['job', 'finalize', id])).toMatchObject({ jobId: id, action: 'finalize', indexed: true });
    const closed = await loomJson(['job', 'show', id]);
    expect(closed.job).toMatchObject({ status: 'CLOSED', outcome: 'QUORUM_REACHED', resultHash: answers[0], clientSlashShare: '25000000000000000' });
    expect(closed.job.slots.map((s: { verdict: string }) => s.verdict)).toEqual(['AGREED', 'AGREED', 'DISAGREED']);
    expect(closed.replication.phase).toBe('CLOSED');
    const table = await loom(['job', 'show', id]);
    expect(table.stdout).toMatch(/^status\s+CLOSED \(QUORUM_REACHED\)$/m);
    expect(table.stdout).toMatch(/^slashed\s+0\.05 ETH \(each agreeing worker \+0\.0125 ETH, client \+0\.025 ETH\)$/m);

    // Another one, cancelled before any slot is taken: its 0.03 ETH is credited in the replicated market.
    const other = await loomJson([...args, '--salt', '7']);
    expect(await loomJson(['job', 'cancel', other.jobId])).toMatchObject({ action: 'cancel', indexed: true });
    expect((await loomJson(['job', 'show', other.jobId])).job).toMatchObject({ status: 'CLOSED', outcome: 'CANCELLED' });
    // And a single job cancelled: a credit in the other market.
    const single = await loomJson(['job', 'post', spec, '--budget', '0.02']);
    await loomJson(['job', 'cancel', single.jobId]);

    const withdrawn = await loomJson(['job', 'withdraw']);
    const byKind = Object.fromEntries(withdrawn.withdrawn.map((w: { kind: string; amount: string }) => [w.kind, w.amount]));
    expect(Object.keys(byKind).sort()).toEqual(['market', 'replicated']);
    // The cancelled job's 0.03 ETH and the client's 0.025 ETH share of the dissenter's collateral.
    expect(byKind.replicated).toBe(parseEther('0.055').toString());
    expect(BigInt(byKind.market)).toBeGreaterThanOrEqual(parseEther('0.02'));
    expect((await loomJson(['job', 'withdraw'])).withdrawn).toEqual([]);
  }, 180_000);

  test('behavior: an auction in tUSDC: bid, accept-bid, verified result (tampered rejected), release, watched live', async () => {
    // `loom worker start`: the worker's own CLI behind the user's binary.
    worker = await startWorker(
      { apiUrl: ponder.url, rpcUrl: anvil.rpcUrl, deploymentPath: join(root, deploymentFile), usdc: deployment.TestUSDC.address },
      WORKER,
      {
        command: [LOOM, 'worker', 'start'],
        env: {
          // 3.6 tUSDC per GPU-hour: a 30-second job is worth 0.03 tUSDC, the worker's bid.
          LOOM_MIN_PRICE_PER_GPU_HOUR: `${deployment.TestUSDC.address}=3600000`,
          // The test registry, on loopback: taken only with private inputs allowed.
          LOOM_ALLOWED_REGISTRIES: registry.host,
          LOOM_ALLOW_PRIVATE_INPUTS: 'true',
        },
      },
    );

    // The job's input, uploaded with `loom job upload` (signed with the client key); the store
    // refuses the same bytes unsigned.
    const data = join(workDir, 'data.txt');
    writeFileSync(data, 'auction-result\n');
    const sha = createHash('sha256').update('auction-result\n').digest('hex');
    const unsigned = await fetch(`${ponder.url}/artifacts/0x${sha}`, { method: 'PUT', body: 'auction-result\n' });
    expect(unsigned.status).toBe(401);
    expect((await loom(['job', 'upload', data, '--purpose', 'result'])).stderr).toMatch(/--purpose must be input or model/);
    const uploaded = await loomJson(['job', 'upload', data]);
    expect(uploaded).toEqual({ path: data, size: 15, sha256: sha, uri: `artifact://${sha}`, created: true, purpose: 'input' });
    expect(await (await fetch(`${ponder.url}/artifacts/0x${sha}`)).text()).toBe('auction-result\n');

    const spec = specFile('auction.json', {
      version: 1,
      script: 'cat /in/data.txt > /out/result.txt',
      inputs: [{ uri: uploaded.uri, sha256: sha, name: 'data.txt' }],
      resources: { timeoutSeconds: 30, memoryMiB: 256 },
    });
    const posted = await loomJson(['job', 'post', spec, '--budget', '5', '--token', 'usdc', '--mode', 'auction', '--open-for', '10m', '--execution-timeout', '5m', '--challenge-window', '1h']);
    const id: string = posted.jobId;
    // tUSDC has 6 decimals; the allowance was short, so the post approved first.
    expect(posted.terms.budget).toBe('5000000');
    expect(posted.terms.token).toBe(deployment.TestUSDC.address);
    expect(posted.approvalTxHash).toMatch(/^0x[0-9a-f]{64}$/);

    // The watch starts after the post: its history comes from a query, the rest live.
    const watch = spawn(LOOM, ['job', 'watch', id, '--json'], { cwd: root, env: loomProcessEnv(loomEnv()), stdio: ['ignore', 'pipe', 'pipe'] });
    let watched = '';
    watch.stdout.on('data', (d) => (watched += d));
    watch.stderr.on('data', (d) => (watched += d));
    const watchExit = new Promise<number | null>((r) => watch.on('exit', (code) => r(code)));

    await waitFor('the worker to bid', async () => (await gql('query($id: ID!) { job(id: $id) { activeBids } }', { id })).job.activeBids > 0);
    const accepted = await loomJson(['job', 'accept-bid', id]);
    expect(accepted.worker.toLowerCase()).toBe(accountOf(WORKER).address.toLowerCase());
    expect(accepted.price).toBe('30000');

    const submitted = await waitFor('the result', async () => {
      const { job } = await gql('query($id: ID!) { job(id: $id) { status resultHash resultURI } }', { id });
      return job.status === 'SUBMITTED' ? job : undefined;
    }, 120_000);
    expect(submitted.resultURI).toBe(`artifact://${submitted.resultHash.slice(2)}`);

    const out = join(workDir, 'result.tar');
    const result = await loomJson(['job', 'result', id, '-o', out]);
    expect(result).toMatchObject({ verified: true, sha256: submitted.resultHash, path: out });
    const entry = execFileSync('tar', ['-tf', out], { encoding: 'utf8' }).split('\n').find((n) => n.endsWith('result.txt'))!;
    expect(execFileSync('tar', ['-xOf', out, entry], { encoding: 'utf8' })).toBe('auction-result\n');

    // The store's bytes changed behind the hash: the download must not be accepted, nor written.
    const stored = join(workDir, 'artifacts', submitted.resultHash.slice(2, 4), submitted.resultHash.slice(2));
    const original = readFileSync(stored);
    writeFileSync(stored, Buffer.concat([original.subarray(0, 100), Buffer.from('tampered'), original.subarray(108)]));
    const tampered = await loom(['job', 'result', id, '-o', join(workDir, 'tampered.tar')]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/does not match the job's on-chain result hash/);
    expect(existsSync(join(workDir, 'tampered.tar'))).toBe(false);
    writeFileSync(stored, original);

    const released = await loomJson(['job', 'release', id]);
    expect(released).toMatchObject({ action: 'release', indexed: true });
    expect((await loomJson(['job', 'show', id])).job).toMatchObject({ status: 'CLOSED', closeReason: 'COMPLETED', price: '30000' });

    // Listed by the token's symbol and a price range in its unit: the agreed 0.03 tUSDC is within
    // 0.01 to 0.05, and not at or above 0.04.
    const ids = (r: { jobs: { id: string }[] }) => r.jobs.map((j) => j.id);
    expect(ids(await loomJson(['job', 'list', '--token', 'usdc', '--min-price', '0.01', '--max-price', '0.05']))).toContain(id);
    expect(ids(await loomJson(['job', 'list', '--token', 'usdc', '--min-price', '0.04']))).not.toContain(id);

    expect(await watchExit).toBe(0);
    const names = watched.trim().split('\n').map((l) => JSON.parse(l).event.name);
    expect(names).toEqual(['JobPosted', 'BidPlaced', 'JobAssigned', 'ResultSubmitted', 'JobClosed']);
  }, 240_000);

  test('behavior: an image job pulled from the local registry: run in the image, result verified, run record in the bundle', async () => {
    expect(image.text).toMatch(/^127\.0\.0\.1:\d+\/loom\/cli-test:v1@sha256:[0-9a-f]{64}$/);
    const spec = specFile('image.json', { version: 1, command: ['sh', '-c', 'echo "$GREETING" > /out/hello.txt'], resources: { timeoutSeconds: 30, memoryMiB: 256 } });
    const posted = await loomJson(['job', 'post', spec, '--image', image.text, '--budget', '0.05', '--mode', 'claim', '--execution-timeout', '5m']);
    const id: string = posted.jobId;
    expect(posted.image).toBe(image.text);
    const shown = await loom(['job', 'show', id]);
    expect(shown.stdout).toMatch(new RegExp(`^runs in\\s+image ${registry.host.replace(/\./g, '\\.')}/loom/cli-test:v1@sha256:${image.digest.slice(7, 19)}…$`, 'm'));

    const submitted = await waitFor('the image job\'s result', async () => {
      const { job } = await gql('query($id: ID!) { job(id: $id) { status worker resultHash } }', { id });
      return job.status === 'SUBMITTED' ? job : undefined;
    }, 120_000);
    expect(submitted.worker.toLowerCase()).toBe(accountOf(WORKER).address.toLowerCase());
    // Pulled from the registry by digest: the manifest, and each layer once.
    expect(registry.logs()).toContain(`"GET /v2/loom/cli-test/manifests/${image.digest} `);
    for (const layer of layerDigests(image)) expect(registry.blobGets(layer)).toBe(1);

    const out = join(workDir, 'image-result.tar');
    const result = await loomJson(['job', 'result', id, '-o', out]);
    expect(result).toMatchObject({ verified: true, sha256: submitted.resultHash, path: out });
    const entries = execFileSync('tar', ['-tf', out], { encoding: 'utf8' }).trim().split('\n');
    expect(entries).toEqual(['.loom/', '.loom/run.json', 'hello.txt']);
    expect(execFileSync('tar', ['-xOf', out, 'hello.txt'], { encoding: 'utf8' })).toBe('hello from the image\n');
    expect(JSON.parse(execFileSync('tar', ['-xOf', out, '.loom/run.json'], { encoding: 'utf8' }))).toEqual({
      loom: 'job-run',
      version: 1,
      image: { reference: image.text, manifestDigest: image.digest },
      gpus: [],
    });

    expect(await loomJson(['job', 'release', id])).toMatchObject({ action: 'release', indexed: true });
  }, 180_000);

  test('behavior: index digest equals the digest of a replay from genesis', async () => {
    // The worker withdraws its pay after the close: stop it so the chain is quiet, then compare.
    if (worker && worker.child.exitCode === null) {
      const exited = new Promise((r) => worker!.child.once('exit', r));
      worker.child.kill('SIGINT');
      await exited;
    }
    const head = Number(await rpc<string>('eth_blockNumber'));
    await ponder.waitForBlock(head);
    const live = await loomJson(['index', 'digest']);
    expect(live).toMatchObject({ scope: 'FULL', atBlock: String(head) });

    // On PostgreSQL when there is one (CI sets DATABASE_URL), in a database of its own: Ponder's
    // block cache is shared by every schema of a database (see indexer/run/ponderProcess.ts). Else PGlite.
    const db = process.env.DATABASE_URL ? await createDatabase(process.env.DATABASE_URL, 'loom_cli_test') : undefined;
    try {
      const replay = await loomJson(['index', 'replay', '--compare', ...(db ? ['--database-url', db.url, '--schema', 'cli_replay'] : [])]);
      expect(replay.replay.digest).toBe(live.digest);
      expect(replay.replay.atBlock).toBe(String(head));
      expect(replay.match).toBe(true);
    } finally {
      await db?.drop();
    }
  }, 180_000);
});
