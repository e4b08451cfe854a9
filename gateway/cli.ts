/**
 * `npm run gateway`: the x402 payment gateway (README: Paying over HTTP (x402)). Configured by the
 * environment (gateway/config.ts); prints its URL once it listens.
 */
import { GATEWAY_ENV_HELP, GatewayConfigError, readGatewayConfig } from './config';
import { startGateway } from './startGateway';

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(`Usage: npm run gateway\n\nThe x402 gateway: POST /x402/jobs and /x402/workers/<address>/jobs post jobs paid over HTTP.\n\n${GATEWAY_ENV_HELP}\n`);
  process.exit(0);
}

try {
  const config = readGatewayConfig(process.env);
  const g = await startGateway(config, log);
  log(`x402 gateway on ${g.url} (chain ${g.chainId}, market ${g.market}, default token ${g.token}, gas paid by ${g.address})`);
  const stop = () => void g.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (err) {
  process.stderr.write(`loom-gateway: ${err instanceof GatewayConfigError ? err.message : (err as Error).message}\n`);
  process.exit(1);
}
