/**
 * One job, start to result: fetch and verify the inputs, run the spec in the sandbox, pack /out
 * deterministically. Each stage can refuse the job with a reason, and a later stage never starts
 * after an earlier one refused: a job whose inputs do not hash right never runs. A refused job's
 * result is its failure report (failureReport.ts), so every job ends with a bundle to post.
 *
 * Errors that are the worker's own (no sandbox, a cgroup that cannot be created) are thrown, not
 * returned: they say nothing about the job, and the daemon should not report them as its failure.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { LoomError } from '../sdk/errors';
import { type PackResult, packOutputs } from '../sdk/node/packOutputs';
import type { JobSpec } from '../sdk/spec/jobSpec';
import { WorkerError } from './errors';
import { type FailureStage, packFailureReport } from './failureReport';
import { type FetchInputsOptions, type StagedInput, fetchInputs } from './inputs/fetchInputs';
import type { RunRequest, SandboxResult } from './sandbox/sandboxRunner';

export type ExecuteJobOptions = {
  /** The on-chain job id; the job's directory is named after it. */
  jobId: Hex;
  spec: JobSpec;
  /** Where job directories live. */
  workDir: string;
  sandbox: { run(req: RunRequest): Promise<SandboxResult> };
  /** Input fetching options (artifact store, limits); `dir` is the job's. */
  inputs?: Omit<FetchInputsOptions, 'dir' | 'signal'>;
  /** GPUs assigned to this job (default: the first `resources.gpus`). */
  gpuIndices?: number[];
  signal?: AbortSignal;
};

/**
 * How a job ended, and the bundle to post for it (`result`): its packed outputs when it ran to
 * exit 0, otherwise its failure report, with the stage that refused it and why.
 */
export type JobResult =
  | { ok: true; jobDir: string; run: SandboxResult; result: PackResult }
  | { ok: false; jobDir: string; stage: FailureStage; reason: string; run?: SandboxResult; result: PackResult };

/**
 * @example
 * const r = await executeJob({ jobId, spec, workDir, sandbox });
 * await submitResult(..., r.result.resultHash, `artifact://${r.result.sha256}`);
 */
export async function executeJob(o: ExecuteJobOptions): Promise<JobResult> {
  const jobDir = await freshJobDir(o.workDir, o.jobId);
  const fail = (stage: FailureStage, reason: string, run?: SandboxResult) => failed({ jobId: o.jobId, jobDir, stage, reason, ...(run ? { run } : {}) });

  let inputs: StagedInput[];
  try {
    inputs = await fetchInputs(o.spec.inputs, { ...o.inputs, dir: join(jobDir, 'in'), ...(o.signal ? { signal: o.signal } : {}) });
  } catch (err) {
    if (err instanceof WorkerError && err.code === 'INPUT_REJECTED') return fail('inputs', err.shortMessage);
    throw err;
  }

  const run = await o.sandbox.run({
    name: o.jobId.replace(/^0x/, '').slice(0, 16),
    spec: o.spec,
    jobDir,
    inputs,
    ...(o.gpuIndices ? { gpuIndices: o.gpuIndices } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  if (!run.ok) return fail('run', run.reason ?? 'failed', run);

  let result: PackResult;
  try {
    result = await packOutputs({ outDir: run.outDir, outputs: o.spec.outputs, destination: join(jobDir, 'result.tar'), maxBytes: o.spec.resources.outputMiB * 2 ** 20 });
  } catch (err) {
    if (err instanceof LoomError && err.code === 'OUTPUT_REJECTED') return fail('outputs', err.shortMessage, run);
    throw err;
  }
  return { ok: true, jobDir, run, result };
}

/**
 * The result of a job whose spec is invalid (it fails at the first stage and never runs).
 * @example
 * const parsed = parseSpec(bytes);
 * const r = parsed.ok ? await executeJob({ ..., spec: parsed.spec }) : await rejectInvalidSpec({ jobId, workDir, reason: parsed.reason });
 */
export async function rejectInvalidSpec(o: { jobId: Hex; workDir: string; reason: string }): Promise<JobResult> {
  const jobDir = await freshJobDir(o.workDir, o.jobId);
  return failed({ jobId: o.jobId, jobDir, stage: 'spec', reason: `invalid spec: ${o.reason}` });
}

/** The job's directory, emptied: one left by an earlier attempt (a crash) is stale. */
async function freshJobDir(workDir: string, jobId: Hex): Promise<string> {
  const jobDir = join(workDir, jobId.replace(/^0x/, '').toLowerCase());
  await rm(jobDir, { recursive: true, force: true });
  await mkdir(jobDir, { recursive: true, mode: 0o711 });
  return jobDir;
}

async function failed(o: { jobId: Hex; jobDir: string; stage: FailureStage; reason: string; run?: SandboxResult }): Promise<JobResult> {
  return { ok: false, jobDir: o.jobDir, stage: o.stage, reason: o.reason, ...(o.run ? { run: o.run } : {}), result: await packFailureReport(o) };
}
