/**
 * The heartbeat load of bench/api.ts ("presence"), in its own process so that signing and sending
 * do not share an event loop with the GraphQL load generator whose latencies are measured.
 *
 * Driven over stdin/stdout, one line each: it reads its configuration (JSON: API URL, chain id,
 * market, worker keys, rate, seconds), asks the API where its presence listener is (GET /presence),
 * opens each worker's presence session and sends one heartbeat
 * per worker (so the API's one-time EIP-712 recoveries fall outside the measurement), then answers
 * "ready". On "prepare" it signs the next round's heartbeats (nothing else runs then) and answers
 * "prepared"; on "go" it sends them at the fixed rate for the given seconds (autocannon) and answers
 * with a JSON line: { sent, accepted, refused, errors }.
 */
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import type { Address, Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createHeartbeatSigner, HeartbeatError, type HeartbeatSigner, heartbeatUrlOf, sendHeartbeat } from '../../sdk/node/workerHeartbeat.ts';

type Config = { url: string; chainId: number; market: Address; keys: Hex[]; rate: number; seconds: number };

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const next = async () => ((await lines.next()).value as string | undefined)?.trim();
const say = (line: string) => process.stdout.write(`${line}\n`);

const config = JSON.parse((await next())!) as Config;
const signers = await Promise.all(config.keys.map((key) => createHeartbeatSigner({ account: privateKeyToAccount(key), chainId: config.chainId, market: config.market })));
const INTERVAL_MS = 1000;
// The API's presence listener (its own port, in its own thread), as the worker daemon finds it.
const heartbeatUrl = new URL(await heartbeatUrlOf(config.url));
// A registration the API cannot see yet (it reads the indexed table, on a loaded machine a little
// behind the indexer's status) is tried again after the API's 1 s memory of a refusal, for 30 s.
const warmUp = async (s: HeartbeatSigner, deadline = Date.now() + 30_000): Promise<void> => {
  try {
    await sendHeartbeat(heartbeatUrl.href, await s.sign({ intervalMs: INTERVAL_MS, gpu: { status: 'none' } }));
  } catch (err) {
    if (!(err instanceof HeartbeatError && err.code === 'NOT_A_WORKER') || Date.now() > deadline) throw err;
    await new Promise((r) => setTimeout(r, 1100));
    return warmUp(s, deadline);
  }
};
for (const s of signers) await warmUp(s);
say('ready');

let bodies: string[] = [];
for (let command = await next(); command !== undefined; command = await next()) {
  if (command === 'prepare') {
    // Enough for the whole round and a little more; each body has its own nonce, so none is a replay.
    const count = Math.ceil(config.rate * config.seconds * 1.1) + 100;
    bodies = [];
    for (let i = 0; i < count; i++) bodies.push(JSON.stringify(await signers[i % signers.length]!.sign({ intervalMs: INTERVAL_MS, gpu: { status: 'none' } })));
    say('prepared');
  } else if (command === 'go') {
    let i = 0;
    const result = await autocannon({
      url: heartbeatUrl.origin,
      // Enough connections that the fixed rate is reached on a loaded machine (as before the listener had its own thread).
      connections: 64,
      overallRate: config.rate,
      duration: config.seconds,
      requests: [{ method: 'POST', path: heartbeatUrl.pathname, headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length]! }) }],
    });
    say(JSON.stringify({ sent: result.requests.total, accepted: result['2xx'], refused: result.non2xx, errors: result.errors + result.timeouts }));
  }
}
