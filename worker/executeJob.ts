/**
 * One job, start to result: fetch and verify the inputs, have its models' files (cached by hash,
 * models/modelStore.ts), prepare the job's image (image mode: pull
 * by digest, unpack, held until the run ends), run the spec in the sandbox, pack /out
 * deterministically (with the worker's record of the run, runRecord.ts, for image and GPU jobs). Each stage can refuse the job with a reason, and a later stage never starts
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
import type { ImageRef } from '../sdk/spec/imageRef';
import type { RegistryCredential, SecretsBundle } from '../sdk/sealing';
import type { JobSpec } from '../sdk/spec/jobSpec';
import { WorkerError } from './errors';
import { type FailureStage, packFailureReport } from './failureReport';
import type { Gpu } from './hardware';
import type { PreparedImage } from './image/imageTypes';
import type { LiveLog } from './logs/liveLog';
import { type FetchInputsOptions, type StagedInput, fetchInputs } from './inputs/fetchInputs';
import type { ModelFileMount } from './models/jobModels';
import type { ModelStore } from './models/modelStore';
import { type RunRecord, gpusGiven, runRecordFile } from './runRecord';
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
  /** The job's model files (models/jobModels.ts resolveJob), mounted read-only under /models. */
  models?: readonly ModelFileMount[];
  /** Where model files come from (the model cache, held for `jobId`); required when there are `models`. */
  modelStore?: Pick<ModelStore, 'prepare'>;
  /** Where an image job's image comes from (the image store); required for a spec with an image. */
  images?: { prepare(ref: ImageRef, o?: { signal?: AbortSignal; deadline?: number; registryAuth?: readonly RegistryCredential[] }): Promise<PreparedImage> };
  /**
   * When the image must be ready (epoch ms): the pull counts inside the execution window, so one
   * that cannot finish in time fails here with its reason while there is still time to post the report.
   */
  imageDeadline?: number;
  /** GPUs assigned to this job (default: the first `resources.gpus`). */
  gpuIndices?: number[];
  /** This machine's GPUs as detected (hardware.ts): the record names the ones the job was given. */
  machineGpus?: Gpu[];
  /**
   * Name the GPUs given in the bundle's run record (default true). False for a replicated job's run:
   * GPU UUIDs differ between machines, and replicas agree only when their bundles are the same bytes.
   */
  recordGpus?: boolean;
  /**
   * The job's output as it comes: streamed live and kept (worker/logs/liveLog.ts). Its whole log
   * goes into the bundle (`.loom/logs/`, listed in `.loom/run.json`) when it printed anything.
   * Absent: the output is only tailed (the failure report's stdout.txt and stderr.txt).
   */
  log?: Pick<LiveLog, 'push' | 'beginRun' | 'finish'>;
  signal?: AbortSignal;
  /**
   * What the job's sealed bundle gave it (daemon/sealedSecrets.ts), held in memory only: secret
   * variables for its sandbox, private inputs fetched with their headers, mounted at /in/<name>, and
   * credentials for its image's registry (used by the image pull only, never in the sandbox).
   */
  secrets?: Pick<SecretsBundle, 'env' | 'privateInputs'> & Partial<Pick<SecretsBundle, 'registryAuth'>>;
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
  const gpuIndices = o.gpuIndices ?? Array.from({ length: o.spec.resources.gpus }, (_, i) => i);
  const record: RunRecord = {
    ...(o.spec.image ? { image: { reference: o.spec.image.text } } : {}),
    gpus: o.spec.resources.gpus > 0 && o.recordGpus !== false ? gpusGiven(o.machineGpus ?? [], gpuIndices) : [],
  };
  let logFiles: { path: string; content: Buffer }[] = [];
  const fail = (stage: FailureStage, reason: string, run?: SandboxResult) => failed({ jobId: o.jobId, jobDir, stage, reason, record, logFiles, ...(run ? { run } : {}) });

  let inputs: StagedInput[];
  try {
    const privateInputs = (o.secrets?.privateInputs ?? []).map((p) => ({ name: p.name, uri: p.url, sha256: p.sha256, mountPath: `/in/${p.name}`, headers: p.headers ?? {}, private: true }));
    inputs = await fetchInputs([...o.spec.inputs, ...privateInputs], { ...o.inputs, dir: join(jobDir, 'in'), ...(o.signal ? { signal: o.signal } : {}) });
  } catch (err) {
    if (err instanceof WorkerError && err.code === 'INPUT_REJECTED') return fail('inputs', err.shortMessage);
    throw err;
  }

  let models: { hostPath: string; mountPath: string }[] = [];
  if (o.models?.length) {
    if (!o.modelStore) throw new Error(`job ${o.jobId} uses models and this worker was given no model store`);
    const ready = await o.modelStore.prepare(o.jobId, o.models, o.signal);
    if (!ready.ok) return fail('models', ready.reason);
    models = ready.files;
  }

  let image: PreparedImage | undefined;
  if (o.spec.image) {
    if (!o.images) throw new Error(`job ${o.jobId} has an image (${o.spec.image.text}) and this worker was given no image store`);
    try {
      image = await o.images.prepare(o.spec.image, {
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.imageDeadline === undefined ? {} : { deadline: o.imageDeadline }),
        ...(o.secrets?.registryAuth?.length ? { registryAuth: o.secrets.registryAuth } : {}),
      });
    } catch (err) {
      // The image's own fault (a blob that does not match its digest, a layer escaping its root, too
      // big, not ready by the deadline) is the job's failure; anything else is the worker's.
      if (err instanceof WorkerError && err.code === 'IMAGE_REJECTED') return fail('image', err.shortMessage);
      throw err;
    }
    record.image = { reference: o.spec.image.text, manifestDigest: image.manifestDigest };
  }

  try {
    const log = o.log;
    log?.beginRun();
    const run = await o.sandbox.run({
      name: o.jobId.replace(/^0x/, '').slice(0, 16),
      spec: o.spec,
      jobDir,
      inputs,
      ...(models.length > 0 ? { models } : {}),
      ...(o.gpuIndices ? { gpuIndices: o.gpuIndices } : {}),
      ...(image ? { image: { rootDir: image.rootDir, config: image.config } } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.secrets ? { secretEnv: o.secrets.env } : {}),
      ...(log ? { onOutput: (stream: 'stdout' | 'stderr', bytes: Buffer) => log.push(stream, bytes) } : {}),
    });
    const kept = log?.finish();
    if (kept?.record) {
      record.logs = kept.record;
      logFiles = kept.files;
    }
    if (!run.ok) return await fail('run', run.reason ?? 'failed', run);

    let result: PackResult;
    const recordFile = runRecordFile(record);
    const extraFiles = [...(recordFile ? [recordFile] : []), ...logFiles];
    try {
      result = await packOutputs({
        outDir: run.outDir,
        outputs: o.spec.outputs,
        destination: join(jobDir, 'result.tar'),
        // The log is the worker's to keep, within its own bound: it does not count against the job's outputs.
        maxBytes: o.spec.resources.outputMiB * 2 ** 20 + logFiles.reduce((n, f) => n + f.content.length + 1024, 0),
        ...(extraFiles.length > 0 ? { extraFiles } : {}),
      });
    } catch (err) {
      if (err instanceof LoomError && err.code === 'OUTPUT_REJECTED') return await fail('outputs', err.shortMessage, run);
      throw err;
    }
    return { ok: true, jobDir, run, result };
  } finally {
    // The root may be evicted once no run holds it; the sandbox's processes are all gone by now.
    await image?.release();
  }
}

/**
 * The result of a job refused before it runs: an invalid spec (stage `spec`), or one this worker
 * will not run. It never runs; its failure report is the result.
 * @example
 * const parsed = parseSpec(bytes);
 * const r = parsed.ok ? await executeJob({ ..., spec: parsed.spec }) : await rejectJob({ jobId, workDir, stage: 'spec', reason: `invalid spec: ${parsed.reason}` });
 */
export async function rejectJob(o: { jobId: Hex; workDir: string; stage: FailureStage; reason: string }): Promise<JobResult> {
  const jobDir = await freshJobDir(o.workDir, o.jobId);
  return failed({ jobId: o.jobId, jobDir, stage: o.stage, reason: o.reason });
}

/** The job's directory, emptied: one left by an earlier attempt (a crash) is stale. */
async function freshJobDir(workDir: string, jobId: Hex): Promise<string> {
  const jobDir = join(workDir, jobId.replace(/^0x/, '').toLowerCase());
  await rm(jobDir, { recursive: true, force: true });
  await mkdir(jobDir, { recursive: true, mode: 0o711 });
  return jobDir;
}

async function failed(o: { jobId: Hex; jobDir: string; stage: FailureStage; reason: string; run?: SandboxResult; record?: RunRecord; logFiles?: { path: string; content: Buffer }[] }): Promise<JobResult> {
  return { ok: false, jobDir: o.jobDir, stage: o.stage, reason: o.reason, ...(o.run ? { run: o.run } : {}), result: await packFailureReport(o) };
}
