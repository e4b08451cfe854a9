/**
 * Gas of each lifecycle step, from transaction receipts on a fresh anvil (contracts/test/Gas.t.sol
 * records the same steps as execution gas in the forge snapshot). A warm-up job runs first so that
 * first-ever account storage is not what is measured. The benchmark job pays in ETH, locks no
 * collateral and carries a 256-byte spec; the fee is 0 for the headline figures (like the floor
 * below) and 1% for `gas.releaseWithFee`. `gas.replicated.*`: a 3-replica, quorum-2 job of the same
 * spec, every step from posting to finalize, all three workers agreeing. `gas.postJob.withModels`: the
 * benchmark job posted through the model hub (LoomModels) naming three models with fees, ETH sent for
 * the budget and the fees together.
 */
import {
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  parseEventLogs,
  toHex,
  type Account,
  type Address,
  type Chain,
  type Hash,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { loomDepositsAbi, loomMarketAbi, loomModelsAbi, loomReplicatedMarketAbi, testUsdcAbi } from '../abis/generated.ts';
import { signJobPayment, tokenDomain, TRANSFER_WITH_AUTHORIZATION_TYPES } from '../sdk/jobPayment.ts';
import type { JobParams } from '../sdk/writes.ts';
import { resultCommitment } from '../sdk/replication.ts';
import { abiOf, contractFor } from '../sdk/contracts.ts';
import { contractsOf } from '../sdk/chain/deploymentRecord.ts';
import { startAnvil } from '../scripts/lib/anvil.ts';
import { deploy } from '../scripts/deploy.ts';

const MNEMONIC = 'test test test test test test test test test test test junk';
const SPEC = new TextEncoder().encode(
  '{"version":1,"image":"loom/gpu","command":["python","train.py","--epochs","3"],"inputs":[{"uri":"https://example.org/data.tar","sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}],"outputs":["/out"],"resources":{"gpus":1,"cpus":4}}',
);

/**
 * The floor from the contracts issue: what the four core steps must cost at least (base 21,000 per
 * transaction, one new slot at posting, warm updates after) plus the spec's calldata and log bytes.
 */
export function coreFloor(spec: Uint8Array): number {
  const calldata = spec.reduce((sum, b) => sum + (b === 0 ? 4 : 16), 0);
  return 47_000 + 30_000 + 30_000 + 36_000 + calldata + 8 * spec.length;
}

export async function gasBench(): Promise<Record<string, number>> {
  const anvil = await startAnvil();
  try {
    const d = await deploy(anvil.rpcUrl, { quiet: true, file: '.cache/deployments/bench-gas.json', feeBps: 0 });
    const contracts = contractsOf(d);
    const transport = http(anvil.rpcUrl);
    const pub = createPublicClient({ chain: foundry, transport, pollingInterval: 50 });
    const as = (i: number) => createWalletClient({ account: mnemonicToAccount(MNEMONIC, { addressIndex: i }), chain: foundry, transport });
    const [owner, client, worker, worker2, worker3] = [as(0), as(1), as(4), as(5), as(6)];

    const send = async (hash: Promise<Hash>) => {
      const receipt = await pub.waitForTransactionReceipt({ hash: await hash });
      if (receipt.status !== 'success') throw new Error(`transaction ${receipt.transactionHash} reverted`);
      return receipt;
    };
    const write = (wallet: typeof client, functionName: string, args: unknown[], value?: bigint) => {
      const to = contractFor(functionName);
      return send(wallet.writeContract({ address: contracts[to], abi: abiOf[to], functionName, args, value } as never));
    };

    const hardware = {
      gpuModel: toHex('NVIDIA H100 80GB HBM3', { size: 32 }),
      gpuCount: 2,
      vramMiB: 81_920,
      cpuCores: 32,
      ramMiB: 262_144,
      pricePerGpuHour: 2_500_000n,
      metadataURI: 'ipfs://worker-metadata',
    };
    await write(worker, 'register', [hardware], 10n ** 18n);
    await write(worker2, 'register', [hardware], 10n ** 18n);
    await write(worker3, 'register', [hardware], 10n ** 18n);

    let salt = 0n;
    const postParams = async (mode: 0 | 1 = 0) => {
      const now = (await pub.getBlock()).timestamp;
      return {
        token: '0x0000000000000000000000000000000000000000',
        arbiter: '0x0000000000000000000000000000000000000000',
        budget: 10n ** 18n,
        collateral: 0n,
        mode,
        offeredTo: '0x0000000000000000000000000000000000000000',
        openUntil: Number(now) + 3600,
        executionTimeout: 7200,
        challengeWindow: 86_400,
        minGpuCount: 1,
        minVramMiB: 40_960,
        gpuModel: toHex(0, { size: 32 }),
        salt: ++salt,
      };
    };
    const post = async (mode: 0 | 1) => {
      const params = await postParams(mode);
      const receipt = await write(client, 'postJob', [params, toHex(SPEC)], params.budget);
      const [posted] = parseEventLogs({ abi: loomMarketAbi, logs: receipt.logs, eventName: 'JobPosted' });
      return { receipt, terms: posted.args.terms };
    };
    const result = toHex(1n, { size: 32 }) as Hex;
    const g = (r: { gasUsed: bigint }) => Number(r.gasUsed);
    const uri = 'http://127.0.0.1:42069/artifacts/0x01';

    // Warm-up: the first job touches the worker's and the client's storage for the first time.
    const warm = await post(0);
    await write(worker, 'claimJob', [warm.terms]);
    await write(worker, 'submitResult', [warm.terms, result, uri]);
    await write(client, 'release', [warm.terms]);

    const job = await post(0);
    const claim = await write(worker, 'claimJob', [job.terms]);
    const submit = await write(worker, 'submitResult', [job.terms, result, uri]);
    const release = await write(client, 'release', [job.terms]);
    const withdraw = await write(worker, 'withdraw', ['0x0000000000000000000000000000000000000000', (worker.account as Account).address]);

    const auction = await post(1);
    const bid = await write(worker, 'placeBid', [auction.terms, 8n * 10n ** 17n]);
    await write(worker2, 'placeBid', [auction.terms, 9n * 10n ** 17n]);
    const accept = await write(client, 'acceptBid', [auction.terms, (worker.account as Account).address]);

    // A 3-replica, quorum-2 job: the same spec, ETH, no collateral, all three agreeing. A warm-up
    // replicated job first, for the same reason as above.
    const replicated = async () => {
      const now = (await pub.getBlock()).timestamp;
      const params = {
        token: '0x0000000000000000000000000000000000000000',
        price: 10n ** 18n / 3n,
        collateral: 0n,
        replicas: 3,
        quorum: 2,
        openUntil: Number(now) + 3600,
        commitWindow: 7200,
        pool: 0n,
        revealWindow: 3600,
        minGpuCount: 1,
        minVramMiB: 40_960,
        gpuModel: toHex(0, { size: 32 }),
        salt: ++salt,
      };
      const posted = await write(client, 'postReplicatedJob', [params, toHex(SPEC)], params.price * 3n);
      const [event] = parseEventLogs({ abi: loomReplicatedMarketAbi, logs: posted.logs, eventName: 'ReplicatedJobPosted' });
      const { jobId, terms } = event!.args;
      const replicas = [worker, worker2, worker3];
      const steps = [posted];
      for (const w of replicas) steps.push(await write(w, 'takeSlot', [terms]));
      const saltOf = (i: number) => toHex(i + 1, { size: 32 });
      for (const [i, w] of replicas.entries()) {
        const commitment = resultCommitment(jobId, (w.account as Account).address, result, saltOf(i));
        steps.push(await write(w, 'commitResult', [terms, i, commitment]));
      }
      for (const [i, w] of replicas.entries()) steps.push(await write(w, 'revealResult', [terms, i, result, saltOf(i), uri]));
      steps.push(await write(client, 'finalize', [terms]));
      return steps.reduce((sum, r) => sum + Number(r.gasUsed), 0);
    };
    await replicated();
    const replicatedTotal = await replicated();

    // The same job naming three models whose creators charge 0.01 ETH each; measured after a warm-up
    // like the plain post.
    const modelFee = 10n ** 16n;
    const modelIds: number[] = [];
    for (const [i, creator] of [owner, worker2, worker3].entries()) {
      const model = {
        name: `model-${i}`,
        version: '1',
        kind: 0,
        files: [{ sha256: keccak256(toHex(`weights ${i}`)), size: 1_000_000n, path: 'model.safetensors' }],
        image: '',
        licenseURI: 'https://example.org/license',
        token: '0x0000000000000000000000000000000000000000',
        fee: modelFee,
        previous: 0,
      };
      const published = await write(creator, 'publish', [model]);
      const [event] = parseEventLogs({ abi: loomModelsAbi, logs: published.logs, eventName: 'ModelPublished' });
      modelIds.push(event!.args.modelId);
    }
    const postWithModels = async () => {
      const params = await postParams(0);
      return write(client, 'postJobWithModels', [params, toHex(SPEC), modelIds], params.budget + modelFee * BigInt(modelIds.length));
    };
    await postWithModels();
    const withModels = g(await postWithModels());

    const gasless = await gaslessPosts({ pub, send, client, relayer: owner, usdc: d.TestUSDC.address, market: contracts.market, params: postParams });

    // The same release with the protocol fee on: one more credit (the treasury's).
    await write(owner, 'setFee', [100]);
    const feeJob = await post(0);
    await write(worker, 'claimJob', [feeJob.terms]);
    await write(worker, 'submitResult', [feeJob.terms, result, uri]);
    await write(client, 'release', [feeJob.terms]); // first fee: the treasury's slot is new
    const feeJob2 = await post(0);
    await write(worker, 'claimJob', [feeJob2.terms]);
    await write(worker, 'submitResult', [feeJob2.terms, result, uri]);
    const releaseWithFee = await write(client, 'release', [feeJob2.terms]);

    const core = g(job.receipt) + g(claim) + g(submit) + g(release);
    const floor = coreFloor(SPEC);
    return {
      'gas.postJob': g(job.receipt),
      'gas.placeBid': g(bid),
      'gas.acceptBid': g(accept),
      'gas.claimJob': g(claim),
      'gas.submitResult': g(submit),
      'gas.release': g(release),
      'gas.releaseWithFee': g(releaseWithFee),
      'gas.withdraw': g(withdraw),
      'gas.core.total': core,
      'gas.core.floor': floor,
      'gas.core.floorRatio': Math.round((core / floor) * 1000) / 1000,
      'gas.replicated.total': replicatedTotal,
      'gas.replicated.perReplica': Math.round(replicatedTotal / 3),
      'gas.replicated.perReplicaRatio': Math.round((replicatedTotal / 3 / core) * 1000) / 1000,
      'gas.postJob.usdc': gasless.usdc,
      'gas.postJob.withAuthorization': gasless.withAuthorization,
      'gas.postJob.withAuthorization.overPostJob': gasless.withAuthorization - g(job.receipt),
      'gas.postJob.withAuthorization.overUsdcPostJob': gasless.withAuthorization - gasless.usdc,
      'gas.postJob.fromDeposit': gasless.fromDeposit,
      'gas.postJob.fromDeposit.overPostJob': gasless.fromDeposit - g(job.receipt),
      'gas.postJob.withModels': withModels,
      'gas.postJob.withModels.overPostJob': withModels - g(job.receipt),
    };
  } finally {
    await anvil.stop();
  }
}

/**
 * The benchmark job paid in USDC by a client who sends no transaction: through `postJobFor` (an
 * EIP-3009 receive-authorization whose nonce is the job id) and through LoomDeposits (an x402
 * transfer-authorization to the order's deposit address, emptied into escrow); a relayer submits
 * both. Each kind runs twice and the second is measured, as the ETH job is measured after a warm-up.
 */
async function gaslessPosts(o: {
  pub: PublicClient;
  send: (hash: Promise<Hash>) => Promise<TransactionReceipt>;
  client: WalletClient<Transport, Chain, Account>;
  relayer: WalletClient<Transport, Chain, Account>;
  usdc: Address;
  market: Address;
  params: () => Promise<{ token: string; budget: bigint }>;
}): Promise<{ usdc: number; withAuthorization: number; fromDeposit: number }> {
  const { pub, send, client, relayer, usdc, market } = o;
  const spec = toHex(SPEC);
  const budget = 25_000_000n;
  const usdcParams = async () => ({ ...(await o.params()), token: usdc, budget }) as JobParams;
  await send(relayer.writeContract({ address: usdc, abi: testUsdcAbi, functionName: 'mint', args: [client.account.address, 10n ** 12n] }));
  const deposits = await pub.readContract({ address: market, abi: loomMarketAbi, functionName: 'deposits' });
  const domain = await tokenDomain(pub, usdc);

  // The same job paid the usual way, for comparison: the client approves once and posts it.
  await send(client.writeContract({ address: usdc, abi: testUsdcAbi, functionName: 'approve', args: [market, 2n ** 256n - 1n] }));
  const approved = async () => {
    const hash = client.writeContract({ address: market, abi: loomMarketAbi, functionName: 'postJob', args: [await usdcParams(), spec] });
    return Number((await send(hash)).gasUsed);
  };
  const withAuthorization = async () => {
    const params = await usdcParams();
    const paid = await signJobPayment({ publicClient: pub, walletClient: client, market, params, spec });
    const hash = relayer.writeContract({ address: market, abi: loomMarketAbi, functionName: 'postJobFor', args: [params, spec, paid.client, paid.payment] });
    return Number((await send(hash)).gasUsed);
  };
  const fromDeposit = async () => {
    const params = await usdcParams();
    const order = await pub.readContract({ address: deposits, abi: loomDepositsAbi, functionName: 'orderId', args: [params, keccak256(spec), client.account.address] });
    const to = await pub.readContract({ address: deposits, abi: loomDepositsAbi, functionName: 'depositAddress', args: [order, usdc] });
    const message = { from: client.account.address, to, value: budget, validAfter: 0n, validBefore: BigInt(Math.floor(Date.now() / 1000) + 600), nonce: keccak256(toHex(`bench ${params.salt}`)) };
    const signature = await client.signTypedData({ domain, types: TRANSFER_WITH_AUTHORIZATION_TYPES, primaryType: 'TransferWithAuthorization', message });
    const payment = { validAfter: message.validAfter, validBefore: message.validBefore, nonce: message.nonce, signature };
    const hash = relayer.writeContract({ address: deposits, abi: loomDepositsAbi, functionName: 'postJob', args: [params, spec, client.account.address, payment] });
    return Number((await send(hash)).gasUsed);
  };
  await approved();
  const u = await approved();
  await withAuthorization();
  const a = await withAuthorization();
  await fromDeposit();
  return { usdc: u, withAuthorization: a, fromDeposit: await fromDeposit() };
}
