/**
 * `npm start` end to end, as a new user runs it: a fresh copy of the repository (its files without
 * anything git ignores; node_modules is linked and a built UI copied from this checkout to save the
 * install and the build; .data starts empty), `npm start` on free ports until it prints that it is
 * up, a job posted with the `loom` CLI and run by the local worker in its sandbox, its result
 * downloaded and verified by the client, and the job settled by the worker, which releases its
 * payment once the challenge window has passed; then Ctrl-C (SIGINT to the process group, as a
 * terminal sends it) must stop everything: npm exits 0, no process it started is left, every port is free again. Then
 * `npm start` again in the same copy: the same chain and index, the job still settled, and as clean a stop.
 * Then, with DATABASE_URL (CI sets it), once more on a fresh PostgreSQL database: the chain replayed
 * into it, the job found there.
 *
 * Needs bubblewrap (the local worker refuses to run jobs without a sandbox); CI installs it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { freePort } from '../indexer/run/freePort';
import { keyOf, ROLES } from '../testkit/accounts';
import { anvilClient } from '../testkit/chain';
import { createDatabase } from '../testkit/database';
import { root } from '../testkit/root';

const CLIENT_KEY = keyOf(ROLES.clients[0]);

let dir: string;
let ports: Record<'ANVIL_PORT' | 'API_PORT' | 'UI_PORT' | 'METRICS_PORT' | 'GATEWAY_PORT', number>;
let npm: ChildProcess | undefined;
let output = '';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Copies the checkout's files into `to` as a clone would have them: the tracked files and the new
 * ones git does not ignore, as they are in the working tree (in CI, exactly a fresh clone; locally,
 * the change being tested), and nothing ignored (node_modules, builds, .data, deployments).
 */
function copyCheckout(to: string) {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    const from = join(root, f);
    if (!existsSync(from)) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(to, f)), { recursive: true });
    cpSync(from, join(to, f));
  }
}

/** The environment of a user's shell: this one, without the test runner's and database settings. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key.startsWith('LOOM_')) delete env[key];
  delete env.NODE_ENV;
  // PGlite in the copy's .data: a shared PostgreSQL database would have its block cache cleared by
  // the fresh chain's genesis guard, under whatever else uses it.
  delete env.DATABASE_URL;
  return { ...env, ...extra };
}

/** Every process whose parent chain leads to `pid` (from /proc). */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) in parentheses: state, ppid, ...
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [child, ppid] of parent) if (ppid === p) (found.push(child), queue.push(child));
  }
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    // A zombie is dead but still listed until reaped.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** Processes whose command line mentions the copy: whatever was started there, reparented or not. */
function processesIn(path: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes(path) && alive(Number(name))) found.push(`${name}: ${cmd}`);
    } catch {}
  }
  return found;
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** What npm start printed, and the ends of the logs it keeps in .data: what a failure needs. */
function report(): string {
  const logs = existsSync(join(dir, '.data'))
    ? readdirSync(join(dir, '.data'))
        .filter((f) => f.endsWith('.log'))
        .map((f) => `--- .data/${f}\n${readFileSync(join(dir, '.data', f), 'utf8').slice(-3000)}`)
    : [];
  return [`--- npm start\n${output.slice(-3000)}`, ...logs].join('\n');
}

type Run = { code: number | null; stdout: string; stderr: string };

/** The copy's `loom` CLI, as a user with the client key of anvil's account 1 runs it. */
function loom(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/loom.ts', ...args], {
      cwd: dir,
      env: userEnv({
        LOOM_API_URL: `http://127.0.0.1:${ports.API_PORT}`,
        LOOM_RPC_URL: `http://127.0.0.1:${ports.ANVIL_PORT}`,
        LOOM_CLIENT_KEY: CLIENT_KEY,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('exit', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })));
  });
}

/** One JSON-RPC call to the copy's anvil. */
const rpc = (method: string, params: unknown[] = []) => anvilClient(`http://127.0.0.1:${ports.ANVIL_PORT}`).rpc(method, params);

// biome-ignore lint: JSON read field by field in assertions.
async function loomJson(args: string[]): Promise<any> {
  const r = await loom([...args, '--json']);
  if (r.code !== 0) throw new Error(`loom ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}\n${report()}`);
  return JSON.parse(r.stdout);
}

beforeAll(() => {
  try {
    execFileSync('bwrap', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('this test needs bubblewrap (apt-get install bubblewrap): npm start runs no local worker without it');
  }
  dir = mkdtempSync(join(tmpdir(), 'loom-e2e-start-'));
  // The worker's sandbox must reach its job directories under .data.
  chmodSync(dir, 0o755);
  copyCheckout(dir);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(root, 'ui', 'node_modules'), join(dir, 'ui', 'node_modules'));
  // A built UI is reused; without one, npm start builds it in the copy (its first-start path).
  if (existsSync(join(root, 'ui', 'build', 'index.js'))) cpSync(join(root, 'ui', 'build'), join(dir, 'ui', 'build'), { recursive: true });
});

afterAll(async () => {
  if (npm?.pid && npm.exitCode === null) {
    for (const pid of [npm.pid, ...descendants(npm.pid)]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  }
  await sleep(500);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `npm start` in the copy, in its own process group (as a shell runs a foreground job), until it is up. */
async function startStack(extraEnv: Record<string, string> = {}): Promise<{ exited: Promise<number | string | null> }> {
  output = '';
  const env = userEnv({ ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), LOOM_LOCAL_WORKERS: '1', ...extraEnv });
  const child = spawn('npm', ['start'], { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  npm = child;
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | string | null>((r) => child.once('exit', (code, signal) => r(code ?? signal)));
  // The first start compiles the contracts, deploys and builds the indexer (and maybe the UI).
  const deadline = Date.now() + 420_000;
  while (!output.includes('Loom is up.')) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${report()}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${report()}`);
    await sleep(500);
  }
  return { exited };
}

/**
 * Ctrl-C. npm, in the group too, may die of the signal itself (as it does in a terminal); what
 * must hold is that start stops everything it started, says so, and nothing is left.
 */
async function stopStack(exited: Promise<number | string | null>) {
  const started = descendants(npm!.pid!);
  expect(started.length).toBeGreaterThanOrEqual(5); // npm's shell, tsx, start, anvil, ponder, ui, worker...
  process.kill(-npm!.pid!, 'SIGINT');
  const ended = await Promise.race([exited, sleep(60_000).then(() => 'timeout' as const)]);
  expect(ended === 0 || ended === 'SIGINT').toBe(true);
  const stopDeadline = Date.now() + 60_000;
  while (started.some(alive) && Date.now() < stopDeadline) await sleep(200);
  expect(started.filter(alive)).toEqual([]);
  expect(output).toContain('Loom stopped.');
  expect(processesIn(dir)).toEqual([]);
  for (const [name, port] of Object.entries(ports)) expect({ name, listening: await listening(port) }).toEqual({ name, listening: false });
}

let settledJob: string | undefined;

test('default: npm start on a fresh clone runs a job posted with the CLI, and Ctrl-C leaves nothing behind', { timeout: 600_000 }, async () => {
  ports = { ANVIL_PORT: await freePort(), API_PORT: await freePort(), UI_PORT: await freePort(), METRICS_PORT: await freePort(), GATEWAY_PORT: await freePort() };
  const { exited } = await startStack();
  expect(output).toContain(`web UI      http://127.0.0.1:${ports.UI_PORT}`);
  expect(output).toMatch(/workers     0x[0-9a-fA-F]{40} \(metrics/);
  expect(output).toContain(`x402        http://127.0.0.1:${ports.GATEWAY_PORT}/x402/jobs`);
  expect((await fetch(`http://127.0.0.1:${ports.UI_PORT}/`)).status).toBe(200);

  const spec = join(dir, 'hello.json');
  writeFileSync(spec, JSON.stringify({ version: 1, script: 'echo hello from the sandbox > /out/hello.txt', resources: { timeoutSeconds: 30, memoryMiB: 256 } }));
  const posted = await loomJson(['job', 'post', spec, '--budget', '0.01', '--mode', 'claim', '--open-for', '10m', '--execution-timeout', '5m', '--challenge-window', '5s']);
  const id: string = posted.jobId;

  // The local worker claims it, runs it in bubblewrap, uploads the bundle and submits its hash.
  let job: { status: string; worker: string | null; closeReason: string | null };
  const runDeadline = Date.now() + 180_000;
  for (;;) {
    job = (await loomJson(['job', 'show', id])).job;
    if (job.status === 'SUBMITTED' || job.status === 'CLOSED') break;
    if (Date.now() > runDeadline) throw new Error(`the local worker did not run job ${id} (status ${job.status})\n${report()}`);
    await sleep(1000);
  }
  expect(job.status).toBe('SUBMITTED');
  expect(output.toLowerCase()).toContain(job.worker!.toLowerCase()); // the worker npm start announced

  const result = await loomJson(['job', 'result', id, '-o', join(dir, 'result.tar')]);
  expect(result).toMatchObject({ verified: true });
  expect(execFileSync('tar', ['-xOf', join(dir, 'result.tar')], { encoding: 'utf8' })).toBe('hello from the sandbox\n');

  // The worker settles it: once the chain is past the challenge window it releases the payment
  // itself. anvil mines only on transactions, so the test mines the empty blocks a live chain would.
  const settleDeadline = Date.now() + 120_000;
  for (;;) {
    job = (await loomJson(['job', 'show', id])).job;
    if (job.status === 'CLOSED') break;
    if (Date.now() > settleDeadline) throw new Error(`the local worker did not release job ${id} (status ${job.status})\n${report()}`);
    await rpc('evm_mine');
    await sleep(1000);
  }
  expect(job).toMatchObject({ status: 'CLOSED', closeReason: 'COMPLETED' });
  // Released by the worker, not the client: its log says so.
  expect(readFileSync(join(dir, '.data', 'worker-1.log'), 'utf8')).toContain('released after the challenge window');

  settledJob = id;

  await stopStack(exited);
});

test('behavior: npm start again resumes the same chain and index, and stops as cleanly', { timeout: 300_000 }, async () => {
  expect(settledJob).toBeDefined(); // the first start's job
  const { exited } = await startStack();
  expect(output).toContain('(already deployed)');
  expect((await loomJson(['job', 'show', settledJob!])).job).toMatchObject({ status: 'CLOSED', closeReason: 'COMPLETED' });
  await stopStack(exited);
});

// CI sets DATABASE_URL, so this runs there; without a server it has nothing to run against.
test.skipIf(!process.env.DATABASE_URL)('behavior: with DATABASE_URL, npm start indexes the same chain into PostgreSQL', { timeout: 300_000 }, async () => {
  expect(settledJob).toBeDefined();
  const database = await createDatabase(process.env.DATABASE_URL!, 'loom_e2e_start');
  try {
    const { exited } = await startStack({ DATABASE_URL: database.url });
    expect(output).toContain('database    PostgreSQL (DATABASE_URL)');
    // Replayed from genesis into the new database: the first start's job is there, settled.
    expect((await loomJson(['job', 'show', settledJob!])).job).toMatchObject({ status: 'CLOSED', closeReason: 'COMPLETED' });
    const schema = /PostgreSQL \(DATABASE_URL\), schema (\S+)/.exec(output)![1]!;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query(`select count(*)::int as n from "${schema}".job where id = $1`, [settledJob]);
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await client.end();
    }
    await stopStack(exited);
  } finally {
    await database.drop();
  }
});
