import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'loom-abis-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('behavior: abis/generated.ts (ABIs and enum names) is what @wagmi/cli generates from contracts/src now', async () => {
  const out = join(dir, 'generated.ts');
  await run('npx', ['wagmi', 'generate'], { env: { ...process.env, ABIS_OUT: out }, timeout: 120_000 });
  const fresh = readFileSync(out, 'utf8');
  expect(fresh).toContain('export const loomMarketAbi');
  // The enums' member names come from the Solidity AST (scripts/abis/solidityEnums.ts).
  expect(fresh).toContain("export const closeReasonKeys = [");
  expect(readFileSync('abis/generated.ts', 'utf8'), 'run `npm run abis` and commit the result').toBe(fresh);
});
