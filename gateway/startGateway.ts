/**
 * Starts the gateway: connects to the chain with the SDK (the market from the configuration or the
 * deployment record), and serves the app. Resolves once it listens.
 */
import { serve } from '@hono/node-server';
import { getAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { connectChain, findDeployment } from '../sdk/node';
import { gatewayApp } from './gatewayApp';
import { type GatewayConfig, GatewayConfigError } from './config';
import { openGatewayChain } from './gatewayChain';

export async function startGateway(config: GatewayConfig, log: (line: string) => void = () => {}) {
  const account = privateKeyToAccount(config.key);
  const conn = await connectChain({
    rpcUrl: config.rpcUrl,
    account,
    ...(config.market ? { market: config.market } : {}),
    ...(config.deploymentFile ? { deploymentFile: config.deploymentFile } : {}),
  });
  let token = config.token;
  if (!token) {
    const recorded = findDeployment({ chainId: conn.chainId, ...(config.deploymentFile ? { file: config.deploymentFile } : {}), roots: ['.'] })?.record.TestUSDC?.address;
    if (!recorded) throw new GatewayConfigError('no default token: set LOOM_GATEWAY_TOKEN (the deployment record has no TestUSDC)');
    token = getAddress(recorded);
  }
  const chain = await openGatewayChain({ publicClient: conn.publicClient, walletClient: conn.walletClient, account, market: conn.market, chainId: conn.chainId });
  const app = gatewayApp({ chain, defaultToken: token, minBalance: config.minBalance, ratePerIp: config.ratePerIp, ratePerClient: config.ratePerClient, log });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', reject);
  });
  const url = `http://${config.host}:${config.port}`;
  return { url, address: account.address, market: conn.market, token, chainId: conn.chainId, close: () => new Promise<void>((r) => server.close(() => r())) };
}
