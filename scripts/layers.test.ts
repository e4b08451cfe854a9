/**
 * The layer check (.dependency-cruiser.cjs): the repository follows the flow, and an import planted
 * against it in a scratch tree is caught by the rule that names it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const depcruise = join(root, 'node_modules/.bin/depcruise');
const config = join(root, '.dependency-cruiser.cjs');

/** Everything the check reads: the same list as `npm run layers`. */
const layerPaths = ['abis', 'api', 'bench', 'cli', 'e2e', 'gateway', 'indexer', 'scripts', 'sdk', 'testkit', 'worker', 'ui/src', 'ui/tests', 'ponder.config.ts'];

type Violation = { rule: { name: string }; from: string; to: string };

/** Runs the check as `npm run layers` does, in `cwd`, and returns its violations. */
async function cruise(cwd: string, paths: string[]): Promise<Violation[]> {
  const run = await promisify(execFile)(depcruise, [...paths, '--config', config, '--output-type', 'json'], { cwd, maxBuffer: 64 * 2 ** 20 }).catch(
    (err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }),
  );
  return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const scratch = mkdtempSync(join(tmpdir(), 'loom-layers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function plant(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  }
}

describe('layer check', () => {
  test('default: the repository imports only along the flow', async () => {
    const violations = await cruise(root, layerPaths.filter((p) => existsSync(join(root, p))));
    expect(violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  });

  test('error: imports planted against the flow are named by their rule', async () => {
    plant({
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'bundler', allowImportingTsExtensions: true, noEmit: true } }),
      'abis/generated.ts': 'export const loomMarketAbi = [] as const;\n',
      'api/createApi.ts': 'export const createApi = () => 1;\n',
      'sdk/node/keys.ts': 'export const loadKey = () => 1;\n',
      'sdk/reads.ts': "import { loomMarketAbi } from '../abis/generated';\nexport const reads = loomMarketAbi;\n",
      'sdk/peek.ts': "import { createApi } from '../api/createApi';\nexport const peek = createApi;\n",
      'cli/ok.ts': "import { reads } from '../sdk/reads';\nexport const ok = reads;\n",
      'cli/abi.ts': "import { loomMarketAbi } from '../abis/generated';\nexport const abi = loomMarketAbi;\n",
      'worker/borrow.ts': "import { ok } from '../cli/ok';\nexport const borrowed = ok;\n",
      'gateway/abi.ts': "import { loomMarketAbi } from '../abis/generated';\nexport const abi = loomMarketAbi;\n",
      'gateway/ok.ts': "import { reads } from '../sdk/reads';\nexport const ok = reads;\n",
      'cli/pay.ts': "import { ok } from '../gateway/ok';\nexport const pay = ok;\n",
      'ui/src/lib/key.ts': "import { loadKey } from '../../../sdk/node/keys';\nexport const key = loadKey;\n",
      'indexer/src/peek.ts': "import { createApi } from '../../api/createApi';\nexport const api = createApi;\n",
      'indexer/src/api/index.ts': "import { createApi } from '../../../api/createApi';\nexport default createApi;\n",
    });
    const found = (await cruise(scratch, ['abis', 'api', 'sdk', 'cli', 'worker', 'gateway', 'ui', 'indexer'])).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
    expect(found).toEqual([
      'browser-never-sees-node-sdk: ui/src/lib/key.ts -> sdk/node/keys.ts',
      'cli-is-a-client: cli/pay.ts -> gateway/ok.ts',
      'clients-through-the-sdk: cli/abi.ts -> abis/generated.ts',
      'clients-through-the-sdk: gateway/abi.ts -> abis/generated.ts',
      'indexer-meets-api-once: indexer/src/peek.ts -> api/createApi.ts',
      'sdk-is-the-client-core: sdk/peek.ts -> api/createApi.ts',
      'worker-is-a-client: worker/borrow.ts -> cli/ok.ts',
    ]);
  });
});
