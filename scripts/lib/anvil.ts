/**
 * Starts a local anvil for tests, benchmarks and `npm start`, and stops it with its process group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
// @ts-expect-error: plain ESM helper shared with the forge launcher, no types needed.
import { binaryPath } from '../foundry/paths.mjs';
import { freePort } from '../../indexer/run/freePort.ts';
import { rpc } from './rpc.ts';

export type Anvil = { rpcUrl: string; port: number; process: ChildProcess; stop: () => Promise<void> };

export type AnvilOptions = {
  port?: number;
  /** Persist the chain here (anvil --state): a restart keeps it. */
  stateFile?: string;
  /** Seconds between blocks; default: a block per transaction (automine). */
  blockTime?: number;
  args?: string[];
  /**
   * Run anvil in its own process group, so that a Ctrl-C meant for the caller does not stop it
   * behind the caller's back (the caller stops it, after whatever uses the chain).
   */
  detached?: boolean;
  /** How long to wait for it to answer (ms; default 20 s). Loading a large saved state takes longer. */
  readyTimeoutMs?: number;
};

/** Starts anvil and resolves once it answers JSON-RPC. */
export async function startAnvil(opts: AnvilOptions = {}): Promise<Anvil> {
  const port = opts.port ?? (await freePort());
  const args = ['--port', String(port), '--host', '127.0.0.1', '--silent', ...(opts.args ?? [])];
  if (opts.stateFile) args.push('--state', opts.stateFile);
  if (opts.blockTime) args.push('--block-time', String(opts.blockTime));
  const child = spawn(binaryPath('anvil') as string, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: opts.detached });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const rpcUrl = `http://127.0.0.1:${port}`;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 20_000;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited with ${child.exitCode}: ${stderr}`);
    try {
      await rpc(rpcUrl, 'eth_chainId');
      break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`anvil did not answer on ${rpcUrl} within ${readyTimeoutMs / 1000} s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { rpcUrl, port, process: child, stop };
}

/** Blocks Ponder keeps unfinalized on a chain it has no figure for, anvil's 31337 among them. */
export const INDEXER_FINALITY_BLOCKS = 30;

/**
 * Mines empty blocks until the chain is longer than the indexer's finality depth; returns how many.
 *
 * Why: anvil re-creates block 0 on some reloads of a saved state (a new timestamp, so a new hash
 * that block 1 no longer names as its parent; seen on the third or fourth restart). An index built
 * from scratch on a chain shorter than the finality depth starts its live sync at block 0 and stops
 * there on an "unrecoverable reorg". Past that depth the indexer's first final block is at least
 * block 1, and block 0 is never read again.
 */
export async function mineBeyondFinality(rpcUrl: string): Promise<number> {
  const head = Number(await rpc<string>(rpcUrl, 'eth_blockNumber'));
  const missing = INDEXER_FINALITY_BLOCKS + 1 - head;
  if (missing > 0) await rpc(rpcUrl, 'anvil_mine', [`0x${missing.toString(16)}`]);
  return Math.max(0, missing);
}

/** anvil answers JSON-RPC over WebSocket on its HTTP port: where the indexer follows new heads. */
export const anvilWsUrl = (rpcUrl: string) => rpcUrl.replace(/^http/, 'ws');

/**
 * Mines an empty block every `everyMs` until `done` settles, and returns what it settles with.
 *
 * Why: an indexer that follows new heads over the WebSocket (LOOM_WS_URL) fetches the blocks it has
 * not indexed yet only when a new head arrives (Ponder's realtime sync), and an automining anvil
 * makes no block while nobody sends a transaction. Right after the backfill, the newest blocks
 * (the unfinalized 30) would wait for the next transaction: a few empty blocks bring them in now.
 */
export async function mineWhile<T>(rpcUrl: string, done: Promise<T>, everyMs = 500): Promise<T> {
  const timer = setInterval(() => void rpc(rpcUrl, 'evm_mine').catch(() => {}), everyMs);
  try {
    return await done;
  } finally {
    clearInterval(timer);
  }
}
