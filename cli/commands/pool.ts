/**
 * `loom pool …`: worker pools (LoomRegistry). The operator's steps (create, fee, approve, remove) and
 * a worker's (join, leave: signed with the key LOOM_CLIENT_KEY names, set to the worker's, as
 * `loom job return`), each sent through the SDK, which simulates first: a step the registry would
 * refuse is answered with its error (`NotPoolOperator(1, 0x…)`) and nothing is sent. Reads (show,
 * list) go through the API. One file per kind of subcommand under pool/.
 */
import { runCommandGroup } from '../commandGroup';
import { POOL_ACTIONS, runPoolAction } from './pool/act';
import { runPoolCreate } from './pool/create';
import { runPoolList, runPoolShow } from './pool/show';

export const POOL_USAGE = `Usage: loom pool <command> [options]    (loom pool <command> --help for its options)

  create --name … --fee-bps N   Create a pool you operate (--metadata-uri, --approval: joining
                                needs your approval); prints its id
  fee <id> <bps>                Change your pool's fee, for jobs assigned from now on
  approve <id> <worker>         Approve a worker's request to join your pool
  remove <id> <worker>          Remove a member (or refuse a request)
  join <id>                     As a registered worker: join a pool (or ask to); signs with LOOM_CLIENT_KEY
  leave                         As a worker: leave your pool (at once, or when your pool jobs close)
  show <id>                     One pool: operator, fee, members, jobs, earnings
  list                          Pools, newest first

Jobs for a pool's members only: loom job post --pool <id> (replicated too, with --replicas).`;

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  create: runPoolCreate,
  show: runPoolShow,
  list: runPoolList,
  ...Object.fromEntries(Object.keys(POOL_ACTIONS).map((name) => [name, (argv: string[]) => runPoolAction(name, argv)])),
};

export function runPool(argv: string[]): Promise<number> {
  return runCommandGroup('pool', POOL_USAGE, SUBCOMMANDS, argv);
}
