#!/usr/bin/env node
/**
 * The set-up behind `npm start` and `npm test`, so that a fresh clone needs no other step. Plain
 * Node 20 with no dependency: it runs before node_modules exists.
 *
 *   1. npm dependencies: when one that package.json (or a workspace's) declares is missing,
 *      `npm install --no-audit --no-fund --no-save`, its output shown: never `npm ci`, which fails
 *      with the lock file made here over other platforms' optional packages, and --no-save, else
 *      npm rewrites the lock file with them and leaves a fresh clone modified.
 *   2. system packages (systemPackages.mjs): checked with dpkg where there is one, else by their
 *      executables. As root with apt-get, what is missing is installed; otherwise one line names the
 *      command to run and the set-up stops (exit 1): nothing is skipped silently. `start` needs
 *      bubblewrap only when it runs a worker (LOOM_LOCAL_WORKERS=0, or attached without a worker
 *      key, runs none).
 *   3. `test` only, PostgreSQL: DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
 *      must answer; as root on Debian a local cluster that is down is started. An explicit
 *      DATABASE_URL that does not answer stops the set-up; without one, one line says that the
 *      PostgreSQL variants of the tests will not run and how to start the server.
 *   4. the command: `start` runs scripts/start.ts with the arguments given, `test` runs `npm run
 *      test:all` (with PONDER_TELEMETRY_DISABLED=1).
 *
 * Usage: node scripts/setup/ensureSetup.mjs [--check] <start|test> [args...]
 * --check reports what is missing (exit 1 if anything is) and changes and runs nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NEEDED_BY, SYSTEM_PACKAGES } from './systemPackages.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const PG_START = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

/** A set-up step that cannot go on: its message is the one line the user reads. */
export class SetupError extends Error {
  name = 'SetupError';
}

/**
 * The npm packages that package.json and its workspaces declare and node_modules lacks.
 *
 * @example
 * missingNpmDependencies('/path/to/loom'); // [] once `npm install` has run
 */
export function missingNpmDependencies(dir, fs = { exists: existsSync, readJson: (f) => JSON.parse(readFileSync(f, 'utf8')) }) {
  const manifest = fs.readJson(join(dir, 'package.json'));
  const packages = [dir, ...(manifest.workspaces ?? []).map((w) => join(dir, w))];
  const missing = [];
  for (const pkg of packages) {
    const { dependencies = {}, devDependencies = {} } = pkg === dir ? manifest : fs.readJson(join(pkg, 'package.json'));
    for (const name of Object.keys({ ...dependencies, ...devDependencies })) {
      const installed = [pkg, dir].some((base) => fs.exists(join(base, 'node_modules', name, 'package.json')));
      if (!installed && !missing.includes(name)) missing.push(name);
    }
  }
  return missing;
}

/**
 * The system packages a command needs: `test` all of NEEDED_BY.test; `start` bubblewrap when it
 * will run a worker, nothing for --help.
 */
export function systemPackagesFor(command, env, args) {
  if (command === 'test') return NEEDED_BY.test;
  if (args.includes('--help') || args.includes('-h')) return [];
  const attached = Boolean(env.LOOM_RPC_URL) || args.some((a) => a === '--rpc-url' || a.startsWith('--rpc-url='));
  const runsWorker = attached ? Boolean(env.LOOM_WORKER_KEY || env.LOOM_KEYSTORE) : env.LOOM_LOCAL_WORKERS !== '0';
  return runsWorker ? NEEDED_BY.start : [];
}

/** Of `names`, those not installed: by dpkg where there is one, else by their executables. */
export function missingSystemPackages(names, host) {
  const dpkg = host.has('dpkg');
  return names.filter((name) => (dpkg ? !host.dpkgInstalled(name) : !SYSTEM_PACKAGES[name].commands.some((c) => host.has(c))));
}

/**
 * Installs the missing ones of `names` as root with apt-get (returns what it installed), or throws
 * a SetupError that names the command to run.
 */
export function ensureSystemPackages(names, host, hint = '') {
  const missing = missingSystemPackages(names, host);
  if (missing.length === 0) return [];
  if (host.isRoot && host.has('apt-get')) {
    host.log(`installing ${missing.join(', ')} (apt-get)...`);
    host.run('apt-get', ['update', '-qq']);
    host.run('apt-get', ['install', '-y', '-qq', ...missing], { DEBIAN_FRONTEND: 'noninteractive' });
    return missing;
  }
  const why = missing.map((name) => `${name} (${SYSTEM_PACKAGES[name].why})`).join(', ');
  const install = host.has('apt-get') ? `run: sudo apt-get install -y ${missing.join(' ')}` : "install them with the system's package manager";
  throw new SetupError(`missing system packages: ${why}; ${install}${hint}`);
}

/**
 * The PostgreSQL the tests use, or undefined when none answers at the default address (said in one
 * line). As root, a local Debian cluster that is down is started first.
 */
export async function ensurePostgres(env, host) {
  const url = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const { hostname, port } = new URL(url);
  const target = { host: hostname, port: Number(port || 5432) };
  if (await host.answers(target)) return url;
  const local = ['127.0.0.1', 'localhost'].includes(hostname) && target.port === 5432;
  const clusters = local && host.isRoot && host.has('pg_ctlcluster') ? host.clusterVersions() : [];
  if (clusters.length > 0) {
    host.log(`starting PostgreSQL ${clusters[0]} (pg_ctlcluster)...`);
    host.run('pg_ctlcluster', ['--skip-systemctl-redirect', clusters[0], 'main', 'start']);
    for (let i = 0; i < 30; i++) {
      if (await host.answers(target)) return url;
      await host.sleep(1000);
    }
  }
  const start = `${host.isRoot ? '' : 'sudo '}${PG_START}`;
  if (env.DATABASE_URL) throw new SetupError(`DATABASE_URL (${hostname}:${target.port}) does not answer: start PostgreSQL (${start}) or unset DATABASE_URL`);
  host.log(`PostgreSQL does not answer on ${hostname}:${target.port}: the PostgreSQL variants of the indexer tests will not run (start it with: ${start})`);
  return undefined;
}

/** The machine as the steps see it; tests give their own. */
export const systemHost = {
  isRoot: process.getuid?.() === 0,
  has: (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0,
  dpkgInstalled: (pkg) => /^Status: install ok installed$/m.test(spawnSync('dpkg', ['-s', pkg], { encoding: 'utf8' }).stdout ?? ''),
  run: (cmd, args, env = {}) => {
    const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    if (r.status !== 0) throw new SetupError(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  },
  answers: ({ host, port }) =>
    new Promise((resolve) => {
      const socket = connect({ host, port, timeout: 1000 });
      const done = (ok) => {
        socket.destroy();
        resolve(ok);
      };
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
      socket.once('timeout', () => done(false));
    }),
  clusterVersions: () => (existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql').sort() : []),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  log: (line) => console.error(`setup: ${line}`),
};

/** Runs the real command, passing its exit code on. */
function runCommand(command, args, env) {
  const child =
    command === 'start'
      ? spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'start.ts'), ...args], { cwd: root, env, stdio: 'inherit' })
      : spawn('npm', ['run', 'test:all'], { cwd: root, env, stdio: 'inherit' });
  // Ctrl-C on a terminal reaches the whole foreground group, the command included, so this process
  // only waits for it (start stops its children first); otherwise signals are passed on.
  const interactive = process.stdin.isTTY === true;
  const forward = (signal) => {
    if (signal === 'SIGINT' && interactive) return;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  child.once('exit', (code, signal) => process.exit(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGKILL' ? 9 : 15)));
}

async function main(argv) {
  const check = argv[0] === '--check';
  const [command, ...args] = check ? argv.slice(1) : argv;
  if (command !== 'start' && command !== 'test') throw new SetupError('usage: node scripts/setup/ensureSetup.mjs [--check] <start|test> [args...]');
  if (command === 'test' && args.length > 0) throw new SetupError(`npm test takes no arguments (got ${args.join(' ')}): run one file with npx vitest run <file>`);
  const host = check ? { ...systemHost, run: () => {} } : systemHost;

  const missingNpm = missingNpmDependencies(root);
  if (missingNpm.length > 0) {
    const shown = missingNpm.slice(0, 5).join(', ') + (missingNpm.length > 5 ? `, and ${missingNpm.length - 5} more` : '');
    if (check) throw new SetupError(`npm dependencies missing: ${shown}`);
    host.log(`installing the npm dependencies (missing: ${shown})...`);
    host.run('npm', ['install', '--no-audit', '--no-fund', '--no-save']);
  }

  const env = { ...process.env };
  const needs = systemPackagesFor(command, env, args);
  if (check) {
    const missing = missingSystemPackages(needs, host);
    if (missing.length > 0) throw new SetupError(`system packages missing: ${missing.join(', ')}`);
  } else {
    ensureSystemPackages(needs, host, command === 'start' ? ' (or set LOOM_LOCAL_WORKERS=0 to start no local worker)' : '');
  }

  if (command === 'test') {
    env.PONDER_TELEMETRY_DISABLED = '1';
    const databaseUrl = await ensurePostgres(env, check ? { ...host, clusterVersions: () => [] } : host);
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
  }
  if (check) {
    host.log(`${command}: everything it needs is here${needs.length ? ` (npm dependencies, ${needs.join(', ')})` : ' (npm dependencies)'}`);
    return;
  }
  runCommand(command, args, env);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err instanceof SetupError ? `setup: ${err.message}` : err);
    process.exit(1);
  });
}
