/**
 * The daemon's configuration: every option has a flag, an environment variable and a default, in
 * one table that also writes the CLI's help. Flags win over the environment. The key itself is
 * never a flag (flags show in `ps`): LOOM_WORKER_KEY, or LOOM_KEYSTORE + LOOM_KEYSTORE_PASSWORD.
 */
import { resolve } from 'node:path';
import { type Address, getAddress, isAddress, parseEther } from 'viem';
import { WorkerError } from '../errors';
import { type StrategyOptions, ETH, defaultStrategy } from './strategy';
import { WORKER_RESERVE_SECONDS } from '../../sdk/marketRules';

export type DaemonConfig = {
  apiUrl: string;
  /** Where result bundles are uploaded and artifact:// inputs fetched (default: the API's URL). */
  artifactUrl: string;
  rpcUrl: string;
  /** LoomMarket's address; undefined: read from the deployment file. */
  market?: Address;
  /** Deployment record with the market's address (default deployments/<chainId>.json). */
  deploymentFile?: string;
  keystore?: string;
  /** State (the event cursor), job directories and the input cache. */
  dataDir: string;
  /** ETH staked at registration (wei). */
  stake: bigint;
  /** Advertised price per GPU-hour (USD, 6 decimals), part of the hardware claim. */
  pricePerGpuHour: bigint;
  metadataURI: string;
  /** null: no metrics server. */
  metricsPort: number | null;
  metricsHost: string;
  strategy: StrategyOptions;
  /** Seconds kept before the execution deadline for the upload and the submit transaction. */
  submitReserveSeconds: number;
  housekeepingMs: number;
  autoWithdraw: boolean;
  /** Where withdrawals go (default: the worker's own address). */
  payoutAddress?: Address;
  unsafeNoSandbox: boolean;
  allowPrivateInputs: boolean;
  cgroupParent?: string;
  keepJobDirs: boolean;
  logLevel: string;
};

type Option = {
  /** camelCase flag name without dashes (`--api-url` is `apiUrl`). */
  flag: string;
  env: string;
  boolean?: boolean;
  default: string;
  help: string;
};

/** Every option, in the order of `--help`. */
export const options: Option[] = [
  { flag: 'api-url', env: 'LOOM_API_URL', default: 'http://127.0.0.1:42069', help: 'The Loom API (GraphQL at /graphql).' },
  { flag: 'artifact-url', env: 'LOOM_ARTIFACT_URL', default: '', help: 'The artifact store (PUT/GET /artifacts); default: the API URL.' },
  { flag: 'rpc-url', env: 'LOOM_RPC_URL', default: 'http://127.0.0.1:8545', help: 'The chain (JSON-RPC), for transactions.' },
  { flag: 'market', env: 'LOOM_MARKET_ADDRESS', default: '', help: "LoomMarket's address; default: from the deployment file." },
  { flag: 'deployment-file', env: 'LOOM_DEPLOYMENT_FILE', default: '', help: 'Deployment record with the market address; default deployments/<chainId>.json.' },
  { flag: 'keystore', env: 'LOOM_KEYSTORE', default: '', help: 'V3 keystore of the worker key (password: LOOM_KEYSTORE_PASSWORD or a prompt). Or set LOOM_WORKER_KEY.' },
  { flag: 'data-dir', env: 'LOOM_WORKER_DATA_DIR', default: '.data/worker', help: 'State file, job directories, input cache.' },
  { flag: 'stake', env: 'LOOM_WORKER_STAKE', default: '0.1', help: 'ETH staked when registering.' },
  { flag: 'price-per-gpu-hour', env: 'LOOM_WORKER_PRICE_PER_GPU_HOUR', default: '0', help: 'Advertised price per GPU-hour (USD, 6 decimals) in the hardware claim.' },
  { flag: 'metadata-uri', env: 'LOOM_WORKER_METADATA_URI', default: '', help: 'Metadata URI in the hardware claim.' },
  { flag: 'metrics-port', env: 'LOOM_METRICS_PORT', default: '9464', help: 'Prometheus metrics port (GET /metrics); "off" disables.' },
  { flag: 'metrics-host', env: 'LOOM_METRICS_HOST', default: '127.0.0.1', help: 'Interface the metrics server listens on.' },
  { flag: 'allowed-tokens', env: 'LOOM_ALLOWED_TOKENS', default: 'eth', help: 'Payment tokens taken: "eth", token addresses, comma-separated, or "any".' },
  { flag: 'min-price', env: 'LOOM_MIN_PRICE_PER_GPU_HOUR', default: '', help: 'Minimum price per GPU-hour per token, in its smallest unit: "eth=1000000000000000,0xToken=2000000".' },
  { flag: 'max-concurrent-jobs', env: 'LOOM_MAX_CONCURRENT_JOBS', default: '1', help: 'Jobs held at once (running, queued, being claimed).' },
  { flag: 'max-open-bids', env: 'LOOM_MAX_OPEN_BIDS', default: '4', help: 'Standing auction bids at once.' },
  { flag: 'bid-markup-bps', env: 'LOOM_BID_MARKUP_BPS', default: '0', help: 'Bid this many basis points above the minimum price (never above the budget).' },
  { flag: 'max-collateral', env: 'LOOM_MAX_COLLATERAL', default: '', help: 'Largest collateral (ETH) locked for one job; default: any the free stake covers.' },
  { flag: 'reserve-seconds', env: 'LOOM_RESERVE_SECONDS', default: String(WORKER_RESERVE_SECONDS), help: "Seconds required between the spec's timeout and the execution timeout." },
  { flag: 'submit-reserve-seconds', env: 'LOOM_SUBMIT_RESERVE_SECONDS', default: '30', help: 'Seconds kept before the execution deadline to upload and submit.' },
  { flag: 'modes', env: 'LOOM_MODES', default: 'claim,auction', help: 'Job modes taken: claim, auction, or both.' },
  { flag: 'housekeeping-ms', env: 'LOOM_HOUSEKEEPING_MS', default: '15000', help: 'Period of releases, withdrawals and reconciliation.' },
  { flag: 'auto-withdraw', env: 'LOOM_AUTO_WITHDRAW', boolean: true, default: 'true', help: 'Withdraw earnings as they are credited (--no-auto-withdraw to keep them).' },
  { flag: 'payout-address', env: 'LOOM_PAYOUT_ADDRESS', default: '', help: "Where withdrawals go; default: the worker's address." },
  { flag: 'unsafe-no-sandbox', env: 'LOOM_UNSAFE_NO_SANDBOX', boolean: true, default: 'false', help: 'Run jobs without the parts of the sandbox that are missing (development only).' },
  { flag: 'allow-private-inputs', env: 'LOOM_ALLOW_PRIVATE_INPUTS', boolean: true, default: 'false', help: 'Let inputs come from loopback/private addresses (tests, private deployments).' },
  { flag: 'cgroup-parent', env: 'LOOM_CGROUP_PARENT', default: '', help: 'Cgroup delegated to the worker for job limits (unprivileged workers).' },
  { flag: 'keep-job-dirs', env: 'LOOM_KEEP_JOB_DIRS', boolean: true, default: 'false', help: 'Keep job directories after their result is posted (debugging).' },
  { flag: 'log-level', env: 'LOG_LEVEL', default: 'info', help: 'pino level: trace, debug, info, warn, error.' },
];

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function fail(message: string): never {
  throw new WorkerError('CONFIG_INVALID', message);
}

function int(name: string, v: string, min = 0): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) fail(`${name} must be an integer >= ${min}, not "${v}"`);
  return n;
}

function ether(name: string, v: string): bigint {
  try {
    const wei = parseEther(v);
    if (wei < 0n) throw new Error();
    return wei;
  } catch {
    return fail(`${name} must be an amount of ETH such as 0.5, not "${v}"`);
  }
}

function token(name: string, v: string): Address {
  const t = v.trim().toLowerCase();
  if (t === 'eth') return ETH;
  if (!isAddress(t)) fail(`${name}: "${v}" is neither "eth" nor an address`);
  return t as Address;
}

function bool(name: string, v: string): boolean {
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off|)$/i.test(v)) return false;
  return fail(`${name} must be true or false, not "${v}"`);
}

/**
 * Resolves the configuration from flags (`--api-url x` parsed as `{ 'api-url': 'x' }` or
 * `{ apiUrl: 'x' }`) over the environment over the defaults.
 *
 * @example
 * const config = resolveConfig({ 'max-concurrent-jobs': '2' }, process.env);
 */
export function resolveConfig(flags: Record<string, string | boolean | undefined> = {}, env: NodeJS.ProcessEnv = process.env): DaemonConfig {
  const raw: Record<string, string> = {};
  for (const o of options) {
    const f = flags[o.flag] ?? flags[camel(o.flag)];
    const negated = o.boolean ? (flags[`no-${o.flag}`] ?? flags[camel(`no-${o.flag}`)]) : undefined;
    let value: string;
    if (negated === true) value = 'false';
    else if (f !== undefined) value = String(f);
    else if (env[o.env] !== undefined && env[o.env] !== '') value = env[o.env]!;
    else value = o.default;
    raw[o.flag] = value;
  }
  const v = (flag: string) => raw[flag]!;

  const allowed = v('allowed-tokens').trim().toLowerCase();
  const minPrice: Record<string, bigint> = {};
  for (const pair of v('min-price').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [t, amount] = pair.split('=');
    if (amount === undefined || !/^\d+$/.test(amount.trim())) fail(`--min-price: "${pair}" is not token=amount (an integer in the token's smallest unit)`);
    minPrice[token('--min-price', t!)] = BigInt(amount.trim());
  }
  const modes = v('modes').split(',').map((s) => s.trim().toLowerCase());
  if (modes.some((m) => m !== 'claim' && m !== 'auction') || modes.length === 0) fail(`--modes must be claim, auction or claim,auction, not "${v('modes')}"`);

  const strategy: StrategyOptions = {
    ...defaultStrategy,
    allowedTokens: allowed === 'any' ? 'any' : allowed.split(',').filter(Boolean).map((t) => token('--allowed-tokens', t)),
    minPricePerGpuHour: minPrice,
    maxConcurrentJobs: int('--max-concurrent-jobs', v('max-concurrent-jobs'), 1),
    maxOpenBids: int('--max-open-bids', v('max-open-bids')),
    bidMarkupBps: int('--bid-markup-bps', v('bid-markup-bps')),
    ...(v('max-collateral') ? { maxCollateral: ether('--max-collateral', v('max-collateral')) } : {}),
    reserveSeconds: int('--reserve-seconds', v('reserve-seconds')),
    modes: { claim: modes.includes('claim'), auction: modes.includes('auction') },
  };

  const market = v('market');
  if (market && !isAddress(market, { strict: false })) fail(`--market: "${market}" is not an address`);
  const payout = v('payout-address');
  if (payout && !isAddress(payout, { strict: false })) fail(`--payout-address: "${payout}" is not an address`);
  const metricsPort = v('metrics-port').toLowerCase() === 'off' ? null : int('--metrics-port', v('metrics-port'));
  const submitReserveSeconds = int('--submit-reserve-seconds', v('submit-reserve-seconds'));
  if (submitReserveSeconds > strategy.reserveSeconds) fail('--submit-reserve-seconds must not exceed --reserve-seconds');
  const apiUrl = v('api-url').replace(/\/+$/, '');

  return {
    apiUrl,
    artifactUrl: (v('artifact-url') || apiUrl).replace(/\/+$/, ''),
    rpcUrl: v('rpc-url'),
    ...(market ? { market: getAddress(market) } : {}),
    ...(v('deployment-file') ? { deploymentFile: resolve(v('deployment-file')) } : {}),
    ...(v('keystore') ? { keystore: v('keystore') } : {}),
    dataDir: resolve(v('data-dir')),
    stake: ether('--stake', v('stake')),
    pricePerGpuHour: /^\d+$/.test(v('price-per-gpu-hour')) ? BigInt(v('price-per-gpu-hour')) : fail('--price-per-gpu-hour must be an integer (USD with 6 decimals)'),
    metadataURI: v('metadata-uri'),
    metricsPort,
    metricsHost: v('metrics-host'),
    strategy,
    submitReserveSeconds,
    housekeepingMs: int('--housekeeping-ms', v('housekeeping-ms'), 100),
    autoWithdraw: bool('--auto-withdraw', v('auto-withdraw')),
    ...(payout ? { payoutAddress: getAddress(payout) } : {}),
    unsafeNoSandbox: bool('--unsafe-no-sandbox', v('unsafe-no-sandbox')),
    allowPrivateInputs: bool('--allow-private-inputs', v('allow-private-inputs')),
    ...(v('cgroup-parent') ? { cgroupParent: v('cgroup-parent') } : {}),
    keepJobDirs: bool('--keep-job-dirs', v('keep-job-dirs')),
    logLevel: v('log-level'),
  };
}

/** The options as `--help` text. */
export function optionsHelp(): string {
  return options
    .map((o) => {
      const flag = o.boolean ? `--${o.flag}` : `--${o.flag} <value>`;
      const def = o.default ? ` (default ${o.default})` : '';
      return `  ${flag.padEnd(34)} ${o.env.padEnd(32)} ${o.help}${def}`;
    })
    .join('\n');
}
