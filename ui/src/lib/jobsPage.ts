/**
 * One page of the marketplace. The API filters by status, token, mode and hardware; a price range
 * (the agreed price, or the budget while open) is applied here by scanning the API's pages in order,
 * so cursors stay exact: the next page starts after the last job shown.
 */
import type { Client, CombinedError } from '@urql/core';
import { JobsQuery, type JobCard } from './graphql/documents';
import type { VariablesOf } from '$sdk/graphql';

export type JobFilter = NonNullable<VariablesOf<typeof JobsQuery>['filter']>;
export type JobOrderBy = NonNullable<VariablesOf<typeof JobsQuery>['orderBy']>;

export type JobsPageRequest = {
  filter: JobFilter;
  orderBy: JobOrderBy;
  after: string | null;
  pageSize: number;
  /** In the token's smallest unit. */
  minPrice?: bigint;
  maxPrice?: bigint;
};

export type JobsPage = { items: JobCard[]; nextCursor: string | null; hasNext: boolean; total?: number };

const SCAN_PAGE = 100;
const SCAN_LIMIT = 10;

/** The price a job pays: the agreed price once assigned, the budget before. */
export const jobPrice = (job: Pick<JobCard, 'price' | 'terms'>): bigint => BigInt(job.price ?? job.terms.budget);

export async function loadJobsPage(client: Client, req: JobsPageRequest): Promise<{ data?: JobsPage; error?: CombinedError }> {
  const priced = req.minPrice !== undefined || req.maxPrice !== undefined;
  if (!priced) {
    const r = await client
      .query(JobsQuery, { filter: req.filter, orderBy: req.orderBy, first: req.pageSize, after: req.after, withCount: true }, { requestPolicy: 'network-only' })
      .toPromise();
    if (!r.data) return { error: r.error };
    const { edges, pageInfo, totalCount } = r.data.jobs;
    return { data: { items: edges.map((e) => e.node), nextCursor: pageInfo.endCursor, hasNext: pageInfo.hasNextPage, total: totalCount ?? undefined } };
  }

  const matches = (job: JobCard) => {
    const p = jobPrice(job);
    return (req.minPrice === undefined || p >= req.minPrice) && (req.maxPrice === undefined || p <= req.maxPrice);
  };
  const items: { node: JobCard; cursor: string }[] = [];
  let after = req.after;
  for (let i = 0; i < SCAN_LIMIT; i++) {
    const r = await client
      .query(JobsQuery, { filter: req.filter, orderBy: req.orderBy, first: SCAN_PAGE, after, withCount: false }, { requestPolicy: 'network-only' })
      .toPromise();
    if (!r.data) return { error: r.error };
    for (const edge of r.data.jobs.edges) {
      if (!matches(edge.node)) continue;
      items.push(edge);
      if (items.length > req.pageSize) {
        const shown = items.slice(0, req.pageSize);
        return { data: { items: shown.map((e) => e.node), nextCursor: shown.at(-1)!.cursor, hasNext: true } };
      }
    }
    if (!r.data.jobs.pageInfo.hasNextPage) return { data: { items: items.map((e) => e.node), nextCursor: null, hasNext: false } };
    after = r.data.jobs.pageInfo.endCursor;
  }
  // Scanned enough for one page: show what matched and continue from where the scan stopped.
  return { data: { items: items.map((e) => e.node), nextCursor: after, hasNext: true } };
}
