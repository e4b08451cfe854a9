/**
 * `loom job …`: post jobs, read them, follow them live, act on them as their client, and fetch
 * their verified results. One file per subcommand under job/.
 */
import { runCommandGroup } from '../commandGroup';
import { runAction, ACTIONS } from './job/act';
import { runList } from './job/list';
import { runLogs } from './job/logs';
import { runPost } from './job/post';
import { runResult } from './job/result';
import { runSeal } from './job/seal';
import { runShow } from './job/show';
import { runUpload } from './job/upload';
import { runWatch } from './job/watch';
import { runWithdraw } from './job/withdraw';

export const JOB_USAGE = `Usage: loom job <command> [options]    (loom job <command> --help for its options)

  post <spec.json>        Post a job: the spec is checked, the budget escrowed (ETH, or an ERC-20
                          approved first); --budget, --token, --mode, --open-for, ...;
                          --image ref@sha256:… runs it in that image (the spec file optional);
                          --replicas n [--quorum k] replicates it on n workers (--budget: the price
                          of one replica; n times it is escrowed); --offer-to 0x… offers it to
                          that worker alone (a direct offer: it expires and refunds if not claimed)
  list                    Jobs, newest first (--status, --client, --worker, --mode, --offered-to, --takable-by,
                          --token, --min-price, --max-price, --first)
  show <id>               One job: terms, state, result, bids (a replicated job: its slots, phase and
                          outcome) and events (--at-block N: as it was then)
  watch <id>              Follow a job live until it closes (--json: one JSON line per event)
  logs <id> [-f]          What a running job prints (-f: follow it until its run ends; --from N resumes)
  accept-bid <id> [0x…]   Accept a worker's bid (default: the lowest standing bid)
  cancel <id>             Cancel a job nobody was assigned yet (replicated: no slot taken yet)
  release <id>            Pay the worker for a submitted result
  dispute <id> --reason … Dispute a submitted result within the challenge window
  reclaim <id>            Refund a job whose worker missed the execution deadline
  expire <id>             Close a job nobody took in time
  return <id>             As its worker: hand an assigned job back before its deadline (the client
                          is refunded, the collateral unlocked unslashed); signs with LOOM_CLIENT_KEY
  finalize <id>           Settle a replicated job once its reveals are over (anyone)
  upload <file>           Upload an input (or --purpose model) to the artifact store, signed with the
                          client key; prints its artifact:// URI and sha256 for a spec's inputs
  seal <id>               Seal a job's secrets (--secret NAME=@file, --private-input name=URL,
                          --private-input-header 'Name: value') to its worker; post does it too
  result <id> [-o file]   Download the result and verify its sha256 against the on-chain hash
                          (a private result is opened with the client key first)
  withdraw                Withdraw what either market and the model hub credited to you (refunds,
                          shares of slashes, royalties, pool fees): the same as loom withdraw`;

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  post: runPost,
  list: runList,
  show: runShow,
  watch: runWatch,
  logs: runLogs,
  result: runResult,
  seal: runSeal,
  upload: runUpload,
  withdraw: runWithdraw,
  ...Object.fromEntries(Object.keys(ACTIONS).map((name) => [name, (argv: string[]) => runAction(name, argv)])),
};

export function runJob(argv: string[]): Promise<number> {
  return runCommandGroup('job', JOB_USAGE, SUBCOMMANDS, argv);
}
