/**
 * One page of the marketplace. The API does the filtering (status, token, mode, hardware, and the
 * price range: the agreed price, or the budget while open) and the paging, so the count is exact and
 * the next page starts after the last job shown.
 */
import type { Client, CombinedError } from '@urql/core';
import { JobCardsQuery, type JobCard } from '$sdk/documents';
import type { VariablesOf } from '$sdk/graphql';

export type JobFilter = NonNullable<VariablesOf<typeof JobCardsQuery>['filter']>;
export type JobOrderBy = NonNullable<VariablesOf<typeof JobCardsQuery>['orderBy']>;

export type JobsPageRequest = {
  filter: JobFilter;
  orderBy: JobOrderBy;
  after: string | null;
  pageSize: number;
};

export type JobsPage = { items: JobCard[]; nextCursor: string | null; hasNext: boolean; total?: number };

export async function loadJobsPage(client: Client, req: JobsPageRequest): Promise<{ data?: JobsPage; error?: CombinedError }> {
  const r = await client
    .query(JobCardsQuery, { filter: req.filter, orderBy: req.orderBy, first: req.pageSize, after: req.after, withCount: true }, { requestPolicy: 'network-only' })
    .toPromise();
  if (!r.data) return { error: r.error };
  const { edges, pageInfo, totalCount } = r.data.jobs;
  return { data: { items: edges.map((e) => e.node), nextCursor: pageInfo.endCursor, hasNext: pageInfo.hasNextPage, total: totalCount ?? undefined } };
}
