/**
 * The indexing floor: the least any indexer must do to get LoomMarket's history from a node into
 * PostgreSQL, done as fast as a short script can. Batched eth_getLogs over the range (several
 * requests in flight), block timestamps through batched eth_getBlockByNumber (headers only), every
 * log decoded with viem into exactly the `job_event` row the indexer writes (same id, args JSON and
 * account), and the rows streamed into one table with `COPY ... FROM STDIN`. No state tables, no
 * reorg bookkeeping, no cache: what Ponder does on top of this is what `indexer.replay.floorRatio`
 * prices.
 */
import postgres from 'postgres';
import { decodeEventLog, type AbiParameter, type Address, type Hex } from 'viem';
import { loomMarketAbi } from '../abis/generated.ts';
import { argsToJson, eventId, ZERO_ADDRESS, type Args } from '../indexer/src/fold/event.ts';
import { rpc } from '../scripts/lib/rpc.ts';

export type FloorOptions = {
  rpcUrl: string;
  market: Address;
  fromBlock: number;
  toBlock: number;
  databaseUrl: string;
  /** Schema to create the table in (dropped first if it exists). */
  schema: string;
  /** Blocks per eth_getLogs (default 100). */
  blocksPerRequest?: number;
  /** eth_getLogs requests in flight (default 4). */
  concurrency?: number;
};

export type FloorResult = { events: number; seconds: number; eventsPerSec: number };

type RpcLog = { blockNumber: Hex; blockHash: Hex; transactionHash: Hex; logIndex: Hex; data: Hex; topics: [Hex, ...Hex[]] };

const eventInputs = new Map<string, readonly AbiParameter[]>(
  loomMarketAbi.flatMap((item) => (item.type === 'event' ? [[item.name, item.inputs] as const] : [])),
);
// The same preference as the indexer's accountOf (indexer/src/LoomMarket.ts).
const ACCOUNT_ARGS = ['worker', 'client', 'party', 'account', 'treasury', 'arbiter', 'newOwner'] as const;

/** COPY text format: backslash, tab, newline and carriage return escaped; `\N` for null. */
const copyText = (value: string | null) =>
  value === null ? '\\N' : value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);

async function batch<T>(url: string, calls: { method: string; params: unknown[] }[]): Promise<T[]> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(calls.map((c, id) => ({ jsonrpc: '2.0', id, ...c }))),
  });
  const body = (await res.json()) as { id: number; result?: T; error?: { message: string } }[];
  const out = new Array<T>(calls.length);
  for (const r of body) {
    if (r.error) throw new Error(`${calls[r.id]!.method}: ${r.error.message}`);
    out[r.id] = r.result as T;
  }
  return out;
}

/** Fetches, decodes and COPYs the range; the clock runs from the first request to the commit. */
export async function runFloor(opts: FloorOptions): Promise<FloorResult> {
  const step = opts.blocksPerRequest ?? 100;
  const concurrency = opts.concurrency ?? 4;
  const sql = postgres(opts.databaseUrl, { max: 1, onnotice: () => {} });
  const table = `"${opts.schema}".job_event`;
  try {
    await sql.unsafe(`DROP SCHEMA IF EXISTS "${opts.schema}" CASCADE`);
    const started = performance.now();
    await sql.unsafe(`CREATE SCHEMA "${opts.schema}"`);
    // The columns of the indexer's job_event (indexer/ponder.schema.ts), with its primary key.
    await sql.unsafe(`CREATE TABLE ${table} (
      id text PRIMARY KEY, block_number numeric(78,0) NOT NULL, block_hash text NOT NULL, tx_hash text NOT NULL,
      log_index integer NOT NULL, timestamp numeric(78,0) NOT NULL, name text NOT NULL, job_id text, account text,
      args jsonb NOT NULL)`);
    const copy = await sql
      .unsafe(`COPY ${table} (id, block_number, block_hash, tx_hash, log_index, timestamp, name, job_id, account, args) FROM STDIN`)
      .writable();
    const copied = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });

    // One range: its logs, and the timestamps of the blocks that hold them (one batch request).
    const fetchRange = async (from: number, to: number) => {
      const logs = await rpc<RpcLog[]>(opts.rpcUrl, 'eth_getLogs', [
        { address: opts.market, fromBlock: `0x${from.toString(16)}`, toBlock: `0x${to.toString(16)}` },
      ]);
      const numbers = [...new Set(logs.map((l) => l.blockNumber))];
      const blocks = numbers.length
        ? await batch<{ timestamp: Hex }>(opts.rpcUrl, numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [n, false] })))
        : [];
      const timestamps = new Map(numbers.map((n, i) => [n, BigInt(blocks[i]!.timestamp).toString()]));
      return { logs, timestamps };
    };

    const ranges: [number, number][] = [];
    for (let from = opts.fromBlock; from <= opts.toBlock; from += step) ranges.push([from, Math.min(opts.toBlock, from + step - 1)]);
    let events = 0;
    // Keep `concurrency` ranges in flight; decode and write them in chain order.
    const inFlight = ranges.slice(0, concurrency).map(([a, b]) => fetchRange(a, b));
    for (let i = 0; i < ranges.length; i++) {
      const { logs, timestamps } = await inFlight[i]!;
      const next = ranges[i + concurrency];
      if (next) inFlight.push(fetchRange(next[0], next[1]));
      let chunk = '';
      for (const log of logs) {
        const decoded = decodeEventLog({ abi: loomMarketAbi, data: log.data, topics: log.topics });
        const args: Args = argsToJson(eventInputs.get(decoded.eventName)!, decoded.args);
        const account = ACCOUNT_ARGS.map((k) => args[k]).find((v) => typeof v === 'string' && v !== ZERO_ADDRESS) ?? null;
        const blockNumber = BigInt(log.blockNumber);
        chunk += [
          eventId(blockNumber, Number(log.logIndex)),
          blockNumber.toString(),
          log.blockHash,
          log.transactionHash,
          String(Number(log.logIndex)),
          timestamps.get(log.blockNumber)!,
          decoded.eventName,
          typeof args.jobId === 'string' ? args.jobId : null,
          account,
          JSON.stringify(args),
        ]
          .map(copyText)
          .join('\t');
        chunk += '\n';
      }
      events += logs.length;
      inFlight[i] = undefined as never;
      if (!copy.write(chunk)) await new Promise((r) => copy.once('drain', r));
    }
    copy.end();
    await copied;
    const seconds = (performance.now() - started) / 1000;
    const [{ count }] = await sql.unsafe<{ count: string }[]>(`SELECT count(*)::text AS count FROM ${table}`);
    if (Number(count) !== events) throw new Error(`floor: copied ${count} rows of ${events} events`);
    return { events, seconds, eventsPerSec: events / seconds };
  } finally {
    await sql.unsafe(`DROP SCHEMA IF EXISTS "${opts.schema}" CASCADE`).catch(() => {});
    await sql.end();
  }
}
