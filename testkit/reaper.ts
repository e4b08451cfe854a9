/**
 * Every process, server and temporary directory the test harness starts is registered here, and
 * torn down by `reap()`: from a test file's last `afterAll` (testkit/setup.ts, which vitest runs
 * before every file), on SIGINT/SIGTERM, and, for what is still alive, when the process exits.
 *
 * Why: a `beforeAll` that times out is abandoned, not cancelled. The file's own `afterAll` then sees
 * variables that were never assigned, and whatever the hook had started (anvil, Ponder, a worker)
 * lived on after the run. The reaper sees what was started, assigned or not; what registers after
 * the reap (a start still running when the hook timed out) is stopped as soon as it registers.
 */
import { type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Resource = {
  name: string;
  /** Stops it gracefully (stops are awaited in reverse order of registration). */
  stop: () => Promise<void> | void;
  /** What it printed, for the tails shown when something failed. */
  logs?: () => string;
  /** Last resort at process exit, where nothing can be awaited. */
  kill?: () => void;
};

const resources: Resource[] = [];
/** Stopped resources that have logs: an early stop keeps them for the file's teardown. */
const stopped: Resource[] = [];
let closed = false;
let pendingStarts = 0;
let failed = false;

/**
 * Registers `resource`; returns a function that stops it now (once) and forgets it, for a test that
 * ends something before the teardown.
 */
export function register(resource: Resource): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  const entry: Resource = { ...resource, stop: () => (stopping ??= Promise.resolve().then(resource.stop)) };
  const stopNow = () => {
    const i = resources.indexOf(entry);
    if (i >= 0) {
      resources.splice(i, 1);
      // Stopped before the teardown, its logs still explain a later failure.
      if (entry.logs) stopped.push(entry);
    }
    return entry.stop() as Promise<void>;
  };
  if (closed) void stopNow().catch(() => {});
  else resources.push(entry);
  return stopNow;
}

/** A child process: `signal` (SIGTERM; to its process group when `group`), SIGKILL after `graceMs`. */
export function registerProcess(
  name: string,
  child: ChildProcess,
  opts: { group?: boolean; signal?: NodeJS.Signals; logs?: () => string; graceMs?: number } = {},
): () => Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (opts.group) process.kill(-child.pid, s);
      else child.kill(s);
    } catch {}
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise((r) => child.once('exit', r));
    signal(opts.signal ?? 'SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), opts.graceMs ?? 10_000);
    await exited;
    clearTimeout(timer);
  };
  return register({ name, stop, logs: opts.logs, kill: () => signal('SIGKILL') });
}

/** A directory removed at teardown. */
export function registerDir(path: string): () => Promise<void> {
  const remove = () => rmSync(path, { recursive: true, force: true });
  return register({ name: `dir ${path}`, stop: remove, kill: remove });
}

/** Logs of something the reaper does not stop (an in-process daemon): shown and kept with the others. */
export function keepLogs(name: string, logs: () => string): void {
  register({ name, stop: () => {}, logs });
}

/**
 * Runs a harness start: while it runs, a teardown prints the logs' tails (the setup did not finish).
 * A start that throws also marks the run failed.
 */
export async function starting<T>(start: () => Promise<T>): Promise<T> {
  pendingStarts++;
  try {
    return await start();
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    pendingStarts--;
  }
}

/** Marks the run failed: the teardown prints the logs' tails. */
export function markFailed(): void {
  failed = true;
}

/** The last `lines` lines of every registered resource's log. */
export function logTails(lines = 40): string {
  return [...stopped, ...resources]
    .filter((r) => r.logs)
    .map((r) => {
      const text = r.logs!().trimEnd().split('\n').slice(-lines).join('\n');
      return `---- ${r.name} (last ${lines} lines) ----\n${text}`;
    })
    .join('\n');
}

/**
 * Stops everything registered, newest first. The file's teardown (with `logDir`) also prints the logs'
 * tails when a test failed or a setup did not finish, writes the whole logs there, and closes the
 * reaper: later registrations are stopped at once.
 */
export async function reap(opts: { failed?: boolean; print?: (text: string) => void; logDir?: string } = {}): Promise<void> {
  if (opts.logDir && (opts.failed || failed || pendingStarts > 0) && [...stopped, ...resources].some((r) => r.logs)) {
    const why = pendingStarts > 0 ? 'a setup did not finish' : 'a test failed';
    (opts.print ?? console.error)(`${why}; the harness's processes printed:\n${logTails()}${opts.logDir ? `\n(whole logs: ${opts.logDir})` : ''}`);
  }
  // Only the file's teardown (the one with a log directory) closes the reaper; a stack's own stop does not.
  if (opts.logDir) closed = true;
  stopped.push(...resources.filter((r) => r.logs));
  while (resources.length > 0) {
    const r = resources.pop()!;
    try {
      await r.stop();
    } catch (err) {
      r.kill?.();
      console.error(`testkit: stopping ${r.name} failed: ${(err as Error).message}`);
    }
  }
  if (!opts.logDir) return;
  // The whole logs of the last run of a file, for when something needs explaining.
  const logged = stopped.splice(0);
  if (logged.length > 0) {
    rmSync(opts.logDir, { recursive: true, force: true });
    mkdirSync(opts.logDir, { recursive: true });
    for (const r of logged) writeFileSync(join(opts.logDir, `${r.name.replace(/[^\w.-]+/g, '-')}.log`), r.logs!());
  }
}

/** Whatever is still registered is killed when the process exits (nothing can be awaited there). */
process.once('exit', () => {
  for (const r of resources.splice(0).reverse()) {
    try {
      r.kill?.();
    } catch {}
  }
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void reap().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  });
}
