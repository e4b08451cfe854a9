/**
 * What went wrong talking to a JSON-RPC node, in words: viem's transport errors say "HTTP request
 * failed." and keep the reason in their causes and details (a status, a refused connection, an
 * answer that is not JSON), which a one-line report would otherwise lose.
 *
 * @example
 * rpcFailure(err) // { reason: 'HTTP 503', url: 'http://127.0.0.1:8545', method: 'eth_chainId' }
 */
export type RpcFailure = {
  /** A few words: "HTTP 503", "connection refused", "an answer that is not valid JSON", ... */
  reason: string;
  /** The node's URL, when the error names it. */
  url?: string;
  /** The JSON-RPC method that failed, when the error names it. */
  method?: string;
};

type Node = { name?: string; message?: string; code?: unknown; status?: number; url?: string; body?: unknown; cause?: unknown; errors?: unknown[] };

/** The chain of causes of `err`, outermost first (bounded: causes can loop). */
function causes(err: unknown): Node[] {
  const out: Node[] = [];
  let e: unknown = err;
  while (e && typeof e === 'object' && out.length < 16) {
    out.push(e as Node);
    const n = e as Node;
    e = n.cause ?? (Array.isArray(n.errors) ? n.errors[0] : undefined);
  }
  return out;
}

const SOCKET_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'the connection closed before an answer',
  UND_ERR_CLOSED: 'the connection closed before an answer',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/**
 * The transport failure inside `err` (a viem error, possibly wrapped in ours), or undefined when
 * the node answered (a revert, a JSON-RPC error) or `err` is not about the RPC at all.
 */
export function rpcFailure(err: unknown): RpcFailure | undefined {
  const chain = causes(err);
  const transport = chain.find((n) => n.name === 'HttpRequestError' || n.name === 'TimeoutError' || n.name === 'SocketClosedError' || n.name === 'WebSocketRequestError');
  if (!transport) return undefined;
  const body = transport.body as { method?: unknown } | { method?: unknown }[] | undefined;
  const method = Array.isArray(body) ? body[0]?.method : body?.method;
  const where = { ...(typeof transport.url === 'string' ? { url: transport.url } : {}), ...(typeof method === 'string' ? { method } : {}) };
  if (transport.name === 'TimeoutError') return { reason: 'no answer in time', ...where };
  if (typeof transport.status === 'number') return { reason: `HTTP ${transport.status}${transport.status === 429 ? ' (rate limited)' : ''}`, ...where };
  const inner = chain.slice(chain.indexOf(transport) + 1);
  if (inner.some((n) => n.name === 'SyntaxError')) return { reason: 'an answer that is not valid JSON', ...where };
  for (const n of inner) if (typeof n.code === 'string' && SOCKET_REASONS[n.code]) return { reason: SOCKET_REASONS[n.code]!, ...where };
  const last = inner.at(-1)?.message ?? transport.message ?? 'no answer';
  return { reason: last.split('\n')[0]!, ...where };
}

/** "the RPC at <url> failed (<reason>)": for messages about a failure of the node, not of the call. */
export function describeRpcFailure(f: RpcFailure): string {
  return `the RPC${f.url ? ` at ${f.url}` : ''} failed${f.method ? ` on ${f.method}` : ''}: ${f.reason}`;
}
