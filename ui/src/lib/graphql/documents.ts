/**
 * Every GraphQL document the UI sends, in one place. Fragments are unmasked (`@_unmask`): pages
 * read their fields directly.
 */
import { graphql, type ResultOf } from '$sdk/graphql';

export const TermsFields = graphql(`
  fragment TermsFields on JobTerms @_unmask {
    client
    token
    arbiter
    budget
    collateral
    feeBps
    mode
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

export const JobCardFields = graphql(
  `
  fragment JobCardFields on Job @_unmask {
    id
    status
    closeReason
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

export const WorkerFields = graphql(`
  fragment WorkerFields on Worker @_unmask {
    address
    registered
    available
    gpuModelName
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
    activeJobs
    jobsAssigned
    jobsCompleted
    jobsReclaimed
    disputesWon
    disputesLost
    slashCount
    reputation
    registeredAt
    earnings {
      token
      amount
      jobs
    }
  }
`);

export const EventFields = graphql(`
  fragment EventFields on JobEvent @_unmask {
    id
    cursor
    blockNumber
    blockHash
    txHash
    logIndex
    timestamp
    name
    jobId
    account
    args
  }
`);

/** The marketplace: a page of jobs. */
export const JobsQuery = graphql(
  `
  query Jobs($filter: JobFilter, $orderBy: JobOrderBy, $first: Int, $after: String, $withCount: Boolean!) {
    jobs(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount @include(if: $withCount)
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

export const JobQuery = graphql(
  `
  query Job($id: ID!) {
    job(id: $id) {
      ...JobCardFields
      spec
      refund
      pricePerGpuHour
      executionDeadline
      resultHash
      resultURI
      challengeDeadline
      disputeReason
      arbitrationDeadline
      workerPayout
      fee
      clientRefund
      slashed
      postedBlock
      postedTx
      assignedAt
      submittedAt
      closedAt
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
  [JobCardFields, WorkerFields],
);

/** A job's event log, in chain order, a page at a time. */
export const JobEventsQuery = graphql(
  `
  query JobEvents($filter: JobEventFilter, $order: SortDirection, $first: Int, $after: String) {
    jobEvents(filter: $filter, order: $order, first: $first, after: $after) {
      edges {
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

export const WorkerQuery = graphql(
  `
  query Worker($address: Address!) {
    worker(address: $address) {
      ...WorkerFields
      slashedTotal
      unbonding
      unlockAt
      updatedAt
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
  [WorkerFields],
);

/** The market's settings: fee, tokens, arbiters. */
export const MarketQuery = graphql(`
  query Market {
    market {
      feeBps
      treasury
      defaultArbiter
      allowedTokens
      arbiters
      updatedBlock
    }
  }
`);

/** How many available workers meet the requirements being typed into the post form. */
export const EligibleWorkersQuery = graphql(`
  query EligibleWorkers($filter: WorkerFilter) {
    workers(filter: $filter, first: 0) {
      totalCount
    }
  }
`);

export const StatsQuery = graphql(`
  query Stats($fromDay: Date, $toDay: Date) {
    stats(fromDay: $fromDay, toDay: $toDay) {
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
    openJobs: jobs(filter: { status: [OPEN] }, first: 0) {
      totalCount
    }
    activeJobs: jobs(filter: { status: [ASSIGNED, SUBMITTED, DISPUTED] }, first: 0) {
      totalCount
    }
    availableWorkers: workers(filter: { registered: true, available: true }, first: 0) {
      totalCount
    }
  }
`);

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

export const BalancesQuery = graphql(`
  query Balances($account: Address!) {
    balances(account: $account) {
      token
      amount
      credited
      withdrawn
    }
  }
`);

/** Whether a job is indexed yet (after posting it). */
export const JobExistsQuery = graphql(`
  query JobExists($id: ID!) {
    job(id: $id) {
      id
    }
  }
`);

/** The live feed: every event as it is indexed (one stream for the whole app). */
export const JobEventsSubscription = graphql(
  `
  subscription LiveEvents($after: String) {
    jobEvents(after: $after) {
      retracted
      cursor
      event {
        ...EventFields
      }
    }
  }
`,
  [EventFields],
);

/** The newest event, to start the live feed from a cursor. */
export const LatestEventQuery = graphql(`
  query LatestEvent {
    jobEvents(order: DESC, first: 1) {
      edges {
        node {
          cursor
          timestamp
          blockNumber
        }
      }
    }
  }
`);

export type JobCard = ResultOf<typeof JobCardFields>;
export type JobTermsResult = ResultOf<typeof TermsFields>;
export type WorkerResult = ResultOf<typeof WorkerFields>;
export type JobEventResult = ResultOf<typeof EventFields>;
export type JobDetail = NonNullable<ResultOf<typeof JobQuery>['job']>;
export type DailyStat = ResultOf<typeof StatsQuery>['stats'][number];
