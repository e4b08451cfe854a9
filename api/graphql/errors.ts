/**
 * The API's errors: one class, a closed set of codes. Every error a client sees carries
 * `extensions.code` from {@link errorCodes}; anything else is masked as INTERNAL (see maskError.ts).
 */
/** The closed set of `extensions.code` values (documented in api/README.md and schema.graphql). */
export const errorCodes = [
  /** The HTTP request is not a usable GraphQL request (bad JSON, no query, wrong method, too large). */
  'BAD_REQUEST',
  /** The document is not valid GraphQL syntax. */
  'GRAPHQL_PARSE_FAILED',
  /** The document does not fit the schema (unknown field, wrong argument type...). */
  'GRAPHQL_VALIDATION_FAILED',
  /** An argument or variable value is invalid (bad address, bad id, negative page size...). */
  'BAD_USER_INPUT',
  /** `first` is above the page cap. */
  'PAGE_TOO_LARGE',
  /** `after` is not a cursor this API issued for this list and order. */
  'INVALID_CURSOR',
  /** The document is over a limit: size, tokens, depth, aliases or estimated cost. */
  'QUERY_TOO_COMPLEX',
  /** An entity the operation needs does not exist. */
  'NOT_FOUND',
  /** The database is unreachable, timed out or not ready; retry later. */
  'UNAVAILABLE',
  /** The client is over its per-client limit (requests, or open streams): HTTP 429, retry after `Retry-After` seconds. */
  'RATE_LIMITED',
  /** Anything else: a bug. Details are logged server-side under the request id. */
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

const codeSet = new Set<string>(errorCodes);

/** True for a value of the closed set. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && codeSet.has(value);
}

/** Extra, safe facts an error may carry next to its code, e.g. `{ limit: 100 }`. */
export type ErrorDetails = Record<string, string | number | boolean>;

/**
 * An error meant for the client: its message is shown as is, with `extensions.code` and `details`.
 * A plain Error on purpose: graphql-js then wraps it with the location (argument, variable, field)
 * and keeps it as `originalError`, where the error normalizer finds it.
 *
 * @example
 * throw new ApiError('BAD_USER_INPUT', 'first must be at least 0');
 */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** The ApiError behind `error`, following `originalError` links, if any. */
export function findApiError(error: unknown): ApiError | undefined {
  let current: unknown = error;
  for (let i = 0; i < 8 && current; i++) {
    if (current instanceof ApiError) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return undefined;
}
