/**
 * The one-transaction pool steps: `fee`, `approve` and `remove` (the operator's), `join` and `leave`
 * (a worker's). Arguments are checked before the key is loaded; the registry's own rules (who
 * operates the pool, who may join) are the SDK's simulation's to answer, with the registry's error.
 */
import type { Sent } from '../../../sdk/writes';
import { MAX_POOL_FEE_BPS } from '../../../sdk/poolWrites';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { connectionOptions, resolveClientConfig } from '../../config';
import { toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { parsePoolId, parseWorker } from '../../parse/parseIds';
import { noWaitOption, sendStep } from '../../sendStep';
import type { WriterSession } from '../../session';
import { parseFeeBps } from './create';

type Step = { sent: Sent; words: string; detail: Record<string, unknown> };
type PoolAction = {
  args: string;
  summary: string;
  positionals: [number, number];
  /** Parses the arguments (before the key is loaded) into the step to send. */
  prepare: (positionals: string[]) => (s: WriterSession) => Promise<Step>;
};

export const POOL_ACTIONS: Record<string, PoolAction> = {
  fee: {
    args: '<pool id> <bps>',
    summary: `Sets your pool's fee, in basis points of a member's payout (0 to ${MAX_POOL_FEE_BPS}), for jobs assigned from now on; jobs keep the fee they were assigned with.`,
    positionals: [2, 2],
    prepare([id, bps]) {
      const pool = parsePoolId(id);
      const feeBps = parseFeeBps(bps!, 'the fee');
      return async (s) => ({ sent: await s.writer.setPoolFee(pool, feeBps), words: `pool ${pool}'s fee is now ${feeBps} bps`, detail: { pool, feeBps } });
    },
  },
  approve: {
    args: '<pool id> <worker>',
    summary: "Approves a worker's request to join your pool.",
    positionals: [2, 2],
    prepare([id, w]) {
      const pool = parsePoolId(id);
      const worker = parseWorker(w);
      return async (s) => ({ sent: await s.writer.approveMember(pool, worker), words: `${worker} is a member of pool ${pool}`, detail: { pool, worker } });
    },
  },
  remove: {
    args: '<pool id> <worker>',
    summary: "Removes a member from your pool (or refuses a request to join). Jobs it holds still pay the pool's fee.",
    positionals: [2, 2],
    prepare([id, w]) {
      const pool = parsePoolId(id);
      const worker = parseWorker(w);
      return async (s) => ({ sent: await s.writer.removeMember(pool, worker), words: `${worker} removed from pool ${pool}`, detail: { pool, worker } });
    },
  },
  join: {
    args: '<pool id>',
    summary:
      "Joins a pool as a registered worker in no pool (signs with the key LOOM_CLIENT_KEY or --keystore names: set it to the worker's). " +
      "A pool that needs approval records a request; its operator approves it with `loom pool approve`.",
    positionals: [1, 1],
    prepare([id]) {
      const pool = parsePoolId(id);
      return async (s) => {
        const joined = await s.writer.joinPool(pool);
        const words = joined.state === 'MEMBER' ? `joined pool ${pool}` : `asked to join pool ${pool}: its operator must approve`;
        return { sent: joined, words, detail: { pool, state: joined.state } };
      };
    },
  },
  leave: {
    args: '',
    summary: "Leaves the worker's pool (or withdraws its request to join): at once, or, while it holds pool jobs, when the last one closes.",
    positionals: [0, 0],
    prepare() {
      return async (s) => {
        const left = await s.writer.leavePool();
        const words = left.state === 'LEFT' ? 'left the pool' : 'leaving the pool: it takes no new pool jobs and leaves when its pool jobs close';
        return { sent: left, words, detail: { state: left.state } };
      };
    },
  },
};

const options: OptionTable = { ...noWaitOption, ...connectionOptions };
const usageOf = (name: string) => {
  const a = POOL_ACTIONS[name]!;
  return `Usage: loom pool ${name}${a.args ? ` ${a.args}` : ''} [options]\n\n${a.summary}\n\nOptions:\n${optionsHelp(options)}`;
};

export async function runPoolAction(name: string, argv: string[]): Promise<number> {
  const action = POOL_ACTIONS[name]!;
  const usage = usageOf(name);
  const { values, positionals, help } = parseCommandLine(argv, { options, usage, positionals: action.positionals });
  if (help) return showHelp(usage);
  const config = resolveClientConfig(values);
  const step = action.prepare(positionals);
  const progress = createProgress();
  let done: Step | undefined;
  const { result, indexed } = await sendStep(config, progress, {
    what: `pool ${name}`,
    noWait: values['no-wait'] === true,
    send: async (s) => {
      done = await step(s);
      return done.sent;
    },
  });
  if (config.json) process.stdout.write(toJson({ action: name, ...done!.detail, txHash: result.hash, blockNumber: result.receipt.blockNumber, indexed }));
  else process.stdout.write(`${done!.words}\ntx ${result.hash} (block ${result.receipt.blockNumber})\n`);
  return 0;
}
