/**
 * Worker pools end to end: anvil, the indexer serving the API, the artifact store, and three worker
 * daemons (`loom-worker start`, each running jobs in its bubblewrap sandbox).
 *
 * An operator creates a pool that needs approval, with a 10% fee. Two daemons are started with
 * `LOOM_POOL=<id>`: each asks to join and says it waits for the operator; the operator approves
 * both. A third daemon is in no pool. Jobs restricted to the pool (JobMode.Pool) are posted one
 * after another while the other member is busy, so both members take one; the outsider refuses
 * every one (`not_pool_member`) without a transaction. The client releases them: each member is
 * credited its payout after the protocol fee, less the pool's fee, which the operator is credited
 * (PoolFeePaid) and withdraws.
 *
 * Needs bubblewrap (the members run the jobs); CI installs it.
 */
import { type Hex, parseEther, parseEventLogs, zeroAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loomMarketAbi } from '../abis/generated';
import { poolAddress } from '../sdk/jobParams';
import { MODE } from '../sdk/enums';
import { ROLES } from '../testkit/accounts';
import { scriptSpec } from '../testkit/jobs';
import { type Stack, startStack } from '../testkit/stack';
import { waitFor } from '../testkit/waitFor';
import type { WorkerProcess } from '../testkit/workers';
import { skipSandboxTests } from '../worker/test/sandboxAvailability';

const CLIENT = ROLES.clients[0];
const OPERATOR = ROLES.stranger;
const BUDGET = parseEther('0.01');
const POOL_FEE_BPS = 1000;

let m: Stack;
let pool: bigint;
let members: WorkerProcess[];
let outsider: WorkerProcess;

const logged = (w: WorkerProcess, msg: string) => w.lines.some((l) => l.msg === msg);
const marketCredits = (account: Hex) => m.pub.readContract({ address: m.market, abi: loomMarketAbi, functionName: 'credits', args: [zeroAddress, account] });

beforeAll(async () => {
  if (skipSandboxTests) return;
  m = await startStack({ name: 'pools', indexer: true, artifacts: true, jobDefaults: { executionTimeout: 300, challengeWindow: 3600 } });
  ({ poolId: pool } = await m.writer(OPERATOR).createPool({ name: 'render farm', metadataURI: 'ipfs://render-farm', feeBps: POOL_FEE_BPS, approvalRequired: true }));
  const [a, b, c] = ROLES.workers;
  members = [await m.startWorker(a, { LOOM_POOL: String(pool) }), await m.startWorker(b, { LOOM_POOL: String(pool) })];
  outsider = await m.startWorker(c);
}, 300_000);

afterAll(async () => {
  await m?.stop();
});

describe.skipIf(skipSandboxTests)('worker pools', () => {
  test('default: two daemons join a pool that needs approval, take its jobs once approved, and the operator is paid its fee', async () => {
    // Each asked to join at start, and waits for the operator.
    for (const w of members) expect(logged(w, `asked to join pool ${pool}; waiting for its operator's approval (taking jobs open to any worker meanwhile)`)).toBe(true);
    for (const w of members) await m.writer(OPERATOR).approveMember(pool, w.address);

    const from = (await m.pub.getBlockNumber({ cacheTime: 0 })) + 1n;
    const operatorBefore = await marketCredits(m.address(OPERATOR));
    const treasuryBefore = await marketCredits(m.address(ROLES.treasury));
    // One job, then another while the first one's member is still running it: the other member takes it.
    const post = (n: number) => m.post({ client: CLIENT, mode: MODE.POOL, offeredTo: poolAddress(pool), budget: BUDGET, spec: scriptSpec(`sleep 4; echo pool job ${n} > /out/job.txt`) });
    const first = await post(1);
    const firstAssigned = await m.jobIn(first.id, 'ASSIGNED', 60_000);
    const second = await post(2);
    const jobs = [first, second];
    const assigned = [firstAssigned, await m.jobIn(second.id, 'ASSIGNED', 60_000)];
    expect(new Set(assigned.map((j) => j.worker))).toEqual(new Set(members.map((w) => w.address)));
    for (const j of jobs) await m.jobIn(j.id, 'SUBMITTED', 120_000);

    // The outsider refused both, before any transaction.
    await waitFor('the outsider refusing both pool jobs', () => jobs.every((j) => outsider.lines.some((l) => l.msg === 'job refused' && l.jobId === j.id && l.reason === 'not_pool_member')), 30_000);

    // Released: the member gets the price less the protocol fee, less the pool's fee on what is left.
    let poolFees = 0n;
    let protocolFees = 0n;
    for (const j of jobs) {
      const released = await m.send(CLIENT, 'release', [j.terms]);
      const fee = (BUDGET * BigInt(j.terms.feeBps)) / 10_000n;
      const poolFee = ((BUDGET - fee) * BigInt(POOL_FEE_BPS)) / 10_000n;
      const [paid] = parseEventLogs({ abi: loomMarketAbi, logs: released.logs, eventName: 'PoolFeePaid' });
      expect(paid?.args).toMatchObject({ jobId: j.id, pool, operator: m.address(OPERATOR), token: zeroAddress, amount: poolFee });
      const closed = await m.jobIn(j.id, 'CLOSED');
      expect(closed).toMatchObject({ closeReason: 'COMPLETED', price: BUDGET.toString(), fee: fee.toString(), workerPayout: (BUDGET - fee - poolFee).toString(), clientRefund: '0' });
      poolFees += poolFee;
      protocolFees += fee;
    }
    expect(await marketCredits(m.address(OPERATOR))).toBe(operatorBefore + poolFees);
    // The API says the same: each job's pool, the fee fixed when it was claimed, and the fee paid.
    await m.synced();
    for (const j of jobs) {
      const { job } = await m.gql('query($id: ID!) { job(id: $id) { pool { id } poolFeeBps poolFeePaid } }', { id: j.id });
      const fee = (BUDGET * BigInt(j.terms.feeBps)) / 10_000n;
      expect(job).toEqual({ pool: { id: String(pool) }, poolFeeBps: POOL_FEE_BPS, poolFeePaid: (((BUDGET - fee) * BigInt(POOL_FEE_BPS)) / 10_000n).toString() });
    }
    expect(await marketCredits(m.address(ROLES.treasury))).toBe(treasuryBefore + protocolFees);

    // The operator withdraws its fees.
    const balance = await m.pub.getBalance({ address: m.address(OPERATOR) });
    const { receipt: withdrawn } = await m.writer(OPERATOR).withdraw(zeroAddress);
    const gas = withdrawn.gasUsed * withdrawn.effectiveGasPrice;
    expect(await m.pub.getBalance({ address: m.address(OPERATOR) })).toBe(balance + operatorBefore + poolFees - gas);

    await m.synced();
    for (const j of jobs) expect(await m.callsAboutJob(outsider.address, j.terms.specHash, from)).toEqual([]);
  });
});
