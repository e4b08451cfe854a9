/**
 * The indexed marketplace. Every row is a pure function of LoomMarket events (handlers never read
 * contract state), so a replay from genesis rebuilds exactly these tables.
 * Amounts are raw token units (wei, or the ERC-20's smallest unit); times are unix seconds.
 */
import { index, onchainEnum, onchainTable, primaryKey, relations } from 'ponder';
import { closeReasonKeys, jobModeKeys, jobStatusKeys } from '../abis/generated';
import { jsonText } from './jsonText';

/** A contract enum's names in value order, without `None` (0: never stored), as PostgreSQL enum labels. */
function stored<K extends string>(keys: readonly K[]): [Exclude<K, 'NONE'>, ...Exclude<K, 'NONE'>[]] {
  return keys.filter((k): k is Exclude<K, 'NONE'> => k !== 'NONE') as [Exclude<K, 'NONE'>, ...Exclude<K, 'NONE'>[]];
}

// The contract's enums (generated from its source into abis/generated.ts).
export const jobStatus = onchainEnum('job_status', stored(jobStatusKeys));
export const closeReason = onchainEnum('close_reason', stored(closeReasonKeys));
export const jobMode = onchainEnum('job_mode', stored(jobModeKeys));
export const bidStatus = onchainEnum('bid_status', ['ACTIVE', 'WITHDRAWN', 'ACCEPTED']);

/** A job: its terms (from JobPosted) and its current state. */
export const job = onchainTable(
  'job',
  (t) => ({
    id: t.hex().primaryKey(),
    // ---- terms, as emitted in JobPosted (a worker passes them back to the contract) ----
    client: t.hex().notNull(),
    token: t.hex().notNull(),
    arbiter: t.hex().notNull(),
    budget: t.bigint().notNull(),
    collateral: t.bigint().notNull(),
    feeBps: t.integer().notNull(),
    mode: jobMode().notNull(),
    openUntil: t.bigint().notNull(),
    executionTimeout: t.integer().notNull(),
    challengeWindow: t.integer().notNull(),
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
    // ---- state ----
    status: jobStatus().notNull(),
    closeReason: closeReason(),
    worker: t.hex(),
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
    clientIdx: index().on(table.client),
    workerIdx: index().on(table.worker),
    tokenIdx: index().on(table.token),
    assignedDayIdx: index().on(table.assignedDay, table.token),
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
    /** ETH stake including locked collateral, excluding unbonding stake. */
    stake: t.bigint().notNull(),
    locked: t.bigint().notNull(),
    unbonding: t.bigint().notNull(),
    unlockAt: t.bigint(),
    activeJobs: t.integer().notNull(),
    jobsAssigned: t.integer().notNull(),
    jobsCompleted: t.integer().notNull(),
    jobsReclaimed: t.integer().notNull(),
    disputesWon: t.integer().notNull(),
    disputesLost: t.integer().notNull(),
    slashCount: t.integer().notNull(),
    slashedTotal: t.bigint().notNull(),
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

/** What a worker has been paid, per token (payouts net of fees). */
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

/** Credited, not yet withdrawn balances (the contract's `credits`), per token and account. */
export const balance = onchainTable(
  'balance',
  (t) => ({
    account: t.hex().notNull(),
    token: t.hex().notNull(),
    amount: t.bigint().notNull(),
    credited: t.bigint().notNull(),
    withdrawn: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.account, table.token] }) }),
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
    name: t.text().notNull(),
    /** The job the event is about, if any. */
    jobId: t.hex(),
    /** The account the event is about (worker, client, party, owner...), if any. */
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

/** Daily activity (UTC days of block timestamps). */
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

/** Daily volume per token: budgets posted, and gross amounts paid to workers (payout + fee). */
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

/** The owner's settings, one row (id 1). */
export const market = onchainTable('market', (t) => ({
  id: t.integer().primaryKey(),
  feeBps: t.integer().notNull(),
  treasury: t.hex().notNull(),
  defaultArbiter: t.hex().notNull(),
  updatedBlock: t.bigint().notNull(),
}));

/** ERC-20 allow-list (ETH, address zero, is always allowed). */
export const allowedToken = onchainTable('allowed_token', (t) => ({
  token: t.hex().primaryKey(),
  allowed: t.boolean().notNull(),
}));

/** Arbiter allow-list. */
export const arbiter = onchainTable('arbiter', (t) => ({
  address: t.hex().primaryKey(),
  allowed: t.boolean().notNull(),
}));

export const jobRelations = relations(job, ({ many, one }) => ({
  bids: many(bid),
  events: many(jobEvent),
  assignee: one(worker, { fields: [job.worker], references: [worker.address] }),
}));
export const bidRelations = relations(bid, ({ one }) => ({
  job: one(job, { fields: [bid.jobId], references: [job.id] }),
  bidder: one(worker, { fields: [bid.worker], references: [worker.address] }),
}));
export const workerRelations = relations(worker, ({ many }) => ({
  bids: many(bid),
  earnings: many(workerEarning),
}));
export const workerEarningRelations = relations(workerEarning, ({ one }) => ({
  owner: one(worker, { fields: [workerEarning.worker], references: [worker.address] }),
}));
export const jobEventRelations = relations(jobEvent, ({ one }) => ({
  job: one(job, { fields: [jobEvent.jobId], references: [job.id] }),
}));
