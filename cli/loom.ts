#!/usr/bin/env -S node --import tsx
/**
 * loom: the Loom client's command line.
 *
 *   loom job post|list|show|watch|accept-bid|cancel|release|dispute|reclaim|expire|finalize|result|withdraw
 *   loom model publish|retire|list|show            (the model hub)
 *   loom pool create|fee|approve|remove|join|leave|show|list   (worker pools)
 *   loom withdraw                                  (every credit: both markets and the model hub)
 *   loom worker list [--online]                    (registered workers, online or not)
 *   loom worker start|register|status|withdraw     (the worker's own CLI, loom-worker)
 *   loom index digest|replay
 *
 * Reads go through the Loom API (GraphQL; live views over SSE), writes are transactions signed with
 * the client key (LOOM_CLIENT_KEY or a keystore), both through the SDK (sdk/). Tables and progress
 * for people (progress on stderr, on a terminal only), `--json` on stdout for scripts. Exit codes:
 * 0 success, 1 failure (a revert, the API, a failed verification, bad input), 2 bad usage.
 */
import { runIndex, INDEX_USAGE } from './commands/indexCommand';
import { runJob, JOB_USAGE } from './commands/job';
import { runWithdraw } from './commands/job/withdraw';
import { runModel, MODEL_USAGE } from './commands/model';
import { runPool, POOL_USAGE } from './commands/pool';
import { runWorker } from './commands/worker';
import { CliError } from './cliError';
import { reportError } from './output/reportError';

const USAGE = `Usage: loom <group> <command> [options]

Groups:
  job       Post jobs (single or replicated on several workers), list and show them, watch them
            live, accept bids, cancel, release, dispute, reclaim, finalize, download verified
            results, withdraw credits
  model     The model hub: publish model versions (paid or free), retire them, list and show
            them; jobs use them with loom job post --model <id>
  pool      Worker pools: create one and set its fee, approve and remove members, join and
            leave as a worker, show and list them; jobs for a pool: loom job post --pool <id>
  withdraw  Withdraw every credit: refunds and shares from both markets, royalties and fee
            refunds from the model hub (the same as loom job withdraw)
  worker    List workers (list [--online]); run a GPU worker (start, register, status, withdraw):
            the loom-worker CLI
  index     Compare an indexer with the chain: digest, replay

Configuration (flags or environment): --api-url LOOM_API_URL, --rpc-url LOOM_RPC_URL,
--market LOOM_MARKET_ADDRESS, --replicated-market LOOM_REPLICATED_MARKET_ADDRESS,
--deployment-file LOOM_DEPLOYMENT_FILE, --chain-id LOOM_CHAIN_ID, --artifact-url LOOM_ARTIFACT_URL.
The client key: LOOM_CLIENT_KEY, or --keystore / LOOM_CLIENT_KEYSTORE (password
LOOM_CLIENT_KEYSTORE_PASSWORD or a prompt); never a flag, never printed.

Every command takes --help and --json. Exit codes: 0 success, 1 failure, 2 bad usage.

${JOB_USAGE}

${MODEL_USAGE}

${POOL_USAGE}

${INDEX_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [group, ...rest] = argv;
  if (group === undefined) throw new CliError('USAGE', 'missing a command', { details: USAGE });
  if (group === '--help' || group === '-h' || group === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  switch (group) {
    case 'job':
      return runJob(rest);
    case 'model':
      return runModel(rest);
    case 'pool':
      return runPool(rest);
    case 'withdraw':
      return runWithdraw(rest);
    case 'worker':
      return runWorker(rest);
    case 'index':
      return runIndex(rest);
    default:
      throw new CliError('USAGE', `unknown command "${group}"`, { details: USAGE });
  }
}

const argv = process.argv.slice(2);
// `loom worker …` passes its arguments through untouched: --json there is the worker CLI's.
const json = (argv[0] !== 'worker' || argv[1] === 'list') && argv.includes('--json');
main(argv).then(
  (code) => process.exit(code),
  (err) => process.exit(reportError(err, { json })),
);
