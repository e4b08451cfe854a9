/**
 * Reads from the Loom API: typed GraphQL queries over POST, and subscriptions over Server-Sent
 * Events (the graphql-sse protocol in its "distinct connections" mode: one HTTP stream per
 * subscription, as the API serves it), either iterated (`subscribe`) or pushed to callbacks as each
 * delivery arrives (`listen`, for a UI that updates its state in the same tick). Documents come from
 * sdk/documents.ts, or any `graphql(...)` document of sdk/graphql.ts: results and variables are
 * typed from the schema.
 *
 * Every failure is a LoomApiError with a `code`: the API's `extensions.code` (BAD_USER_INPUT,
 * INVALID_CURSOR, NOT_FOUND, UNAVAILABLE, ... see api/README.md), or UNREACHABLE (no answer, or
 * none in time), HTTP_<status> (an answer that is not GraphQL), BAD_RESPONSE (GraphQL without data).
 * RATE_LIMITED (HTTP 429: this client is over the API's per-client limit on requests or open
 * streams) carries `retryAfterSeconds`, from the Retry-After header: wait that long, then retry.
 *
 * @example
 * const reader = createLoomReader({ url: 'http://127.0.0.1:42069' });
 * const { jobs } = await reader.query(JobsQuery, { filter: { status: ['OPEN'] }, first: 10 });
 * for await (const { jobEvents } of reader.subscribe(JobEventsSubscription, { after: cursor })) { ... }
 * const close = reader.listen(JobEventsSubscription, { after: cursor }, { next: ({ jobEvents }) => ..., error: (e) => ... });
 */
import { print } from '@0no-co/graphql.web';
import type { TadaDocumentNode } from 'gql.tada';
import { createClient, NetworkError } from 'graphql-sse';
import { ModelQuery, ModelsQuery, PoolQuery, PoolsQuery } from './documents';
import { LoomError } from './errors';

/** The API's error codes (api/graphql/errors.ts), and the reader's own for transport failures. */
export type LoomApiErrorCode =
  | 'BAD_REQUEST'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'BAD_USER_INPUT'
  | 'PAGE_TOO_LARGE'
  | 'INVALID_CURSOR'
  | 'QUERY_TOO_COMPLEX'
  | 'NOT_FOUND'
  | 'UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'INTERNAL'
  | 'UNREACHABLE'
  | 'BAD_RESPONSE'
  | `HTTP_${number}`;

/** A query or subscription that failed: `code` says how (see the module's comment). */
export class LoomApiError extends LoomError {
  override name = 'LoomApiError';
  readonly code: LoomApiErrorCode;
  /** The operation that failed, when it is named. */
  readonly operationName: string | undefined;
  /** RATE_LIMITED: seconds to wait before retrying (the API's Retry-After). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: LoomApiErrorCode, shortMessage: string, options?: { cause?: unknown; operationName?: string; retryAfterSeconds?: number }) {
    super(shortMessage, options);
    this.code = code;
    this.operationName = options?.operationName;
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.message = `${code}: ${options?.operationName ? `${options.operationName}: ` : ''}${shortMessage}`;
  }
}

export type LoomReaderOptions = {
  /** The API: its base URL (`http://127.0.0.1:42069`) or its GraphQL endpoint (`.../graphql`). */
  url: string;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Per query (default 15 s); subscriptions are not limited. */
  timeoutMs?: number;
};

/** A live subscription: iterate it for results; `close()` ends it (the server sees the stream close). */
export type LoomSubscription<Result> = AsyncIterable<Result> & {
  close(): void;
  [Symbol.asyncIterator](): AsyncIterator<Result>;
};

/** Callbacks of `listen`: after `error` or `complete` the stream is closed and nothing more comes. */
export type LoomListener<Result> = {
  next(result: Result): void;
  error(err: LoomApiError): void;
  /** The server ended the stream. */
  complete?(): void;
  /** The API accepted the subscription: the stream is open. */
  open?(): void;
};

export type LoomReader = {
  /** The GraphQL endpoint. */
  readonly url: string;
  query<Result, Variables>(doc: TadaDocumentNode<Result, Variables>, variables?: NoInfer<Variables>, options?: { signal?: AbortSignal }): Promise<Result>;
  subscribe<Result, Variables>(doc: TadaDocumentNode<Result, Variables>, variables?: NoInfer<Variables>): LoomSubscription<Result>;
  /** The same stream as `subscribe`, pushed to `listener`; returns `close`. */
  listen<Result, Variables>(doc: TadaDocumentNode<Result, Variables>, variables: NoInfer<Variables> | undefined, listener: LoomListener<Result>): () => void;
};

type GraphqlError = { message: string; extensions?: { code?: string; retryAfter?: unknown } };

/**
 * A reader for the API at `url`.
 *
 * @example
 * const { job } = await createLoomReader({ url }).query(JobQuery, { id });
 */
export function createLoomReader(options: LoomReaderOptions): LoomReader {
  const url = graphqlEndpoint(options.url);
  const fetchFn = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function query<Result, Variables>(
    doc: TadaDocumentNode<Result, Variables>,
    variables?: Variables,
    { signal }: { signal?: AbortSignal } = {},
  ): Promise<Result> {
    const operationName = operationNameOf(doc);
    const timeout = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({ query: print(doc), variables: variables ?? {}, ...(operationName ? { operationName } : {}) }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      // The caller's own abort is not the API's failure: let it through as it is.
      if (signal?.aborted) throw signal.reason;
      const why = timeout.aborted ? `no answer within ${timeoutMs} ms` : (err as Error).message;
      throw new LoomApiError('UNREACHABLE', `the Loom API at ${url} is unreachable: ${why}`, { cause: err, operationName });
    }
    let body: { data?: Result | null; errors?: GraphqlError[] };
    try {
      body = (await res.json()) as typeof body;
    } catch (err) {
      throw new LoomApiError(`HTTP_${res.status}`, `the Loom API at ${url} answered HTTP ${res.status} without GraphQL`, { cause: err, operationName });
    }
    if (body.errors?.length) throw fromGraphqlErrors(body.errors, operationName, `HTTP_${res.status}`, retryAfterOf(res));
    if (body.data == null) throw new LoomApiError(res.ok ? 'BAD_RESPONSE' : `HTTP_${res.status}`, `HTTP ${res.status} without data`, { operationName });
    return body.data;
  }

  function subscribe<Result, Variables>(doc: TadaDocumentNode<Result, Variables>, variables?: Variables): LoomSubscription<Result> {
    const operationName = operationNameOf(doc);
    const client = sseClient();
    const iterator = client.iterate<Result>(payloadOf(print(doc), variables, operationName));
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      void iterator.return?.().catch(() => {});
      client.dispose();
    };
    const next = async (): Promise<IteratorResult<Result>> => {
      let r: IteratorResult<Delivery<Result>>;
      try {
        r = await iterator.next();
      } catch (err) {
        close();
        throw await fromStreamFailure(err, url, operationName);
      }
      if (r.done) {
        close();
        return { done: true, value: undefined };
      }
      try {
        return { done: false, value: dataOf(r.value, operationName) };
      } catch (err) {
        close();
        throw err;
      }
    };
    const asyncIterator = (): AsyncIterator<Result> => ({
      next,
      return: async () => {
        close();
        return { done: true, value: undefined };
      },
    });
    return { close, [Symbol.asyncIterator]: asyncIterator };
  }

  function listen<Result, Variables>(doc: TadaDocumentNode<Result, Variables>, variables: Variables | undefined, listener: LoomListener<Result>): () => void {
    const operationName = operationNameOf(doc);
    const client = sseClient();
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      client.dispose();
    };
    const fail = (err: LoomApiError) => {
      if (closed) return;
      close();
      listener.error(err);
    };
    const unsubscribe = client.subscribe<Result>(
      payloadOf(print(doc), variables, operationName),
      {
        next: (value) => {
          if (closed) return;
          let data: Result;
          try {
            data = dataOf(value, operationName);
          } catch (err) {
            return fail(err as LoomApiError);
          }
          listener.next(data);
        },
        error: (err) => {
          if (!closed) void fromStreamFailure(err, url, operationName).then(fail);
        },
        // graphql-sse also completes a stream that `close()` aborted: only the server's end is news.
        complete: () => {
          if (closed) return;
          close();
          listener.complete?.();
        },
      },
      { connected: () => !closed && listener.open?.() },
    );
    return close;
  }

  // One client per subscription ("distinct connections"); no retries: a resumable stream must be
  // resumed by the caller from its last cursor, and a blind retry would resend the first one.
  function sseClient() {
    return createClient({ url, retryAttempts: 0, fetchFn });
  }

  return { url, query, subscribe, listen };
}

/** `http://host:port` or `http://host:port/graphql` -> the GraphQL endpoint. */
function graphqlEndpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/graphql') ? trimmed : `${trimmed}/graphql`;
}

function operationNameOf(doc: { definitions: readonly unknown[] }): string | undefined {
  for (const d of doc.definitions as { kind: string; name?: { value: string } }[]) {
    if (d.kind === 'OperationDefinition') return d.name?.value;
  }
  return undefined;
}

type Delivery<Result> = { data?: Result | null; errors?: readonly unknown[] };

function payloadOf(query: string, variables: unknown, operationName: string | undefined) {
  return { query, variables: (variables ?? {}) as Record<string, unknown>, ...(operationName ? { operationName } : {}) };
}

/** A delivery's data, or the LoomApiError it carries instead. */
function dataOf<Result>(delivery: Delivery<Result>, operationName: string | undefined): Result {
  if (delivery.errors?.length) throw fromGraphqlErrors(delivery.errors as GraphqlError[], operationName, 'BAD_RESPONSE');
  if (delivery.data == null) throw new LoomApiError('BAD_RESPONSE', 'a delivery without data', { operationName });
  return delivery.data;
}

function fromGraphqlErrors(errors: readonly GraphqlError[], operationName: string | undefined, fallback: LoomApiErrorCode, retryAfter?: number): LoomApiError {
  const e = errors[0]!;
  const code = (e.extensions?.code as LoomApiErrorCode | undefined) ?? fallback;
  const inBody = Number(e.extensions?.retryAfter);
  const retryAfterSeconds = code === 'RATE_LIMITED' ? (retryAfter ?? (inBody >= 0 ? inBody : 1)) : undefined;
  return new LoomApiError(code, e.message, { operationName, cause: errors, ...(retryAfterSeconds !== undefined && { retryAfterSeconds }) });
}

/** The Retry-After header in seconds (the API sends seconds, not dates), if any. */
function retryAfterOf(res: Response): number | undefined {
  const value = Number(res.headers.get('retry-after') ?? Number.NaN);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** A failed stream: the API's GraphQL error when it answered with one, else how the transport failed. */
async function fromStreamFailure(err: unknown, url: string, operationName: string | undefined): Promise<LoomApiError> {
  if (err instanceof NetworkError) {
    const res = err.response as Response | undefined;
    if (!res) return new LoomApiError('UNREACHABLE', `the Loom API at ${url} is unreachable: ${err.message}`, { cause: err, operationName });
    try {
      const body = (await res.json()) as { errors?: GraphqlError[] };
      if (body.errors?.length) return fromGraphqlErrors(body.errors, operationName, `HTTP_${res.status}`, retryAfterOf(res));
    } catch {}
    return new LoomApiError(`HTTP_${res.status}`, `the Loom API at ${url} answered HTTP ${res.status}`, { cause: err, operationName });
  }
  // graphql-sse's own errors (a stream cut mid-way, a malformed event): the connection failed.
  return new LoomApiError('UNREACHABLE', `the event stream from ${url} failed: ${(err as Error).message ?? String(err)}`, { cause: err, operationName });
}

// ---- The model hub and worker pools: one call each, typed from sdk/documents.ts ----

type Vars<D> = D extends TadaDocumentNode<unknown, infer V> ? V : never;

/** A page of models (`filter`, `orderBy`: NEWEST, USES_DESC, EARNINGS_DESC). */
export async function readModels(reader: Pick<LoomReader, 'query'>, variables: Vars<typeof ModelsQuery> = {}) {
  return (await reader.query(ModelsQuery, variables)).models;
}

/** One model with its versions, uses per day and jobs; null when no model has that id (a malformed id: BAD_USER_INPUT). */
export async function readModel(reader: Pick<LoomReader, 'query'>, id: string, variables: Omit<Vars<typeof ModelQuery>, 'id'> = {}) {
  return (await reader.query(ModelQuery, { ...variables, id })).model;
}

/** A page of worker pools, newest first. */
export async function readPools(reader: Pick<LoomReader, 'query'>, variables: Vars<typeof PoolsQuery> = {}) {
  return (await reader.query(PoolsQuery, variables)).pools;
}

/** One pool with its members and jobs; null when no pool has that id (a malformed id: BAD_USER_INPUT). */
export async function readPool(reader: Pick<LoomReader, 'query'>, id: string, variables: Omit<Vars<typeof PoolQuery>, 'id'> = {}) {
  return (await reader.query(PoolQuery, { ...variables, id })).pool;
}
