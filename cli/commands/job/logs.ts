/**
 * `loom job logs <id> [-f] [--from N] [--worker 0x…]`: what a running job prints, from the API's
 * live log (sdk/jobLog.ts followJobLog, Server-Sent Events). Without -f, what the API holds now;
 * with -f, then everything it prints until its run ends (a dropped connection is resumed from the
 * offset reached). The job's stdout goes to stdout, its stderr to stderr; --json prints one JSON
 * line per chunk: { offset, stream, text } (or { offset, stream, encrypted: true, data: base64 }).
 *
 * The live log is ephemeral: the API holds a bounded tail for a while. The whole log is in the
 * result bundle (`loom job result`, `.loom/logs/`).
 */
import { JobLogError, followJobLog, toBase64 } from '../../../sdk/jobLog';
import { type SealingKeyPair, SealError, open } from '../../../sdk/sealing';
import { createProgress } from '../../output/progress';
import { clientSealingKey } from './seal';
import { type OptionTable, optionsHelp, parseCommandLine, showHelp } from '../../../sdk/node/options';
import { CliError } from '../../cliError';
import { connectionOptions, resolveClientConfig } from '../../config';
import { toJson } from '../../output/format';
import { openWriter, parseJobId } from '../../session';

const options: OptionTable = {
  follow: { type: 'boolean', short: 'f', help: 'Keep following until the job\'s run ends (Ctrl-C to stop earlier)' },
  from: { type: 'string', value: '<offset>', help: 'Start at this byte offset of the log (default 0): resume where you were' },
  worker: { type: 'string', value: '<0x…>', help: "Whose log, for a replicated job (default: the first worker's to print)" },
  decrypt: { type: 'boolean', help: "A private job's log is sealed to its client: open it with the client key (LOOM_KEY / keystore)" },
  ...connectionOptions,
};

const USAGE = `Usage: loom job logs <job id> [options]

Prints a running job's output (stdout to stdout, stderr to stderr) from the API's live log.
The live log is kept only a while; the whole log is in the result bundle (.loom/logs/).

Options:
${optionsHelp(options)}`;

export async function runLogs(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseCommandLine(argv, { options, usage: USAGE, positionals: [1, 1] });
  if (help) return showHelp(USAGE);
  const config = resolveClientConfig(values);
  const jobId = parseJobId(positionals[0]);
  const fromText = typeof values.from === 'string' ? values.from : '0';
  if (!/^\d{1,15}$/.test(fromText)) throw new CliError('BAD_INPUT', `--from must be a byte offset (a whole number), got "${fromText}"`);
  const worker = typeof values.worker === 'string' ? values.worker : undefined;
  if (worker !== undefined && !/^0x[0-9a-fA-F]{40}$/.test(worker)) throw new CliError('BAD_INPUT', `--worker must be an address, got "${worker}"`);
  const follow = values.follow === true;
  // A private job's chunks are sealed to the client's key (the same one its result is sealed to).
  let opener: ((data: Uint8Array) => Uint8Array | undefined) | undefined;
  if (values.decrypt === true) {
    const session = await openWriter(config, createProgress());
    const key: SealingKeyPair = await clientSealingKey(session.account);
    const context = { chainId: session.chainId, jobId, recipient: session.account.address };
    opener = (data) => {
      try {
        return open({ envelope: data, secretKey: key.secretKey, purpose: 'log', context });
      } catch (err) {
        if (err instanceof SealError) return undefined;
        throw err;
      }
    };
  }

  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for await (let e of followJobLog({
      apiUrl: config.apiUrl,
      jobId,
      from: Number(fromText),
      follow,
      signal: abort.signal,
      ...(worker ? { worker: worker as `0x${string}` } : {}),
    })) {
      if (e.kind === 'chunk') {
        const opened = e.encrypted && opener ? opener(e.data) : undefined;
        if (opened) e = { ...e, data: opened, encrypted: false };
        if (config.json) {
          const body = e.encrypted ? { offset: e.offset, stream: e.stream, encrypted: true, data: toBase64(e.data) } : { offset: e.offset, stream: e.stream, text: new TextDecoder().decode(e.data) };
          process.stdout.write(toJson(body, false));
        } else if (e.encrypted) {
          process.stderr.write(`[${e.data.length} bytes at offset ${e.offset} are sealed to the client's key${opener ? ", and this key does not open them" : ': --decrypt opens them with it'}]\n`);
        } else {
          (e.stream === 'stderr' ? process.stderr : process.stdout).write(e.data);
        }
      } else if (e.kind === 'gap') {
        const note = `[bytes ${e.from}..${e.to} of the log are no longer held by the API: the whole log is in the result bundle (.loom/logs/)]`;
        if (config.json) process.stdout.write(toJson({ gap: { from: e.from, to: e.to } }, false));
        else process.stderr.write(`${note}\n`);
      } else if (config.json) {
        process.stdout.write(toJson({ end: { offset: e.offset, worker: e.worker } }, false));
      }
    }
  } catch (err) {
    if (abort.signal.aborted) return 130;
    if (err instanceof JobLogError) throw new CliError('API', err.shortMessage);
    throw new CliError('API', `the live log at ${config.apiUrl} could not be read: ${(err as Error).message}`, { cause: err });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return abort.signal.aborted ? 130 : 0;
}
