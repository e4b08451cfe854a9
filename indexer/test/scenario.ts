/**
 * Drives every path of the contract set on a real chain with viem and the SDK's writer, as real users
 * would: workers register with the registry, publish a key and manage stake; nine single jobs walk
 * through every ending (release, accepted auction, dispute won by the worker, dispute lost with a
 * slash, arbitration timeout, cancel, expiry, reclaim); four replicated jobs through each outcome
 * (quorum reached with a dissenter slashed, no quorum with a silent worker slashed, expired unfilled,
 * cancelled); plus both markets' settings, a timelocked trust change in the registry, an ownership
 * transfer and withdrawals from both markets. The test then checks what the indexer made of it.
 */
import { parseEther, sha256, stringToHex, toHex, type Address, type Hex } from 'viem';
import { testUsdcAbi } from '../../abis/generated';
import type { JobTerms } from '../../sdk/jobTerms';
import { resultCommitment } from '../../sdk/replication';
import type { ReplicatedJobTerms } from '../../sdk/writes';
import { addressOf as addr } from '../../testkit/accounts';
import type { Chain } from '../../testkit/chain';
import { ETH, hardwareClaim } from '../../testkit/jobs';

export const H100 = 'NVIDIA H100 80GB HBM3';

/** A job spec a worker can run: valid UTF-8 JSON. */
export const JSON_SPEC = { version: 1, image: 'loom/cuda', command: ['python', 'train.py'], resources: { gpus: 1 } };

export type PostedJob = { id: Hex; terms: JobTerms };
export type PostedReplicatedJob = { id: Hex; terms: ReplicatedJobTerms };

/** The result hashes replicated workers reveal: the right one, and a wrong one. */
export const GOOD_RESULT = toHex(0x600d, { size: 32 });
export const BAD_RESULT = toHex(0xbad, { size: 32 });

export type Scenario = {
  registry: Address;
  market: Address;
  replicated: Address;
  usdc: Address;
  startBlock: number;
  /** The chain's head once everything is done. */
  head: bigint;
  actors: Record<'owner' | 'client' | 'treasury2' | 'stranger' | 'a' | 'b' | 'c' | 'newOwner' | 'arbiter' | 'treasury', Address>;
  jobs: Record<'j1' | 'j2' | 'j3' | 'j4' | 'j5' | 'j6' | 'j7' | 'j8' | 'j9' | 'j10', PostedJob>;
  /** R1 quorum reached, R2 no quorum, R3 expired unfilled, R4 cancelled. */
  replicatedJobs: Record<'r1' | 'r2' | 'r3' | 'r4', PostedReplicatedJob>;
  /** Block of J2's JobAssigned, to fold the job's log up to it. */
  j2AssignedBlock: bigint;
  /** Block of R1's last reveal, before it was finalized. */
  r1RevealedBlock: bigint;
};

/** The scenario's actors: the mnemonic's accounts 0-9 (testkit/accounts.ts), by what they do here. */
const [owner, client, treasury2, stranger, a, b, c, newOwner, arbiter, treasury] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

/** Runs the whole scenario on `chain` (testkit's startChain), the first to post jobs there. */
export async function runScenario(chain: Chain): Promise<Scenario> {
  const { deployment, market, usdc, send } = chain;

  const hardware = (model: string, gpuCount: number, vramMiB: number, metadataURI: string, ramMiB = 262_144) => ({
    ...hardwareClaim({ model, gpuCount, vramMiB, metadataURI }),
    ramMiB,
  });

  /** Posts a job from the client, on the scenario's terms (GPU requirements, a day to challenge). */
  const post = async (p: {
    token?: Address;
    budget: bigint;
    collateral: bigint;
    mode?: 0 | 1;
    openFor?: number;
    executionTimeout?: number;
    gpuModel?: string;
    spec: Hex;
  }): Promise<PostedJob> => {
    const { gpuModel, spec, ...terms } = p;
    const { id, terms: posted } = await chain.post({
      client,
      executionTimeout: 7200,
      challengeWindow: 86_400,
      minGpuCount: 1,
      minVramMiB: 40_960,
      ...terms,
      ...(gpuModel ? { gpuModel: stringToHex(gpuModel, { size: 32 }) } : {}),
      specBytes: spec,
    });
    return { id, terms: posted };
  };
  const resultHash = (n: number) => toHex(n, { size: 32 });
  const writer = chain.writer;

  /** Posts a replicated job from the client: three replicas, quorum two, 0.3 ETH a replica, 0.1 ETH of collateral. */
  const postReplicated = async (salt: bigint, openFor = 86_400): Promise<PostedReplicatedJob> => {
    const { jobId, terms } = await writer(client).postReplicatedJob({
      terms: {
        token: ETH,
        price: parseEther('0.3'),
        collateral: parseEther('0.1'),
        replicas: 3,
        quorum: 2,
        openUntil: (await chain.now()) + openFor,
        commitWindow: 3600,
        revealWindow: 3600,
        minGpuCount: 1,
        minVramMiB: 40_960,
        gpuModel: stringToHex(H100, { size: 32 }),
        salt,
        pool: 0n,
      },
      spec: JSON_SPEC,
    });
    return { id: jobId, terms };
  };
  /** Worker `who` commits to `result` for `slot` of `job` (its salt: the slot's number, for the test). */
  const commit = (job: PostedReplicatedJob, who: number, slot: number, result: Hex) =>
    writer(who).commitResult(job.terms, slot, resultCommitment(job.id, addr(who), result, toHex(slot + 1, { size: 32 })));
  const reveal = (job: PostedReplicatedJob, who: number, slot: number, result: Hex, uri: string) =>
    writer(who).revealResult(job.terms, slot, result, toHex(slot + 1, { size: 32 }), uri);

  // ---- workers ----
  await send(a, 'register', [hardware(H100, 2, 81_920, 'ipfs://worker-a')], parseEther('1'));
  await send(b, 'register', [hardware(H100, 2, 81_920, 'ipfs://worker-b')], parseEther('1'));
  await send(c, 'register', [hardware('NVIDIA L4', 1, 24_576, 'ipfs://worker-c')], parseEther('1'));
  // The largest uint32 the claim can carry: it must index (a 32-bit signed column would overflow).
  await send(c, 'updateClaim', [hardware(H100, 1, 81_920, 'ipfs://worker-c-v2', 4_294_967_295)]);
  await send(c, 'setAvailability', [false]);
  await send(c, 'setAvailability', [true]);
  await send(c, 'addStake', [], parseEther('0.5'));
  await send(a, 'setEncryptionKey', [`0x${'ee'.repeat(32)}`]);

  const approve = await chain.wallet(client).writeContract({
    address: usdc,
    abi: testUsdcAbi,
    functionName: 'approve',
    args: [market, 2n ** 256n - 1n],
  });
  await chain.pub.waitForTransactionReceipt({ hash: approve });

  const spec = toHex(JSON.stringify(JSON_SPEC));

  // J1: claim -> submit -> release.
  const SEALED_INLINE: Hex = '0x01c0ffee';
  const j1 = await post({ budget: parseEther('1'), collateral: parseEther('0.1'), gpuModel: H100, spec });
  await send(a, 'claimJob', [j1.terms]);
  // Sealed secrets for J1: inline from its client, and by URI from a stranger (indexed, not the client's).
  await send(client, 'sendSealed', [j1.id, addr(a), sha256(SEALED_INLINE), SEALED_INLINE, '']);
  await send(stranger, 'sendSealed', [j1.id, addr(a), `0x${'5e'.repeat(32)}`, '0x', 'artifact://sealed-by-a-stranger']);
  await send(a, 'submitResult', [j1.terms, resultHash(1), 'ipfs://result-1']);
  await send(client, 'release', [j1.terms]);

  // J2: auction in USDC, three bids (one replaced, one withdrawn) -> accept B -> release.
  const j2 = await post({
    token: usdc,
    budget: 100_000_000n,
    collateral: parseEther('0.1'),
    mode: 1,
    spec: '0xff00fe', // not UTF-8: no specJson
  });
  await send(a, 'placeBid', [j2.terms, 80_000_000n]);
  await send(b, 'placeBid', [j2.terms, 90_000_000n]);
  await send(b, 'placeBid', [j2.terms, 70_000_000n]);
  await send(c, 'placeBid', [j2.terms, 95_000_000n]);
  await send(c, 'withdrawBid', [j2.terms]);
  const accepted = await send(client, 'acceptBid', [j2.terms, addr(b)]);
  await send(b, 'submitResult', [j2.terms, resultHash(2), 'ipfs://result-2']);
  await send(client, 'release', [j2.terms]);

  // J3: dispute, evidence from both sides, the arbiter pays the worker in full.
  // The spec is JSON with a NUL (jsonb cannot hold it), the result URI carries one too.
  const j3 = await post({ budget: parseEther('1'), collateral: parseEther('0.1'), spec: toHex('{"cmd":"a\\u0000b"}') });
  await send(a, 'claimJob', [j3.terms]);
  await send(a, 'submitResult', [j3.terms, resultHash(3), 'ipfs://bad\u0000uri']);
  await send(client, 'dispute', [j3.terms, 'the output is empty']);
  await send(client, 'submitEvidence', [j3.terms, 'ipfs://client-evidence']);
  await send(a, 'submitEvidence', [j3.terms, 'ipfs://worker-evidence']);
  await send(arbiter, 'resolveDispute', [j3.terms, parseEther('1'), 0n]);

  // J4: dispute won by the client: 30% to the worker, 0.05 ETH of collateral slashed.
  const j4 = await post({ budget: parseEther('2'), collateral: parseEther('0.2'), spec });
  await send(b, 'claimJob', [j4.terms]);
  await send(b, 'submitResult', [j4.terms, resultHash(4), 'ipfs://result-4']);
  await send(client, 'dispute', [j4.terms, 'wrong model']);
  await send(arbiter, 'resolveDispute', [j4.terms, parseEther('0.6'), parseEther('0.05')]);

  // J6: cancelled before anyone took it.
  const j6 = await post({ budget: parseEther('0.5'), collateral: 0n, spec });
  await send(client, 'cancelJob', [j6.terms]);

  // ---- replicated jobs (the replicated market's own fee first: 3%) ----
  await writer(owner).send('setFee', [300], { to: 'replicated' });

  // R1: a, b and c take the slots and commit (the last commit opens the reveal phase at once); c and
  // a reveal the right result, b another: quorum reached, b slashed, finalized at once (all revealed).
  const r1 = await postReplicated(101n);
  for (const who of [a, b, c]) await writer(who).takeSlot(r1.terms);
  await commit(r1, a, 0, GOOD_RESULT);
  await commit(r1, b, 1, BAD_RESULT);
  await commit(r1, c, 2, GOOD_RESULT);
  await reveal(r1, c, 2, GOOD_RESULT, 'ipfs://r1-c');
  await reveal(r1, b, 1, BAD_RESULT, 'ipfs://r1-b');
  const r1Revealed = await reveal(r1, a, 0, GOOD_RESULT, 'ipfs://r1-a');
  await writer(stranger).finalize(r1.terms);

  // R2: all three commit, a and b reveal different results, c never reveals: no quorum once the
  // reveal phase is over (a week later), c slashed.
  const r2 = await postReplicated(102n);
  for (const who of [a, b, c]) await writer(who).takeSlot(r2.terms);
  await commit(r2, a, 0, GOOD_RESULT);
  await commit(r2, b, 1, BAD_RESULT);
  await commit(r2, c, 2, GOOD_RESULT);
  await reveal(r2, a, 0, GOOD_RESULT, 'ipfs://r2-a');
  await reveal(r2, b, 1, BAD_RESULT, 'ipfs://r2-b');

  // R3: one slot taken of the two the quorum needs: expires unfilled a week later. R4: cancelled.
  const r3 = await postReplicated(103n);
  await writer(a).takeSlot(r3.terms);
  const r4 = await postReplicated(104n);
  await writer(client).cancelReplicatedJob(r4.terms);

  // J5 (disputed, the arbiter stays silent), J7 (left open), J8 (assigned, no result): settled after time passes.
  const j5 = await post({ budget: parseEther('1'), collateral: parseEther('0.1'), spec });
  await send(a, 'claimJob', [j5.terms]);
  await send(a, 'submitResult', [j5.terms, resultHash(5), 'ipfs://result-5']);
  await send(client, 'dispute', [j5.terms, 'too slow']);
  const j7 = await post({ budget: parseEther('0.3'), collateral: 0n, spec });
  const j8 = await post({ budget: parseEther('1'), collateral: parseEther('0.1'), executionTimeout: 3600, spec });
  await send(b, 'claimJob', [j8.terms]);
  // J10: claimed, then handed back by its worker before the deadline (returnJob): refund, no slash.
  const j10 = await post({ budget: parseEther('0.2'), collateral: parseEther('0.05'), spec });
  await send(a, 'claimJob', [j10.terms]);
  await send(a, 'returnJob', [j10.terms]);
  await send(c, 'requestUnstake', [parseEther('0.5')]);

  // ---- the owner's settings (fees of later closes go to the new treasury) ----
  await send(owner, 'setFee', [200]);
  await send(owner, 'setTreasury', [addr(treasury2)]);
  await send(owner, 'setArbiter', [addr(stranger), true]);
  await send(owner, 'setDefaultArbiter', [addr(stranger)]);
  await send(owner, 'setDefaultArbiter', [addr(arbiter)]);
  await send(owner, 'setArbiter', [addr(stranger), false]);
  await send(owner, 'setTokenAllowed', [usdc, false]);
  await send(owner, 'transferOwnership', [addr(newOwner)]);
  await send(newOwner, 'acceptOwnership', []);
  // The registry's owner proposes to trust another market; it applies after the delay.
  await send(owner, 'proposeTrust', [addr(stranger), true]);
  const j9 = await post({ budget: parseEther('0.1'), collateral: 0n, spec }); // posted at 2%

  // ---- a week later ----
  await chain.warp(7 * 86_400 + 3600);
  await send(stranger, 'settleTimedOutDispute', [j5.terms]);
  await send(stranger, 'expire', [j7.terms]);
  await send(stranger, 'reclaim', [j8.terms]);
  await writer(stranger).finalize(r2.terms);
  await writer(stranger).finalize(r3.terms);
  await send(stranger, 'applyTrust', [addr(stranger)]);
  await send(c, 'withdrawStake', [addr(c)]);
  await send(c, 'deregister', []);

  // ---- withdrawals ----
  await send(a, 'withdraw', [ETH, addr(a)]);
  await send(treasury, 'withdraw', [ETH, addr(treasury)]);
  await send(client, 'withdraw', [usdc, addr(client)]);
  await writer(a).withdraw(ETH, addr(a), 'replicated');

  return {
    registry: chain.registry,
    market,
    replicated: chain.replicated,
    usdc,
    startBlock: deployment.LoomMarket.startBlock,
    head: await chain.pub.getBlockNumber({ cacheTime: 0 }),
    actors: {
      owner: addr(owner),
      client: addr(client),
      treasury2: addr(treasury2),
      stranger: addr(stranger),
      a: addr(a),
      b: addr(b),
      c: addr(c),
      newOwner: addr(newOwner),
      arbiter: addr(arbiter),
      treasury: addr(treasury),
    },
    jobs: { j1, j2, j3, j4, j5, j6, j7, j8, j9, j10 },
    replicatedJobs: { r1, r2, r3, r4 },
    j2AssignedBlock: accepted.blockNumber,
    r1RevealedBlock: r1Revealed.receipt.blockNumber,
  };
}
