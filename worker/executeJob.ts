/**
 * One job, start to result hash: fetch and verify the inputs, run the spec in the sandbox, pack
 * /out deterministically. Each stage can refuse the job with a reason, and a later stage never
 * starts after an earlier one refused: a job whose inputs do not hash right never runs.
 *
 * Errors that are the worker's own (no sandbox, a cgroup that cannot be created) are thrown, not
 * returned: they say nothing about the job, and the daemon should not report them as its failure.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { LoomError } from '../sdk/errors';
import { type PackResult, packOutputs } from '../sdk/node/packOutputs';
import { WorkerError } from './errors';
import { type FetchInputsOptions, type StagedInput, fetchInputs } from './inputs/fetchInputs';
import type { RunRequest, SandboxResult } from './sandbox/sandboxRunner';
import type { JobSpec } from '../sdk/spec/jobSpec';

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

export type JobOutcome =
  | { ok: true; jobDir: string; inputs: StagedInput[]; run: SandboxResult; result: PackResult }
  | { ok: false; jobDir: string; stage: 'inputs' | 'run' | 'outputs'; reason: string; run?: SandboxResult };

/**
 * @example
 * const outcome = await executeJob({ jobId, spec, workDir, sandbox });
 * if (outcome.ok) await submitResult(terms, outcome.result.resultHash, uri);
 */
export async function executeJob(o: ExecuteJobOptions): Promise<JobOutcome> {
  const jobDir = join(o.workDir, o.jobId.replace(/^0x/, '').toLowerCase());
  // A directory left by an earlier attempt (a crash) is stale: start clean.
  await rm(jobDir, { recursive: true, force: true });
  await mkdir(jobDir, { recursive: true, mode: 0o711 });

  let inputs: StagedInput[];
  try {
    inputs = await fetchInputs(o.spec.inputs, { ...o.inputs, dir: join(jobDir, 'in'), ...(o.signal ? { signal: o.signal } : {}) });
  } catch (err) {
    if (err instanceof WorkerError && err.code === 'INPUT_REJECTED') return { ok: false, jobDir, stage: 'inputs', reason: err.shortMessage };
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
  if (!run.ok) return { ok: false, jobDir, stage: 'run', reason: run.reason ?? 'failed', run };

  try {
    const result = await packOutputs({ outDir: run.outDir, outputs: o.spec.outputs, destination: join(jobDir, 'result.tar'), maxBytes: o.spec.resources.outputMiB * 2 ** 20 });
    return { ok: true, jobDir, inputs, run, result };
  } catch (err) {
    if (err instanceof LoomError && err.code === 'OUTPUT_REJECTED') return { ok: false, jobDir, stage: 'outputs', reason: err.shortMessage, run };
    throw err;
  }
}
