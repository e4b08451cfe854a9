/**
 * The worker's heartbeat: every `heartbeatMs` it probes its GPUs (worker/gpu/gpuProbe.ts) and sends
 * the API's presence listener (its own port, which GET /presence on the API names) a signed heartbeat with the report (sdk/node/workerHeartbeat.ts), so the API knows it is
 * online (3 missed intervals and it is offline). Presence is not chain state.
 *
 * The probe runs beside the sending, not before it: a probe that hangs until its timeout must not
 * stop the heartbeats, or a sick GPU would read as a dead worker. Until a probe ends, the previous
 * report stands.
 *
 * When the probe of a GPU worker fails (or hangs), the worker stops taking GPU jobs at once
 * (state.gpuHealthy, read by the strategy) and marks itself unavailable on-chain, so that clients'
 * matching and the registry's eligibility skip it; when a probe passes again it reopens. A change
 * that fails to send (the RPC) is tried again at the next heartbeat.
 */
import type { HeartbeatSigner } from '../../sdk/node/workerHeartbeat';
import { type GpuReport, HeartbeatError, heartbeatSender } from '../../sdk/node/workerHeartbeat';
import { probeGpus } from '../gpu/gpuProbe';
import type { DaemonContext } from './daemonContext';
import { describeError } from './describeError';

export class HeartbeatLoop {
  private timer: NodeJS.Timeout | undefined;
  private probing: Promise<void> | undefined;
  private sending = false;
  private report: GpuReport;
  /** This loop set the worker unavailable on-chain (and so reopens it when the probe passes). */
  private closedByProbe = false;
  private changingAvailability = false;
  private lastProblem: string | undefined;
  /** To the API's presence listener (its own port, found from the API's URL). */
  private readonly send: ReturnType<typeof heartbeatSender>;

  constructor(
    private readonly ctx: Pick<DaemonContext, 'config' | 'logger' | 'hardware' | 'state' | 'writer'>,
    private readonly signer: HeartbeatSigner,
  ) {
    this.report = ctx.hardware.gpus.length === 0 ? { status: 'none' } : { status: 'ok', gpus: [] };
    this.send = heartbeatSender(ctx.config.apiUrl);
  }

  /** Probes once (the first report), sends the first heartbeat, then keeps going every interval. */
  async start(): Promise<void> {
    await this.probe();
    await this.beat();
    this.timer = setInterval(() => {
      if (!this.probing) this.probing = this.probe().finally(() => (this.probing = undefined));
      void this.beat();
    }, this.ctx.config.heartbeatMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async probe(): Promise<void> {
    const { config, hardware, state, logger } = this.ctx;
    const report = await probeGpus({ nvidiaSmi: config.nvidiaSmi, timeoutMs: config.gpuProbeTimeoutMs, expectedGpus: hardware.gpus.length });
    const was = this.report.status;
    this.report = report;
    if (report.status === 'failed' && was !== 'failed') logger.warn({ error: report.error }, 'GPU probe failed: taking no GPU jobs, marking this worker unavailable');
    if (report.status === 'ok' && was === 'failed') logger.info('GPU probe passes again: taking GPU jobs, marking this worker available');
    state.gpuHealthy = report.status !== 'failed';
    await this.followAvailability();
  }

  /** Makes the on-chain flag follow the probe (GPU workers only; never while stopping). */
  private async followAvailability(): Promise<void> {
    const { state, writer, logger } = this.ctx;
    if (this.changingAvailability || state.stopping) return;
    const close = !state.gpuHealthy && !this.closedByProbe;
    const reopen = state.gpuHealthy && this.closedByProbe;
    if (!close && !reopen) return;
    this.changingAvailability = true;
    try {
      await writer.setAvailability(reopen);
      this.closedByProbe = close;
      logger.info({ available: reopen }, reopen ? 'available again on-chain' : 'unavailable on-chain until the GPU probe passes');
    } catch (err) {
      logger.warn({ err: describeError(err) }, 'could not change availability on-chain; will retry at the next heartbeat');
    } finally {
      this.changingAvailability = false;
    }
  }

  private async beat(): Promise<void> {
    const { config, logger } = this.ctx;
    if (this.sending) return;
    this.sending = true;
    try {
      const body = await this.signer.sign({ intervalMs: config.heartbeatMs, gpu: this.report });
      await this.send(body, { signal: AbortSignal.timeout(Math.max(1000, config.heartbeatMs)) });
      if (this.lastProblem) logger.info('heartbeats reach the API again');
      this.lastProblem = undefined;
    } catch (err) {
      // One line per distinct problem: an API that is down is one warning, not one per heartbeat.
      const message = err instanceof HeartbeatError ? err.message : describeError(err);
      if (message !== this.lastProblem) logger.warn({ err: message }, 'heartbeat not taken by the API; will keep sending');
      this.lastProblem = message;
    } finally {
      this.sending = false;
    }
    // A failed change of availability is tried again with each heartbeat.
    if (!this.probing) void this.followAvailability();
  }
}
