/**
 * Loom's SDK, the Node-only entry: what reads files, keys or the process environment. The browser
 * bundle never imports this file (nor sdk/node/, sdk/chain/); everything else is in ./index.ts.
 *
 * @example
 * import { connectChain, loadWorkerKey } from './sdk/node';
 * const key = await loadWorkerKey({ env: process.env });
 * const chain = await connectChain({ rpcUrl, account: key.account });
 */
export * from './node/keys';
export * from './node/packOutputs';
export * from './node/modelFiles';
export * from './node/revealSalt';
export * from './node/options';
export * from './chain/connectChain';
export * from './chain/deploymentRecord';
export * from './node/workerHeartbeat';
