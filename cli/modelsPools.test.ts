/**
 * `loom model …`, `loom pool …` and `loom job post --model / --pool` end to end: the real cli/loom.ts
 * as a child process against anvil with the contracts and Ponder serving the API and its artifact
 * store.
 *
 * - model publish: files uploaded (the store serves the same bytes), a paid version and a second one
 *   following it, a free image model; retire.
 * - job post --model: the total (budget + fees) said before the post, the fees escrowed with the
 *   budget (the transaction's value); released, `model show` counts the use and the earnings, and
 *   `loom withdraw` pulls the royalty from the model hub; a retired model refused by name, sending nothing.
 * - model list: filters (kind, creator, search, retired) and orders (uses, earnings); model show.
 * - pool create / join (as a registered worker's key) / fee / approve / remove / leave / show / list;
 *   job post --pool (single and replicated), claimed by the member; refusals by the registry's error.
 * - Bad input for every new command: a clear message, a non-zero exit, and not one transaction.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { parseEther, type Hex } from 'viem';
import { accountOf } from '../testkit/accounts';
import { type LoomRun, runLoom } from '../testkit/loomCli';
import { type Stack, startStack } from '../testkit/stack';
import { tempDir } from '../testkit/tempDir';
import { toContractTerms } from '../sdk/jobTerms';

const CREATOR = 2;
const CLIENT = 1;
const OPERATOR = 3;
const MEMBER = 4;
const OTHER = 5;
const IMAGE = `registry.example.com/loom/vllm@sha256:${'cd'.repeat(32)}`;

let stack: Stack;
let workDir: string;
let specPath: string;

const loom = (args: string[], as = CLIENT): Promise<LoomRun> => runLoom(args, { ...stack.cliEnv(as) }, 90_000);

// biome-ignore lint: JSON read field by field in assertions.
async function loomJson(args: string[], as = CLIENT): Promise<any> {
  const r = await loom([...args, '--json'], as);
  if (r.code !== 0) throw new Error(`loom ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const nonceOf = (i: number) => stack.publicClient.getTransactionCount({ address: accountOf(i).address });

function file(name: string, text: string): string {
  const path = join(workDir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(async () => {
  workDir = tempDir('cli-models-pools');
  stack = await startStack({ name: 'cli_models_pools', indexer: { schema: 'cli_models_pools', artifactDir: join(workDir, 'artifacts') } });
  specPath = file('spec.json', JSON.stringify({ version: 1, script: 'echo hi', resources: { timeoutSeconds: 30, memoryMiB: 256 } }));
  await stack.writer(MEMBER).register(stack.claim(), parseEther('1'));
  await stack.writer(OTHER).register(stack.claim(), parseEther('1'));
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('loom model', () => {
  let paid: number;
  let free: number;

  test('default: publish uploads the files and records them; a second version follows; a free image model', async () => {
    const weights = file('model.bin', 'weights (cli test)\n');
    const tokenizer = file('tok.json', '{"vocab":3}\n');
    const first = await loomJson(
      ['model', 'publish', '--name', 'tiny-llm', '--version', '1', '--kind', 'weights', '--file', weights, '--file', `${tokenizer}:tokenizer/tokenizer.json`, '--license', 'https://example.com/LICENSE', '--fee', '0.01'],
      CREATOR,
    );
    expect(first.modelId).toBeGreaterThan(0);
    const sha = createHash('sha256').update('weights (cli test)\n').digest('hex');
    expect(first.model.files).toEqual([
      { path: 'model.bin', sha256: `0x${sha}`, size: '19' },
      { path: 'tokenizer/tokenizer.json', sha256: `0x${createHash('sha256').update('{"vocab":3}\n').digest('hex')}`, size: '12' },
    ]);
    expect(first.model.fee).toBe('10000000000000000');
    const stored = await fetch(`${stack.ponder.url}/artifacts/0x${sha}`);
    expect(await stored.text()).toBe('weights (cli test)\n');

    const second = await loomJson(
      ['model', 'publish', '--name', 'tiny-llm', '--version', '2', '--kind', 'weights', '--file', weights, '--license', 'https://example.com/LICENSE', '--fee', '0.02', '--previous', String(first.modelId)],
      CREATOR,
    );
    expect(second).toMatchObject({ modelId: first.modelId + 1, previous: first.modelId });
    paid = second.modelId;

    const image = await loom(['model', 'publish', '--name', 'vllm', '--version', '0.6', '--kind', 'image', '--image', IMAGE, '--license', 'https://example.com/apache-2.0'], CREATOR);
    expect(image.code).toBe(0);
    expect(image.stdout).toMatch(/^model\s+\d+$/m);
    expect(image.stdout).toMatch(/^fee\s+free$/m);
    free = Number(/^model\s+(\d+)$/m.exec(image.stdout)![1]);

    const retired = await loom(['model', 'retire', String(first.modelId)], CREATOR);
    expect(retired.code).toBe(0);
    expect(retired.stdout).toContain(`retired model ${first.modelId}`);
  });

  test('behavior: job post --model says the total first and escrows the budget plus the fees', async () => {
    const r = await loom(['job', 'post', specPath, '--budget', '0.5', '--model', String(paid), '--model', String(free), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`loom: escrowing 0.52 ETH (budget 0.5 ETH + model fees 0.02 ETH: model ${paid} 0.02 ETH, model ${free} free)`);
    const posted = JSON.parse(r.stdout);
    expect(posted.models).toEqual({ modelIds: [paid, free], fees: ['20000000000000000', '0'], modelFees: '20000000000000000', total: '520000000000000000' });
    expect(posted.terms.client).toBe(accountOf(CLIENT).address);
    const tx = await stack.publicClient.getTransaction({ hash: posted.txHash as Hex });
    expect(tx.value).toBe(parseEther('0.52'));
    expect(tx.to?.toLowerCase()).toBe(stack.contracts.models!.toLowerCase());

    // Run and released: the creator earns the fee, and withdraws it from the model hub.
    const terms = toContractTerms({ ...posted.terms, mode: 'CLAIM' });
    await stack.writer(MEMBER).claimJob(terms);
    await stack.writer(MEMBER).submitResult(terms, `0x${'11'.repeat(32)}`, 'artifact://r');
    const released = await loom(['job', 'release', posted.jobId]);
    expect(released.code, released.stderr).toBe(0);
    const shown = await loomJson(['model', 'show', String(paid)]);
    expect(shown.model).toMatchObject({ id: String(paid), uses: 1, earnings: [{ token: '0x0000000000000000000000000000000000000000', amount: '20000000000000000' }] });
    expect(shown.model.versions.map((v: { id: string; retired: boolean }) => [v.id, v.retired])).toEqual([
      [String(paid - 1), true],
      [String(paid), false],
    ]);
    const text = await loom(['model', 'show', String(paid)]);
    expect(text.stdout).toMatch(/^name\s+tiny-llm 2$/m);
    expect(text.stdout).toMatch(/^follows\s+model \d+ \(1\)$/m);
    expect(text.stdout).toMatch(/^earned\s+0.02 ETH$/m);
    expect(text.stdout).toContain(`/models/tiny-llm/model.bin  19 bytes`);

    const withdrawn = await loomJson(['withdraw'], CREATOR);
    expect(withdrawn.withdrawn).toEqual([expect.objectContaining({ kind: 'models', amount: '20000000000000000' })]);
  });

  test('behavior: model list filters by kind, creator, search and retired, and orders by uses and earnings', async () => {
    const all = await loomJson(['model', 'list']);
    expect(all.models.map((m: { id: string }) => Number(m.id))).toEqual([free, paid, paid - 1]);
    expect((await loomJson(['model', 'list', '--kind', 'image'])).models.map((m: { name: string }) => m.name)).toEqual(['vllm']);
    expect((await loomJson(['model', 'list', '--search', 'TINY', '--no-retired'])).models.map((m: { id: string }) => Number(m.id))).toEqual([paid]);
    expect((await loomJson(['model', 'list', '--creator', accountOf(CLIENT).address])).models).toEqual([]);
    // Both models of the job were used once (ties: newest first); only the paid one earned.
    expect((await loomJson(['model', 'list', '--order', 'uses', '--first', '2'])).models.map((m: { id: string }) => Number(m.id))).toEqual([free, paid]);
    expect((await loomJson(['model', 'list', '--order', 'earnings'])).models.map((m: { id: string }) => Number(m.id))).toEqual([paid, free, paid - 1]);
    const table = await loom(['model', 'list']);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+KIND\s+FEE\s+USES\s+EARNED\s+STATE\s+CREATOR$/m);
    expect(table.stdout).toMatch(new RegExp(`^\\s*${paid}\\s+tiny-llm 2\\s+weights\\s+0.02 ETH\\s+1\\s+0.02 ETH\\s+active`, 'm'));
    expect(table.stdout).toMatch(new RegExp(`^\\s*${paid - 1}\\s+tiny-llm 1\\s+weights\\s+0.01 ETH\\s+0\\s+-\\s+retired`, 'm'));
    const bad = await loom(['model', 'list', '--order', 'best']);
    expect([bad.code, bad.stderr]).toEqual([1, 'loom: --order must be newest, uses or earnings, not "best"\n']);
    const missing = await loom(['model', 'show', '99999']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no model 99999/);
  });

  test('error: bad input and refused models are named, exit non-zero, and send nothing', async () => {
    const weights = file('w.bin', 'w');
    const [creatorBefore, clientBefore] = [await nonceOf(CREATOR), await nonceOf(CLIENT)];
    const cases: [string[], number, RegExp][] = [
      [['model', 'publish', '--name', 'x', '--version', '1', '--kind', 'weights', '--file', weights], 2, /missing --license/],
      [['model', 'publish', '--name', 'x', '--version', '1', '--kind', 'model', '--file', weights, '--license', 'l'], 1, /--kind must be weights, dataset or image, not "model"/],
      [['model', 'publish', '--name', 'x', '--version', '1', '--kind', 'weights', '--license', 'l'], 1, /--file are needed for a WEIGHTS model/],
      [['model', 'publish', '--name', 'x', '--version', '1', '--kind', 'weights', '--file', join(workDir, 'nope.bin'), '--license', 'l'], 1, /--file .*nope.bin: cannot read it/],
      [['model', 'publish', '--name', 'x', '--version', '1', '--kind', 'weights', '--file', `${weights}:../up`, '--license', 'l'], 1, /the path in the model, "\.\.\/up", must stay inside the model's directory/],
      [['model', 'publish', '--name', 'x', '--version', '1', '--kind', 'image', '--image', 'busybox:latest', '--license', 'l'], 1, /--image: "busybox:latest" is not pinned by digest/],
      [['model', 'publish', '--name', 'x', '--version', '1', '--kind', 'weights', '--file', weights, '--license', 'l', '--fee', 'abc'], 1, /--fee: "abc" is not an amount of ETH/],
      [['model', 'publish', '--name', 'x', '--version', '1', '--kind', 'weights', '--file', weights, '--license', 'l', '--previous', '0'], 1, /"0" is not a --previous model id/],
      [['model', 'retire', 'seven'], 1, /"seven" is not a model id/],
      [['model', 'frobnicate'], 2, /unknown model command "frobnicate"/],
    ];
    for (const [args, code, message] of cases) {
      const r = await loom(args, CREATOR);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(message);
    }
    const retired = await loom(['model', 'retire', String(paid - 1)], CREATOR);
    expect(retired.code).toBe(1);
    expect(retired.stderr).toMatch(new RegExp(`retire refused \\(nothing was sent\\): ModelIsRetired\\(${paid - 1}\\): model ${paid - 1} is retired`));
    const notMine = await loom(['model', 'retire', String(paid)], CLIENT);
    expect(notMine.stderr).toMatch(/NotModelCreator\(.*\): 0x.* did not publish model/);

    const posts: [string[], RegExp][] = [
      [['--model', String(paid - 1)], /--model: ModelIsRetired\(\d+\): .* \(nothing was sent\)/],
      [['--model', '99999'], /ModelNotFound\(99999\): there is no model 99999/],
      [['--model', '0'], /"0" is not a --model id/],
      [['--model', String(paid), '--model', String(paid)], new RegExp(`--model ${paid} is given twice`)],
      [['--model', String(paid), '--token', stack.usdc], /ModelTokenMismatch\(.*\): model \d+'s fee is paid in 0x0{40} and the job in 0x/],
    ];
    for (const [flags, message] of posts) {
      const r = await loom(['job', 'post', specPath, '--budget', '1', ...flags]);
      expect({ flags, code: r.code }).toEqual({ flags, code: 1 });
      expect(r.stderr).toMatch(message);
    }
    expect([await nonceOf(CREATOR), await nonceOf(CLIENT)]).toEqual([creatorBefore, clientBefore]);
  });
});

describe('loom pool', () => {
  test('default: create, a worker joins, a POOL job posted and claimed by the member; fee; leave', async () => {
    const created = await loomJson(['pool', 'create', '--name', 'Test H100s', '--fee-bps', '500', '--metadata-uri', 'https://example.com/pool.json'], OPERATOR);
    expect(created).toMatchObject({ operator: accountOf(OPERATOR).address, feeBps: 500, approvalRequired: false });
    const pool = created.poolId as string;
    const joined = await loomJson(['pool', 'join', pool], MEMBER);
    expect(joined).toMatchObject({ action: 'join', pool, state: 'MEMBER' });

    const posted = await loomJson(['job', 'post', specPath, '--budget', '0.1', '--pool', pool]);
    expect(posted.terms).toMatchObject({ mode: 3, offeredTo: `0x${pool.padStart(40, '0')}` });
    const shown = await loom(['job', 'post', specPath, '--budget', '0.1', '--pool', pool, '--no-wait']);
    expect(shown.stdout).toMatch(new RegExp(`^mode\\s+POOL$`, 'm'));
    expect(shown.stdout).toMatch(new RegExp(`^pool\\s+${pool}$`, 'm'));
    const terms = toContractTerms({ ...posted.terms, mode: 'POOL' });
    await expect(stack.writer(OTHER).claimJob(terms)).rejects.toMatchObject({ revert: { name: 'NotPoolMember' } });
    await stack.writer(MEMBER).claimJob(terms);

    const replicated = await loomJson(['job', 'post', specPath, '--budget', '0.01', '--replicas', '2', '--pool', pool]);
    expect(replicated.pool).toBe(pool);

    const fee = await loom(['pool', 'fee', pool, '1000'], OPERATOR);
    expect(fee.code).toBe(0);
    expect(fee.stdout).toContain(`pool ${pool}'s fee is now 1000 bps`);
    const shownPool = await loomJson(['pool', 'show', pool]);
    expect(shownPool.pool).toMatchObject({ id: pool, name: 'Test H100s', feeBps: 1000, memberCount: 1, members: [{ address: accountOf(MEMBER).address.toLowerCase(), state: 'MEMBER' }] });
    expect(shownPool.pool.jobs.totalCount).toBe(3);
    const poolText = await loom(['pool', 'show', pool]);
    expect(poolText.stdout).toMatch(/^fee\s+1000 bps \(10% of a member's payout\)$/m);
    expect(poolText.stdout).toMatch(new RegExp(`^member\\s+${accountOf(MEMBER).address.toLowerCase()}\\s+member since`, 'mi'));
    const listed = await loomJson(['pool', 'list']);
    expect(listed.pools.map((p: { id: string }) => p.id)).toContain(pool);
    // Holding a pool job, the member leaves when it closes.
    const leaving = await loomJson(['pool', 'leave'], MEMBER);
    expect(leaving.state).toBe('LEAVING');
  });

  test('behavior: a pool by approval: a request, approved, removed', async () => {
    const { poolId } = await loomJson(['pool', 'create', '--name', 'By approval', '--fee-bps', '0', '--approval'], OPERATOR);
    const asked = await loom(['pool', 'join', poolId], OTHER);
    expect(asked.stdout).toContain(`asked to join pool ${poolId}: its operator must approve`);
    const other = accountOf(OTHER).address;
    expect((await loom(['pool', 'approve', poolId, other], OPERATOR)).stdout).toContain(`${other} is a member of pool ${poolId}`);
    expect((await loom(['pool', 'remove', poolId, other], OPERATOR)).stdout).toContain(`${other} removed from pool ${poolId}`);
  });

  test('error: bad input and the registry refusals are named, exit non-zero, and send nothing', async () => {
    const before = [await nonceOf(OPERATOR), await nonceOf(CLIENT)];
    const cases: [string[], number, number, RegExp][] = [
      [['pool', 'create', '--fee-bps', '100'], OPERATOR, 2, /missing --name/],
      [['pool', 'create', '--name', 'x'], OPERATOR, 2, /missing --fee-bps/],
      [['pool', 'create', '--name', 'x', '--fee-bps', '2001'], OPERATOR, 1, /--fee-bps: "2001" must be a whole number of basis points from 0 to 2000/],
      [['pool', 'create', '--name', 'x'.repeat(65), '--fee-bps', '1'], OPERATOR, 1, /--name is over 64 bytes/],
      [['pool', 'fee', '1', 'ten'], OPERATOR, 1, /the fee: "ten" must be a whole number of basis points/],
      [['pool', 'join', '0'], OPERATOR, 1, /"0" is not a pool id/],
      [['pool', 'approve', '1', 'bob'], OPERATOR, 1, /"bob" is not a worker's address/],
      [['pool', 'approve', '1'], OPERATOR, 2, /missing argument/],
      [['pool', 'fee', '1', '10'], CLIENT, 1, /setPoolFee refused \(nothing was sent\): NotPoolOperator\(1, 0x.*\): 0x.* does not operate pool 1/],
      [['pool', 'join', '99999'], CLIENT, 1, /PoolNotFound\(99999\): there is no pool 99999/],
      [['pool', 'leave'], CLIENT, 1, /leavePool refused \(nothing was sent\): NotPoolMember/],
      [['job', 'post', specPath, '--budget', '1', '--pool', '1', '--offer-to', accountOf(MEMBER).address], CLIENT, 1, /--pool makes a POOL job, not DIRECT/],
      [['job', 'post', specPath, '--budget', '1', '--pool', '99999'], CLIENT, 1, /PoolNotFound\(99999\)/],
    ];
    for (const [args, as, code, message] of cases) {
      const r = await loom(args, as);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(message);
    }
    expect([await nonceOf(OPERATOR), await nonceOf(CLIENT)]).toEqual(before);
  });
});

test('help: loom --help lists the model and pool groups and withdraw', async () => {
  const r = await runLoom(['--help'], {});
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^ {2}model {5}The model hub/m);
  expect(r.stdout).toMatch(/^ {2}pool {6}Worker pools/m);
  expect(r.stdout).toMatch(/^ {2}withdraw {2}Withdraw every credit/m);
});
