/**
 * The daemon's view of the market: the questions it asks the Loom API, in its own words (the jobs it
 * holds, its standing bids, its balances, where to start following), answered with the SDK's reader
 * and documents (sdk/reads.ts, sdk/documents.ts). The worker reads nothing else: every decision
 * starts from what the indexer made of the chain.
 *
 * Failures are the SDK's LoomApiError, with the API's code (INVALID_CURSOR, UNAVAILABLE, ...) or
 * UNREACHABLE. A query the API refuses as RATE_LIMITED (this machine is over its per-client limit) is
 * retried after the Retry-After the API asks for, a few times, instead of failing the daemon's work.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Address, Hex } from 'viem';
import {
  BalancesQuery,
  BidsQuery,
  CreditsQuery,
  EventFields,
  JobEventsQuery,
  JobFields,
  JobSealingQuery,
  JobsQuery,
  type JobSealing,
  WorkerQuery,
  type CreditResult,
  type WorkerResult,
} from '../../sdk/documents';
import { type MarketEvent, typedEvent } from '../../sdk/events';
import type { JobStatus } from '../../sdk/enums';
import { type ResultOf, type VariablesOf, graphql } from '../../sdk/graphql';
import { createLoomReader, LoomApiError, type LoomReader, type LoomSubscription } from '../../sdk/reads';
import { toReplicatedTerms } from '../../sdk/replicatedTerms';
import type { JobModel } from '../models/jobModels';
import type { ReplicatedReads, ReplicatedJobView } from './replicatedJob';

/**
 * A job as the daemon reads it: the SDK's JobFields, and what running it takes besides: the models
 * it was posted with (their files, or their image) and the pool it is restricted to.
 */
const WorkerJobFields = graphql(
  `
  fragment WorkerJobFields on Job @_unmask {
    ...JobFields
    models {
      model {
        id
        name
        kind
        files {
          sha256
          size
          path
        }
        image
      }
    }
    pool {
      id
    }
  }
`,
  [JobFields],
);

const WorkerJobQuery = graphql(
  `
  query WorkerJob($id: ID!) {
    job(id: $id) {
      ...WorkerJobFields
    }
  }
`,
  [WorkerJobFields],
);

const WorkerJobsQuery = graphql(
  `
  query WorkerJobs($filter: JobFilter, $orderBy: JobOrderBy, $first: Int, $after: String) {
    jobs(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      edges {
        node {
          ...WorkerJobFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`,
  [WorkerJobFields],
);

const WorkerJobEventsSubscription = graphql(
  `
  subscription WorkerJobEvents($after: String, $filter: JobEventFilter) {
    jobEvents(after: $after, filter: $filter) {
      retracted
      cursor
      event {
        ...EventFields
        job {
          ...WorkerJobFields
        }
      }
    }
  }
`,
  [EventFields, WorkerJobFields],
);

type JobEventDelivery = ResultOf<typeof WorkerJobEventsSubscription>['jobEvents'];

export type ApiJob = ResultOf<typeof WorkerJobFields>;
export type ApiWorker = WorkerResult;
export type ApiClaim = WorkerResult['claim'];
/** An event with its arguments typed from the ABI (sdk/events.ts), and its job's current state. */
export type ApiEvent = MarketEvent & Omit<JobEventDelivery['event'], 'name' | 'args'>;
export type ApiDelivery = Omit<JobEventDelivery, 'event'> & { event: ApiEvent };
export type JobFilter = NonNullable<VariablesOf<typeof JobsQuery>['filter']>;
/** A job a bid stands on: the SDK's JobFields. */
type BidJob = ResultOf<typeof JobFields>;

/** The events the daemon follows: LoomMarket's jobs, and LoomReplicatedMarket's. */
const FOLLOWED_EVENTS = [
  'JobPosted',
  'JobAssigned',
  'ResultSubmitted',
  'JobDisputed',
  'JobClosed',
  'ReplicatedJobPosted',
  'ResultCommitted',
  'ResultRevealed',
  'ReplicatedJobClosed',
] as const;

export type EventStream = {
  /** Ends the stream (the server sees the connection close). */
  close(): void;
  /** Deliveries in order; ends when the stream fails (it throws a LoomApiError) or is closed. */
  [Symbol.asyncIterator](): AsyncIterator<ApiDelivery>;
};

/**
 * @example
 * const api = new LoomApi('http://127.0.0.1:42069');
 * const mine = await api.jobsOf(address, ['ASSIGNED', 'SUBMITTED']);
 */
export class LoomApi implements ReplicatedReads {
  /** The API's base URL (GraphQL at `/graphql`, readiness at `/api/ready`). */
  readonly url: string;
  readonly reader: LoomReader;

  constructor(
    url: string,
    private readonly options: { timeoutMs?: number; fetch?: typeof fetch } = {},
  ) {
    this.url = url.replace(/\/+$/, '').replace(/\/graphql$/, '');
    this.reader = backOffWhenRateLimited(createLoomReader({ url: this.url, ...options }));
  }

  async worker(address: Address): Promise<ApiWorker | null> {
    return (await this.reader.query(WorkerQuery, { address })).worker;
  }

  /** What sealing needs of a job: its workers' keys and its client's sealed bundles. */
  async sealing(id: Hex): Promise<JobSealing | null> {
    return (await this.reader.query(JobSealingQuery, { id })).job;
  }

  async job(id: Hex): Promise<ApiJob | null> {
    return (await this.reader.query(WorkerJobQuery, { id })).job;
  }

  /** Every job matching `filter`, oldest first, paged to the end. */
  async jobs(filter: JobFilter): Promise<ApiJob[]> {
    const jobs: ApiJob[] = [];
    for (let after: string | null = null; ; ) {
      const { jobs: page }: { jobs: { edges: { node: ApiJob }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await this.reader.query(
        WorkerJobsQuery,
        { filter, after, first: 100, orderBy: 'POSTED_AT_ASC' },
      );
      jobs.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) return jobs;
      after = page.pageInfo.endCursor;
    }
  }

  /** The single (LoomMarket) jobs a worker was assigned that are in one of `status`. */
  jobsOf(worker: Address, status: JobStatus[]): Promise<ApiJob[]> {
    return this.jobs({ kind: 'SINGLE', worker, status });
  }

  /** A replicated job with its slots; null when the API does not know it, or it is a single job. */
  async replicatedJob(id: Hex): Promise<ReplicatedJobView | null> {
    const job = await this.job(id);
    return job ? replicatedViewOf(job) : null;
  }

  /** The replicated jobs not closed in which `worker` holds a slot. */
  async replicatedJobsOf(worker: Address): Promise<ReplicatedJobView[]> {
    const jobs = await this.jobs({ kind: 'REPLICATED', worker, status: ['OPEN', 'ASSIGNED', 'SUBMITTED'] });
    return jobs.flatMap((j) => replicatedViewOf(j) ?? []);
  }

  /** Jobs this worker has a standing bid on, with their current state (no models: a bid's job is run from its JobAssigned). */
  async activeBidJobs(worker: Address): Promise<BidJob[]> {
    const jobs: BidJob[] = [];
    for (let after: string | null = null; ; ) {
      const { bids }: { bids: { edges: { node: { job?: BidJob } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await this.reader.query(
        BidsQuery,
        { worker, status: 'ACTIVE', first: 100, after, withJob: true },
      );
      for (const e of bids.edges) if (e.node.job) jobs.push(e.node.job);
      if (!bids.pageInfo.hasNextPage) return jobs;
      after = bids.pageInfo.endCursor;
    }
  }

  async balances(account: Address): Promise<{ token: Address; amount: string }[]> {
    return (await this.reader.query(BalancesQuery, { account })).balances;
  }

  /** What each market credited `account`, per token: each is withdrawn from its own market. */
  async credits(account: Address): Promise<CreditResult[]> {
    return (await this.reader.query(CreditsQuery, { account })).credits;
  }

  /** The cursor of the newest event (null when there is none): where a fresh worker starts following. */
  async latestEventCursor(): Promise<string | null> {
    const { jobEvents } = await this.reader.query(JobEventsQuery, { order: 'DESC', first: 1 });
    return jobEvents.edges[0]?.cursor ?? null;
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
   * handles, each with its job's current state and its arguments decoded once, here. The stream
   * fails (throws from the iterator) when the connection or the server does; resubscribe with the
   * cursor of the last delivery processed.
   */
  subscribeEvents(after: string | null, names: readonly string[] = FOLLOWED_EVENTS): EventStream {
    const stream: LoomSubscription<{ jobEvents: JobEventDelivery }> = this.reader.subscribe(WorkerJobEventsSubscription, {
      after,
      filter: { names: [...names] },
    });
    const results = stream[Symbol.asyncIterator]();
    return {
      close: () => stream.close(),
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<ApiDelivery>> => {
          const r = await results.next();
          if (r.done) return { done: true, value: undefined };
          const { event, ...delivery } = r.value.jobEvents;
          return { done: false, value: { ...delivery, event: typedEvent(event) } };
        },
        return: async (): Promise<IteratorResult<ApiDelivery>> => {
          stream.close();
          return { done: true, value: undefined };
        },
      }),
    };
  }
}

/** RATE_LIMITED answers retried at most this many times per query, waiting what Retry-After says (capped). */
const RATE_LIMITED_RETRIES = 5;
const MAX_RETRY_AFTER_MS = 60_000;

/** How long a RATE_LIMITED error asks us to wait (ms), or undefined for any other failure. */
export function rateLimitedWaitMs(err: unknown): number | undefined {
  if (!(err instanceof LoomApiError) || err.code !== 'RATE_LIMITED') return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(1, err.retryAfterSeconds ?? 1) * 1000);
}

/** `reader`, whose queries wait out RATE_LIMITED refusals (Retry-After) and retry. */
function backOffWhenRateLimited(reader: LoomReader): LoomReader {
  return {
    ...reader,
    async query(doc, variables, options) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await reader.query(doc, variables, options);
        } catch (err) {
          const wait = rateLimitedWaitMs(err);
          if (wait === undefined || attempt >= RATE_LIMITED_RETRIES) throw err;
          await sleep(wait, undefined, options?.signal ? { signal: options.signal } : undefined);
        }
      }
    },
  };
}

/**
 * A replicated job as the daemon works with it: `replicatedTerms` as LoomReplicatedMarket's struct
 * (amounts and times from their decimal strings), its counts and slots. Null for a single job.
 */
export function replicatedViewOf(job: ApiJob): ReplicatedJobView | null {
  const t = job.replicatedTerms;
  if (job.kind !== 'REPLICATED' || !t) return null;
  const terms = toReplicatedTerms(t);
  const pool = poolOf(job);
  return {
    id: job.id.toLowerCase() as Hex,
    terms,
    spec: job.spec as Hex,
    models: modelsOf(job),
    ...(pool === undefined ? {} : { pool }),
    status: job.status === 'DISPUTED' ? 'SUBMITTED' : job.status,
    filled: job.slotsFilled ?? 0,
    committed: job.commits ?? 0,
    revealed: job.reveals ?? 0,
    revealDeadline: job.revealDeadline !== null && job.revealDeadline !== undefined ? Number(job.revealDeadline) : terms.openUntil + terms.commitWindow + terms.revealWindow,
    slots: job.slots.map((s) => ({
      slot: s.index,
      worker: s.worker as Address,
      state: s.state,
      commitment: (s.commitment ?? null) as Hex | null,
      resultHash: (s.resultHash ?? null) as Hex | null,
    })),
  };
}

/** The models a job was posted with (`Job.models`), as the worker resolves them (../models/jobModels.ts). */
export function modelsOf(job: Pick<ApiJob, 'models'>): JobModel[] {
  return (job.models ?? []).map((m) => m.model);
}

/** The pool a job is restricted to (`Job.pool`: a POOL-mode job, or a pooled replicated job); undefined: none. */
export function poolOf(job: Pick<ApiJob, 'pool'>): bigint | undefined {
  return job.pool ? BigInt(job.pool.id) : undefined;
}
