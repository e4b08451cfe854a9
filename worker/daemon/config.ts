/**
 * The daemon's configuration: every option has a flag, an environment variable and a default, in
 * one table (the SDK's option table, sdk/node/options.ts) that also writes the CLI's help. Flags win
 * over the environment. The key itself is never a flag (flags show in `ps`): LOOM_WORKER_KEY, or
 * LOOM_KEYSTORE + LOOM_KEYSTORE_PASSWORD.
 */
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { type Address, getAddress, isAddress, parseEther } from 'viem';
import { type Flags, type OptionSpec, resolveOptions } from '../../sdk/node/options';
import { WorkerError } from '../errors';
import { DEFAULT_ALLOWED_REGISTRIES } from '../image/imageStore';
import { isLocalAddress } from '../inputs/fetchInputs';
import { DOCKER_HUB } from '../../sdk/spec/imageRef';
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
  /** State (the event cursor), job directories, the input, image and model caches. */
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
  /** How long an assigned job that expects sealed secrets waits for its client's bundle before the worker gives it up. */
  sealedWaitSeconds: number;
  housekeepingMs: number;
  /** Heartbeats to the API (presence): every this many ms; offline after 3 missed. */
  heartbeatMs: number;
  /** nvidia-smi, for the hardware at start and the GPU probe of each heartbeat. */
  nvidiaSmi: string;
  /** How long a GPU probe may take before it counts as failed (ms). */
  gpuProbeTimeoutMs: number;
  autoWithdraw: boolean;
  /** Where withdrawals go (default: the worker's own address). */
  payoutAddress?: Address;
  unsafeNoSandbox: boolean;
  allowPrivateInputs: boolean;
  cgroupParent?: string;
  keepJobDirs: boolean;
  logLevel: string;
  /** Jobs without an image run against this machine's own read-only root (default on). */
  hostMode: boolean;
  /** Image mode: where images come from and how much of them the worker keeps. */
  images: {
    /** Registries (host[:port], lowercase, Docker Hub as docker.io) images are pulled from; empty: no image jobs. */
    allowedRegistries: string[];
    /** Largest image taken, compressed and unpacked (bytes). */
    maxImageBytes: number;
    /** Unpacked roots and blobs kept, evicted least-recently-used past it (bytes). */
    cacheBytes: number;
    /** The image cache: `<data dir>/images`. */
    dir: string;
  };
  /** Models (jobs posted with LoomModels): their files are cached by sha256 across jobs. */
  models: {
    /** Model files kept, least recently used evicted past it (bytes). */
    cacheBytes: number;
    /** The model cache: `<data dir>/models`. */
    dir: string;
  };
  /** The worker pool this worker joins at start (and whose jobs it takes once a member); undefined: none asked. */
  pool?: bigint;
};

function fail(message: string): never {
  throw new WorkerError('CONFIG_INVALID', message);
}

function int(v: string, name: string, min = 0): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) fail(`${name} must be an integer >= ${min}, not "${v}"`);
  return n;
}

function boundedInt(v: string, name: string, min: number, max: number): number {
  const n = int(v, name, min);
  if (n > max) fail(`${name} must be at most ${max}, not "${v}"`);
  return n;
}

function ether(v: string, name: string): bigint {
  try {
    const wei = parseEther(v);
    if (wei < 0n) throw new Error();
    return wei;
  } catch {
    return fail(`${name} must be an amount of ETH such as 0.5, not "${v}"`);
  }
}

function token(v: string, name: string): Address {
  const t = v.trim().toLowerCase();
  if (t === 'eth') return ETH;
  if (!isAddress(t)) fail(`${name}: "${v}" is neither "eth" nor an address`);
  return t as Address;
}

/** An address, or undefined for an empty value (`--market ""` falls back to the deployment file). */
function optionalAddress(v: string, name: string): Address | undefined {
  if (!v) return undefined;
  if (!isAddress(v, { strict: false })) fail(`${name}: "${v}" is not an address`);
  return getAddress(v);
}

function allowedTokens(v: string, name: string): StrategyOptions['allowedTokens'] {
  const allowed = v.trim().toLowerCase();
  return allowed === 'any' ? 'any' : allowed.split(',').filter(Boolean).map((t) => token(t, name));
}

function minPrices(v: string, name: string): Record<string, bigint> {
  const minPrice: Record<string, bigint> = {};
  for (const pair of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [t, amount] = pair.split('=');
    if (amount === undefined || !/^\d+$/.test(amount.trim())) fail(`${name}: "${pair}" is not token=amount (an integer in the token's smallest unit)`);
    minPrice[token(t!, name)] = BigInt(amount.trim());
  }
  return minPrice;
}

function modes(v: string, name: string): StrategyOptions['modes'] {
  const list = v.split(',').map((s) => s.trim().toLowerCase());
  if (list.some((m) => m !== 'claim' && m !== 'auction' && m !== 'replicated') || list.length === 0) fail(`${name} must be one or more of claim, auction, replicated (comma-separated), not "${v}"`);
  return { claim: list.includes('claim'), auction: list.includes('auction'), replicated: list.includes('replicated') };
}

function gib(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || !/^\d+(\.\d+)?$/.test(v.trim())) fail(`${name} must be a positive number of GiB, not "${v}"`);
  return Math.floor(n * 2 ** 30);
}

/** A pool id: a positive integer within uint64. */
function poolId(v: string, name: string): bigint | undefined {
  if (!v) return undefined;
  if (!/^[0-9]+$/.test(v.trim()) || BigInt(v.trim()) === 0n || BigInt(v.trim()) >= 2n ** 64n) fail(`${name} must be a pool id (a positive integer), not "${v}"`);
  return BigInt(v.trim());
}

const registryPattern = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;

/** The registries as image references name them (parseImageRef): lowercase host[:port], Docker Hub as docker.io. "none": no image jobs. */
function registries(v: string, name: string): string[] {
  if (v.trim().toLowerCase() === 'none') return [];
  const list = v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (list.length === 0) fail(`${name} must list registries (host[:port], comma-separated) or be "none"`);
  return [...new Set(list.map((r) => {
    if (!registryPattern.test(r)) fail(`${name}: "${r}" is not a registry host[:port] (e.g. ghcr.io, 127.0.0.1:5000)`);
    return r === 'index.docker.io' || r === 'registry-1.docker.io' ? DOCKER_HUB : r;
  }))];
}

/** A registry on this machine or a private network: taken only with --allow-private-inputs, like inputs from such hosts. */
function isLocalRegistry(registry: string): boolean {
  const host = registry.replace(/:[0-9]+$/, '').replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(host) !== 0 && isLocalAddress(host);
}

/** Every option, in the order of `--help`. */
export const options = {
  'api-url': { type: 'string', env: 'LOOM_API_URL', default: 'http://127.0.0.1:42069', help: 'The Loom API (GraphQL at /graphql).' },
  'artifact-url': { type: 'string', env: 'LOOM_ARTIFACT_URL', help: 'The artifact store (PUT/GET /artifacts); default: the API URL.' },
  'rpc-url': { type: 'string', env: 'LOOM_RPC_URL', default: 'http://127.0.0.1:8545', help: 'The chain (JSON-RPC), for transactions.' },
  market: { type: 'string', env: 'LOOM_MARKET_ADDRESS', parse: optionalAddress, help: "LoomMarket's address; default: from the deployment file." },
  'deployment-file': { type: 'string', env: 'LOOM_DEPLOYMENT_FILE', help: 'Deployment record with the market address; default deployments/<chainId>.json.' },
  keystore: { type: 'string', env: 'LOOM_KEYSTORE', help: 'V3 keystore of the worker key (password: LOOM_KEYSTORE_PASSWORD or a prompt). Or set LOOM_WORKER_KEY.' },
  'data-dir': { type: 'string', env: 'LOOM_WORKER_DATA_DIR', default: '.data/worker', parse: (v: string) => resolve(v), help: 'State file, job directories, input cache.' },
  stake: { type: 'string', env: 'LOOM_WORKER_STAKE', default: '0.1', parse: ether, help: 'ETH staked when registering.' },
  'price-per-gpu-hour': {
    type: 'string',
    env: 'LOOM_WORKER_PRICE_PER_GPU_HOUR',
    default: '0',
    parse: (v: string, name: string) => (/^\d+$/.test(v) ? BigInt(v) : fail(`${name} must be an integer (USD with 6 decimals)`)),
    help: 'Advertised price per GPU-hour (USD, 6 decimals) in the hardware claim.',
  },
  'metadata-uri': { type: 'string', env: 'LOOM_WORKER_METADATA_URI', default: '', help: 'Metadata URI in the hardware claim.' },
  'metrics-port': { type: 'string', env: 'LOOM_METRICS_PORT', default: '9464', parse: (v: string, name: string) => (v.toLowerCase() === 'off' ? null : int(v, name)), help: 'Prometheus metrics port (GET /metrics); "off" disables.' },
  'metrics-host': { type: 'string', env: 'LOOM_METRICS_HOST', default: '127.0.0.1', help: 'Interface the metrics server listens on.' },
  'allowed-tokens': { type: 'string', env: 'LOOM_ALLOWED_TOKENS', default: 'eth', parse: allowedTokens, help: 'Payment tokens taken: "eth", token addresses, comma-separated, or "any".' },
  'min-price': { type: 'string', env: 'LOOM_MIN_PRICE_PER_GPU_HOUR', default: '', parse: minPrices, help: 'Minimum price per GPU-hour per token, in its smallest unit: "eth=1000000000000000,0xToken=2000000".' },
  'max-concurrent-jobs': { type: 'string', env: 'LOOM_MAX_CONCURRENT_JOBS', default: '1', parse: (v: string, name: string) => int(v, name, 1), help: 'Jobs held at once (running, queued, being claimed).' },
  'max-open-bids': { type: 'string', env: 'LOOM_MAX_OPEN_BIDS', default: '4', parse: int, help: 'Standing auction bids at once.' },
  'bid-markup-bps': { type: 'string', env: 'LOOM_BID_MARKUP_BPS', default: '0', parse: int, help: 'Bid this many basis points above the minimum price (never above the budget).' },
  'max-collateral': { type: 'string', env: 'LOOM_MAX_COLLATERAL', parse: (v: string, name: string) => (v ? ether(v, name) : undefined), help: 'Largest collateral (ETH) locked for one job; default: any the free stake covers.' },
  'reserve-seconds': { type: 'string', env: 'LOOM_RESERVE_SECONDS', default: String(WORKER_RESERVE_SECONDS), parse: int, help: "Seconds required between the spec's timeout and the execution timeout." },
  'submit-reserve-seconds': { type: 'string', env: 'LOOM_SUBMIT_RESERVE_SECONDS', default: '30', parse: int, help: 'Seconds kept before the execution deadline to upload and submit.' },
  'sealed-wait-seconds': { type: 'string', env: 'LOOM_SEALED_WAIT_SECONDS', default: '600', parse: int, help: "How long a job that expects sealed secrets waits for its client's bundle; then it is handed back to its client (returnJob: price refunded, collateral unlocked unslashed)." },
  modes: { type: 'string', env: 'LOOM_MODES', default: 'claim,auction,replicated', parse: modes, help: 'Jobs taken: claim, auction (LoomMarket), replicated (slots of LoomReplicatedMarket jobs), comma-separated.' },
  'housekeeping-ms': { type: 'string', env: 'LOOM_HOUSEKEEPING_MS', default: '15000', parse: (v: string, name: string) => int(v, name, 100), help: 'Period of releases, replicated reveals and finalizes, withdrawals and reconciliation.' },
  'heartbeat-ms': { type: 'string', env: 'LOOM_HEARTBEAT_MS', default: '5000', parse: (v: string, name: string) => boundedInt(v, name, 200, 60_000), help: 'Period of the signed heartbeats to the API (presence and GPU state); the API counts the worker offline after 3 missed.' },
  'nvidia-smi': { type: 'string', env: 'LOOM_NVIDIA_SMI', default: 'nvidia-smi', help: 'nvidia-smi to run (hardware at start, the GPU probe of each heartbeat).' },
  'gpu-probe-timeout-ms': { type: 'string', env: 'LOOM_GPU_PROBE_TIMEOUT_MS', default: '10000', parse: (v: string, name: string) => int(v, name, 100), help: 'A GPU probe taking longer fails (the worker then takes no GPU jobs and is unavailable until one passes).' },
  'auto-withdraw': { type: 'boolean', negatable: true, env: 'LOOM_AUTO_WITHDRAW', default: 'true', help: 'Withdraw earnings as they are credited (--no-auto-withdraw to keep them).' },
  'payout-address': { type: 'string', env: 'LOOM_PAYOUT_ADDRESS', parse: optionalAddress, help: "Where withdrawals go; default: the worker's address." },
  'unsafe-no-sandbox': { type: 'boolean', negatable: true, env: 'LOOM_UNSAFE_NO_SANDBOX', default: 'false', help: 'Run jobs without the parts of the sandbox that are missing (development only).' },
  'allow-private-inputs': { type: 'boolean', negatable: true, env: 'LOOM_ALLOW_PRIVATE_INPUTS', default: 'false', help: 'Let inputs come from loopback/private addresses (tests, private deployments).' },
  'cgroup-parent': { type: 'string', env: 'LOOM_CGROUP_PARENT', help: 'Cgroup delegated to the worker for job limits (unprivileged workers).' },
  'keep-job-dirs': { type: 'boolean', negatable: true, env: 'LOOM_KEEP_JOB_DIRS', default: 'false', help: 'Keep job directories after their result is posted (debugging).' },
  'log-level': { type: 'string', env: 'LOG_LEVEL', default: 'info', help: 'pino level: trace, debug, info, warn, error.' },
  'host-mode': { type: 'boolean', negatable: true, env: 'LOOM_HOST_MODE', default: 'true', help: "Take jobs without an image, run against this machine's read-only root (--no-host-mode: image jobs only)." },
  'allowed-registries': {
    type: 'string',
    env: 'LOOM_ALLOWED_REGISTRIES',
    default: DEFAULT_ALLOWED_REGISTRIES.join(','),
    parse: registries,
    help: 'Registries images are pulled from (host[:port], comma-separated), or "none"; a loopback/private one needs --allow-private-inputs.',
  },
  'max-image-gib': { type: 'string', env: 'LOOM_MAX_IMAGE_GIB', default: '20', parse: gib, help: 'Largest image taken (GiB, compressed and unpacked), checked before claiming.' },
  'image-cache-gib': { type: 'string', env: 'LOOM_IMAGE_CACHE_GIB', default: '50', parse: gib, help: 'Image cache (<data dir>/images) kept under this size (GiB), least recently used evicted.' },
  'max-model-gib': { type: 'string', env: 'LOOM_MAX_MODEL_GIB', default: '100', parse: gib, help: "Largest total of one job's model files (GiB), checked before claiming." },
  'model-cache-gib': { type: 'string', env: 'LOOM_MODEL_CACHE_GIB', default: '200', parse: gib, help: 'Model cache (<data dir>/models, files by sha256) kept under this size (GiB), least recently used evicted.' },
  pool: { type: 'string', env: 'LOOM_POOL', parse: poolId, help: "A worker pool to join at start (joinPool; one that needs approval is waited for) and take the jobs of once a member." },
} satisfies Record<string, OptionSpec>;

/**
 * Resolves the configuration from flags (`--api-url x` parsed as `{ 'api-url': 'x' }`) over the
 * environment over the defaults.
 *
 * @example
 * const config = resolveConfig({ 'max-concurrent-jobs': '2' }, process.env);
 */
export function resolveConfig(flags: Flags = {}, env: NodeJS.ProcessEnv = process.env): DaemonConfig {
  const v = resolveOptions(options, flags, env);
  const strategy: StrategyOptions = {
    ...defaultStrategy,
    allowedTokens: v['allowed-tokens'],
    minPricePerGpuHour: v['min-price'],
    maxConcurrentJobs: v['max-concurrent-jobs'],
    maxOpenBids: v['max-open-bids'],
    bidMarkupBps: v['bid-markup-bps'],
    ...(v['max-collateral'] === undefined ? {} : { maxCollateral: v['max-collateral'] }),
    reserveSeconds: v['reserve-seconds'],
    modes: v.modes,
    hostMode: v['host-mode'],
    maxModelBytes: v['max-model-gib'],
  };
  if (v['submit-reserve-seconds'] > strategy.reserveSeconds) fail('--submit-reserve-seconds must not exceed --reserve-seconds');
  const apiUrl = v['api-url'].replace(/\/+$/, '');
  const local = v['allowed-registries'].filter(isLocalRegistry);
  if (local.length > 0 && !v['allow-private-inputs']) {
    fail(`--allowed-registries: ${local.join(', ')} ${local.length === 1 ? 'is a loopback or private registry' : 'are loopback or private registries'}, taken only with --allow-private-inputs (tests, private deployments)`);
  }
  if (!v['host-mode'] && v['allowed-registries'].length === 0) fail('--no-host-mode with --allowed-registries none leaves no job this worker could run');
  if (v['max-image-gib'] > v['image-cache-gib']) fail('--max-image-gib must not exceed --image-cache-gib (an image must fit the cache)');
  if (v['max-model-gib'] > v['model-cache-gib']) fail("--max-model-gib must not exceed --model-cache-gib (a job's models must fit the cache)");

  return {
    apiUrl,
    artifactUrl: (v['artifact-url'] || apiUrl).replace(/\/+$/, ''),
    rpcUrl: v['rpc-url'],
    ...(v.market ? { market: v.market } : {}),
    ...(v['deployment-file'] ? { deploymentFile: resolve(v['deployment-file']) } : {}),
    ...(v.keystore ? { keystore: v.keystore } : {}),
    dataDir: v['data-dir'],
    stake: v.stake,
    pricePerGpuHour: v['price-per-gpu-hour'],
    metadataURI: v['metadata-uri'],
    metricsPort: v['metrics-port'],
    metricsHost: v['metrics-host'],
    strategy,
    submitReserveSeconds: v['submit-reserve-seconds'],
    sealedWaitSeconds: v['sealed-wait-seconds'],
    housekeepingMs: v['housekeeping-ms'],
    heartbeatMs: v['heartbeat-ms'],
    nvidiaSmi: v['nvidia-smi'],
    gpuProbeTimeoutMs: v['gpu-probe-timeout-ms'],
    autoWithdraw: v['auto-withdraw'],
    ...(v['payout-address'] ? { payoutAddress: v['payout-address'] } : {}),
    unsafeNoSandbox: v['unsafe-no-sandbox'],
    allowPrivateInputs: v['allow-private-inputs'],
    ...(v['cgroup-parent'] ? { cgroupParent: v['cgroup-parent'] } : {}),
    keepJobDirs: v['keep-job-dirs'],
    logLevel: v['log-level'],
    hostMode: v['host-mode'],
    images: {
      allowedRegistries: v['allowed-registries'],
      maxImageBytes: v['max-image-gib'],
      cacheBytes: v['image-cache-gib'],
      dir: join(v['data-dir'], 'images'),
    },
    models: { cacheBytes: v['model-cache-gib'], dir: join(v['data-dir'], 'models') },
    ...(v.pool === undefined ? {} : { pool: v.pool }),
  };
}
