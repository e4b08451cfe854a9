/**
 * The soak's end: the deadlines let pass and the parties settle, then the checks. A job is stuck
 * when it is neither closed nor inside a live deadline; every balance must add up against the chain
 * (each market's and the registry's holdings against escrow, credits and stake, and the API's credits
 * against the contracts'); the indexer's state digest must equal a fresh replay's.
 */
import { type Address, type Hex, decodeFunctionData, erc20Abi, zeroAddress } from 'viem';
import { loomRegistryAbi } from '../../abis/generated.ts';
import { abiOf, loomAbi } from '../../sdk/contracts.ts';
import { ROLES, addressOf } from '../../testkit/accounts.ts';
import type { Chain } from '../../testkit/chain.ts';
import { gql, startIndexer } from '../../testkit/indexer.ts';
import { connectMarket } from '../../testkit/workload.ts';
import { waitFor } from '../../testkit/waitFor.ts';
import { type JobState, SINGLE, type SoakJob, jobState, jobsOnChain } from './soakJobs.ts';

/** Every account of the mnemonic: clients, workers, arbiter, treasury (who can hold credits). */
const ACCOUNTS: Address[] = Array.from({ length: 10 }, (_, i) => addressOf(i));
const ARBITRATION_SECONDS = 7 * 86_400;
const REVEAL_STEP_SECONDS = 120;

type Live = { job: SoakJob; state: JobState };

/** The jobs not closed yet, with their states. */
async function openJobs(chain: Chain): Promise<Live[]> {
  const all = await jobsOnChain(chain);
  const states = await Promise.all(all.map((job) => jobState(chain, job)));
  return all.map((job, i) => ({ job, state: states[i]! })).filter((l) => !l.state.closed);
}

/**
 * Lets every deadline pass and the parties settle, once the workers have finished the jobs in their
 * hands (a single job assigned, a replicated slot taken but not committed): an hour first, in steps
 * (the replicated jobs' commit and reveal phases, with the workers revealing), then past any
 * challenge window and arbitration period. The clients end what is theirs to end (expire an open job, reclaim one its worker did not finish, a
 * dispute the arbiter let time out, a replicated job nobody took); the workers release their
 * results and finalize their replicated jobs themselves, within `waitMs`. Returns the jobs settled
 * by the parties other than the workers.
 */
export async function settle(chain: Chain, waitMs: number, log: (line: string) => void): Promise<{ byClients: number; reclaimed: number; finalizedByClients: number }> {
  const m = connectMarket(chain);
  // The work in hand first: moving the clock on under a job still running would make its worker late.
  // A replicated slot is in hand until committed, and once every slot is (the reveal phase opens), until revealed.
  const busy = ({ job, state: s }: Live) =>
    job.kind === 'single' ? s.status === SINGLE.ASSIGNED : s.committed < s.filled || (s.full && s.revealed < s.committed);
  await waitFor('the workers to finish the jobs in hand', async () => !(await openJobs(chain)).some(busy), waitMs, 2_000).catch(async () => {
    for (const l of (await openJobs(chain)).filter(busy)) log(`still in hand after ${waitMs / 1000} s: ${l.job.kind} ${l.job.id} status ${l.state.status} worker ${l.state.worker ?? '-'}`);
  });
  // The replicated jobs' reveal phases open at their commit deadlines and last 300 s or more: the
  // clock moves by two minutes at a time through the next hour, so that each phase is seen open and
  // its workers reveal (a single jump would pass whole phases by, and slash every slot in them).
  const revealing = (now: number) => ({ job, state: s }: Live) =>
    job.kind === 'replicated' && s.revealed < s.committed && s.deadline > now && (s.full || now >= Number(job.terms.openUntil) + Number(job.terms.commitWindow));
  for (let moved = 0; moved < 3600; moved += REVEAL_STEP_SECONDS) {
    await chain.warp(REVEAL_STEP_SECONDS);
    const now = await chain.now();
    await waitFor('reveals', async () => !(await openJobs(chain)).some(revealing(now)), 10_000, 1_000).catch(() => undefined);
  }
  await chain.warp(ARBITRATION_SECONDS + 2 * 86_400);
  let byClients = 0;
  let reclaimed = 0;
  for (const { job, state } of await openJobs(chain)) {
    const stranger = m.roles.stranger;
    let sent;
    if (job.kind === 'single' && state.status === SINGLE.OPEN) sent = await m.tryCall(stranger, 'expire', [job.terms]);
    if (job.kind === 'single' && state.status === SINGLE.ASSIGNED) {
      sent = await m.tryCall(stranger, 'reclaim', [job.terms]);
      if (sent) {
        reclaimed++;
        log(`reclaimed ${job.id} from worker ${state.worker} (execution deadline ${state.deadline})`);
      }
    }
    if (job.kind === 'single' && state.status === SINGLE.DISPUTED) sent = await m.tryCall(stranger, 'settleTimedOutDispute', [job.terms]);
    if (job.kind === 'replicated' && state.committed === 0) sent = await m.tryCall(stranger, 'finalize', [job.terms]);
    if (sent) byClients++;
  }
  log(`settled by clients and keepers: ${byClients} (reclaimed from their workers: ${reclaimed}); waiting for the workers to settle the rest`);
  await waitFor('the workers to release and finalize their jobs', async () => (await openJobs(chain)).length === 0, waitMs, 2_000).catch(() => undefined);
  // A replicated job whose workers did not finalize it (none of them revealed, say: they would be
  // slashed) is the client's to finalize, for its refund.
  let finalizedByClients = 0;
  for (const { job } of await openJobs(chain)) {
    if (job.kind !== 'replicated' || !(await m.tryCall(m.roles.stranger, 'finalize', [job.terms]))) continue;
    finalizedByClients++;
    log(`finalized by its client: replicated ${job.id} (its workers did not)`);
  }
  return { byClients, reclaimed, finalizedByClients };
}

/** Jobs neither closed nor inside a live deadline (chain time), described. */
export async function stuckJobs(chain: Chain): Promise<string[]> {
  const now = await chain.now();
  return (await openJobs(chain))
    .filter((l) => l.state.deadline <= now)
    .map((l) => `${l.job.kind} ${l.job.id} status ${l.state.status} deadline ${l.state.deadline} (now ${now}) filled ${l.state.filled} committed ${l.state.committed}`);
}

/**
 * Whether every balance adds up: per market (single, replicated, model hub) and token, what the
 * contract holds equals its live jobs' escrow plus every account's credits; the registry's ETH is the
 * workers' stake and unbonding stake; the API's credits equal the contracts'. Returns the mismatches.
 */
export async function balanceMismatches(chain: Chain, apiUrl: string): Promise<string[]> {
  const bad: string[] = [];
  const tokens: Address[] = [zeroAddress, chain.usdc];
  const holders = { market: chain.market, replicated: chain.replicated, models: chain.contracts.models } as const;
  const held = (at: Address, token: Address) =>
    token === zeroAddress ? chain.pub.getBalance({ address: at }) : chain.pub.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [at] });
  const credits = (name: keyof typeof holders, token: Address, account: Address) =>
    chain.pub.readContract({ address: holders[name]!, abi: abiOf[name] as never, functionName: 'credits', args: [token, account] }) as Promise<bigint>;

  const live = await openJobs(chain);
  const chainCredits = new Map<string, bigint>();
  for (const name of Object.keys(holders) as (keyof typeof holders)[]) {
    if (!holders[name]) continue;
    for (const token of tokens) {
      let owed = 0n;
      for (const account of ACCOUNTS) {
        const c = await credits(name, token, account);
        chainCredits.set(`${holders[name]!.toLowerCase()}/${token.toLowerCase()}/${account.toLowerCase()}`, c);
        owed += c;
      }
      const kind = name === 'market' ? 'single' : name === 'replicated' ? 'replicated' : undefined;
      const escrow = live.filter((l) => l.job.kind === kind && l.job.terms.token.toLowerCase() === token.toLowerCase()).reduce((t, l) => t + l.state.escrow, 0n);
      const has = await held(holders[name]!, token);
      if (has !== owed + escrow) bad.push(`${name} ${token}: holds ${has}, owes ${owed} in credits + ${escrow} in escrow`);
    }
  }
  let stake = 0n;
  for (const w of ACCOUNTS) {
    const [staked] = await chain.pub.readContract({ address: chain.registry, abi: loomRegistryAbi, functionName: 'workers', args: [w] });
    const [unbonding] = await chain.pub.readContract({ address: chain.registry, abi: loomRegistryAbi, functionName: 'unbonding', args: [w] });
    stake += staked + unbonding;
  }
  const registryEth = await chain.pub.getBalance({ address: chain.registry });
  if (registryEth !== stake) bad.push(`registry ETH: holds ${registryEth}, stake + unbonding ${stake}`);

  for (const account of ACCOUNTS) {
    const { credits: indexed } = await gql(apiUrl, 'query($a: Address!) { credits(account: $a) { market token amount } }', { a: account });
    const seen = new Set<string>();
    for (const c of indexed as { market: string; token: string; amount: string }[]) {
      const key = `${c.market.toLowerCase()}/${c.token.toLowerCase()}/${account.toLowerCase()}`;
      seen.add(key);
      if (BigInt(c.amount) !== (chainCredits.get(key) ?? 0n)) bad.push(`API credits ${key}: ${c.amount}, chain ${chainCredits.get(key) ?? 0n}`);
    }
    for (const [key, amount] of chainCredits) if (key.endsWith(`/${account.toLowerCase()}`) && amount > 0n && !seen.has(key)) bad.push(`API credits ${key}: missing, chain ${amount}`);
  }
  return bad;
}

/** Jobs whose status in the API disagrees with the chain's (closed or not). */
export async function apiMismatches(chain: Chain, apiUrl: string): Promise<string[]> {
  const bad: string[] = [];
  for (const job of await jobsOnChain(chain)) {
    const state = await jobState(chain, job);
    const { job: indexed } = await gql(apiUrl, 'query($id: ID!) { job(id: $id) { status } }', { id: job.id });
    if (!indexed) bad.push(`${job.kind} ${job.id}: not in the API`);
    else if ((indexed.status === 'CLOSED') !== state.closed) bad.push(`${job.kind} ${job.id}: API ${indexed.status}, chain status ${state.status}`);
  }
  return bad;
}

type Digest = { digest: string; scope: string; atBlock: string };
const digestAt = async (url: string, atBlock: bigint): Promise<Digest> =>
  (await gql(url, 'query($b: BigInt) { stateDigest(atBlock: $b) { digest scope atBlock } }', { b: atBlock.toString() })).stateDigest;

/** The indexer's digest at the head against a fresh replay's, into a new database of `postgres`. */
export async function digestAgainstReplay(chain: Chain, apiUrl: string, postgres: string | undefined, schema: string): Promise<{ equal: boolean; live: Digest; replay: Digest }> {
  const head = await chain.pub.getBlockNumber({ cacheTime: 0 });
  const replay = await startIndexer(chain, { schema: `${schema}_replay`, postgres, readyTimeoutMs: 600_000 });
  await replay.waitForBlock(head, 600_000);
  const [live, fresh] = await Promise.all([digestAt(apiUrl, head), digestAt(replay.url, head)]);
  await replay.stop();
  return { equal: live.digest === fresh.digest && live.scope === fresh.scope, live, replay: fresh };
}

/**
 * Transactions from the worker daemons' accounts that reverted on the chain (wasted: the daemon
 * simulates first), by function name.
 */
export async function workerReverts(chain: Chain): Promise<Map<string, number>> {
  const workers = new Set(ROLES.workers.map((i) => addressOf(i).toLowerCase()));
  const head = await chain.pub.getBlockNumber({ cacheTime: 0 });
  const reverted = new Map<string, number>();
  for (let b = 0n; b <= head; b++) {
    const receipts = await chain.rpc<{ from: string; status: string; transactionHash: Hex }[]>('eth_getBlockReceipts', [`0x${b.toString(16)}`]);
    for (const r of receipts) {
      if (r.status !== '0x0' || !workers.has(r.from.toLowerCase())) continue;
      const tx = await chain.pub.getTransaction({ hash: r.transactionHash });
      let name = 'unknown';
      try {
        name = decodeFunctionData({ abi: loomAbi, data: tx.input }).functionName;
      } catch {}
      reverted.set(name, (reverted.get(name) ?? 0) + 1);
    }
  }
  return reverted;
}
