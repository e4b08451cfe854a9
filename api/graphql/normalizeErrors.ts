/**
 * The one place where errors become what clients see: every error of every response leaves with a
 * code from the closed set, a message that reveals nothing internal, no stack trace, and only the
 * extensions the code documents. Unexpected errors are logged with the request id and masked.
 */
import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga';
import { getOperationAST, type GraphQLError } from './graphqlJs';
import { type ErrorCode, findApiError, isErrorCode } from './errors';
import { MappedResults } from './mapResults';

/** What the HTTP layer hands yoga for one request, and reads back once yoga is done. */
export type RequestTrace = {
  requestId: string;
  operationName: string | null;
  operationType: string | null;
  errorCodes: ErrorCode[];
  /** Logs an unexpected error server-side (never sent to the client). */
  logUnexpected: (error: unknown) => void;
};

export type ServerContext = { trace: RequestTrace };

const pgUnavailableCodes = new Set(['57014', '57P01', '57P02', '57P03', '53300', '40001']);

/** True for errors that mean "the database cannot answer now": a retry may succeed. */
function isUnavailable(error: unknown): boolean {
  for (let e: unknown = error, i = 0; e && i < 8; e = (e as { cause?: unknown; originalError?: unknown }).cause ?? (e as { originalError?: unknown }).originalError, i++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (pgUnavailableCodes.has(code) || code.startsWith('08') || code === 'ECONNREFUSED' || code === 'ECONNRESET')) return true;
    if (typeof message === 'string' && /PGlite is closed|Connection terminated|timeout exceeded when trying to connect/i.test(message)) return true;
  }
  return false;
}

const httpSpec400 = { spec: true, status: 400 };

/** A GraphQLError from any copy of graphql-js (see graphql.ts): recognized by its tag. */
export function isGraphQLError(value: unknown): value is GraphQLError {
  return Object.prototype.toString.call(value) === '[object GraphQLError]';
}

/** The error as the client sees it. */
export function normalizeError(error: GraphQLError | Error, trace: RequestTrace): GraphQLError {
  const graphqlError = isGraphQLError(error) ? error : undefined;
  const location = {
    nodes: graphqlError?.nodes,
    source: graphqlError?.source,
    positions: graphqlError?.positions,
    path: graphqlError?.path,
  };
  const make = (code: ErrorCode, message: string, extra?: Record<string, unknown>) => {
    trace.errorCodes.push(code);
    return createGraphQLError(message, { ...location, extensions: { code, ...extra } });
  };

  const api = findApiError(error);
  if (api) {
    // Before execution (no path) the whole request is rejected: a 400 under graphql-response+json.
    const http = graphqlError?.path ? undefined : httpSpec400;
    // Wrappers (validation, variable coercion) prefix where the bad value was: keep their message.
    return make(api.code, graphqlError?.message ?? api.message, { ...api.details, ...(http && { http }) });
  }

  const original = graphqlError?.originalError;
  if (!graphqlError || (original && !isGraphQLError(original))) {
    // Thrown by a resolver, the database, or a serializer: never show it.
    if (isUnavailable(original ?? error)) {
      trace.logUnexpected(original ?? error);
      return make('UNAVAILABLE', 'The database cannot answer now; retry later', { requestId: trace.requestId });
    }
    trace.logUnexpected(original ?? error);
    return make('INTERNAL', 'Internal server error', { requestId: trace.requestId });
  }

  const code = graphqlError.extensions?.code;
  const http = graphqlError.extensions?.http as Record<string, unknown> | undefined;
  const { limit } = graphqlError.extensions ?? {};
  if (isErrorCode(code)) {
    // Yoga's request errors (BAD_REQUEST), parse and validation errors, and our limit rules.
    return make(code, graphqlError.message, { ...(typeof limit === 'number' && { limit }), http: http ?? httpSpec400 });
  }
  if (!graphqlError.path && graphqlError.message.startsWith('Variable "$')) {
    return make('BAD_USER_INPUT', graphqlError.message, { http: httpSpec400 });
  }
  if (!graphqlError.path && graphqlError.message.startsWith('Schema is not configured to execute')) {
    // A mutation: the schema has none (graphql-js says so at execution).
    return make('GRAPHQL_VALIDATION_FAILED', graphqlError.message, { http: httpSpec400 });
  }
  if (!graphqlError.path) {
    // Operation selection ("Unknown operation named ...", several operations and no name).
    return make('BAD_REQUEST', graphqlError.message, { http: http ?? httpSpec400 });
  }
  // A GraphQLError inside execution that we did not raise (e.g. a null in a non-null field): a bug.
  trace.logUnexpected(graphqlError);
  return make('INTERNAL', 'Internal server error', { requestId: trace.requestId });
}

type Result = { errors?: readonly (GraphQLError | Error)[] } & Record<string, unknown>;

function normalizeResult<T extends Result>(result: T, trace: RequestTrace): T {
  if (!result?.errors?.length) return result;
  return { ...result, errors: result.errors.map((e) => normalizeError(e, trace)) };
}

/**
 * The yoga plugin: runs last on every result (single, batched or streamed), whatever produced it.
 * Also records the operation's name and type on the request's trace.
 */
export function useNormalizedErrors(): Plugin<Record<string, unknown>, ServerContext> {
  return {
    onExecute({ args }) {
      const trace = (args.contextValue as Partial<ServerContext>).trace;
      if (!trace) return;
      const operation = getOperationAST(args.document, args.operationName);
      trace.operationType = operation?.operation ?? null;
      trace.operationName = operation?.name?.value ?? args.operationName ?? null;
    },
    onSubscribe({ args }) {
      const trace = (args.contextValue as Partial<ServerContext>).trace;
      if (!trace) return;
      const operation = getOperationAST(args.document, args.operationName);
      trace.operationType = operation?.operation ?? null;
      trace.operationName = operation?.name?.value ?? args.operationName ?? null;
    },
    onParams({ params, context }) {
      const trace = (context as Partial<ServerContext>).trace;
      if (trace && typeof params.operationName === 'string') trace.operationName = params.operationName;
    },
    onResultProcess({ result, setResult, serverContext }) {
      const trace = serverContext.trace;
      if (!trace) return;
      if (isAsyncIterable(result)) {
        setResult(new MappedResults(result, (r) => normalizeResult(r as Result, trace)) as typeof result);
      } else if (Array.isArray(result)) {
        setResult(result.map((r) => normalizeResult(r as Result, trace)) as typeof result);
      } else {
        setResult(normalizeResult(result as Result, trace) as typeof result);
      }
    },
  };
}
