/**
 * The daemon's use of the image store (../image/imageStore.ts): the check before any transaction,
 * the pull started early (while a bid stands, or as soon as a claim is mined), and the preparation
 * the run itself waits for, timed into the metrics.
 *
 * The store dedupes: a run that prepares an image already being pulled joins that pull, and one
 * already unpacked comes from the cache. An early pull holds its image (so it is not evicted) until
 * the job leaves: run, not chosen, lapsed or closed (`drop`).
 *
 * A private image (`sealed.registryAuth`) is checked anonymously as far as that goes: a refusal of the
 * manifest (401/403/404, all alike to a stranger) is no reason to refuse the job, the allow-list and a
 * registry that does not answer still are; its size, platform and CUDA needs are known only once it is
 * pulled, with the credentials from the job's sealed bundle, at run time. It is never pulled early.
 */
import type { Logger } from 'pino';
import type { RegistryCredential } from '../../sdk/sealing';
import type { ImageRef } from '../../sdk/spec/imageRef';
import type { JobSpec } from '../../sdk/spec/jobSpec';
import { checkCudaRequirement } from '../gpu/cudaRequirement';
import type { ImageStore } from '../image/imageStore';
import type { ImageRefusal, PreparedImage } from '../image/imageTypes';
import { describeError } from './describeError';
import type { WorkerMetrics } from './metrics';

/** What the daemon needs of the store (a test may pass any object with these two methods). */
export type ImageSource = Pick<ImageStore, 'check' | 'prepare'>;

/** `unchecked`: a private image the anonymous check could not read (why), taken on the job's word. */
export type ImageUsable = { ok: true; unchecked?: string } | { ok: false; code: ImageRefusal; reason: string };

export class JobImages {
  /** Early pulls by job id: the preparation, and how to stop it when the job leaves first. */
  private readonly early = new Map<string, { prepared: Promise<PreparedImage | undefined>; abort: AbortController }>();

  constructor(
    private readonly store: ImageSource,
    private readonly o: {
      logger: Logger;
      metrics: WorkerMetrics;
      /** The CUDA version the running driver supports (nvidia-smi); undefined on a machine without one. */
      driverCuda?: string;
      /** The running driver's version (nvidia-smi), for requirements on the driver itself. */
      driverVersion?: string;
      /** The CUDA check (default: the image's NVIDIA_REQUIRE_CUDA against the driver, ../gpu/cudaRequirement.ts). */
      checkCuda?: typeof checkCudaRequirement;
    },
  ) {}

  /**
   * Whether a job's image can run here, from the registry's manifest and config only: the allow-list,
   * the manifest, its size, the platform (the store's check), and for a GPU job the CUDA version the
   * image requires against the driver's.
   */
  async check(spec: JobSpec, signal?: AbortSignal): Promise<ImageUsable> {
    if (spec.image === undefined) return { ok: true };
    const check = await this.store.check(spec.image, signal ? { signal } : {});
    if (!check.ok && check.code === 'not_found' && spec.sealed?.registryAuth) return { ok: true, unchecked: check.reason };
    if (!check.ok) return check;
    if (spec.resources.gpus > 0) {
      // The job's environment as it will run: the image's Env with the spec's on top (imageProcess.ts).
      const env = [...check.config.env, ...Object.entries(spec.env).map(([k, v]) => `${k}=${v}`)];
      const cuda = (this.o.checkCuda ?? checkCudaRequirement)(env, this.o.driverCuda, this.o.driverVersion === undefined ? {} : { driverVersion: this.o.driverVersion });
      if (!cuda.ok) return { ok: false, code: 'cuda', reason: cuda.reason };
    }
    return { ok: true };
  }

  /**
   * Starts pulling a job's image in the background (once per job); a failure is logged, and the run
   * tries again and reports it. Not for a private image: its credentials arrive sealed, at run time.
   */
  warm(jobId: string, spec: JobSpec): void {
    const ref = spec.image;
    if (!ref || spec.sealed?.registryAuth || this.early.has(jobId)) return;
    const abort = new AbortController();
    const prepared = this.prepare(ref, { signal: abort.signal }).catch((err: unknown) => {
      if (!abort.signal.aborted) this.o.logger.warn({ jobId, image: ref.text, err: describeError(err) }, 'early image pull failed; the run will try again');
      return undefined;
    });
    this.early.set(jobId, { prepared, abort });
  }

  /** The job left (ran, not chosen, lapsed, closed): stop its early pull and let its image be evicted. */
  async drop(jobId: string): Promise<void> {
    const e = this.early.get(jobId);
    if (!e) return;
    this.early.delete(jobId);
    e.abort.abort();
    const image = await e.prepared;
    await image?.release().catch(() => {});
  }

  /** Prepares an image for a run (or an early pull): the store's prepare, timed and counted. */
  async prepare(ref: ImageRef, o: { signal?: AbortSignal; deadline?: number; registryAuth?: readonly RegistryCredential[] } = {}): Promise<PreparedImage> {
    const started = performance.now();
    const image = await this.store.prepare(ref, o);
    this.o.metrics.imagePrepares.inc({ source: image.pulled ? 'registry' : 'cache' });
    if (image.pulled) this.o.metrics.imagePullDuration.observe((performance.now() - started) / 1000);
    return image;
  }
}
