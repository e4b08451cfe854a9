#!/usr/bin/env node
// A solc executable for forge, backed by the npm `solc` package (solc-js).
// forge cannot download native solc binaries on our machines, so foundry.toml points
// `solc` here (through FOUNDRY_SOLC, set by scripts/foundry/run.mjs).
// Plain JS on purpose: forge executes this file directly, before any TS loader exists.
import { readFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const solc = require('solc');
const args = process.argv.slice(2);

function writeAll(text) {
  // Write synchronously and completely: forge reads until EOF and a partial
  // write shows up there as "EOF while parsing" or a broken pipe.
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) off += writeSync(1, buf, off, buf.length - off);
}

if (args.includes('--version')) {
  writeAll(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}

if (!args.includes('--standard-json')) {
  process.stderr.write('solc shim: only --version and --standard-json are supported\n');
  process.exit(2);
}

// --allow-paths / --base-path arrive as flags; imports are resolved against the cwd
// and the base path, which is how forge lays out remapped sources.
const basePathIdx = args.indexOf('--base-path');
const basePath = basePathIdx >= 0 ? args[basePathIdx + 1] : process.cwd();
const input = readFileSync(0, 'utf8');

function findImports(path) {
  for (const root of [basePath, process.cwd()]) {
    try {
      return { contents: readFileSync(resolve(root, path), 'utf8') };
    } catch {}
  }
  return { error: `File not found: ${path}` };
}

// solc-js (emscripten) fails with "memory access out of bounds" at once when the standard-JSON input
// itself is large (some 90 files with their full text inlined, as forge sends them on a clean build).
// Sources are passed by name instead, and solc reads each through the same callback as its imports.
const parsed = JSON.parse(input);
for (const [name, source] of Object.entries(parsed.sources ?? {})) {
  if (source.content !== undefined) parsed.sources[name] = { urls: [name] };
}
const output = JSON.parse(solc.compile(JSON.stringify(parsed), { import: findImports }));
// solc-js reports every warning of forge-std and OpenZeppelin; keep only ours.
if (output.errors) {
  output.errors = output.errors.filter(
    (e) => e.severity === 'error' || !(e.sourceLocation?.file ?? '').includes('node_modules/'),
  );
}
writeAll(JSON.stringify(output));
