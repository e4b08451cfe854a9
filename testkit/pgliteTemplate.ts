/**
 * New PGlite directories for test indexers, copied from one cluster initialized once per checkout.
 *
 * Ponder's first start on an empty PGlite directory runs PostgreSQL's initdb inside WebAssembly,
 * dozens of times in `npm test`. Copying an initialized, never used cluster (27 MB) takes ~0.2 s
 * and gives Ponder the same empty database, as PostgreSQL's own `CREATE DATABASE` copies
 * `template1`: a test indexer was ready in 11.1 s instead of 13.0 (three starts each, alternating,
 * on a quiet 2-core machine). The template is made by the PGlite package Ponder loads, so its
 * on-disk version always matches; a new version gets its own template.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { guardGenesis } from '../indexer/run/genesisGuard';
import { root } from './root';

/** The directory of package `name` as Node resolves it from `dir` (read by path: exports hide package.json). */
function packageDir(name: string, dir: string): string {
  const found = createRequire(join(dir, 'package.json'))
    .resolve.paths(name)!
    .map((modules) => join(modules, name))
    .find((candidate) => existsSync(join(candidate, 'package.json')));
  if (!found) throw new Error(`${name} is not installed (npm install)`);
  return found;
}

/** The PGlite package Ponder loads. */
const pglitePackage = packageDir('@electric-sql/pglite', packageDir('ponder', root));

/** The template, once this process has found or made it (indexers may start side by side). */
let ready: Promise<string> | undefined;

/** The initialized cluster for the PGlite version Ponder uses, made on first use. */
const template = () => (ready ??= findOrMake());

async function findOrMake(): Promise<string> {
  const pkg = JSON.parse(readFileSync(join(pglitePackage, 'package.json'), 'utf8')) as { version: string; exports: { '.': { import: string } } };
  const { version } = pkg;
  const dir = join(root, '.cache', 'pglite-template', version);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  // Made beside its place and renamed into it: a run killed halfway leaves no half-made template.
  const making = `${dir}.making-${process.pid}`;
  rmSync(making, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  const { PGlite } = (await import(pathToFileURL(join(pglitePackage, pkg.exports['.'].import)).href)) as typeof import('@electric-sql/pglite');
  const db = new PGlite(making);
  await db.query('select 1');
  await db.close();
  try {
    renameSync(making, dir);
  } catch (error) {
    // Another process made it first: theirs is as good.
    rmSync(making, { recursive: true, force: true });
    if (!existsSync(join(dir, 'PG_VERSION'))) throw error;
  }
  return dir;
}

/**
 * Fills `dir` (new) with an empty, initialized PGlite cluster for an indexer of the chain at
 * `rpcUrl`. The genesis guard runs first, so that it records that chain for the directory: it
 * clears a directory it finds without a record (genesisGuard.ts), as it would this copy.
 */
export async function newPgliteDir(dir: string, rpcUrl: string): Promise<string> {
  await guardGenesis({ rpcUrl, pgliteDir: dir });
  cpSync(await template(), dir, { recursive: true });
  return dir;
}
