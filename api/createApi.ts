/**
 * The API: a Hono app serving GraphQL at /graphql, with /api/health, /api/ready and /api/metrics.
 * (Ponder reserves /health, /ready, /status and /metrics for the indexer's own, and serves them too.)
 *
 * Built once by this factory from the database Ponder hands the API entry (indexer/src/api/index.ts);
 * nothing here keeps a database at module level, so a hot reload simply builds a new app.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createYoga } from 'graphql-yoga';
import { Hono, type Context as HonoContext } from 'hono';
import { cors } from 'hono/cors';
import pino, { type Logger } from 'pino';
import { ApiMetrics, metricFamily } from './apiMetrics';
import { ClientAdmission, StreamTicket } from './clients/clientAdmission';
import { clientIp } from './clients/clientIp';
import { type ClientLimits, clientLimitsFromEnv } from './clients/clientLimits';
import { useStreamAdmission } from './clients/streamAdmission';
import type { ArtifactStore } from './artifacts/artifactStore';
import { artifactStoreFromEnv } from './artifacts/artifactStoreFromEnv';
import { artifactRoutes, type UploadPolicy } from './artifacts/artifactRoutes';
import { defaultGraceSeconds, startArtifactCollector } from './artifacts/collectArtifacts';
import { registeredWorkerCheck } from './artifacts/registeredWorker';
import { uploadHeaders } from './artifacts/uploadSignature';
import { ChangeFeed, type ChangeSignal } from './feed/changeFeed';
import type { QueueStats } from './feed/pushQueue';
import { defaultSubscriptionLimits } from './feed/subscriptions';
import { createApiSchema } from './graphql/createApiSchema';
import type { Context } from './context';
import type { Db, JobFold, Tables } from './data/tables';
import { readIndexingStatus } from './data/indexingStatus';
import { lazyLoaders } from './data/loaders';
import { type RequestTrace, type ServerContext, useNormalizedErrors } from './graphql/normalizeErrors';
import { defaultLimits, type OperationLimits, useOperationLimits } from './graphql/operationLimits';
import { ponderRuntime } from './feed/ponderSignal';
import { type JobLogLimits, JobLogs, jobLogLimitsFromEnv } from './logs/jobLogs';
import { logRoutes } from './logs/logRoutes';
import { jobExistsCheck, logWriterCheck } from './logs/logWriters';
import { sendEventStream, useEventStream } from './graphql/eventStream';
import { graphqlBodyLimit, useNodeRequestBody } from './graphql/nodeRequestBody';
import { SharedResults, useSharedSubscriptionResults } from './graphql/sharedSubscriptionResults';
import { useSubscriptionTransport } from './graphql/subscriptionTransport';
import type { PresenceDomain } from './presence/heartbeatVerifier';
import { presenceRoutes } from './presence/presenceRoutes';
import { PresenceStore } from './presence/presenceStore';
import { startPresenceThread } from './presence/presenceThread';

export type ApiOptions = {
  /** The read-only database (`db` from `ponder:api`). */
  db: Db;
  /** The indexer's tables (`ponder:schema`). */
  tables: Tables;
  /** The indexer's pure job fold, for `job(id, atBlock)`; without it time travel answers UNAVAILABLE. */
  foldJob?: JobFold;
  /** Structured logs; default: pino at LOG_LEVEL (info) on stdout. */
  logger?: Logger;
  /** Overrides of the operation limits. */
  limits?: Partial<OperationLimits>;
  /** /api/ready also fails when the latest indexed block is older than this (seconds); default: no check. */
  readyMaxLagSeconds?: number;
  /** Largest accepted request body in bytes (default 64 KiB). */
  maxBodyBytes?: number;
  /** The change feed behind subscriptions (see api/feed/changeFeed.ts). */
  subscriptions?: SubscriptionOptions;
  /**
   * The content-addressed artifact store served at /artifacts (job inputs and result bundles).
   * Default: from the environment (artifacts/artifactStoreFromEnv.ts): an S3 bucket with
   * LOOM_ARTIFACT_S3_BUCKET, else the local disk in LOOM_ARTIFACT_DIR (.data/artifacts); `false`: not served.
   */
  artifacts?: ArtifactStore | false;
  /**
   * Per-client limits (requests, open streams, slow subscribers; api/clients/clientLimits.ts), over
   * those of the environment (LOOM_API_*, see api/README.md). `now`: the request limit's clock, for tests.
   */
  clients?: Partial<ClientLimits> & { now?: () => number };
  /**
   * Who may upload (api/artifacts/README.md, "Signed uploads"): `domain` (the chain id and market
   * address signatures name; without it only anonymous uploads, if allowed, are accepted), quotas,
   * anonymous uploads. Results are accepted from workers registered in the indexed tables.
   */
  artifactUploads?: Omit<UploadPolicy, 'isRegisteredWorker'>;
  /**
   * Retention (api/artifacts/collectArtifacts.ts): deletes unreferenced artifacts older than
   * `graceSeconds` (LOOM_ARTIFACT_GRACE_SECONDS, else 7 days), every `intervalSeconds`
   * (LOOM_ARTIFACT_GC_INTERVAL_SECONDS, else 3600; 0 turns it off). Default: on when the API runs
   * inside Ponder; `false`: off.
   */
  artifactRetention?: { graceSeconds?: number; intervalSeconds?: number } | false;
  /**
   * Worker presence (api/presence/): signed heartbeats, taken by a listener in a worker thread on its
   * own port (GET /presence says where), kept in memory (not chain state). `domain`: the chain id and
   * market that heartbeats' sessions name (without it, no listener runs and every worker reads
   * offline); `maxSkewMs`: the clock difference allowed (LOOM_PRESENCE_MAX_SKEW_MS, else 30 s);
   * `port`: the listener's (LOOM_PRESENCE_PORT, else any free one); `store`: a store made by the caller.
   */
  presence?: { domain?: PresenceDomain; maxSkewMs?: number; port?: number; store?: PresenceStore; now?: () => number };
  /**
   * Live job logs at /jobs/0x<id>/log (api/logs/): their limits over the environment's (LOOM_API_LOG_*),
   * and the market whose workers sign chunks (default: `artifactUploads.domain`). `now`: the clock, for tests.
   */
  jobLogs?: Partial<JobLogLimits> & { domain?: UploadPolicy['domain']; now?: () => number; keepaliveMs?: number };
};

export type SubscriptionOptions = {
  /** A feed made by the caller (who then starts and closes it); the options below are then ignored. */
  feed?: ChangeFeed;
  /**
   * What tells the feed that something was indexed. Default: Ponder's live-query notifications when
   * the API runs inside Ponder (the feed then starts with the API), else none (the feed polls, and
   * starts with the first subscription). `null`: poll only.
   */
  signal?: (() => ChangeSignal | undefined) | null;
  /** Safety poll period in ms (default 1000 with a signal, 200 without). */
  pollMs?: number;
  /** Blocks that may still be reorganized (default: the chains' finality in Ponder, else 64). */
  reorgDepth?: number;
  /**
   * The PostgreSQL the indexing process writes to, to LISTEN on for its notifications
   * (LOOM_NOTIFY_DATABASE_URL). Needed by a `ponder serve` process that reads from a read replica:
   * a hot standby refuses LISTEN. Default: the database Ponder reads.
   */
  notifyDatabaseUrl?: string;
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * A Response made with whichever `Response` is global when it is made. Under Ponder,
 * @hono/node-server installs its own once it serves (after this API is built): it writes a string
 * body to the socket in one piece, where a native Response's body is read back as a stream.
 */
const CurrentResponse = function CurrentResponse(body?: BodyInit | null, init?: ResponseInit) {
  return new globalThis.Response(body, init);
} as unknown as typeof Response;

/** A GraphQL-shaped error body for failures outside GraphQL execution. */
const errorBody = (code: string, message: string, requestId?: string, extra?: Record<string, number>) => ({
  errors: [{ message, extensions: { code, ...extra, ...(requestId && { requestId }) } }],
});

/** HTTP 429 with Retry-After and a RATE_LIMITED error (extensions.retryAfter: the same seconds). */
const rateLimited = (message: string, retryAfter: number, requestId: string) =>
  Response.json(errorBody('RATE_LIMITED', message, requestId, { retryAfter }), {
    status: 429,
    headers: { 'retry-after': String(retryAfter), 'x-request-id': requestId },
  });

/**
 * Builds the API.
 *
 * @example
 * import { db } from 'ponder:api';
 * import * as schema from 'ponder:schema';
 * export default createApi({ db, tables: schema, foldJob: applyJobEvent });
 */
export function createApi(options: ApiOptions): Hono {
  const { db, foldJob } = options;
  // A plain object: Ponder hands in its module namespace (vite-node), whose every property is a
  // getter behind a getter; resolvers read a table on every field that queries one.
  const tables = { ...options.tables };
  const logger = options.logger ?? pino({ name: 'loom-api', level: process.env.LOG_LEVEL ?? 'info' });
  const limits = { ...defaultLimits, ...options.limits };
  const metrics = new ApiMetrics();
  const inFlight = new Map<string, Promise<unknown>>();
  const { now: clientClock, ...clientOverrides } = options.clients ?? {};
  const clientLimits: ClientLimits = { ...clientLimitsFromEnv(), ...clientOverrides };
  const admission = new ClientAdmission(clientLimits, clientClock);
  const clientOf = (c: HonoContext) => clientIp(c, clientLimits.trustProxy) ?? 'unknown';
  // A backfill page is queued while at most a page waits: two pages must fit in the bound.
  const subscriptionLimits = {
    maxQueued: clientLimits.maxQueued,
    backfillPage: Math.max(1, Math.min(defaultSubscriptionLimits.backfillPage, Math.floor(clientLimits.maxQueued / 2))),
  };
  const queueStats: QueueStats = { queued: 0, overflows: 0 };
  const presence = options.presence?.store ?? new PresenceStore(options.presence?.now);

  // One change feed per API (one per process in Ponder), shared by every subscription.
  const ponder = options.subscriptions?.feed || options.subscriptions?.signal !== undefined ? undefined : ponderRuntime(logger, { notifyDatabaseUrl: options.subscriptions?.notifyDatabaseUrl ?? (process.env.LOOM_NOTIFY_DATABASE_URL || undefined) });
  const feed = options.subscriptions?.feed ?? new ChangeFeed({
    db,
    tables,
    foldJob,
    logger,
    signal: options.subscriptions?.signal ?? ponder?.signal,
    pollMs: options.subscriptions?.pollMs,
    reorgDepth: options.subscriptions?.reorgDepth ?? ponder?.reorgDepth,
  });
  if (ponder) {
    ponder.onShutdown(() => feed.close());
    ponder.onShutdown(() => presence.close());
    // Started with the API, so that it sees every reorg a resuming client may need to hear about.
    feed.start().catch(() => {});
  }

  // Subscribers of the same subscription share each item's result and its bytes.
  const sharedResults = new SharedResults();
  const yoga = createYoga<ServerContext & { streamTicket?: StreamTicket; incoming?: IncomingMessage; outgoing?: ServerResponse }, Context>({
    schema: createApiSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { title: 'Loom API' },
    // normalizeErrors masks everything, in one place, with the closed set of codes.
    maskedErrors: false,
    logging: false,
    batching: false,
    cors: false,
    // Node's own Request/Response/streams: a streamed response (SSE) then passes through Hono and the
    // re-wrapping below as the same stream, and a client that goes away cancels it cleanly (Node 20's
    // undici crashes the process when a wrapped ponyfill stream is cancelled mid-read).
    fetchAPI: {
      Request: globalThis.Request,
      Response: CurrentResponse,
      Headers: globalThis.Headers,
      ReadableStream: globalThis.ReadableStream,
      TextEncoder: globalThis.TextEncoder,
      TextDecoder: globalThis.TextDecoder,
    },
    context: ({ trace, streamTicket }): Context => ({
      db,
      tables,
      loaders: lazyLoaders(db, tables),
      foldJob,
      inFlight,
      requestId: trace.requestId,
      feed,
      subscriptionLimits,
      queueStats,
      presence,
      onSlowClient: streamTicket && (() => streamTicket.tooSlow()),
    }),
    plugins: [
      useNodeRequestBody(),
      useOperationLimits(limits),
      useSubscriptionTransport(),
      useStreamAdmission(),
      useSharedSubscriptionResults(sharedResults, {
        onUnshareable: () => logger.warn('subscriptions: the schema is of another graphql-js copy than the API code; each subscriber executes its own results'),
      }),
      useNormalizedErrors(),
      useEventStream(),
    ],
  });

  const app = new Hono();
  // The server context in two parts: @whatwg-node/server copies several parts onto a plain object,
  // but makes a single one the prototype of the context, which then gets hidden classes of its own
  // (about 20 per request, kept as long as a subscription: bench/README.md, "Many subscribers").
  const handleInParts = yoga.handleRequest as (request: Request, ...serverContext: object[]) => Promise<Response>;

  if (options.artifacts !== false) {
    const store = options.artifacts ?? artifactStoreFromEnv();
    // Browsers download results from another origin (the UI) and check their hash themselves, and
    // upload inputs signed by the connected wallet (the signature, not the origin, says who uploads).
    app.use(
      '/artifacts/*',
      cors({
        origin: '*',
        allowMethods: ['GET', 'HEAD', 'PUT'],
        allowHeaders: ['Content-Type', ...Object.values(uploadHeaders)],
        exposeHeaders: ['ETag', 'Content-Length', 'Retry-After'],
      }),
    );
    app.route('/artifacts', artifactRoutes(store, { logger, trustProxy: clientLimits.trustProxy, uploads: { ...options.artifactUploads, isRegisteredWorker: registeredWorkerCheck(db, tables) } }));

    // Retention: on by default inside Ponder (a test's createApi runs none unless asked).
    const retention = options.artifactRetention ?? (ponder ? {} : false);
    const envInterval = Number(process.env.LOOM_ARTIFACT_GC_INTERVAL_SECONDS ?? 3600);
    const intervalSeconds = retention === false ? 0 : (retention.intervalSeconds ?? (Number.isFinite(envInterval) ? envInterval : 3600));
    if (retention !== false && intervalSeconds > 0) {
      const collector = startArtifactCollector({ store, db, tables, graceSeconds: retention.graceSeconds ?? defaultGraceSeconds(), intervalSeconds, logger });
      ponder?.onShutdown(() => collector.stop());
    }
  }

  const presenceDomain = options.presence?.domain;
  if (presenceDomain) {
    // Heartbeats are received and verified in a worker thread on their own port, off the thread that serves GraphQL.
    const envSkew = Number(process.env.LOOM_PRESENCE_MAX_SKEW_MS);
    const envPort = Number(process.env.LOOM_PRESENCE_PORT ?? 0);
    const listener = startPresenceThread({
      domain: presenceDomain,
      maxSkewMs: options.presence?.maxSkewMs ?? (envSkew > 0 ? envSkew : undefined),
      port: options.presence?.port ?? (Number.isInteger(envPort) && envPort >= 0 ? envPort : 0),
      ...(process.env.LOOM_PRESENCE_HOST ? { host: process.env.LOOM_PRESENCE_HOST } : {}),
      ...(process.env.LOOM_PRESENCE_NICE ? { nice: Number(process.env.LOOM_PRESENCE_NICE) } : {}),
      trustProxy: clientLimits.trustProxy,
      logLevel: logger.level,
      isRegisteredWorker: registeredWorkerCheck(db, tables),
      store: presence,
      logger,
    });
    ponder?.onShutdown(() => listener.close());
    app.route('/presence', presenceRoutes({ port: listener.port, publicUrl: process.env.LOOM_PRESENCE_URL || undefined }));
  }
  // Live job logs: the worker writes signed chunks, browsers follow them from another origin (the UI).
  const { domain: logDomain, now: logClock, keepaliveMs, ...logLimits } = options.jobLogs ?? {};
  const jobLogs = new JobLogs({ ...jobLogLimitsFromEnv(), ...logLimits }, logClock);
  app.use('/jobs/*', cors({ origin: '*', allowMethods: ['GET', 'POST'], allowHeaders: ['Content-Type', 'Last-Event-ID'], exposeHeaders: ['Retry-After'] }));
  app.route(
    '/jobs',
    logRoutes({
      logs: jobLogs,
      domain: logDomain ?? options.artifactUploads?.domain,
      mayWrite: logWriterCheck(db, tables),
      jobExists: jobExistsCheck(db, tables),
      clientOf,
      admission,
      logger,
      ...(logClock ? { now: logClock } : {}),
      ...(keepaliveMs ? { keepaliveMs } : {}),
    }),
  );

  app.use('/graphql', cors({ origin: '*', allowMethods: ['GET', 'POST', 'OPTIONS'], exposeHeaders: ['Retry-After', 'X-Request-Id'], maxAge: 86_400 }));
  // Each client's token bucket, before anything reads the body (preflights are free).
  app.use('/graphql', async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const decision = admission.takeRequest(clientOf(c));
    if (decision.ok) return next();
    metrics.observeHttp('/graphql', c.req.method, 429);
    const { burst, perSecond } = clientLimits.requests as { burst: number; perSecond: number };
    return rateLimited(
      `Too many requests from this client (at most ${burst} at once, then ${perSecond} per second); retry in ${decision.retryAfterSeconds} s`,
      decision.retryAfterSeconds,
      randomUUID(),
    );
  });
  app.use(
    '/graphql',
    graphqlBodyLimit(options.maxBodyBytes ?? 64 * 1024, (c) => c.json(errorBody('BAD_REQUEST', 'The request body is too large'), 413)),
  );

  app.on(['GET', 'POST', 'OPTIONS'], '/graphql', async (c) => {
    const header = c.req.header('x-request-id');
    const requestId = header && REQUEST_ID.test(header) ? header : randomUUID();
    const trace: RequestTrace = {
      requestId,
      operationName: null,
      operationType: null,
      errorCodes: [],
      logUnexpected: (err) => logger.error({ requestId, err }, 'unexpected error (masked as INTERNAL/UNAVAILABLE)'),
    };
    const started = performance.now();
    metrics.requestStarted();
    const streamTicket = new StreamTicket(admission, clientOf(c));
    // On Node, a subscription's events are written straight to this response (graphql/eventStream.ts).
    const { incoming, outgoing } = (c.env ?? {}) as { incoming?: IncomingMessage; outgoing?: ServerResponse };
    let response: Response;
    try {
      // On Node, handleRequest, not fetch: fetch reads the request's abort signal, which makes
      // @hono/node-server build the whole undici Request behind its lazy one (nodeRequestBody.ts);
      // a client that leaves is seen on `outgoing` instead.
      response = outgoing
        ? await handleInParts(c.req.raw, { trace, streamTicket }, { incoming, outgoing })
        : await yoga.fetch(c.req.raw, { trace, streamTicket });
    } finally {
      metrics.requestEnded();
    }
    if (streamTicket.refusedFor !== undefined) {
      // Refused before it started (useStreamAdmission): whatever yoga made of that, the answer is a 429.
      await response.body?.cancel().catch(() => {});
      response = rateLimited(
        `Too many open subscriptions from this client (at most ${clientLimits.streamsPerClient}); close one, or retry in ${streamTicket.refusedFor} s`,
        streamTicket.refusedFor,
        requestId,
      );
    } else if (streamTicket.release) {
      // A subscription holds its slot as long as its response is open.
      if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
        response = admission.watch(streamTicket, response, outgoing);
      } else {
        streamTicket.release();
      }
    }
    if (response.status === 406) {
      // yoga's bare 406: no media type the client accepts can carry the result (a subscription
      // asked for anything but text/event-stream). Say so with the closed set of codes.
      if (!trace.errorCodes.includes('BAD_REQUEST')) trace.errorCodes.push('BAD_REQUEST');
      response = Response.json(
        errorBody('BAD_REQUEST', 'No accepted media type can carry this result; subscriptions are served as Server-Sent Events (Accept: text/event-stream)'),
        { status: 406 },
      );
    }
    const durationSeconds = (performance.now() - started) / 1000;
    const isGraphQL = c.req.method !== 'OPTIONS' && !response.headers.get('content-type')?.startsWith('text/html');
    if (isGraphQL) metrics.observeOperation({ ...trace, durationSeconds });
    metrics.observeHttp('/graphql', c.req.method, response.status);
    if (isGraphQL) {
      // Never the query text or variables: they may carry whatever a client put there.
      logger.info(
        {
          requestId,
          method: c.req.method,
          status: response.status,
          operation: trace.operationName,
          type: trace.operationType,
          durationMs: Math.round(durationSeconds * 1e4) / 10,
          ...(trace.errorCodes.length && { errors: trace.errorCodes }),
        },
        'graphql',
      );
    }
    // On the response, and on Hono's context: when a middleware (CORS) has touched the context's
    // response already, Hono copies that one's headers onto a new response made from this one.
    response.headers.set('x-request-id', requestId);
    c.header('x-request-id', requestId);
    if (outgoing) {
      // A subscription's head goes out now, with the HTTP layer's headers so far (CORS).
      const sent = sendEventStream(response, outgoing, () => c.res.headers);
      if (sent) return sent;
    }
    return response;
  });

  app.get('/api/health', (c) => {
    metrics.observeHttp('/api/health', 'GET', 200);
    return c.json({ status: 'ok' });
  });

  app.get('/api/ready', async (c) => {
    let body: Record<string, unknown>;
    let ok = false;
    try {
      const status = await readIndexingStatus(db);
      const lag = status.block ? Math.max(0, Math.round(Date.now() / 1000 - Number(status.block.timestamp))) : null;
      const fresh = options.readyMaxLagSeconds === undefined || (lag !== null && lag <= options.readyMaxLagSeconds);
      ok = status.ready && fresh;
      body = {
        ready: ok,
        backfilled: status.ready,
        block: status.block && { number: status.block.number.toString(), timestamp: status.block.timestamp.toString() },
        lagSeconds: lag,
      };
    } catch (err) {
      logger.warn({ err }, 'readiness check: database not readable');
      body = { ready: false, error: 'database not readable' };
    }
    metrics.observeHttp('/api/ready', 'GET', ok ? 200 : 503);
    return c.json(body, ok ? 200 : 503);
  });

  app.get('/api/metrics', (c) => {
    metrics.observeHttp('/api/metrics', 'GET', 200);
    const subscriptions = [
      ...metricFamily('loom_api_subscriptions', 'gauge', 'Subscriptions following the change feed now.', feed.listenerCount),
      ...metricFamily('loom_api_subscription_queued_items', 'gauge', "Events waiting in subscribers' queues for their clients to read.", queueStats.queued),
      ...metricFamily('loom_api_subscription_results_executed_total', 'counter', 'Subscription results executed (once per item and distinct subscription).', sharedResults.stats.executed),
      ...metricFamily('loom_api_subscription_results_shared_total', 'counter', 'Subscription results handed to a subscriber without executing again.', sharedResults.stats.shared),
      ...metricFamily('loom_api_workers_online', 'gauge', 'Workers whose heartbeats reach this API now.', presence.onlineAddresses().length),
      ...metricFamily('loom_api_heartbeats_accepted_total', 'counter', 'Worker heartbeats accepted since the API started.', presence.accepted),
      ...metricFamily('loom_api_job_logs', 'gauge', 'Live job logs held in memory now (api/logs/).', jobLogs.size),
      '',
    ].join('\n');
    return c.body(metrics.render() + subscriptions + admission.renderMetrics(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  app.onError((err, c) => {
    const requestId = randomUUID();
    logger.error({ requestId, err, path: c.req.path }, 'unhandled error');
    return c.json(errorBody('INTERNAL', 'Internal server error', requestId), 500);
  });

  return app;
}
