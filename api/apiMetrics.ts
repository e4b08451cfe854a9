/**
 * The API's Prometheus metrics in the text exposition format (version 0.0.4), written by hand:
 * GraphQL operations by name, type and outcome, their durations, errors by code, HTTP responses.
 * Operation names come from clients, so they are sanitized and capped (`_other` beyond the cap).
 */

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
const MAX_OPERATION_NAMES = 200;

type Labels = Record<string, string>;
type Histogram = { buckets: number[]; sum: number; count: number };

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Labels) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

/**
 * One metric family in the exposition format: its HELP and TYPE lines, then one sample per label
 * set (a bare number: one sample without labels).
 * @example
 * metricFamily('loom_api_sse_streams', 'gauge', 'Subscription responses open now.', 3)
 */
export function metricFamily(name: string, type: 'counter' | 'gauge', help: string, samples: number | [Labels, number][]): string[] {
  const rows: [Labels, number][] = typeof samples === 'number' ? [[{}, samples]] : samples;
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...rows.map(([labels, value]) => `${name}${labelText(labels)} ${value}`)];
}

export type OperationObservation = {
  operationName: string | null;
  operationType: string | null;
  errorCodes: readonly string[];
  durationSeconds: number;
};

/**
 * One set of metrics per API instance (a hot reload starts a new one).
 *
 * @example
 * const metrics = new ApiMetrics();
 * metrics.observeOperation({ operationName: 'Jobs', operationType: 'query', errorCodes: [], durationSeconds: 0.012 });
 * metrics.render(); // "# HELP loom_api_graphql_operations_total ..."
 */
export class ApiMetrics {
  private readonly operations = new Map<string, { labels: Labels; value: number }>();
  private readonly durations = new Map<string, { labels: Labels; histogram: Histogram }>();
  private readonly errors = new Map<string, number>();
  private readonly http = new Map<string, { labels: Labels; value: number }>();
  private readonly names = new Set<string>();
  private inFlight = 0;
  private readonly startedAt = Date.now() / 1000;

  /** A label-safe operation name: anonymous, a GraphQL name, or `_other` past the cap. */
  operationLabel(name: string | null): string {
    if (!name) return 'anonymous';
    if (!/^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(name)) return '_other';
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return '_other';
    this.names.add(name);
    return name;
  }

  requestStarted() {
    this.inFlight++;
  }

  requestEnded() {
    this.inFlight--;
  }

  observeOperation(o: OperationObservation) {
    const labels = {
      operation: this.operationLabel(o.operationName),
      type: o.operationType ?? 'unknown',
      outcome: o.errorCodes.length ? 'error' : 'ok',
    };
    const key = labelText(labels);
    const counter = this.operations.get(key) ?? { labels, value: 0 };
    counter.value++;
    this.operations.set(key, counter);

    const durationLabels = { operation: labels.operation, type: labels.type };
    const dKey = labelText(durationLabels);
    const entry = this.durations.get(dKey) ?? {
      labels: durationLabels,
      histogram: { buckets: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 },
    };
    DURATION_BUCKETS.forEach((le, i) => {
      if (o.durationSeconds <= le) entry.histogram.buckets[i]!++;
    });
    entry.histogram.sum += o.durationSeconds;
    entry.histogram.count++;
    this.durations.set(dKey, entry);

    for (const code of o.errorCodes) this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  observeHttp(route: string, method: string, status: number) {
    const labels = { route, method, status: String(status) };
    const key = labelText(labels);
    const counter = this.http.get(key) ?? { labels, value: 0 };
    counter.value++;
    this.http.set(key, counter);
  }

  /** The exposition text. */
  render(): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

    family('loom_api_graphql_operations_total', 'counter', 'GraphQL operations by name, type and outcome.');
    for (const { labels, value } of this.operations.values()) out.push(`loom_api_graphql_operations_total${labelText(labels)} ${value}`);

    family('loom_api_graphql_operation_duration_seconds', 'histogram', 'GraphQL operation durations, request to response.');
    for (const { labels, histogram } of this.durations.values()) {
      DURATION_BUCKETS.forEach((le, i) =>
        out.push(`loom_api_graphql_operation_duration_seconds_bucket${labelText({ ...labels, le: String(le) })} ${histogram.buckets[i]}`),
      );
      out.push(`loom_api_graphql_operation_duration_seconds_bucket${labelText({ ...labels, le: '+Inf' })} ${histogram.count}`);
      out.push(`loom_api_graphql_operation_duration_seconds_sum${labelText(labels)} ${histogram.sum}`);
      out.push(`loom_api_graphql_operation_duration_seconds_count${labelText(labels)} ${histogram.count}`);
    }

    family('loom_api_graphql_errors_total', 'counter', 'GraphQL errors returned, by extensions.code.');
    for (const [code, value] of this.errors) out.push(`loom_api_graphql_errors_total${labelText({ code })} ${value}`);

    family('loom_api_http_responses_total', 'counter', 'HTTP responses by route, method and status.');
    for (const { labels, value } of this.http.values()) out.push(`loom_api_http_responses_total${labelText(labels)} ${value}`);

    family('loom_api_graphql_in_flight', 'gauge', 'GraphQL requests being served.');
    out.push(`loom_api_graphql_in_flight ${this.inFlight}`);

    family('loom_api_start_time_seconds', 'gauge', 'When this API instance started (unix seconds).');
    out.push(`loom_api_start_time_seconds ${this.startedAt}`);

    return `${out.join('\n')}\n`;
  }
}
