/**
 * The worker's logger: pino with the secrets it could ever be handed redacted by path, so a log
 * line that happens to include a config object, an env map or an error with a key in it never
 * writes the key out.
 */
import pino, { type Logger, type LoggerOptions } from 'pino';
import { secretEnvNames } from '../sdk/node/keys';

const secretFields = ['privateKey', 'password', 'mnemonic', 'seed', 'secret', ...secretEnvNames];

/**
 * pino redact paths for every secret field, at the top level and up to two levels down
 * (`{ config: { privateKey } }`, `{ env: { LOOM_WORKER_KEY } }`, `{ req: { headers: { authorization } } }`).
 */
const redactPaths: string[] = [
  ...secretFields.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
  'authorization',
  '*.authorization',
  '*.*.authorization',
];

/**
 * @example
 * const log = createWorkerLogger();
 * log.info({ config }, 'starting'); // config.privateKey prints as "[redacted]"
 */
export function createWorkerLogger(options: LoggerOptions = {}, destination?: pino.DestinationStream): Logger {
  const opts: LoggerOptions = {
    name: 'loom-worker',
    level: process.env.LOG_LEVEL ?? 'info',
    ...options,
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
  return destination ? pino(opts, destination) : pino(opts);
}
