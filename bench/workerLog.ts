/**
 * Live log latency: a line printed in the sandbox -> received by an SSE client.
 *
 * A real worker daemon (a child process) on a fresh anvil with a real Ponder serving the API runs
 * a job that prints `LOG_LINES` lines, one every `LOG_PACE_MS`, each holding the wall-clock time
 * (ms) it was printed at (`date +%s%3N` in the sandbox: the host's clock). A client follows the
 * job's log over SSE (sdk/jobLog.ts followJobLog, what the CLI and the UI use) from before it runs;
 * each line's latency is its arrival time minus the time in it. The path measured: the sandbox's
 * pipe, the worker's line splitting, signing (EIP-712) and POST, the API's signature and writer
 * checks, its buffer, and the SSE stream to the client.
 */
import { parseEther } from 'viem';
import { followJobLog } from '../sdk/jobLog.ts';
import { scriptSpec } from '../testkit/jobs.ts';
import { percentile } from './lib/percentile.ts';
import { startStack } from '../testkit/stack.ts';
import { waitFor } from '../testkit/waitFor.ts';

const LOG_LINES = Number(process.env.LOOM_BENCH_LOG_LINES ?? 300);
const LOG_PACE_MS = Number(process.env.LOOM_BENCH_LOG_PACE_MS ?? 50);


export async function logLatencyBench(): Promise<Record<string, number>> {
  const m = await startStack({ name: 'bench-worker-log', indexer: true, artifacts: true, workers: 1 });
  try {
    const sleep = (LOG_PACE_MS / 1000).toFixed(3);
    const script = `i=0; while [ $i -lt ${LOG_LINES} ]; do i=$((i+1)); echo "$i $(date +%s%3N)"; sleep ${sleep}; done`;
    const job = await m.post({ spec: scriptSpec(script, { resources: { memoryMiB: 128, timeoutSeconds: Math.ceil((LOG_LINES * (LOG_PACE_MS + 20)) / 1000) + 60, outputMiB: 1 } }), budget: parseEther('0.001') });
    await waitFor('the job indexed', async () => (await m.job(job.id)) ?? undefined, 60_000);
    const latencies: number[] = [];
    let partial = '';
    // Never longer than the job may run, and a minute more.
    const signal = AbortSignal.timeout(LOG_LINES * (LOG_PACE_MS + 100) + 60_000);
    for await (const e of followJobLog({ apiUrl: m.ponder.url, jobId: job.id, signal })) {
      const at = Date.now();
      if (e.kind === 'end') break;
      if (e.kind !== 'chunk' || e.stream !== 'stdout') continue;
      const text = partial + new TextDecoder().decode(e.data);
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const printed = Number(line.split(' ')[1]);
        if (Number.isFinite(printed)) latencies.push(at - printed);
      }
    }
    if (latencies.length < LOG_LINES) {
      const said = m.workers[0]?.output.join('').split('\n').filter((l) => /"level":(40|50)/.test(l)).slice(-10).join('\n');
      throw new Error(`only ${latencies.length} of ${LOG_LINES} lines arrived; the worker warned:\n${said}`);
    }
    return {
      'worker.log.lines': latencies.length,
      'worker.log.latency.p50Ms': percentile(latencies, 50),
      'worker.log.latency.p99Ms': percentile(latencies, 99),
    };
  } finally {
    await m.stop();
  }
}
