/**
 * `loom worker list`: a client's read of the registered workers (worker/list.ts), online or not.
 *
 * `loom worker <start|register|status|withdraw> …`: the worker's own CLI (worker/cli.ts, the
 * `loom-worker` bin, worker/loom-worker.mjs), run as it is, with the arguments, the terminal and the environment passed
 * through, so that there is one implementation and one set of flags (`loom worker --help`).
 *
 * It runs as a child process rather than an import because worker/cli.ts is an entry point that
 * runs and exits on load. Its exit code is `loom`'s. Signals: on a terminal, Ctrl-C already reaches
 * the whole foreground process group, the worker included, so `loom` only waits (forwarding it too
 * would count as the worker's second Ctrl-C, "stop now"); off a terminal, and for SIGTERM, `loom`
 * forwards what it receives, so a supervisor that signals `loom` stops the worker.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLIENT_KEY_ENV, CLIENT_KEYSTORE_PASSWORD_ENV } from '../clientKey';
import { runWorkerList } from './worker/list';

const WORKER_CLI = fileURLToPath(new URL('../../worker/loom-worker.mjs', import.meta.url));

export async function runWorker(argv: string[]): Promise<number> {
  if (argv[0] === 'list') return runWorkerList(argv.slice(1));
  const env = { ...process.env };
  // The worker signs with its own key (LOOM_WORKER_KEY / LOOM_KEYSTORE); the client's is not its business.
  delete env[CLIENT_KEY_ENV];
  delete env[CLIENT_KEYSTORE_PASSWORD_ENV];
  const child = spawn(process.execPath, [WORKER_CLI, ...argv], { stdio: 'inherit', env });
  const interactive = process.stdin.isTTY === true;
  const forward = (signal: NodeJS.Signals) => {
    if (signal === 'SIGINT' && interactive) return;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      // Killed by a signal: the shell convention, 128 + its number.
      resolve(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGKILL' ? 137 : 143));
    });
  });
}
