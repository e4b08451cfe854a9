/**
 * `loom pool create --name <text> --fee-bps <n> [--metadata-uri <uri>] [--approval]`: creates a
 * worker pool operated by the client key's account and prints its id. The name and fee are checked
 * against the registry's bounds before the key is loaded.
 */
import { MAX_POOL_FEE_BPS, MAX_POOL_NAME_BYTES } from '../../../sdk/poolWrites';
import { type OptionTable, UsageError, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { badInput } from '../../cliError';
import { connectionOptions, resolveClientConfig } from '../../config';
import { renderFields } from '../../output/table';
import { toJson } from '../../output/format';
import { createProgress } from '../../output/progress';
import { noWaitOption, sendStep } from '../../sendStep';

const options: OptionTable = {
  name: { type: 'string', value: '<text>', help: `The pool's name (required; 1 to ${MAX_POOL_NAME_BYTES} bytes)` },
  'fee-bps': { type: 'string', value: '<n>', help: `Your share of each member's payout after the protocol fee, in basis points: 0 to ${MAX_POOL_FEE_BPS} (required)` },
  'metadata-uri': { type: 'string', value: '<uri>', help: 'Where the pool describes itself (default none)' },
  approval: { type: 'boolean', help: 'Joining needs your approval (loom pool approve); default: any registered worker joins' },
  ...noWaitOption,
  ...connectionOptions,
};

const USAGE = `Usage: loom pool create --name <text> --fee-bps <n> [options]

Creates a worker pool that you (the client key's account) operate, and prints its id. Members
claim jobs restricted to the pool (loom job post --pool <id>); of each member's payout you are
credited --fee-bps, fixed when the member is assigned the job.

Options:
${optionsHelp(options)}`;

/** Basis points from 0 to MAX_POOL_FEE_BPS. */
export function parseFeeBps(text: string, what: string): number {
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t) || Number(t) > MAX_POOL_FEE_BPS) badInput(`${what}: "${text}" must be a whole number of basis points from 0 to ${MAX_POOL_FEE_BPS} (20%)`);
  return Number(t);
}

export async function runPoolCreate(argv: string[]): Promise<number> {
  const { values, help } = parseCommandLine(argv, { options, usage: USAGE, positionals: [0, 0] });
  if (help) return showHelp(USAGE);
  const config = resolveClientConfig(values);
  const name = values.name;
  if (typeof name !== 'string') throw new UsageError('missing --name', USAGE);
  if (typeof values['fee-bps'] !== 'string') throw new UsageError('missing --fee-bps (0 for none)', USAGE);
  if (name.trim() === '') badInput('--name must not be empty');
  if (new TextEncoder().encode(name).length > MAX_POOL_NAME_BYTES) badInput(`--name is over ${MAX_POOL_NAME_BYTES} bytes`);
  const feeBps = parseFeeBps(values['fee-bps'], '--fee-bps');
  const metadataURI = typeof values['metadata-uri'] === 'string' ? values['metadata-uri'] : '';
  const approvalRequired = values.approval === true;

  const progress = createProgress();
  const { result, indexed } = await sendStep(config, progress, {
    what: 'creating the pool',
    noWait: values['no-wait'] === true,
    send: (s) => s.writer.createPool({ name, metadataURI, feeBps, approvalRequired }),
  });
  if (config.json) {
    process.stdout.write(toJson({ poolId: result.poolId, operator: result.operator, name, metadataURI, feeBps, approvalRequired, txHash: result.hash, blockNumber: result.receipt.blockNumber, indexed }));
  } else {
    process.stdout.write(
      renderFields([
        ['pool', String(result.poolId)],
        ['name', name],
        ['operator', result.operator],
        ['fee', `${feeBps} bps (${feeBps / 100}% of each member's payout)`],
        ['joining', approvalRequired ? 'by your approval' : 'open to registered workers'],
        ['tx', `${result.hash} (block ${result.receipt.blockNumber})`],
      ]),
    );
  }
  return 0;
}
