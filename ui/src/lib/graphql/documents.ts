/**
 * Every GraphQL document the UI sends, in one place. The SDK's shared operations and fragments
 * (sdk/documents.ts) are used as they are where the UI needs the same; the documents below are the
 * UI's own (lighter job cards for lists, a job page with its bids and assignee, counters). Fragments
 * are unmasked (`@_unmask`): pages read their fields directly.
 */
import { graphql, type ResultOf } from '$sdk/graphql';
import { DailyStatFields, EventFields, JobFields, TermsFields, WorkerFields } from '$sdk/documents';

export {
  BalancesQuery,
  EventFields,
  JobEventsQuery,
  JobEventsSubscription,
  MarketQuery,
  TermsFields,
  WorkerFields,
  WorkersQuery,
  type JobEventResult,
  type JobTermsResult,
  type WorkerResult,
} from '$sdk/documents';

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

/** A job with everything its page shows: the SDK's JobFields, its assignee and its bids. */
export const JobQuery = graphql(
  `
  query Job($id: ID!) {
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

export const WorkerQuery = graphql(
  `
  query Worker($address: Address!) {
    worker(address: $address) {
      ...WorkerFields
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

/** How many available workers meet the requirements being typed into the post form. */
export const EligibleWorkersQuery = graphql(`
  query EligibleWorkers($filter: WorkerFilter) {
    workers(filter: $filter, first: 0) {
      totalCount
    }
  }
`);

/** The dashboard: the SDK's daily statistics, plus the market's live counters. */
export const StatsQuery = graphql(
  `
  query Stats($fromDay: Date, $toDay: Date) {
    stats(fromDay: $fromDay, toDay: $toDay) {
      ...DailyStatFields
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

/** Whether a job is indexed yet (after posting it). */
export const JobExistsQuery = graphql(`
  query JobExists($id: ID!) {
    job(id: $id) {
      id
    }
  }
`);

export type JobCard = ResultOf<typeof JobCardFields>;
export type JobDetail = NonNullable<ResultOf<typeof JobQuery>['job']>;
export type DailyStat = ResultOf<typeof StatsQuery>['stats'][number];
