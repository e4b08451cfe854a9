/**
 * The typed operations every client of the API needs (the CLI, the worker, the web UI, integrators),
 * checked against api/graphql/schema.graphql by gql.tada. Fragments are unmasked (`@_unmask`): results read
 * their fields directly, no `readFragment` needed.
 *
 * Amounts and times are `BigInt` decimal strings; pass a SINGLE job's `terms` to `toContractTerms`
 * (sdk/jobTerms.ts) to get the struct every contract call after `postJob` takes. A REPLICATED job's
 * struct is its `replicatedTerms` (what LoomReplicatedMarket's calls take), its workers its `slots`.
 *
 * @example
 * const { job } = await reader.query(JobQuery, { id });
 * if (job?.status === 'OPEN') await writer.claimJob(toContractTerms(job.terms));
 */
import { graphql, type ResultOf } from './graphql';

/** A job's terms, the contract's `JobTerms` field for field. */
export const TermsFields = graphql(`
  fragment TermsFields on JobTerms @_unmask {
    client
    token
    arbiter
    budget
    collateral
    feeBps
    mode
    offeredTo
    openUntil
    executionTimeout
    challengeWindow
    minGpuCount
    minVramMiB
    gpuModel
    specHash
    salt
  }
`);

/** A replicated job's terms, LoomReplicatedMarket's `ReplicatedTerms` field for field. */
export const ReplicatedTermsFields = graphql(`
  fragment ReplicatedTermsFields on ReplicatedTerms @_unmask {
    client
    token
    price
    collateral
    feeBps
    replicas
    quorum
    openUntil
    commitWindow
    revealWindow
    minGpuCount
    minVramMiB
    gpuModel
    specHash
    salt
  }
`);

/** A replicated job's slot: its worker, how far it got, and what the settlement said of it. */
export const SlotFields = graphql(`
  fragment SlotFields on Slot @_unmask {
    index
    worker
    state
    commitment
    resultHash
    resultURI
    revealOrder
    verdict
    payout
    slashed
    slashShare
    takenAt
    takenBlock
    committedAt
    revealedAt
    updatedBlock
  }
`);

/**
 * A job of either kind: terms, spec, state, deadlines, result and how it ended; for a REPLICATED job
 * also its struct, progress, slots and settlement (null, or empty, for a SINGLE job).
 */
export const JobFields = graphql(
  `
  fragment JobFields on Job @_unmask {
    id
    kind
    market
    status
    closeReason
    worker
    price
    refund
    pricePerGpuHour
    gpuModelName
    executionDeadline
    challengeDeadline
    arbitrationDeadline
    resultHash
    resultURI
    disputeReason
    workerPayout
    fee
    clientRefund
    slashed
    activeBids
    postedAt
    postedBlock
    postedTx
    assignedAt
    submittedAt
    closedAt
    updatedAt
    updatedBlock
    spec
    specJson
    terms {
      ...TermsFields
    }
    replicas
    quorum
    slotsFilled
    commits
    reveals
    commitDeadline
    revealDeadline
    outcome
    winnerSlashShare
    clientSlashShare
    replicatedTerms {
      ...ReplicatedTermsFields
    }
    slots {
      ...SlotFields
    }
  }
`,
  [TermsFields, ReplicatedTermsFields, SlotFields],
);

/** A worker: hardware claim, stake and record. */
export const WorkerFields = graphql(`
  fragment WorkerFields on Worker @_unmask {
    address
    registered
    available
    online
    lastSeen
    gpuModelName
    encryptionKey
    claim {
      gpuModel
      gpuCount
      vramMiB
      cpuCores
      ramMiB
      pricePerGpuHour
      metadataURI
    }
    stake
    locked
    freeStake
    unbonding
    unlockAt
    activeJobs
    jobsAssigned
    jobsCompleted
    jobsReclaimed
    jobsReturned
    disputesWon
    disputesLost
    slashCount
    slashedTotal
    replicasAgreed
    replicasDisagreed
    replicasUnrevealed
    clients
    reputation
    reputationVersion
    registeredAt
    updatedAt
    updatedBlock
    earnings {
      token
      amount
      jobs
    }
  }
`);

/** A bid, without its job. */
export const BidFields = graphql(`
  fragment BidFields on Bid @_unmask {
    jobId
    worker
    price
    status
    placedAt
    placedBlock
    updatedAt
    updatedBlock
  }
`);

/** One event of Loom's contracts as emitted (`args` by name, integers as decimal strings), with its contract. */
export const EventFields = graphql(`
  fragment EventFields on JobEvent @_unmask {
    id
    cursor
    blockNumber
    blockHash
    txHash
    logIndex
    contract
    timestamp
    name
    jobId
    account
    args
  }
`);

/** A job by id; with `atBlock`, as it was at the end of that block. Null when unknown. */
export const JobQuery = graphql(
  `
  query Job($id: ID!, $atBlock: BigInt) {
    job(id: $id, atBlock: $atBlock) {
      ...JobFields
      asOfBlock
    }
  }
`,
  [JobFields],
);

/**
 * What sealing needs of a job: its client, status, assigned worker or slot holders with their
 * encryption keys, and the sealed bundles its client sent (sdk/sealing.ts; README: Private jobs).
 */
export const JobSealingQuery = graphql(`
  query JobSealing($id: ID!) {
    job(id: $id) {
      id
      kind
      market
      status
      terms { client openUntil }
      replicatedTerms { replicas }
      worker
      specJson
      resultHash
      resultURI
      assignee { address encryptionKey }
      slots { worker holder { encryptionKey } }
      sealedBundles { id worker bundleHash inlineBundle uri blockNumber }
    }
  }
`);

/** A page of jobs (`totalCount` only when `withCount` is true: it costs a count query). */
export const JobsQuery = graphql(
  `
  query Jobs($filter: JobFilter, $orderBy: JobOrderBy, $first: Int, $after: String, $withCount: Boolean = false) {
    jobs(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount @include(if: $withCount)
      edges {
        cursor
        node {
          ...JobFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`,
  [JobFields],
);

/** A page of bids, of one job and/or one worker; with `withJob`, each with its job's current state. */
export const BidsQuery = graphql(
  `
  query Bids(
    $jobId: ID
    $worker: Address
    $status: BidStatus
    $orderBy: BidOrderBy
    $first: Int
    $after: String
    $withJob: Boolean = false
  ) {
    bids(jobId: $jobId, worker: $worker, status: $status, orderBy: $orderBy, first: $first, after: $after) {
      edges {
        cursor
        node {
          ...BidFields
          job @include(if: $withJob) {
            ...JobFields
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`,
  [BidFields, JobFields],
);

/** A worker by address; null when it never registered. */
export const WorkerQuery = graphql(
  `
  query Worker($address: Address!) {
    worker(address: $address) {
      ...WorkerFields
    }
  }
`,
  [WorkerFields],
);

/** A page of workers. */
export const WorkersQuery = graphql(
  `
  query Workers($filter: WorkerFilter, $orderBy: WorkerOrderBy, $first: Int, $after: String) {
    workers(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          ...WorkerFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`,
  [WorkerFields],
);

/** Workers that could take a job now, best first. */
export const MatchWorkersQuery = graphql(
  `
  query MatchWorkers($jobId: ID!, $first: Int, $pool: ID) {
    matchWorkers(jobId: $jobId, first: $first, pool: $pool) {
      online
      score
      reputationScore
      priceScore
      fitScore
      worker {
        ...WorkerFields
      }
    }
  }
`,
  [WorkerFields],
);

/** A page of the event log (`order: DESC, first: 1` gives the newest cursor, where to start following). */
export const JobEventsQuery = graphql(
  `
  query JobEvents($filter: JobEventFilter, $order: SortDirection, $first: Int, $after: String) {
    jobEvents(filter: $filter, order: $order, first: $first, after: $after) {
      edges {
        cursor
        node {
          ...EventFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`,
  [EventFields],
);

/**
 * The event log as it grows, resumed after `after` (nothing missed, nothing repeated), with
 * retractions on reorganizations; with `withJob`, each event with its job's current state.
 */
export const JobEventsSubscription = graphql(
  `
  subscription JobEventsLive($after: String, $filter: JobEventFilter, $withJob: Boolean = false) {
    jobEvents(after: $after, filter: $filter) {
      retracted
      cursor
      event {
        ...EventFields
        job @include(if: $withJob) {
          ...JobFields
        }
      }
    }
  }
`,
  [EventFields, JobFields],
);

/** Jobs' new states as events change them, from now on (not resumable: query again after a reconnection). */
export const JobUpdatedSubscription = graphql(
  `
  subscription JobUpdated($ids: [ID!], $filter: JobFilter) {
    jobUpdated(ids: $ids, filter: $filter) {
      jobId
      retracted
      headBlock
      job {
        ...JobFields
      }
    }
  }
`,
  [JobFields],
);

/** One UTC day of the market: job counts, and volume, fees and median price per token. */
export const DailyStatFields = graphql(`
  fragment DailyStatFields on DailyStat @_unmask {
    day
    jobsPosted
    jobsAssigned
    jobsCompleted
    jobsCancelled
    jobsExpired
    jobsReclaimed
    jobsDisputed
    jobsSettled
    tokens {
      token
      volumePosted
      volumeSettled
      fees
      gpuJobsAssigned
      medianPricePerGpuHour
    }
  }
`);

/** Daily statistics, one entry per UTC day. */
export const StatsQuery = graphql(
  `
  query Stats($fromDay: Date, $toDay: Date) {
    stats(fromDay: $fromDay, toDay: $toDay) {
      ...DailyStatFields
    }
  }
`,
  [DailyStatFields],
);

/** A market's settings (without `address`: the single-worker market's): fee, treasury, tokens, arbiters. */
export const MarketQuery = graphql(`
  query Market($address: Address) {
    market(address: $address) {
      address
      kind
      feeBps
      treasury
      defaultArbiter
      allowedTokens
      arbiters
      updatedBlock
    }
  }
`);

/** Every market's settings, the single-worker market first. */
export const MarketsQuery = graphql(`
  query Markets {
    markets {
      address
      kind
      feeBps
      treasury
      defaultArbiter
      allowedTokens
      arbiters
      updatedBlock
    }
  }
`);

/**
 * An account's credits per ledger and token: call `withdraw(token, to)` on each `market` whose
 * `amount` (withdrawable now) is above 0 (`modelHub`: that contract is LoomModels, where royalties
 * and unearned model fees are credited).
 */
export const CreditsQuery = graphql(`
  query Credits($account: Address!) {
    credits(account: $account) {
      market
      kind
      modelHub
      token
      amount
      credited
      withdrawn
    }
  }
`);

/** An account's credited balances, one per token, summed over the markets (`amount` is withdrawable now). */
export const BalancesQuery = graphql(`
  query Balances($account: Address!) {
    balances(account: $account) {
      account
      token
      amount
      credited
      withdrawn
    }
  }
`);

/** One hash of the indexed state, to compare two databases or two replays. */
export const StateDigestQuery = graphql(`
  query StateDigest($atBlock: BigInt) {
    stateDigest(atBlock: $atBlock) {
      digest
      scope
      atBlock
      headBlock
      version
      tables {
        name
        rows
        sha256
      }
    }
  }
`);

// ---- The model hub and worker pools ----

/** A published model version: its content, price, counters and earnings. */
export const ModelFields = graphql(`
  fragment ModelFields on Model @_unmask {
    id
    creator
    name
    version
    kind
    files {
      sha256
      size
      path
    }
    image
    licenseURI
    token
    fee
    retired
    previous {
      id
      version
    }
    publishedAt
    publishedBlock
    transactionHash
    uses
    earnings {
      token
      amount
    }
  }
`);

/** A page of models: `filter` (kind, creator, token, retired, name search), `orderBy` NEWEST, USES_DESC or EARNINGS_DESC. */
export const ModelsQuery = graphql(
  `
  query Models($filter: ModelFilter, $orderBy: ModelOrderBy, $first: Int, $after: String) {
    models(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          ...ModelFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`,
  [ModelFields],
);

/** One model (null when no model has that id), with every version of its line, its uses per day and the jobs that used it. */
export const ModelQuery = graphql(
  `
  query Model($id: ID!, $days: Int, $jobs: Int, $after: String) {
    model(id: $id) {
      ...ModelFields
      versions {
        id
        version
        fee
        token
        retired
      }
      usesPerDay(days: $days) {
        day
        uses
        earnings {
          token
          amount
        }
      }
      jobs(first: $jobs, after: $after) {
        totalCount
        edges {
          cursor
          node {
            id
            kind
            status
            postedAt
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`,
  [ModelFields],
);

/** A worker pool: its operator, fee, counters, earnings and members' mean reputation. */
export const PoolFields = graphql(`
  fragment PoolFields on Pool @_unmask {
    id
    operator
    name
    metadataURI
    feeBps
    approvalRequired
    createdAt
    memberCount
    jobsCompleted
    reputation
    earnings {
      token
      amount
    }
  }
`);

/** A page of worker pools, newest first. */
export const PoolsQuery = graphql(
  `
  query Pools($first: Int, $after: String) {
    pools(first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          ...PoolFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`,
  [PoolFields],
);

/** One pool (null when no pool has that id), with its members (optionally of one state) and its jobs. */
export const PoolQuery = graphql(
  `
  query Pool($id: ID!, $state: PoolMemberState, $jobs: Int, $after: String) {
    pool(id: $id) {
      ...PoolFields
      members(state: $state) {
        address
        state
        since
        worker {
          address
          reputation
          available
          online
        }
      }
      jobs(first: $jobs, after: $after) {
        totalCount
        edges {
          cursor
          node {
            id
            kind
            status
            poolFeeBps
            poolFeePaid
            postedAt
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`,
  [PoolFields],
);

/** A job's models (fees and royalties) and pool (fee fixed at assignment, fee paid). */
export const JobModelsAndPoolQuery = graphql(`
  query JobModelsAndPool($id: ID!) {
    job(id: $id) {
      id
      models {
        model {
          id
          name
          version
          kind
          creator
        }
        fee
        royaltyPaid
      }
      pool {
        id
        name
        operator
        feeBps
      }
      poolFeeBps
      poolFeePaid
    }
  }
`);

/** A worker's current place in a pool (null when in none). */
export const WorkerPoolQuery = graphql(`
  query WorkerPool($address: Address!) {
    worker(address: $address) {
      address
      pool {
        state
        since
        pool {
          id
          name
          operator
          feeBps
          approvalRequired
        }
      }
    }
  }
`);

export type ModelResult = ResultOf<typeof ModelFields>;
export type ModelDetail = NonNullable<ResultOf<typeof ModelQuery>['model']>;
export type PoolResult = ResultOf<typeof PoolFields>;
export type PoolDetail = NonNullable<ResultOf<typeof PoolQuery>['pool']>;

export type JobTermsResult = ResultOf<typeof TermsFields>;
export type ReplicatedTermsResult = ResultOf<typeof ReplicatedTermsFields>;
export type SlotResult = ResultOf<typeof SlotFields>;
export type CreditResult = ResultOf<typeof CreditsQuery>['credits'][number];
export type JobResult = ResultOf<typeof JobFields>;
export type WorkerResult = ResultOf<typeof WorkerFields>;
export type BidResult = ResultOf<typeof BidFields>;
export type JobEventResult = ResultOf<typeof EventFields>;
export type JobEventDelivery = ResultOf<typeof JobEventsSubscription>['jobEvents'];
export type JobUpdate = ResultOf<typeof JobUpdatedSubscription>['jobUpdated'];

// ---- The web UI's views: lighter job cards for lists, a job page with its bids and assignee, counters.

export const JobCardFields = graphql(
  `
  fragment JobCardFields on Job @_unmask {
    id
    kind
    status
    closeReason
    outcome
    replicas
    slotsFilled
    gpuModelName
    specJson
    worker
    price
    activeBids
    postedAt
    updatedBlock
    terms {
      ...TermsFields
    }
  }
`,
  [TermsFields],
);

/** The web UI's marketplace: a page of job cards (the count capped at `$countUpTo`: JOB_COUNT_UP_TO). */
export const JobCardsQuery = graphql(
  `
  query JobCards($filter: JobFilter, $orderBy: JobOrderBy, $first: Int, $after: String, $withCount: Boolean!, $countUpTo: Int) {
    jobs(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount(upTo: $countUpTo) @include(if: $withCount)
      edges {
        cursor
        node {
          ...JobCardFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`,
  [JobCardFields],
);

/** A job with everything the web UI's job page shows: its JobFields, its assignee and its bids. */
export const JobPageQuery = graphql(
  `
  query JobPage($id: ID!) {
    job(id: $id) {
      ...JobFields
      assignee {
        ...WorkerFields
      }
      bids(first: 100) {
        edges {
          node {
            worker
            price
            status
            placedAt
            placedBlock
            bidder {
              ...WorkerFields
            }
          }
        }
      }
    }
  }
`,
  [JobFields, WorkerFields],
);

/** What a worker's last heartbeat said of its GPUs. */
export const GpuReportFields = graphql(`
  fragment GpuReportFields on GpuReport @_unmask {
    status
    error
    devices {
      index
      uuid
      name
      utilizationPct
      memoryUsedMiB
      memoryTotalMiB
      temperatureC
      uncorrectedErrors
    }
  }
`);

/** Workers coming online, going offline or reporting other GPU state (presence: the API's memory, not chain state). */
export const WorkerPresenceSubscription = graphql(
  `
  subscription WorkerPresence($workers: [Address!]) {
    workerPresence(workers: $workers) {
      address
      online
      lastSeen
      gpus {
        ...GpuReportFields
      }
    }
  }
`,
  [GpuReportFields],
);

/** A worker with its latest bids, for the web UI's worker page. */
export const WorkerPageQuery = graphql(
  `
  query WorkerPage($address: Address!) {
    worker(address: $address) {
      ...WorkerFields
      gpus {
        ...GpuReportFields
      }
    }
    bids(worker: $address, orderBy: PLACED_AT_DESC, first: 20) {
      edges {
        node {
          jobId
          price
          status
          placedAt
          job {
            id
            status
            terms {
              token
              budget
            }
          }
        }
      }
    }
  }
`,
  [WorkerFields, GpuReportFields],
);

/** How many available workers meet the requirements being typed into the post form. */
export const EligibleWorkersQuery = graphql(`
  query EligibleWorkers($filter: WorkerFilter) {
    workers(filter: $filter, first: 0) {
      totalCount
    }
  }
`);

/** The dashboard: the daily statistics, plus the market's live counters. */
export const DashboardQuery = graphql(
  `
  query Dashboard($fromDay: Date, $toDay: Date) {
    stats(fromDay: $fromDay, toDay: $toDay) {
      ...DailyStatFields
    }
    openJobs: jobs(filter: { status: [OPEN] }, first: 0) {
      totalCount
    }
    activeJobs: jobs(filter: { status: [ASSIGNED, SUBMITTED, DISPUTED] }, first: 0) {
      totalCount
    }
    availableWorkers: workers(filter: { registered: true, available: true, online: true }, first: 0) {
      totalCount
    }
  }
`,
  [DailyStatFields],
);

/** Disputed jobs with their evidence (the job's events). */
export const DisputesQuery = graphql(
  `
  query Disputes($filter: JobFilter, $first: Int, $after: String) {
    jobs(filter: $filter, orderBy: POSTED_AT_DESC, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          ...JobCardFields
          resultHash
          resultURI
          disputeReason
          arbitrationDeadline
          workerPayout
          clientRefund
          slashed
          closedAt
          events(first: 50) {
            edges {
              node {
                ...EventFields
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`,
  [JobCardFields, EventFields],
);

export type JobCard = ResultOf<typeof JobCardFields>;
export type JobDetail = NonNullable<ResultOf<typeof JobPageQuery>['job']>;
export type JobSealing = NonNullable<ResultOf<typeof JobSealingQuery>['job']>;
export type DailyStat = ResultOf<typeof DashboardQuery>['stats'][number];
