#!/usr/bin/env node
// Runs forge, anvil or cast from the npm platform packages and passes the exit
// code on. The npm `forge` launcher always exits 0, which would hide failing tests.
// Usage: node scripts/foundry/run.mjs <forge|anvil|cast> [args...]
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { binaryPath } from './paths.mjs';

const [tool, ...args] = process.argv.slice(2);
if (!['forge', 'anvil', 'cast'].includes(tool)) {
  process.stderr.write('usage: run.mjs <forge|anvil|cast> [args...]\n');
  process.exit(2);
}

const env = {
  ...process.env,
  // forge resolves `solc` in foundry.toml against the cwd; an absolute path does not care.
  FOUNDRY_SOLC: process.env.FOUNDRY_SOLC ?? fileURLToPath(new URL('./solc.mjs', import.meta.url)),
  FOUNDRY_DISABLE_NIGHTLY_WARNING: '1',
};
const child = spawn(binaryPath(tool), args, { stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 1)));
