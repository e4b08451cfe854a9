/**
 * `npm run soak`: LOOM_SOAK_MINUTES (default 20) of random market work under faults, then the checks.
 *
 * anvil (a block per transaction), the indexer on PostgreSQL (DATABASE_URL; PGlite without it),
 * the artifact store, and three worker daemons (`loom-worker start`, with the sandbox). Clients post
 * random single and replicated jobs, cancel some, release or dispute results, and the arbiter rules
 * (bench/lib/soakClients.ts); meanwhile workers and the indexer are killed with SIGKILL and started
 * again, and the chain reorganizes every few minutes (bench/lib/soakChaos.ts). At the end the faults
 * stop, every process is alive again, the deadlines pass and the parties settle; then: no job stuck,
 * every balance adds up against the chain, and the indexer's state digest equals a fresh replay's
 * (bench/lib/soakChecks.ts). The figures are merged into bench/results.json (`soak.*`); the exit
 * code is 1 when a check fails. Everything started is stopped at the end, or on Ctrl-C.
 *
 * The seed is printed; LOOM_SOAK_SEED replays the same draws (the interleaving with the processes'
 * own timing is not replayed).
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ROLES } from '../testkit/accounts.ts';
import { reap } from '../testkit/reaper.ts';
import { startStack } from '../testkit/stack.ts';
import { mergeResults } from './lib/results.ts';
import { type Fleet, reviveAll, runChaos, startSoakWorker } from './lib/soakChaos.ts';
import { apiMismatches, balanceMismatches, digestAgainstReplay, settle, stuckJobs, workerReverts } from './lib/soakChecks.ts';
import { runClients } from './lib/soakClients.ts';
import { jobsOnChain } from './lib/soakJobs.ts';

const minutes = Number(process.env.LOOM_SOAK_MINUTES ?? 20);
const seed = Number(process.env.LOOM_SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));
const postgres = process.env.DATABASE_URL;
const SCHEMA = 'soak';
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s`;
const log = (line: string) => console.error(`[soak ${elapsed()}] ${line}`);

async function soak(): Promise<boolean> {
  log(`seed ${seed} (LOOM_SOAK_SEED=${seed} replays its draws), ${minutes} min, indexer on ${postgres ? 'PostgreSQL' : 'PGlite'}`);
  const stack = await startStack({ name: SCHEMA, indexer: { postgres, readyTimeoutMs: 300_000 }, artifacts: true });
  const fleet: Fleet = { stack, workers: new Map(), dataDirs: new Map(), indexer: stack.ponder };
  for (const index of ROLES.workers) {
    const dir = mkdtempSync(join(stack.workDir, `worker-${index}-`));
    chmodSync(dir, 0o711); // the sandbox user must reach the job directories
    fleet.dataDirs.set(index, dir);
    await startSoakWorker(fleet, index);
  }
  log('three worker daemons follow the market; the work and the faults begin');

  const until = Date.now() + minutes * 60_000;
  const stopped = () => Date.now() >= until;
  const progress = setInterval(() => log(`load ${loadavg()[0]!.toFixed(2)}`), 60_000);
  const [clients, chaos] = await Promise.all([runClients(stack, seed, stopped, log), runChaos(fleet, seed + 1, stopped, log)]);
  clearInterval(progress);
  log(`work done: ${JSON.stringify({ ...clients, ...chaos })}`);

  await reviveAll(fleet);
  log('every process alive again; letting the deadlines pass');
  const settled = await settle(stack, 180_000, log);
  const head = await stack.pub.getBlockNumber({ cacheTime: 0 });
  await fleet.indexer.waitForBlock(head, 300_000);

  const stuck = await stuckJobs(stack);
  const balances = await balanceMismatches(stack, fleet.indexer.url);
  const api = await apiMismatches(stack, fleet.indexer.url);
  const digest = await digestAgainstReplay(stack, fleet.indexer.url, postgres, SCHEMA);
  const reverts = await workerReverts(stack);
  log(`worker transactions reverted on the chain: ${JSON.stringify(Object.fromEntries(reverts))}`);
  const jobs = await jobsOnChain(stack);
  for (const line of [...stuck.map((s) => `stuck: ${s}`), ...balances.map((b) => `balance: ${b}`), ...api.map((a) => `api: ${a}`)]) log(line);
  log(`digest at block ${digest.live.atBlock}: live ${digest.live.digest} ${digest.live.scope}, replay ${digest.replay.digest} ${digest.replay.scope}`);

  const figures: Record<string, number> = {
    'soak.minutes': minutes,
    'soak.seed': seed,
    'soak.jobs': jobs.length,
    'soak.replicatedJobs': jobs.filter((j) => j.kind === 'replicated').length,
    'soak.cancels': clients.cancels,
    'soak.disputes': clients.disputes,
    'soak.rulings': clients.rulings,
    'soak.releases': clients.releases,
    'soak.undoneByReorg': clients.undone,
    'soak.kills': chaos.workerKills + chaos.indexerKills,
    'soak.workerKills': chaos.workerKills,
    'soak.indexerKills': chaos.indexerKills,
    'soak.reorgs': chaos.reorgs,
    'soak.reclaimed': settled.reclaimed,
    'soak.finalizedByClients': settled.finalizedByClients,
    'soak.workerRevertedTxs': [...reverts.values()].reduce((t, n) => t + n, 0),
    'soak.stuckJobs': stuck.length,
    'soak.balanceMismatches': balances.length,
    'soak.apiMismatches': api.length,
    'soak.digestEqual': digest.equal ? 1 : 0,
  };
  mergeResults(figures);
  for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(40)} ${value}`);
  return stuck.length === 0 && balances.length === 0 && api.length === 0 && digest.equal;
}

let ok = false;
try {
  ok = await soak();
} catch (err) {
  log(`failed: ${(err as Error).stack ?? err}`);
} finally {
  await reap({ logDir: join(process.cwd(), '.cache', 'soak-logs'), failed: !ok, print: (text) => console.error(text.slice(-20_000)) });
}
log(ok ? 'every check holds' : 'a check failed (see above)');
process.exit(ok ? 0 : 1);
