/**
 * Which workers are online, in this API process's memory. Presence is not chain state: it is not
 * indexed, not in the state digest, and a restarted API knows nobody until their next heartbeat
 * (a few seconds). Behind several `ponder serve` replicas, each knows the workers whose heartbeats
 * reach it: route heartbeats and presence reads to the same replica (or one per worker pool).
 *
 * A worker is online from an accepted heartbeat until `MISSED_INTERVALS` of the interval it promised
 * pass without another (default 5 s: offline 15 s after its last heartbeat). `lastSeen` is the API's
 * clock at reception, so a worker's clock never makes it look fresher than it is.
 */
import type { Address } from 'viem';
import type { GpuReport, Heartbeat } from './heartbeatVerifier';

/** A worker goes offline once this many of its promised intervals pass without a heartbeat. */
export const MISSED_INTERVALS = 3;

export type PresenceEntry = {
  worker: Address;
  /** API clock (ms) when the last heartbeat arrived. */
  lastSeen: number;
  /** The interval the worker promised (ms). */
  intervalMs: number;
  gpu: GpuReport;
  /** The worker's own time (ms) of the last heartbeat: an older, delayed one does not overwrite it. */
  at: number;
};

/** What subscribers hear: a worker came online, went offline, or its GPU report changed. */
export type PresenceUpdate = { worker: Address; online: boolean; lastSeen: number; gpu: GpuReport };

export class PresenceStore {
  private readonly entries = new Map<Address, PresenceEntry & { published: boolean; gpuJson: string }>();
  private readonly listeners = new Set<(u: PresenceUpdate) => void>();
  private timer: NodeJS.Timeout | undefined;
  /** Heartbeats accepted since the store was made (the bench reads it through /api/metrics). */
  accepted = 0;

  constructor(
    private readonly now: () => number = Date.now,
    /** How often offline transitions are looked for (ms): the lateness of an offline update. */
    private readonly sweepMs = 250,
  ) {}

  /** Records an accepted heartbeat; `receivedAt`: the API's clock when it arrived (default now). */
  record(hb: Heartbeat, now = this.now()): void {
    this.accepted++;
    const e = this.entries.get(hb.worker);
    if (e && hb.at < e.at) {
      e.lastSeen = now; // still a sign of life, but an older report
      return;
    }
    const gpuJson = JSON.stringify(hb.gpu);
    const changed = !e || !e.published || e.gpuJson !== gpuJson;
    const next = { worker: hb.worker, lastSeen: now, intervalMs: hb.intervalMs, gpu: hb.gpu, at: hb.at, published: true, gpuJson };
    this.entries.set(hb.worker, next);
    if (changed) this.publish(next, true);
    this.startSweeping();
  }

  /** The worker's entry (online or not), if it ever sent a heartbeat to this process. */
  get(worker: Address): (PresenceEntry & { online: boolean }) | undefined {
    const e = this.entries.get(worker.toLowerCase() as Address);
    return e && { worker: e.worker, lastSeen: e.lastSeen, intervalMs: e.intervalMs, gpu: e.gpu, at: e.at, online: this.fresh(e, this.now()) };
  }

  isOnline(worker: Address): boolean {
    const e = this.entries.get(worker.toLowerCase() as Address);
    return e !== undefined && this.fresh(e, this.now());
  }

  /** Every online worker's address (lowercase). */
  onlineAddresses(): Address[] {
    const now = this.now();
    const out: Address[] = [];
    for (const e of this.entries.values()) if (this.fresh(e, now)) out.push(e.worker);
    return out;
  }

  /** Listens to updates; returns the unsubscribe function. */
  subscribe(listener: (u: PresenceUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private fresh(e: PresenceEntry, now: number): boolean {
    return now - e.lastSeen <= MISSED_INTERVALS * e.intervalMs;
  }

  private publish(e: PresenceEntry, online: boolean): void {
    const update = { worker: e.worker, online, lastSeen: e.lastSeen, gpu: e.gpu };
    for (const l of this.listeners) l(update);
  }

  /** Offline transitions are announced by a sweep (no heartbeat arrives to trigger them). */
  private startSweeping(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      const now = this.now();
      for (const e of this.entries.values()) {
        if (e.published && !this.fresh(e, now)) {
          e.published = false;
          this.publish(e, false);
        }
      }
    }, this.sweepMs);
    this.timer.unref();
  }
}
