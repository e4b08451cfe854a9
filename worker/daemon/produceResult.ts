/**
 * What the worker posts for a job: the packed outputs when the job succeeded, otherwise a failure
 * report, so an assigned job always ends with a result on-chain and never in silence.
 *
 * The failure report is itself a deterministic bundle (packed like outputs): `loom-failure.json`
 * says at which stage and why the job failed (exit code, signal, timeout, OOM, process limit,
 * refused inputs or outputs), with the tails of stdout and stderr. The client can read it, re-run
 * the job elsewhere, or dispute it. Errors that are the worker's own (the sandbox could not be
 * built) are thrown instead: they say nothing about the job.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { packOutputs } from '../../sdk/node/packOutputs';
import { type ExecuteJobOptions, executeJob } from '../executeJob';
import type { SandboxResult } from '../sandbox/sandboxRunner';
import type { JobSpec } from '../../sdk/spec/jobSpec';

export type ProducedResult = {
  /** True when the job ran to exit 0 and its outputs were packed. */
  ok: boolean;
  /** Where and why it failed; undefined when ok. */
  failure?: { stage: 'spec' | 'inputs' | 'run' | 'outputs'; reason: string };
  jobDir: string;
  /** The bundle to upload: the outputs, or the failure report. */
  bundlePath: string;
  size: number;
  /** sha256 of the bundle, lowercase hex. */
  sha256: string;
  /** The same as bytes32, for submitResult. */
  resultHash: Hex;
  run?: SandboxResult;
};

/**
 * @example
 * const r = await produceResult({ jobId, spec, workDir, sandbox, inputs });
 * await submitResult(..., r.resultHash, `artifact://${r.sha256}`);
 */
export async function produceResult(o: ExecuteJobOptions): Promise<ProducedResult> {
  const outcome = await executeJob(o);
  if (outcome.ok) {
    const r = outcome.result;
    return { ok: true, jobDir: outcome.jobDir, bundlePath: r.path, size: r.size, sha256: r.sha256, resultHash: r.resultHash, run: outcome.run };
  }
  return failureReport({ jobId: o.jobId, jobDir: outcome.jobDir, stage: outcome.stage, reason: outcome.reason, ...(outcome.run ? { run: outcome.run } : {}) });
}

/** Packs a failure report for a job that could not produce its outputs. */
export async function failureReport(o: {
  jobId: Hex;
  jobDir: string;
  stage: 'spec' | 'inputs' | 'run' | 'outputs';
  reason: string;
  run?: SandboxResult;
  spec?: JobSpec;
}): Promise<ProducedResult> {
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
  const packed = await packOutputs({ outDir: dir, outputs: ['/out'], destination: join(o.jobDir, 'failure-report.tar'), maxBytes: 16 * 2 ** 20 });
  return {
    ok: false,
    failure: { stage: o.stage, reason: o.reason },
    jobDir: o.jobDir,
    bundlePath: packed.path,
    size: packed.size,
    sha256: packed.sha256,
    resultHash: packed.resultHash,
    ...(o.run ? { run: o.run } : {}),
  };
}
