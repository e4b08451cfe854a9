/**
 * The soak's clients and arbiter: random single (claim, ETH or tUSDC) and replicated jobs that the
 * worker daemons run, some that no worker can take (cancelled or left to expire), and for the jobs
 * in play the parties' steps: release, dispute, evidence, the arbiter's ruling, cancels, withdrawals.
 * Every step is simulated first (testkit/workload.ts): the contract decides what is still valid
 * after the workers' moves, the kills and the reorgs.
 */
import { parseEther, parseEventLogs, toHex, zeroAddress } from 'viem';
import { loomReplicatedMarketAbi } from '../../abis/generated.ts';
import type { ReplicatedJobTerms } from '../../sdk/writes.ts';
import { ROLES } from '../../testkit/accounts.ts';
import { ETH, scriptSpec } from '../../testkit/jobs.ts';
import type { Stack } from '../../testkit/stack.ts';
import { connectMarket, prng } from '../../testkit/workload.ts';
import { SINGLE, type SoakJob, jobState } from './soakJobs.ts';

export type ClientCounts = {
  singleJobs: number;
  replicatedJobs: number;
  cancels: number;
  releases: number;
  disputes: number;
  evidence: number;
  rulings: number;
  withdrawals: number;
  /** Jobs the clients posted that a reorg undid. */
  undone: number;
  /** Steps that failed after their simulation passed (a worker or a reorg came first). */
  raced: number;
};

/** A job a worker cannot take (more GPUs than any test worker has): it is cancelled or expires. */
const UNFILLABLE_GPUS = 64;
const RESOURCES = { resources: { memoryMiB: 128, timeoutSeconds: 30, outputMiB: 1 } };

/** Runs the clients until `stopped()`; returns what they did. */
export async function runClients(stack: Stack, seed: number, stopped: () => boolean, log: (line: string) => void): Promise<ClientCounts> {
  const r = prng(seed);
  const m = connectMarket(stack);
  const counts: ClientCounts = { singleJobs: 0, replicatedJobs: 0, cancels: 0, releases: 0, disputes: 0, evidence: 0, rulings: 0, withdrawals: 0, undone: 0, raced: 0 };
  const tracked: SoakJob[] = [];
  for (const c of ROLES.clients) await stack.approveUsdc(c);

  const call = async (who: (typeof m.wallets)[number], fn: string, args: readonly unknown[]) => {
    try {
      return (await m.tryCall(who, fn, args)) !== undefined;
    } catch {
      counts.raced++;
      return false;
    }
  };
  /** A job spec: a short script, sometimes with a pause so that kills land mid-run. */
  const spec = () => scriptSpec(`${r.next() < 0.5 ? `sleep ${r.int(1, 8)}; ` : ''}echo soak > /out/r`, RESOURCES);

  const postSingle = async () => {
    const usdc = r.next() < 0.3;
    const client = r.pick(ROLES.clients);
    const posted = await stack.post({
      client,
      spec: spec(),
      token: usdc ? stack.usdc : ETH,
      budget: usdc ? BigInt(r.int(1, 20)) * 1_000_000n : parseEther(String(r.int(1, 10) / 100)),
      collateral: parseEther(String(r.int(0, 2) / 100)),
      openFor: r.int(120, 900),
      executionTimeout: r.int(90, 600),
      challengeWindow: r.int(600, 86_400),
      minGpuCount: r.next() < 0.15 ? UNFILLABLE_GPUS : 0,
    });
    tracked.push({ kind: 'single', id: posted.id, terms: posted.terms });
    counts.singleJobs++;
  };

  const postReplicated = async () => {
    const client = r.pick(ROLES.clients);
    const price = parseEther(String(r.int(1, 5) / 100));
    const replicas = r.int(2, 3);
    const params = {
      token: zeroAddress,
      price,
      collateral: parseEther(String(r.int(0, 2) / 100)),
      replicas,
      quorum: 2,
      openUntil: (await stack.now()) + r.int(120, 600),
      commitWindow: r.int(300, 900),
      revealWindow: r.int(300, 900),
      minGpuCount: r.next() < 0.15 ? UNFILLABLE_GPUS : 0,
      minVramMiB: 0,
      gpuModel: toHex(0, { size: 32 }),
      salt: BigInt(r.int(1, 2 ** 48)),
      pool: 0n,
    };
    const receipt = await stack.send(client, 'postReplicatedJob', [params, toHex(JSON.stringify(spec()))], price * BigInt(replicas));
    const [posted] = parseEventLogs({ abi: loomReplicatedMarketAbi, logs: receipt.logs, eventName: 'ReplicatedJobPosted' });
    tracked.push({ kind: 'replicated', id: posted!.args.jobId, terms: posted!.args.terms as ReplicatedJobTerms });
    counts.replicatedJobs++;
  };

  /** A step of a job in play, as its client or the arbiter would take it. */
  const act = async (job: SoakJob) => {
    const s = await jobState(stack, job);
    const client = m.wallets[ROLES.clients.find((c) => stack.address(c).toLowerCase() === job.terms.client.toLowerCase()) ?? ROLES.clients[0]]!;
    if (s.status === 0 || s.closed) {
      tracked.splice(tracked.indexOf(job), 1);
      if (s.status === 0) counts.undone++;
      return;
    }
    if (job.kind === 'replicated') {
      if (s.filled === 0 && r.next() < 0.3 && (await call(client, 'cancelReplicatedJob', [job.terms]))) counts.cancels++;
      return;
    }
    const t = job.terms;
    switch (s.status) {
      case SINGLE.OPEN:
        if (r.next() < 0.4 && (await call(client, 'cancelJob', [t]))) counts.cancels++;
        return;
      case SINGLE.SUBMITTED: {
        const x = r.next();
        if (x < 0.5 && (await call(client, 'release', [t]))) counts.releases++;
        else if (x >= 0.5 && x < 0.85 && (await call(client, 'dispute', [t, `soak dispute ${r.int(1, 999)}`]))) counts.disputes++;
        return;
      }
      case SINGLE.DISPUTED: {
        const x = r.next();
        const toWorker = (t.budget * BigInt(r.int(0, 100))) / 100n;
        const slash = (t.collateral * BigInt(r.int(0, 100))) / 100n;
        if (x < 0.6 && (await call(m.roles.arbiter, 'resolveDispute', [t, toWorker, slash]))) counts.rulings++;
        else if (x >= 0.6 && x < 0.8 && (await call(r.next() < 0.5 ? client : m.roles.arbiter, 'submitEvidence', [t, `ipfs://soak-evidence-${r.int(1, 1e6)}`])))
          counts.evidence++;
        return;
      }
    }
  };

  const withdraw = async () => {
    const who = m.wallets[r.pick(ROLES.clients)]!;
    if (await call(who, 'withdraw', [r.next() < 0.5 ? ETH : stack.usdc, who.account.address])) counts.withdrawals++;
  };

  while (!stopped()) {
    const x = r.next();
    try {
      if (x < 0.3) await postSingle();
      else if (x < 0.42) await postReplicated();
      else if (x < 0.95 && tracked.length > 0) await act(r.pick(tracked));
      else await withdraw();
    } catch (err) {
      // A post undone by a reorg while it was being sent, a node that answered late: the next step goes on.
      counts.raced++;
      log(`client step failed: ${(err as Error).message.split('\n')[0]}`);
    }
    await new Promise((res) => setTimeout(res, r.int(500, 2500)));
  }
  return counts;
}
