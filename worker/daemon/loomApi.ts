/**
 * The daemon's view of the market: the Loom GraphQL API, read with plain POSTs, and the
 * `jobEvents` subscription over Server-Sent Events (graphql-sse, "distinct connections" mode).
 * The worker reads nothing else: every decision starts from what the indexer made of the chain.
 */
import { createClient } from 'graphql-sse';
import type { Address, Hex } from 'viem';
import { WorkerError } from '../errors';
import type { ApiJobTerms } from '../../sdk/jobTerms';

export type ApiJobStatus = 'OPEN' | 'ASSIGNED' | 'SUBMITTED' | 'DISPUTED' | 'CLOSED';

/** `JobTerms` as the API serializes it (BigInt as decimal strings, mode as its enum name). */
/** `Job.terms` as served (see sdk/jobTerms.ts). */
export type ApiTerms = ApiJobTerms;

export type ApiJob = {
  id: Hex;
  terms: ApiTerms;
  spec: Hex;
  status: ApiJobStatus;
  closeReason: string | null;
  worker: Address | null;
  price: string | null;
  executionDeadline: string | null;
  resultHash: Hex | null;
  resultURI: string | null;
  challengeDeadline: string | null;
  workerPayout: string | null;
};

export type ApiClaim = {
  gpuModel: Hex;
  gpuCount: number;
  vramMiB: number;
  cpuCores: number;
  ramMiB: number;
  pricePerGpuHour: string;
  metadataURI: string;
};

export type ApiWorker = {
  address: Address;
  registered: boolean;
  available: boolean;
  claim: ApiClaim;
  stake: string;
  locked: string;
  freeStake: string;
  unbonding: string;
  activeJobs: number;
  jobsCompleted: number;
  reputation: number;
};

export type ApiBalance = { token: Address; amount: string };

export type ApiEvent = {
  id: string;
  name: string;
  jobId: Hex | null;
  account: Address | null;
  blockNumber: string;
  timestamp: string;
  args: Record<string, unknown>;
  job: ApiJob | null;
};

export type ApiDelivery = { retracted: boolean; cursor: string; event: ApiEvent };

export const JOB_FIELDS = `id spec status closeReason worker price executionDeadline resultHash resultURI challengeDeadline workerPayout
  terms { client token arbiter budget collateral feeBps mode openUntil executionTimeout challengeWindow minGpuCount minVramMiB gpuModel specHash salt }`;

const WORKER_FIELDS = `address registered available stake locked freeStake unbonding activeJobs jobsCompleted reputation
  claim { gpuModel gpuCount vramMiB cpuCores ramMiB pricePerGpuHour metadataURI }`;

/** The events the daemon follows. */
export const FOLLOWED_EVENTS = ['JobPosted', 'JobAssigned', 'ResultSubmitted', 'JobDisputed', 'JobClosed'] as const;

const EVENTS_SUBSCRIPTION = `subscription WorkerEvents($after: String, $filter: JobEventFilter) {
  jobEvents(after: $after, filter: $filter) {
    retracted cursor
    event { id name jobId account blockNumber timestamp args job { ${JOB_FIELDS} } }
  }
}`;

export type EventStream = {
  /** Ends the stream (the server sees the connection close). */
  close(): void;
  /** Deliveries in order; ends when the stream fails (it throws) or is closed. */
  [Symbol.asyncIterator](): AsyncIterator<ApiDelivery>;
};

/**
 * @example
 * const api = new LoomApi('http://127.0.0.1:42069');
 * const mine = await api.jobsOf(address, ['ASSIGNED', 'SUBMITTED']);
 */
export class LoomApi {
  readonly url: string;

  constructor(
    url: string,
    private readonly options: { timeoutMs?: number; fetch?: typeof fetch } = {},
  ) {
    this.url = url.replace(/\/+$/, '');
  }

  /** Runs a query; throws API_FAILED on transport or GraphQL errors. */
  async query<T>(query: string, variables: Record<string, unknown> = {}, operationName?: string): Promise<T> {
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(`${this.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({ query, variables, ...(operationName ? { operationName } : {}) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new WorkerError('API_FAILED', `the Loom API at ${this.url} is unreachable: ${(err as Error).message}`, { cause: err });
    }
    let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new WorkerError('API_FAILED', `the Loom API answered HTTP ${res.status} without JSON`);
    }
    if (body.errors?.length) {
      const e = body.errors[0]!;
      throw new WorkerError('API_FAILED', `${operationName ?? 'query'}: ${e.extensions?.code ?? 'ERROR'}: ${e.message}`);
    }
    if (body.data === undefined) throw new WorkerError('API_FAILED', `${operationName ?? 'query'}: HTTP ${res.status} without data`);
    return body.data;
  }

  async worker(address: Address): Promise<ApiWorker | null> {
    const data = await this.query<{ worker: ApiWorker | null }>(`query Worker($a: Address!) { worker(address: $a) { ${WORKER_FIELDS} } }`, { a: address }, 'Worker');
    return data.worker;
  }

  async job(id: Hex): Promise<ApiJob | null> {
    const data = await this.query<{ job: ApiJob | null }>(`query Job($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`, { id }, 'Job');
    return data.job;
  }

  /** Every job matching `filter`, paged to the end. */
  async jobs(filter: Record<string, unknown>): Promise<ApiJob[]> {
    const jobs: ApiJob[] = [];
    let after: string | null = null;
    for (;;) {
      const data: { jobs: { edges: { node: ApiJob }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await this.query(
        `query Jobs($filter: JobFilter, $after: String) { jobs(filter: $filter, first: 100, after: $after, orderBy: POSTED_AT_ASC) {
          edges { node { ${JOB_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
        { filter, after },
        'Jobs',
      );
      jobs.push(...data.jobs.edges.map((e) => e.node));
      if (!data.jobs.pageInfo.hasNextPage) return jobs;
      after = data.jobs.pageInfo.endCursor;
    }
  }

  /** The jobs a worker was assigned that are in one of `status`. */
  jobsOf(worker: Address, status: ApiJobStatus[]): Promise<ApiJob[]> {
    return this.jobs({ worker, status });
  }

  /** Jobs this worker has a standing bid on, with their current state. */
  async activeBidJobs(worker: Address): Promise<ApiJob[]> {
    const jobs: ApiJob[] = [];
    let after: string | null = null;
    for (;;) {
      const data: { bids: { edges: { node: { job: ApiJob } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await this.query(
        `query Bids($w: Address!, $after: String) { bids(worker: $w, status: ACTIVE, first: 100, after: $after) {
          edges { node { job { ${JOB_FIELDS} } } } pageInfo { hasNextPage endCursor } } }`,
        { w: worker, after },
        'Bids',
      );
      jobs.push(...data.bids.edges.map((e) => e.node.job));
      if (!data.bids.pageInfo.hasNextPage) return jobs;
      after = data.bids.pageInfo.endCursor;
    }
  }

  async balances(account: Address): Promise<ApiBalance[]> {
    const data = await this.query<{ balances: ApiBalance[] }>(`query Balances($a: Address!) { balances(account: $a) { token amount } }`, { a: account }, 'Balances');
    return data.balances;
  }

  /** The cursor of the newest event (null when there is none): where a fresh worker starts following. */
  async latestEventCursor(): Promise<string | null> {
    const data = await this.query<{ jobEvents: { edges: { cursor: string }[] } }>(
      `query LatestEvent { jobEvents(order: DESC, first: 1) { edges { cursor } } }`,
      {},
      'LatestEvent',
    );
    return data.jobEvents.edges[0]?.cursor ?? null;
  }

  /** The latest indexed block (number and timestamp), from /api/ready; null when the API is not ready. */
  async indexedHead(): Promise<{ number: bigint; timestamp: bigint } | null> {
    try {
      const res = await (this.options.fetch ?? fetch)(`${this.url}/api/ready`, { signal: AbortSignal.timeout(5000) });
      const body = (await res.json()) as { ready?: boolean; block?: { number: string; timestamp: string } | null };
      return body.ready && body.block ? { number: BigInt(body.block.number), timestamp: BigInt(body.block.timestamp) } : null;
    } catch {
      return null;
    }
  }

  /**
   * Follows the event log after `after` (null: from now on), filtered to the events the daemon
   * handles. The stream fails (throws from the iterator) when the connection or the server does;
   * resubscribe with the cursor of the last delivery processed.
   */
  subscribeEvents(after: string | null, names: readonly string[] = FOLLOWED_EVENTS): EventStream {
    const client = createClient({ url: `${this.url}/graphql`, retryAttempts: 0, ...(this.options.fetch ? { fetchFn: this.options.fetch } : {}) });
    const iterator = client.iterate<{ jobEvents: ApiDelivery }>({
      query: EVENTS_SUBSCRIPTION,
      variables: { after, filter: { names } },
      operationName: 'WorkerEvents',
    });
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      void iterator.return?.().catch(() => {});
      client.dispose();
    };
    return {
      close,
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<ApiDelivery>> => {
          const r = await iterator.next();
          if (r.done) return { done: true, value: undefined };
          const result = r.value;
          if (result.errors?.length) {
            const e = result.errors[0] as { message: string; extensions?: { code?: string } };
            throw new WorkerError('API_FAILED', `jobEvents: ${e.extensions?.code ?? 'ERROR'}: ${e.message}`);
          }
          if (!result.data) throw new WorkerError('API_FAILED', 'jobEvents: a delivery without data');
          return { done: false, value: result.data.jobEvents };
        },
        return: async (): Promise<IteratorResult<ApiDelivery>> => {
          close();
          return { done: true, value: undefined };
        },
      }),
    };
  }
}
