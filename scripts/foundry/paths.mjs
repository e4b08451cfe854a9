// Where the npm Foundry packages put their platform binaries.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch] ?? process.arch;

/** Absolute path of the forge, anvil or cast binary for this platform. */
export function binaryPath(tool) {
  const pkg = `@foundry-rs/${tool}-${process.platform}-${arch}`;
  return join(dirname(require.resolve(`${pkg}/package.json`)), 'bin', tool);
}
