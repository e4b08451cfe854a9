/**
 * The web UI's views of the model hub and the worker pools (api/graphql/schema.graphql: Model, Pool),
 * typed by gql.tada like the SDK's documents: a card for lists, a page with everything it shows, and
 * what the account page and the job form need.
 */
import { graphql, type ResultOf } from '$sdk/graphql';
import { JobCardFields } from '$sdk/documents';

/** A model version as lists show it. */
export const ModelCardFields = graphql(`
  fragment ModelCardFields on Model @_unmask {
    id
    creator
    name
    version
    kind
    token
    fee
    retired
    uses
    publishedAt
    earnings {
      token
      amount
    }
  }
`);

/** The hub's browse page, and the job form's model search. */
export const ModelsQuery = graphql(
  `
  query Models($filter: ModelFilter, $orderBy: ModelOrderBy, $first: Int, $after: String) {
    models(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          ...ModelCardFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`,
  [ModelCardFields],
);

/** A model's page: its content, its versions, its use per day and the jobs that used it. */
export const ModelPageQuery = graphql(
  `
  query ModelPage($id: ID!, $days: Int) {
    model(id: $id) {
      ...ModelCardFields
      files {
        sha256
        size
        path
      }
      image
      licenseURI
      publishedBlock
      transactionHash
      previous {
        id
        version
      }
      versions {
        id
        version
        retired
        token
        fee
        uses
        publishedAt
      }
      usesPerDay(days: $days) {
        day
        uses
        earnings {
          token
          amount
        }
      }
      jobs(first: 20) {
        totalCount
        edges {
          node {
            ...JobCardFields
          }
        }
      }
    }
  }
`,
  [ModelCardFields, JobCardFields],
);

/** The models the job form preselects (`/jobs/new?models=3,5`), by id. */
export const ModelPickQuery = graphql(
  `
  query ModelPick($id: ID!) {
    model(id: $id) {
      ...ModelCardFields
    }
  }
`,
  [ModelCardFields],
);

/** A pool as lists show it. */
export const PoolCardFields = graphql(`
  fragment PoolCardFields on Pool @_unmask {
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

/** Every pool, a page at a time (also the job form's pool picker). */
export const PoolsQuery = graphql(
  `
  query Pools($first: Int, $after: String) {
    pools(first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          ...PoolCardFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`,
  [PoolCardFields],
);

/** A pool's page: its members and requests, its jobs; and the connected account's own membership. */
export const PoolPageQuery = graphql(
  `
  query PoolPage($id: ID!, $account: Address!) {
    pool(id: $id) {
      ...PoolCardFields
      members {
        address
        state
        since
        worker {
          reputation
          online
          available
          gpuModelName
          claim {
            gpuCount
          }
        }
      }
      jobs(first: 20) {
        totalCount
        edges {
          node {
            ...JobCardFields
          }
        }
      }
    }
    me: worker(address: $account) {
      registered
      pool {
        state
        pool {
          id
          name
        }
      }
    }
  }
`,
  [PoolCardFields, JobCardFields],
);

/** The account page's creator and operator side: its models and what they earned, the pools it runs. */
export const AccountHubQuery = graphql(
  `
  query AccountHub($account: Address!) {
    models(filter: { creator: $account }, orderBy: EARNINGS_DESC, first: 50) {
      totalCount
      edges {
        node {
          ...ModelCardFields
        }
      }
    }
    pools(first: 100) {
      edges {
        node {
          ...PoolCardFields
        }
      }
    }
  }
`,
  [ModelCardFields, PoolCardFields],
);

/** What a job's page adds about the hub: the models it uses with their fees and royalties, its pool. */
export const JobHubQuery = graphql(`
  query JobHub($id: ID!) {
    job(id: $id) {
      id
      models {
        fee
        royaltyPaid
        model {
          id
          name
          version
          token
        }
      }
      pool {
        id
        name
        feeBps
      }
      poolFeeBps
      poolFeePaid
    }
  }
`);

export type ModelCard = ResultOf<typeof ModelCardFields>;
export type ModelPage = NonNullable<ResultOf<typeof ModelPageQuery>['model']>;
export type PoolCard = ResultOf<typeof PoolCardFields>;
export type PoolPage = NonNullable<ResultOf<typeof PoolPageQuery>['pool']>;
export type TokenAmount = { token: string; amount: string };
