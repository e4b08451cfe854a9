#!/usr/bin/env -S node --import tsx
/**
 * loom-worker: the GPU worker's command line.
 *
 *   loom-worker start      register if needed, then take, run and post jobs until stopped
 *   loom-worker register   register (or update the hardware claim) and open for jobs, then exit
 *   loom-worker status     the worker as the market sees it: stake, claim, jobs, balances
 *   loom-worker withdraw   withdraw every credited balance
 *
 * Options come from flags or the environment (`loom-worker --help`); the key from LOOM_WORKER_KEY
 * or a keystore (LOOM_KEYSTORE, with LOOM_KEYSTORE_PASSWORD or a prompt). Logs are pino JSON on
 * stdout, or lines in words with a live status line when stdout is a terminal.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Address, formatEther, getAddress, isAddress } from 'viem';
import type { Logger } from 'pino';
import { WorkerError } from './errors';
import { detectHardware } from './hardware';
import { loadWorkerKey } from '../sdk/node/keys';
import { createWorkerLogger } from './logger';
import { type DaemonConfig, options as configOptions, resolveConfig } from './daemon/config';
import { type OptionTable, UsageError, optionsHelp, parseCommandLine } from '../sdk/node/options';
import { connectChain } from '../sdk/chain/connectChain';
import { ensureRegistered } from './daemon/ensureRegistered';
import { claimMetadataURI, claimModes, offeredModes } from './daemon/claimMetadata';
import { LoomApi } from './daemon/loomApi';
import { commitDeadlineOf, slotOf } from './daemon/replicatedJob';
import { createWorkerWriter } from './daemon/createWorkerWriter';
import { Terminal, statusText } from './daemon/terminal';
import { withdrawBalances } from './daemon/withdrawBalances';
import { describeError } from './daemon/describeError';
import { WorkerDaemon } from './daemon/workerDaemon';

/** The daemon's configuration, then `status`'s own options. */
const options = {
  ...configOptions,
  address: { type: 'string', value: '<0x…>', help: '(status) the worker to show' },
  json: { type: 'boolean', help: '(status) machine-readable output' },
} satisfies OptionTable;

const USAGE = `Usage: loom-worker <start|register|status|withdraw> [options]

  start      Register if needed (or update the hardware claim), then take, run and post jobs until
             stopped. Ctrl-C (SIGINT/SIGTERM) finishes the jobs held and exits; a second one stops now
             (held jobs stay assigned on-chain and are run again on the next start).
  register   Register (or update the claim) and open for jobs, then exit.
  status     Print the worker as the market sees it: stake, claim, jobs and replicated slots held,
             balances (--address to look at another worker; --json).
  withdraw   Withdraw every credited balance (to --payout-address, default the worker).

The key: LOOM_WORKER_KEY (0x + 64 hex), or --keystore / LOOM_KEYSTORE with LOOM_KEYSTORE_PASSWORD
(or a prompt). It is never a flag and never logged.

Options (flag, environment variable):
${optionsHelp(options, { envColumn: true })}
  -h, --help`;

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv, { options, usage: USAGE, positionals: [0, Number.POSITIVE_INFINITY] });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.shortMessage}\n\n${err.usage}\n`);
    return 2;
  }
  const { values, positionals, help } = parsed;
  const command = positionals[0];
  if (help || command === undefined || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && !help ? 2 : 0;
  }
  if (!['start', 'register', 'status', 'withdraw'].includes(command)) {
    process.stderr.write(`unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  }

  const config = resolveConfig(values, process.env);
  const tty = process.stdout.isTTY === true;
  const terminal = tty ? new Terminal(process.stdout) : undefined;
  const logger = createWorkerLogger({ level: config.logLevel }, terminal);

  switch (command) {
    case 'start':
      return start(config, logger, terminal);
    case 'register':
      return register(config, logger);
    case 'status':
      return status(config, values.address as string | undefined, values.json === true);
    case 'withdraw':
      return withdraw(config, logger);
  }
  return 2;
}

async function start(config: DaemonConfig, logger: Logger, terminal: Terminal | undefined): Promise<number> {
  const key = await loadWorkerKey(config.keystore ? { keystorePath: config.keystore } : {});
  logger.info({ worker: key.address, keySource: key.source }, 'worker key loaded');
  const daemon = new WorkerDaemon({ config, account: key.account, logger });

  let stopping: Promise<void> | undefined;
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      const held = daemon.snapshot().held.length;
      logger.info({ signal, held }, held ? 'stopping: finishing the jobs held (signal again to stop now)' : 'stopping');
      stopping = daemon.stop({ drain: true });
    } else {
      logger.warn({ signal }, 'stopping now: held jobs stay assigned and run again on the next start');
      stopping = daemon.stop();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let ticker: NodeJS.Timeout | undefined;
  if (terminal) ticker = setInterval(() => terminal.setStatus(statusText(daemon.snapshot())), 1000);
  try {
    await daemon.start();
  } catch (err) {
    if (ticker) clearInterval(ticker);
    terminal?.clear();
    await daemon.stop().catch(() => {});
    // Interrupted while starting (waiting for the API, say): a clean stop, not a failure.
    if (stopping) return 0;
    throw err;
  }
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (stopping) {
        clearInterval(check);
        void stopping.then(resolve, resolve);
      }
    }, 100);
  });
  // A second signal may have replaced the drain with an immediate stop.
  await stopping;
  if (ticker) clearInterval(ticker);
  terminal?.clear();
  return 0;
}

async function connect(config: DaemonConfig) {
  const key = await loadWorkerKey(config.keystore ? { keystorePath: config.keystore } : {});
  const chain = await connectChain({ rpcUrl: config.rpcUrl, account: key.account, ...(config.market ? { market: config.market } : {}), ...(config.deploymentFile ? { deploymentFile: config.deploymentFile } : {}) });
  const writer = createWorkerWriter({ ...chain, account: key.account });
  return { key, chain, writer, api: new LoomApi(config.apiUrl) };
}

async function register(config: DaemonConfig, logger: Logger): Promise<number> {
  const { key, writer, api } = await connect(config);
  const hardware = await detectHardware({ pricePerGpuHour: config.pricePerGpuHour, metadataURI: claimMetadataURI(config) });
  if (hardware.warning) logger.warn(hardware.warning);
  const r = await ensureRegistered({ api, writer, address: key.address, claim: hardware.claim, stake: config.stake, logger });
  const changed = r.registered || r.updated || r.madeAvailable;
  const modes = offeredModes({ hostMode: config.hostMode, allowedRegistries: config.images.allowedRegistries });
  logger.info(
    { worker: key.address, registered: r.registered, claimUpdated: r.updated, madeAvailable: r.madeAvailable, modes, metadataURI: hardware.claim.metadataURI },
    changed ? 'registration done' : 'already registered, claim unchanged, available',
  );
  return 0;
}

async function status(config: DaemonConfig, addressFlag: string | undefined, json: boolean): Promise<number> {
  let address: Address;
  if (addressFlag) {
    if (!isAddress(addressFlag, { strict: false })) throw new WorkerError('CONFIG_INVALID', `--address: "${addressFlag}" is not an address`);
    address = getAddress(addressFlag);
  } else {
    address = (await loadWorkerKey(config.keystore ? { keystorePath: config.keystore } : {})).address;
  }
  const api = new LoomApi(config.apiUrl);
  const [worker, held, replicated, balances] = await Promise.all([
    api.worker(address),
    api.jobsOf(address, ['ASSIGNED', 'SUBMITTED', 'DISPUTED']),
    api.replicatedJobsOf(address),
    api.balances(address),
  ]);
  let cursor: string | null = null;
  try {
    cursor = (JSON.parse(await readFile(join(config.dataDir, 'worker-state.json'), 'utf8')) as { cursor: string | null }).cursor;
  } catch {}
  const report = {
    address,
    registered: worker?.registered ?? false,
    available: worker?.available ?? false,
    stake: worker?.stake ?? '0',
    locked: worker?.locked ?? '0',
    freeStake: worker?.freeStake ?? '0',
    unbonding: worker?.unbonding ?? '0',
    reputation: worker?.reputation ?? null,
    jobsCompleted: worker?.jobsCompleted ?? 0,
    jobsReturned: worker?.jobsReturned ?? 0,
    claim: worker?.claim ?? null,
    modes: worker ? (claimModes(worker.claim.metadataURI) ?? null) : null,
    jobs: held.map((j) => ({ id: j.id, status: j.status, executionDeadline: j.executionDeadline, challengeDeadline: j.challengeDeadline })),
    slots: replicated.flatMap((j) => {
      const mine = slotOf(j, address);
      return mine ? [{ id: j.id, slot: mine.slot, state: mine.state, commitDeadline: commitDeadlineOf(j.terms), revealDeadline: j.revealDeadline }] : [];
    }),
    balances: balances.filter((b) => BigInt(b.amount) > 0n),
    stateCursor: cursor,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `worker      ${address}${worker ? '' : ' (never registered)'}`,
    `registered  ${report.registered}   available ${report.available}   reputation ${report.reputation ?? '-'}   completed ${report.jobsCompleted}   returned ${report.jobsReturned}`,
    `stake       ${formatEther(BigInt(report.stake))} ETH (locked ${formatEther(BigInt(report.locked))}, free ${formatEther(BigInt(report.freeStake))}, unbonding ${formatEther(BigInt(report.unbonding))})`,
    report.claim ? `claim       ${report.claim.gpuCount} GPU x ${report.claim.vramMiB} MiB, ${report.claim.cpuCores} cores, ${report.claim.ramMiB} MiB RAM` : 'claim       -',
    `modes       ${report.modes ? report.modes.join(', ') || 'none' : report.claim?.metadataURI ? `see ${report.claim.metadataURI}` : '-'}`,
    `jobs held   ${report.jobs.length ? report.jobs.map((j) => `${j.id.slice(0, 10)}… ${j.status}`).join(', ') : 'none'}`,
    `slots held  ${report.slots.length ? report.slots.map((s) => `${s.id.slice(0, 10)}… #${s.slot} ${s.state}`).join(', ') : 'none'}`,
    `balances    ${report.balances.length ? report.balances.map((b) => `${b.amount} of ${b.token === '0x0000000000000000000000000000000000000000' ? 'ETH (wei)' : b.token}`).join(', ') : 'nothing to withdraw'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

async function withdraw(config: DaemonConfig, logger: Logger): Promise<number> {
  const { key, writer, api } = await connect(config);
  const done = await withdrawBalances({ api, writer, to: config.payoutAddress ?? key.address, logger });
  if (done.length === 0) logger.info('nothing to withdraw');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`loom-worker: ${describeError(err)}\n`);
    process.exit(1);
  },
);
