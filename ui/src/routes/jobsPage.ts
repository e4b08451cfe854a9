/**
 * One page of the marketplace. The API does the filtering (status, token, mode, hardware, and the
 * price range: the agreed price, or the budget while open) and the paging, so the next page starts
 * after the last job shown. The count is exact up to JOB_COUNT_UP_TO (then "1,000+").
 */
import { JobCardsQuery, type JobCard } from '$sdk/documents';
import { JOB_COUNT_UP_TO } from '$sdk/format/counts';
import type { VariablesOf } from '$sdk/graphql';
import type { LoomReader } from '$sdk/reads';

export type JobFilter = NonNullable<VariablesOf<typeof JobCardsQuery>['filter']>;
export type JobOrderBy = NonNullable<VariablesOf<typeof JobCardsQuery>['orderBy']>;

export type JobsPageRequest = {
  filter: JobFilter;
  orderBy: JobOrderBy;
  after: string | null;
  pageSize: number;
};

export type JobsPage = { items: JobCard[]; nextCursor: string | null; hasNext: boolean; total?: number };

export async function loadJobsPage(reader: LoomReader, req: JobsPageRequest, signal?: AbortSignal): Promise<JobsPage> {
  const { jobs } = await reader.query(JobCardsQuery, { filter: req.filter, orderBy: req.orderBy, first: req.pageSize, after: req.after, withCount: true, countUpTo: JOB_COUNT_UP_TO }, { signal });
  const { edges, pageInfo, totalCount } = jobs;
  return { items: edges.map((e) => e.node), nextCursor: pageInfo.endCursor, hasNext: pageInfo.hasNextPage, total: totalCount ?? undefined };
}
