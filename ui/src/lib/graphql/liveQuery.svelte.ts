/**
 * A query that stays current: it runs when its variables change and again (debounced) when the
 * live feed delivers an event the view cares about, or after the feed resynchronised. Reads go
 * through the SDK's reader; a read made stale by new variables, or by the view going away, is
 * aborted. Call it while a component initialises.
 *
 * @example
 * const job = liveQuery(JobQuery, () => ({ id }), { when: (e) => e.jobId === id });
 * // job.data, job.error (a LoomApiError, with its code), job.fetching
 */
import { untrack } from 'svelte';
import { getLoom } from './context';
import type { JobEventResult } from '$sdk/documents';
import type { TadaDocumentNode } from '$sdk/graphql';

export type LiveQueryOptions<V> = {
  /** Read again when the feed delivers an event matching this (default: any event). */
  when?: (event: JobEventResult, variables: V) => boolean;
  /** Do not run while this is true (e.g. no wallet connected). */
  paused?: () => boolean;
  /** Debounce of live refreshes (ms). */
  debounceMs?: number;
};

export type LiveQuery<D> = {
  readonly data: D | undefined;
  readonly error: Error | undefined;
  /** True while a read (the first or a refresh) is under way. */
  readonly fetching: boolean;
  /** True until the first answer for the current variables. */
  readonly loading: boolean;
  refetch: () => void;
};

export function liveQuery<D, V>(document: TadaDocumentNode<D, V>, variables: () => V, options: LiveQueryOptions<V> = {}): LiveQuery<D> {
  const { reader } = getLoom();
  return liveLoad((vars: V, signal) => reader.query(document, vars, { signal }), variables, options);
}

/**
 * The same for any loader (several queries, a scan over pages): it runs when its variables change and
 * again when the feed says so. A failed load keeps the last data and sets `error`.
 */
export function liveLoad<D, V>(
  load: (variables: V, signal: AbortSignal) => Promise<D>,
  variables: () => V,
  options: LiveQueryOptions<V> = {},
): LiveQuery<D> {
  const { feed } = getLoom();
  let data = $state.raw<D | undefined>();
  let error = $state.raw<Error | undefined>();
  let fetching = $state(false);
  let loading = $state(true);
  let current: V | undefined;
  let generation = 0;
  let inFlight = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;

  const run = async (vars: V) => {
    const gen = ++generation;
    controller?.abort();
    const { signal } = (controller = new AbortController());
    inFlight = true;
    fetching = true;
    // Read only once the feed's stream has its start: an event after this read is then delivered.
    await feed.ready;
    let result: { data: D } | { error: Error };
    try {
      result = { data: await load(vars, signal) };
    } catch (err) {
      result = { error: err instanceof Error ? err : new Error(String(err)) };
    }
    inFlight = false;
    if (gen !== generation) return;
    fetching = false;
    loading = false;
    error = 'error' in result ? result.error : undefined;
    if ('data' in result) data = result.data;
    if (again) {
      again = false;
      refresh();
    }
  };

  const refresh = () => {
    if (current === undefined || options.paused?.()) return;
    if (inFlight) {
      again = true;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => current !== undefined && void run(current), options.debounceMs ?? 120);
  };

  $effect(() => {
    if (options.paused?.()) {
      current = undefined;
      return;
    }
    const vars = variables();
    untrack(() => {
      current = vars;
      loading = true;
      void run(vars);
    });
  });

  $effect(() =>
    feed.on((message) => {
      if (current === undefined) return;
      if (message.kind === 'resync') return refresh();
      if (!options.when || options.when(message.delivery.event, current)) refresh();
    }),
  );

  $effect(() => () => {
    generation++;
    clearTimeout(timer);
    controller?.abort();
  });

  return {
    get data() {
      return data;
    },
    get error() {
      return error;
    },
    get fetching() {
      return fetching;
    },
    get loading() {
      return loading;
    },
    refetch: () => current !== undefined && void run(current),
  };
}
