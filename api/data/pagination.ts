/**
 * Forward, keyset (cursor) pagination: page-size checks, opaque cursors, and Relay connections.
 *
 * A cursor is base64url(JSON `{ "o": order, "k": [sort key values...] }`): the order it was issued
 * for, and the sort key of the item it points at (strings, so bigints survive). Resuming after it is a
 * row comparison `(key...) > (values...)`, which stays correct while rows are inserted.
 */
import { ApiError } from '../graphql/errors';

/** The hard page cap. */
export const MAX_PAGE_SIZE = 100;
/** The page size when `first` is omitted. */
export const DEFAULT_PAGE_SIZE = 20;

/** Checks `first`: an integer from 0 to MAX_PAGE_SIZE. */
export function pageSize(first: number | null | undefined, fallback = DEFAULT_PAGE_SIZE): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0) throw new ApiError('BAD_USER_INPUT', 'first must be an integer of at least 0');
  if (n > MAX_PAGE_SIZE) {
    throw new ApiError('PAGE_TOO_LARGE', `first must be at most ${MAX_PAGE_SIZE}`, { maxPageSize: MAX_PAGE_SIZE });
  }
  return n;
}

export type CursorKey = string[];

/** Encodes a cursor for `order` at sort key `key`. */
export function encodeCursor(order: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify({ o: order, k: key })).toString('base64url');
}

const invalidCursor = () => new ApiError('INVALID_CURSOR', 'after is not a cursor issued for this list and order');

/**
 * Decodes a cursor issued for `order`, checking each key part with the matching pattern.
 * Throws INVALID_CURSOR for anything else.
 */
export function decodeCursor(cursor: string, order: string, patterns: readonly RegExp[]): CursorKey {
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalidCursor();
  const { o, k } = parsed as { o?: unknown; k?: unknown };
  if (o !== order || !Array.isArray(k) || k.length !== patterns.length) throw invalidCursor();
  k.forEach((part, i) => {
    if (typeof part !== 'string' || !patterns[i]!.test(part)) throw invalidCursor();
  });
  return k as CursorKey;
}

/** Key part patterns. */
export const keyPattern = {
  uint: /^[0-9]{1,78}$/,
  bytes32: /^0x[0-9a-f]{64}$/,
  address: /^0x[0-9a-f]{40}$/,
  eventId: /^[0-9A-Za-z:_-]{1,100}$/,
} as const;

export type Connection<T> = {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** Resolved lazily by the connection's totalCount field (`upTo`: where a capped count stops). */
  totalCount: (upTo?: number) => Promise<number>;
};

/** An edge whose cursor is encoded only when a client asks for it. */
class Edge<T> {
  constructor(
    readonly node: T,
    private readonly cursorOf: (row: T) => string,
  ) {}

  get cursor(): string {
    return this.cursorOf(this.node);
  }
}

/** A page's bounds, with the cursors encoded on demand (classes: a page of jobs makes one per job). */
class PageInfo<T> {
  constructor(
    private readonly edges: Edge<T>[],
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
  ) {}

  get startCursor(): string | null {
    return this.edges[0]?.cursor ?? null;
  }

  get endCursor(): string | null {
    return this.edges.at(-1)?.cursor ?? null;
  }
}

/**
 * Builds a connection from `rows` fetched with `limit first + 1` (the extra row says whether a next
 * page exists). Cursors are encoded lazily: most queries ask for none, or only the page's last.
 */
export function toConnection<T>(
  rows: T[],
  first: number,
  after: string | null | undefined,
  cursorOf: (row: T) => string,
  totalCount: (upTo?: number) => Promise<number>,
): Connection<T> {
  const page = rows.length > first ? rows.slice(0, first) : rows;
  const edges = page.map((node) => new Edge(node, cursorOf));
  return { edges, pageInfo: new PageInfo(edges, rows.length > first, after != null), totalCount };
}
