/**
 * The daemon's Prometheus metrics, in the text exposition format written by hand (no client
 * library): counters, gauges and histograms with labels, and a small HTTP server for `/metrics`.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

type Labels = Record<string, string>;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Labels) => {
  const keys = Object.keys(labels);
  return keys.length === 0 ? '' : `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(',')}}`;
};
const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
const num = (v: number | bigint) => (typeof v === 'bigint' ? v.toString() : Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN');

interface Metric {
  render(): string;
}

export class Counter implements Metric {
  private readonly values = new Map<string, { labels: Labels; value: number | bigint }>();
  constructor(readonly name: string, readonly help: string) {}

  inc(labels: Labels = {}, by: number | bigint = 1): void {
    const key = keyOf(labels);
    const cur = this.values.get(key);
    if (cur === undefined) this.values.set(key, { labels, value: by });
    else cur.value = typeof cur.value === 'bigint' || typeof by === 'bigint' ? BigInt(cur.value) + BigInt(by) : cur.value + by;
  }

  get(labels: Labels = {}): number | bigint {
    return this.values.get(keyOf(labels))?.value ?? 0;
  }

  /** The sum over the label sets that include `filter`. */
  sum(filter: Labels): number {
    let t = 0;
    for (const v of this.values.values()) if (Object.entries(filter).every(([k, x]) => v.labels[k] === x)) t += Number(v.value);
    return t;
  }

  /** The sum over every label set. */
  total(): number {
    let t = 0;
    for (const v of this.values.values()) t += Number(v.value);
    return t;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${labelText(labels)} ${num(value)}`);
    return lines.join('\n');
  }
}

export class Gauge implements Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(readonly name: string, readonly help: string) {}

  set(value: number, labels: Labels = {}): void {
    this.values.set(keyOf(labels), { labels, value });
  }

  get(labels: Labels = {}): number {
    return this.values.get(keyOf(labels))?.value ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`];
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${labelText(labels)} ${num(value)}`);
    return lines.join('\n');
  }
}

export class Histogram implements Metric {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  /** Every observation, kept for percentiles (bounded: the newest 10,000). */
  readonly samples: number[] = [];

  constructor(readonly name: string, readonly help: string, readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.buckets.forEach((b, i) => {
      if (value <= b) this.counts[i]!++;
    });
    this.sum += value;
    this.count++;
    this.samples.push(value);
    if (this.samples.length > 10_000) this.samples.shift();
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket{le="${b}"} ${this.counts[i]}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${num(this.sum)}`, `${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

/** Every metric the daemon exports (documented in worker/daemon/README.md). */
export class WorkerMetrics {
  readonly jobsRun = new Counter('loom_worker_jobs_run_total', 'Jobs run to a result, by outcome (succeeded: the job exited 0; failed: a failure report was the result).');
  readonly jobsFailed = new Counter('loom_worker_jobs_failed_total', 'Jobs whose run failed, by stage (spec, inputs, models, image, run, outputs).');
  readonly jobsSubmitted = new Counter('loom_worker_results_submitted_total', 'Results posted on-chain (submitResult mined).');
  readonly replicatedSteps = new Counter('loom_worker_replicated_steps_total', 'Replicated-job slot steps mined, by step (take, commit, reveal, finalize).');
  readonly replicatedClosed = new Counter('loom_worker_replicated_closed_total', "Replicated jobs this worker held a slot of that closed, by outcome and this slot's verdict (agreed, disagreed, unrevealed, none).");
  readonly jobsAbandoned = new Counter('loom_worker_jobs_abandoned_total', 'Assigned jobs left without a result, by reason (deadline, worker_error, no_sealed_bundle, private_result).');
  readonly decisions = new Counter('loom_worker_decisions_total', 'Posted jobs considered, by decision (claim, bid, skip) and reason.');
  readonly transactions = new Counter('loom_worker_transactions_total', 'Transactions sent, by function and outcome (mined, reverted; unknown: the RPC failed while sending it).');
  readonly txRefused = new Counter('loom_worker_transactions_refused_total', 'Transactions not sent because their simulation reverted, by function and Solidity error.');
  readonly earnings = new Counter('loom_worker_earnings_total', "Payouts credited to the worker when its jobs closed, net of fees, by token (the token's smallest unit).");
  readonly withdrawn = new Counter('loom_worker_withdrawn_total', 'Balances withdrawn, by token.');
  readonly events = new Counter('loom_worker_events_total', 'Event deliveries processed, by event name.');
  readonly reconnects = new Counter('loom_worker_subscription_reconnects_total', 'Times the event subscription was re-established.');
  readonly queueLength = new Gauge('loom_worker_queue_length', 'Jobs assigned to this worker waiting for a free slot.');
  readonly runningJobs = new Gauge('loom_worker_running_jobs', 'Jobs running now.');
  readonly openBids = new Gauge('loom_worker_open_bids', 'Standing bids waiting for the client.');
  readonly up = new Gauge('loom_worker_up', '1 while the daemon follows the market.');
  readonly startTime = new Gauge('loom_worker_start_time_seconds', 'When the daemon started (unix seconds).');
  readonly pickupLatency = new Histogram(
    'loom_worker_pickup_latency_seconds',
    'From a JobPosted delivery to the mined claimJob or placeBid (seconds).',
    [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  );
  readonly imagePrepares = new Counter('loom_worker_image_prepares_total', 'Job images prepared, by source: registry (something was downloaded) or cache (all of it was cached).');
  readonly imagePullDuration = new Histogram(
    'loom_worker_image_pull_seconds',
    'Time to prepare a job image that needed a download: pull, check and unpack (seconds).',
    [1, 5, 15, 30, 60, 120, 300, 600, 1800],
  );
  readonly jobDuration = new Histogram('loom_worker_job_duration_seconds', 'From assignment seen to result mined (seconds).', [1, 5, 15, 60, 300, 900, 3600, 14_400, 86_400]);

  render(): string {
    const all: Metric[] = [
      this.jobsRun, this.jobsFailed, this.jobsSubmitted, this.replicatedSteps, this.replicatedClosed, this.jobsAbandoned, this.decisions, this.transactions, this.txRefused,
      this.earnings, this.withdrawn, this.events, this.reconnects, this.queueLength, this.runningJobs, this.openBids, this.up,
      this.startTime, this.pickupLatency, this.jobDuration, this.imagePrepares, this.imagePullDuration,
    ];
    return `${all.map((m) => m.render()).join('\n')}\n`;
  }
}

/** Serves `GET /metrics` (and `/healthz`) on `port` (0: any free port). */
export async function serveMetrics(metrics: WorkerMetrics, port: number, host = '127.0.0.1'): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(metrics.render());
    } else if (req.method === 'GET' && req.url === '/healthz') {
      const up = metrics.up.get() === 1;
      res.writeHead(up ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ up }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
