/**
 * The failure report: what a job that could not produce its outputs posts instead, so an assigned
 * job always ends with a result on-chain and never in silence.
 *
 * It is itself a deterministic bundle (packed like outputs): `loom-failure.json` says at which
 * stage and why the job failed (exit code, signal, timeout, OOM, process limit, refused inputs or
 * outputs), with the tails of stdout and stderr. The client can read it, re-run the job elsewhere,
 * or dispute it. An image job or a GPU job carries the worker's record of the run too
 * (`.loom/run.json`, runRecord.ts), as its outputs would have.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { type PackResult, packOutputs } from '../sdk/node/packOutputs';
import { type RunRecord, runRecordFile } from './runRecord';
import type { SandboxResult } from './sandbox/sandboxRunner';

/** Where a job can fail: its spec, its inputs, its models' files, its image (the pull), its run, or its outputs. */
export type FailureStage = 'spec' | 'inputs' | 'models' | 'image' | 'run' | 'outputs';

/**
 * Packs the failure report of a job into `<jobDir>/failure-report.tar`.
 * @example
 * const bundle = await packFailureReport({ jobId, jobDir, stage: 'run', reason: 'exit code 1', run });
 */
export async function packFailureReport(o: {
  jobId: Hex;
  jobDir: string;
  stage: FailureStage;
  reason: string;
  run?: SandboxResult;
  record?: RunRecord;
  /** The job's whole log (`.loom/logs/`, listed in the record), when it ran with its log kept. */
  logFiles?: { path: string; content: Buffer }[];
}): Promise<PackResult> {
  const dir = join(o.jobDir, 'failure-report');
  await mkdir(dir, { recursive: true });
  // Only facts the job determines: no durations, no host names, so a re-run reports the same bytes.
  const report = {
    loom: 'job-failure',
    version: 1,
    jobId: o.jobId,
    stage: o.stage,
    reason: o.reason,
    ...(o.run
      ? {
          exitCode: o.run.exitCode,
          signal: o.run.signal,
          timedOut: o.run.timedOut,
          oomKilled: o.run.oomKilled,
          pidsLimitHit: o.run.pidsLimitHit,
          outputLimitHit: o.run.outputLimitHit,
          stdoutBytes: o.run.stdoutBytes,
          stderrBytes: o.run.stderrBytes,
        }
      : {}),
  };
  await writeFile(join(dir, 'loom-failure.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (o.run) {
    await writeFile(join(dir, 'stdout.txt'), o.run.stdoutTail);
    await writeFile(join(dir, 'stderr.txt'), o.run.stderrTail);
  }
  const record = o.record && runRecordFile(o.record);
  const extraFiles = [...(record ? [record] : []), ...(o.logFiles ?? [])];
  const logBytes = (o.logFiles ?? []).reduce((n, f) => n + f.content.length, 0);
  return packOutputs({
    outDir: dir,
    outputs: ['/out'],
    destination: join(o.jobDir, 'failure-report.tar'),
    maxBytes: 16 * 2 ** 20 + logBytes,
    ...(extraFiles.length > 0 ? { extraFiles } : {}),
  });
}
