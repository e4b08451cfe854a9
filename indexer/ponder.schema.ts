/**
 * The indexed marketplace. Every row is a pure function of the events of Loom's four contracts
 * (LoomRegistry: workers, their stake and worker pools; LoomMarket: single-worker jobs;
 * LoomReplicatedMarket: jobs run by several workers that must agree; LoomModels: the model hub and
 * the royalties of the jobs that use its models). Handlers never read contract state, so a replay
 * from genesis rebuilds exactly these tables.
 * Amounts are raw token units (wei, or the ERC-20's smallest unit); times are unix seconds. Credits,
 * fees and settings belong to one market contract: those rows carry its address (`market`).
 */
import { index, onchainEnum, onchainTable, primaryKey, relations, sql } from 'ponder';
import {
  closeReasonKeys,
  jobModeKeys,
  jobStatusKeys,
  modelKindKeys,
  poolMemberStateKeys,
  replicatedOutcomeKeys,
  slotStateKeys,
} from '../abis/generated';
import { jsonText } from './jsonText';

/** A contract enum's names in value order, without `None` (0: never stored), as PostgreSQL enum labels. */
function stored<K extends string>(keys: readonly K[]): [Exclude<K, 'NONE'>, ...Exclude<K, 'NONE'>[]] {
  return keys.filter((k): k is Exclude<K, 'NONE'> => k !== 'NONE') as [Exclude<K, 'NONE'>, ...Exclude<K, 'NONE'>[]];
}

// The contract's enums (generated from its source into abis/generated.ts).
export const jobStatus = onchainEnum('job_status', stored(jobStatusKeys));
export const closeReason = onchainEnum('close_reason', stored(closeReasonKeys));
export const jobMode = onchainEnum('job_mode', stored(jobModeKeys));
export const replicatedOutcome = onchainEnum('replicated_outcome', stored(replicatedOutcomeKeys));
/** A slot's progress; EMPTY (0) is never stored: a slot row exists once taken. */
export const slotState = onchainEnum('slot_state', slotStateKeys.filter((k) => k !== 'EMPTY') as ['TAKEN', 'COMMITTED', 'REVEALED']);
export const bidStatus = onchainEnum('bid_status', ['ACTIVE', 'WITHDRAWN', 'ACCEPTED']);
/** Which market a job lives in: LoomMarket (one worker) or LoomReplicatedMarket (k of n workers agree). */
export const jobKind = onchainEnum('job_kind', ['SINGLE', 'REPLICATED']);
/**
 * What a replicated job's settlement said of one slot: AGREED (revealed the quorum's hash), DISAGREED
 * (revealed another hash while a quorum was reached), UNREVEALED (never revealed: slashed). Slots of a
 * job without a verdict (no quorum but revealed, expired unfilled) have none.
 */
export const slotVerdict = onchainEnum('slot_verdict', ['AGREED', 'DISAGREED', 'UNREVEALED']);
/** What a published model is: weights, a dataset (both files by hash) or a container image. */
export const modelKind = onchainEnum('model_kind', stored(modelKindKeys));
/** Where a worker stands with its pool; NONE (0) is never stored: the row goes when it leaves. */
export const poolMemberState = onchainEnum('pool_member_state', stored(poolMemberStateKeys));

/**
 * A job of either market: its terms (from JobPosted or ReplicatedJobPosted) and its current state.
 * The two kinds share the columns that mean the same thing; a replicated job's own terms and progress
 * sit in the `replicas`..`clientSlashShare` columns (null for a single job), its workers in `job_slot`.
 * For a replicated job, the single-job term columns hold what is true of it: `arbiter` zero (none),
 * `budget` the escrow (price * replicas), `mode` CLAIM (slots go first come, first served),
 * `executionTimeout` and `challengeWindow` 0 (its deadlines are `commitDeadline` and `revealDeadline`).
 */
export const job = onchainTable(
  'job',
  (t) => ({
    id: t.hex().primaryKey(),
    kind: jobKind().notNull(),
    /** The market contract that holds the job (and its escrow). */
    market: t.hex().notNull(),
    // ---- terms, as emitted in JobPosted (a worker passes them back to the contract) ----
    client: t.hex().notNull(),
    token: t.hex().notNull(),
    arbiter: t.hex().notNull(),
    budget: t.bigint().notNull(),
    collateral: t.bigint().notNull(),
    feeBps: t.integer().notNull(),
    mode: jobMode().notNull(),
    /** The worker a DIRECT job is offered to; the zero address otherwise (as in the terms). */
    offeredTo: t.hex().notNull(),
    openUntil: t.bigint().notNull(),
    executionTimeout: t.integer().notNull(),
    challengeWindow: t.integer().notNull(),
    // ---- replicated terms (ReplicatedJobPosted); null for a single job ----
    replicas: t.integer(),
    quorum: t.integer(),
    commitWindow: t.integer(),
    revealWindow: t.integer(),
    minGpuCount: t.integer().notNull(),
    // uint32 on chain: int4 would overflow (and stall indexing) above 2^31 - 1.
    minVramMiB: t.int8({ mode: 'number' }).notNull(),
    /** Raw bytes32 of the required model (zero: any). */
    gpuModelRaw: t.hex().notNull(),
    /** The required model decoded as a string; null when any model will do. */
    gpuModel: t.text(),
    specHash: t.hex().notNull(),
    salt: t.bigint().notNull(),
    // ---- the spec, kept so nobody needs another source for it ----
    spec: t.hex().notNull(),
    /** The spec parsed as JSON when it is valid UTF-8 JSON, else null. Written as JSON text (see ./jsonText.ts). */
    specJson: jsonText(),
    // ---- models and pools ----
    /**
     * The models the job uses (LoomModels' ModelsUsed, in its order); empty for none. The `model`
     * filter reads it; fees and royalties are in `job_model`.
     */
    modelIds: t.int8({ mode: 'number' }).array().notNull(),
    /**
     * The worker pool the job is restricted to: a POOL job's (its `offeredTo` read as a pool id), a
     * pooled replicated job's (ReplicatedJobPooled); null for any other job.
     */
    pool: t.bigint(),
    /**
     * A single POOL job's pool fee in basis points, fixed at assignment from the pool's fee then
     * (the contract's startPoolJob); null before assignment and for other jobs.
     */
    poolFeeBps: t.integer(),
    /** Credited to the pool's operator at close (the sum of the job's PoolFeePaid); null when none was. */
    poolFeePaid: t.bigint(),
    // ---- state ----
    /**
     * A single job's status as the contract has it. A replicated job's, from its counts: OPEN while a
     * slot is free, ASSIGNED once all are taken, SUBMITTED once results are in (every slot committed,
     * or a reveal came), CLOSED when finalized.
     */
    status: jobStatus().notNull(),
    /** How a single job ended; null for a replicated job (see `outcome`). */
    closeReason: closeReason(),
    /** A single job's worker; null for a replicated job (see `slotWorkers`). */
    worker: t.hex(),
    /** A single job's agreed price (null until assigned); a replicated job's price per replica (from posting). */
    price: t.bigint(),
    refund: t.bigint(),
    /** price per GPU-hour in token units: price * 3600 / (minGpuCount * executionTimeout); null for CPU jobs. */
    pricePerGpuHour: t.bigint(),
    executionDeadline: t.bigint(),
    resultHash: t.hex(),
    resultURI: t.text(),
    challengeDeadline: t.bigint(),
    disputeReason: t.text(),
    arbitrationDeadline: t.bigint(),
    workerPayout: t.bigint(),
    fee: t.bigint(),
    clientRefund: t.bigint(),
    slashed: t.bigint(),
    // ---- replicated progress; null for a single job ----
    /** Slots taken, committed, revealed. */
    filled: t.integer(),
    committed: t.integer(),
    revealed: t.integer(),
    /** The workers holding slots, in slot order (empty for a single job): the `worker` filter reads it. */
    slotWorkers: t.hex().array().notNull(),
    /** openUntil + commitWindow: every slot's worker must have committed by then. */
    commitDeadline: t.bigint(),
    /** The end of the reveal phase: set early when every slot committed, else commitDeadline + revealWindow. */
    revealDeadline: t.bigint(),
    outcome: replicatedOutcome(),
    /** ETH (wei) credited at close to each worker of the quorum, from the dissenters' slashed collateral. */
    winnerSlashShare: t.bigint(),
    /** ETH (wei) credited at close to the client, from slashed collateral. */
    clientSlashShare: t.bigint(),
    /** Bids currently standing (placed and not withdrawn). */
    activeBids: t.integer().notNull(),
    postedAt: t.bigint().notNull(),
    postedBlock: t.bigint().notNull(),
    postedTx: t.hex().notNull(),
    assignedAt: t.bigint(),
    /** UTC day (YYYY-MM-DD) of assignment, for daily price statistics. */
    assignedDay: t.text(),
    submittedAt: t.bigint(),
    closedAt: t.bigint(),
    updatedAt: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({
    // The default `jobs` order (newest first): without it every page sorts the whole table.
    postedIdx: index().on(table.postedBlock, table.id),
    statusIdx: index().on(table.status, table.postedBlock),
    // The marketplace's other orders within a status (bench/README.md, "scale"): without them a
    // page sorts every job of the status. Pay is `paidPrice` (api/data/filters.ts).
    statusBudgetIdx: index().on(table.status, table.budget, table.id),
    statusPayIdx: index().on(table.status, sql`coalesce(${table.price}, ${table.budget})`, table.id),
    kindIdx: index().on(table.kind, table.postedBlock),
    clientIdx: index().on(table.client),
    workerIdx: index().on(table.worker),
    tokenIdx: index().on(table.token),
    assignedDayIdx: index().on(table.assignedDay, table.token),
    poolIdx: index().on(table.pool, table.postedBlock),
  }),
);

/** A worker's bid on an auction job. */
export const bid = onchainTable(
  'bid',
  (t) => ({
    jobId: t.hex().notNull(),
    worker: t.hex().notNull(),
    price: t.bigint().notNull(),
    status: bidStatus().notNull(),
    placedAt: t.bigint().notNull(),
    placedBlock: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.jobId, table.worker] }),
    // A worker's bids, newest first (its page): one index range, however many bids it ever placed.
    workerIdx: index().on(table.worker, table.placedBlock, table.jobId),
  }),
);

/** A taken slot of a replicated job: its worker, how far it got, and what the settlement gave it. */
export const jobSlot = onchainTable(
  'job_slot',
  (t) => ({
    jobId: t.hex().notNull(),
    /** 0-based, in the order slots were taken. */
    slot: t.integer().notNull(),
    worker: t.hex().notNull(),
    state: slotState().notNull(),
    /** The commitment while COMMITTED (kept once revealed). */
    commitment: t.hex(),
    /** The revealed result hash and bundle URI; null until REVEALED. */
    resultHash: t.hex(),
    resultURI: t.text(),
    /** 1 for the job's first reveal, 2 for the second...: the job's URI is its quorum's first. */
    revealOrder: t.integer(),
    /** At close: credited in the job's token (after the fee), ETH slashed, ETH credited from others' slashes. */
    payout: t.bigint(),
    slashed: t.bigint(),
    slashShare: t.bigint(),
    verdict: slotVerdict(),
    takenAt: t.bigint().notNull(),
    takenBlock: t.bigint().notNull(),
    committedAt: t.bigint(),
    revealedAt: t.bigint(),
    updatedAt: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.jobId, table.slot] }),
    workerIdx: index().on(table.worker),
  }),
);

/** A worker: its hardware claim, stake, and the record its reputation is computed from. */
export const worker = onchainTable(
  'worker',
  (t) => ({
    address: t.hex().primaryKey(),
    registered: t.boolean().notNull(),
    available: t.boolean().notNull(),
    gpuModelRaw: t.hex().notNull(),
    gpuModel: t.text(),
    gpuCount: t.integer().notNull(),
    // uint32 on chain: int4 would overflow (and stall indexing) above 2^31 - 1.
    vramMiB: t.int8({ mode: 'number' }).notNull(),
    cpuCores: t.integer().notNull(),
    ramMiB: t.int8({ mode: 'number' }).notNull(),
    /** Advertised USD price per GPU-hour with 6 decimals. */
    pricePerGpuHour: t.bigint().notNull(),
    metadataURI: t.text().notNull(),
    /** The public key clients seal job secrets to (X25519); null when none is published. */
    encryptionKey: t.hex(),
    /** ETH stake including locked collateral, excluding unbonding stake. */
    stake: t.bigint().notNull(),
    locked: t.bigint().notNull(),
    unbonding: t.bigint().notNull(),
    unlockAt: t.bigint(),
    activeJobs: t.integer().notNull(),
    jobsAssigned: t.integer().notNull(),
    jobsCompleted: t.integer().notNull(),
    jobsReclaimed: t.integer().notNull(),
    /** Jobs it handed back (CloseReason Returned): no slash, but public, so clients can weigh it. */
    jobsReturned: t.integer().notNull(),
    disputesWon: t.integer().notNull(),
    disputesLost: t.integer().notNull(),
    slashCount: t.integer().notNull(),
    slashedTotal: t.bigint().notNull(),
    /** Replicated slots settled: revealed the quorum's hash, revealed another, never revealed. */
    replicasAgreed: t.integer().notNull(),
    replicasDisagreed: t.integer().notNull(),
    replicasUnrevealed: t.integer().notNull(),
    /** Distinct clients with a settled outcome for it (see `worker_client`). */
    clients: t.integer().notNull(),
    /** Reputation evidence, in thousandths of a job (indexer/src/reputation.ts): for it, and against it. */
    evidenceFor: t.int8({ mode: 'number' }).notNull(),
    evidenceAgainst: t.int8({ mode: 'number' }).notNull(),
    /** 0..1000, see indexer/src/reputation.ts. */
    reputation: t.integer().notNull(),
    reputationVersion: t.integer().notNull(),
    registeredAt: t.bigint().notNull(),
    updatedAt: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({
    availableIdx: index().on(table.available, table.gpuCount, table.vramMiB),
    reputationIdx: index().on(table.reputation),
  }),
);

/**
 * A worker's record with one client, the unit reputation counts in (indexer/src/reputation.ts):
 * settled outcomes, and their weights in thousandths of a job.
 */
export const workerClient = onchainTable(
  'worker_client',
  (t) => ({
    worker: t.hex().notNull(),
    client: t.hex().notNull(),
    /** Settled outcomes that counted for or against the worker (weightless ones included). */
    outcomes: t.integer().notNull(),
    /** Successes weighted by what they paid. */
    successWeight: t.int8({ mode: 'number' }).notNull(),
    /** Failures weighted by harm and by what they paid. */
    failureWeight: t.int8({ mode: 'number' }).notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.worker, table.client] }) }),
);

/** What a worker has been paid, per token (payouts net of fees), across markets. */
export const workerEarning = onchainTable(
  'worker_earning',
  (t) => ({
    worker: t.hex().notNull(),
    token: t.hex().notNull(),
    amount: t.bigint().notNull(),
    jobs: t.integer().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.worker, table.token] }) }),
);

/**
 * Sealed secrets bundles sent for jobs (the registry's SealedBundleSent), one row per event. The
 * registry does not know jobs: a reader accepts a row only when `client` is the job's client and
 * `worker` its assigned worker (or a slot holder); the ciphertext is public, only the worker opens it.
 */
export const sealedBundle = onchainTable(
  'sealed_bundle',
  (t) => ({
    /** The event id (block number and log index), so the latest bundle for a job sorts last. */
    id: t.text().primaryKey(),
    jobId: t.hex().notNull(),
    client: t.hex().notNull(),
    worker: t.hex().notNull(),
    /** sha256 of the envelope bytes. */
    bundleHash: t.hex().notNull(),
    /** The envelope itself when it travelled in the event; null when fetched from `uri`. */
    inlineBundle: t.hex(),
    uri: t.text(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ jobIdx: index().on(table.jobId, table.id) }),
);

/** Credited, not yet withdrawn balances (each market's `credits`), per market, account and token. */
export const balance = onchainTable(
  'balance',
  (t) => ({
    /** The market contract holding the credit: `withdraw` is called there. */
    market: t.hex().notNull(),
    account: t.hex().notNull(),
    token: t.hex().notNull(),
    amount: t.bigint().notNull(),
    credited: t.bigint().notNull(),
    withdrawn: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.market, table.account, table.token] }),
    accountIdx: index().on(table.account, table.token),
  }),
);

/**
 * Every event, append-only, in chain order. `id` is the cursor: the block number and log index,
 * zero-padded so that string order is chain order.
 */
export const jobEvent = onchainTable(
  'job_event',
  (t) => ({
    id: t.text().primaryKey(),
    blockNumber: t.bigint().notNull(),
    blockHash: t.hex().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    /** The contract that emitted it. */
    contract: t.hex().notNull(),
    name: t.text().notNull(),
    /** The job the event is about, if any. */
    jobId: t.hex(),
    /** The account the event is about (worker, client, party, owner, market...), if any. */
    account: t.hex(),
    /** Decoded event arguments; bigints as decimal strings. Written as JSON text (see ./jsonText.ts). */
    args: jsonText().notNull(),
  }),
  (table) => ({
    jobIdx: index().on(table.jobId, table.id),
    accountIdx: index().on(table.account, table.id),
    blockIdx: index().on(table.blockNumber),
  }),
);

/**
 * How many jobs are in each status now (both markets), so that the marketplace's and the
 * dashboard's totals need not count the job table (bench/README.md, "scale"). One row (`id` 0),
 * a column per status, moved by one store call whenever a job is posted or changes status.
 */
export const jobCount = onchainTable('job_count', (t) => ({
  id: t.integer().primaryKey(),
  open: t.integer().notNull(),
  assigned: t.integer().notNull(),
  submitted: t.integer().notNull(),
  disputed: t.integer().notNull(),
  closed: t.integer().notNull(),
}));

/**
 * Daily activity (UTC days of block timestamps), both markets together. A replicated job counts as
 * posted, settled, and completed (quorum reached), cancelled or expired (unfilled); it is not counted
 * as assigned or disputed.
 */
export const dailyStat = onchainTable('daily_stat', (t) => ({
  day: t.text().primaryKey(),
  jobsPosted: t.integer().notNull(),
  jobsAssigned: t.integer().notNull(),
  jobsCompleted: t.integer().notNull(),
  jobsCancelled: t.integer().notNull(),
  jobsExpired: t.integer().notNull(),
  jobsReclaimed: t.integer().notNull(),
  jobsDisputed: t.integer().notNull(),
  /** Jobs closed in any way. */
  jobsSettled: t.integer().notNull(),
}));

/** Daily volume per token: budgets posted, and gross amounts paid to workers (payout + fee, and a pool member's pool fee). */
export const dailyTokenStat = onchainTable(
  'daily_token_stat',
  (t) => ({
    day: t.text().notNull(),
    token: t.hex().notNull(),
    volumePosted: t.bigint().notNull(),
    volumeSettled: t.bigint().notNull(),
    fees: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.day, table.token] }) }),
);

/** Each market's owner settings (their constructors emit the initial values). */
export const market = onchainTable('market', (t) => ({
  address: t.hex().primaryKey(),
  kind: jobKind().notNull(),
  feeBps: t.integer().notNull(),
  treasury: t.hex().notNull(),
  /** The single-worker market's default arbiter; null for the replicated market (no arbiters). */
  defaultArbiter: t.hex(),
  updatedBlock: t.bigint().notNull(),
}));

/** Each market's ERC-20 allow-list (ETH, address zero, is always allowed). */
export const allowedToken = onchainTable(
  'allowed_token',
  (t) => ({
    market: t.hex().notNull(),
    token: t.hex().notNull(),
    allowed: t.boolean().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.market, table.token] }) }),
);

/** The single-worker market's arbiter allow-list. */
export const arbiter = onchainTable('arbiter', (t) => ({
  address: t.hex().primaryKey(),
  allowed: t.boolean().notNull(),
}));

/**
 * A published model version (LoomModels' ModelPublished): its content as published, whether it is
 * retired, and its counters. A version never changes; a new price or content is a new id.
 */
export const model = onchainTable(
  'model',
  (t) => ({
    /** The model id (uint32, from 1). */
    id: t.int8({ mode: 'number' }).primaryKey(),
    creator: t.hex().notNull(),
    /** The version this one follows; null for a first version. */
    previous: t.int8({ mode: 'number' }),
    /** The first version of its line: every version of a line shares it (`versions`). */
    lineage: t.int8({ mode: 'number' }).notNull(),
    name: t.text().notNull(),
    version: t.text().notNull(),
    kind: modelKind().notNull(),
    /** [{ sha256, size, path }] (size as a decimal string); empty for an IMAGE. Written as JSON text (see ./jsonText.ts). */
    files: jsonText().notNull(),
    /** An IMAGE's reference; null for the other kinds. */
    image: t.text(),
    licenseURI: t.text().notNull(),
    /** The fee's token (the zero address: ETH); royalties from this model are paid in it alone. */
    token: t.hex().notNull(),
    fee: t.bigint().notNull(),
    retired: t.boolean().notNull(),
    /** Jobs posted with it. */
    uses: t.integer().notNull(),
    /** Royalties credited to its creator from it, in `token`. */
    earned: t.bigint().notNull(),
    publishedAt: t.bigint().notNull(),
    publishedBlock: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({
    lineageIdx: index().on(table.lineage, table.id),
    creatorIdx: index().on(table.creator),
    usesIdx: index().on(table.uses, table.id),
    earnedIdx: index().on(table.earned, table.id),
  }),
);

/** The model hub (LoomModels) that emitted models: its credits are the ones `Credit.modelHub` marks. */
export const modelHub = onchainTable('model_hub', (t) => ({
  address: t.hex().primaryKey(),
  /** Models it published (its latest model id). */
  models: t.int8({ mode: 'number' }).notNull(),
}));

/**
 * A job's use of one model (ModelsUsed): the fee escrowed at posting and, once the job closed, the
 * royalty its creator was credited (RoyaltyPaid; 0 when none).
 */
export const jobModel = onchainTable(
  'job_model',
  (t) => ({
    jobId: t.hex().notNull(),
    modelId: t.int8({ mode: 'number' }).notNull(),
    /** 0-based position in the job's list of models. */
    position: t.integer().notNull(),
    /** The market holding the job. */
    market: t.hex().notNull(),
    token: t.hex().notNull(),
    fee: t.bigint().notNull(),
    /** Null while the job is open; at close what the creator got (0: nothing). */
    royaltyPaid: t.bigint(),
    usedAt: t.bigint().notNull(),
    usedBlock: t.bigint().notNull(),
    /** UTC day of the posting (`usesPerDay`). */
    usedDay: t.text().notNull(),
    /** UTC day of the close (royalties' day); null while open. */
    settledDay: t.text(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.jobId, table.modelId] }),
    modelIdx: index().on(table.modelId, table.usedBlock),
  }),
);

/** A worker pool (the registry's PoolCreated, PoolFeeSet). */
export const pool = onchainTable('pool', (t) => ({
  /** The pool id (uint64, from 1). */
  id: t.bigint().primaryKey(),
  operator: t.hex().notNull(),
  name: t.text().notNull(),
  metadataURI: t.text().notNull(),
  /** The fee for jobs assigned from now on (basis points of a member's payout after the protocol fee). */
  feeBps: t.integer().notNull(),
  approvalRequired: t.boolean().notNull(),
  createdAt: t.bigint().notNull(),
  createdBlock: t.bigint().notNull(),
  transactionHash: t.hex().notNull(),
  updatedBlock: t.bigint().notNull(),
}));

/**
 * A worker's current place in a pool: asked to join (REQUESTED), a MEMBER, or LEAVING (holds pool
 * jobs and leaves when they close). The row goes when the worker leaves or is removed.
 */
export const poolMember = onchainTable(
  'pool_member',
  (t) => ({
    pool: t.bigint().notNull(),
    worker: t.hex().notNull(),
    state: poolMemberState().notNull(),
    /** When it entered its state (unix seconds). */
    since: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.pool, table.worker] }),
    workerIdx: index().on(table.worker),
  }),
);

/** Each PoolFeePaid: a member's job credited its pool's operator. */
export const poolFee = onchainTable(
  'pool_fee',
  (t) => ({
    /** The event id (block number and log index). */
    id: t.text().primaryKey(),
    jobId: t.hex().notNull(),
    pool: t.bigint().notNull(),
    operator: t.hex().notNull(),
    /** The market that credited it (`withdraw` is called there). */
    market: t.hex().notNull(),
    token: t.hex().notNull(),
    amount: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ poolIdx: index().on(table.pool, table.token) }),
);

export const jobRelations = relations(job, ({ many, one }) => ({
  bids: many(bid),
  slots: many(jobSlot),
  events: many(jobEvent),
  assignee: one(worker, { fields: [job.worker], references: [worker.address] }),
}));
export const bidRelations = relations(bid, ({ one }) => ({
  job: one(job, { fields: [bid.jobId], references: [job.id] }),
  bidder: one(worker, { fields: [bid.worker], references: [worker.address] }),
}));
export const jobSlotRelations = relations(jobSlot, ({ one }) => ({
  job: one(job, { fields: [jobSlot.jobId], references: [job.id] }),
  holder: one(worker, { fields: [jobSlot.worker], references: [worker.address] }),
}));
export const workerRelations = relations(worker, ({ many }) => ({
  bids: many(bid),
  slots: many(jobSlot),
  earnings: many(workerEarning),
  clients: many(workerClient),
}));
export const workerClientRelations = relations(workerClient, ({ one }) => ({
  owner: one(worker, { fields: [workerClient.worker], references: [worker.address] }),
}));
export const workerEarningRelations = relations(workerEarning, ({ one }) => ({
  owner: one(worker, { fields: [workerEarning.worker], references: [worker.address] }),
}));
export const jobEventRelations = relations(jobEvent, ({ one }) => ({
  job: one(job, { fields: [jobEvent.jobId], references: [job.id] }),
}));
