/**
 * A query that stays current: it runs when its variables change and again (debounced) when the
 * live feed delivers an event the view cares about, or after the feed resynchronised. Call it
 * while a component initialises.
 *
 * @example
 * const job = liveQuery(JobQuery, () => ({ id }), { when: (e) => e.jobId === id });
 * // job.data, job.error, job.fetching
 */
import type { AnyVariables, CombinedError, TypedDocumentNode } from '@urql/core';
import { untrack } from 'svelte';
import { getLoom } from './context';
import type { JobEventResult } from '$sdk/documents';

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
  readonly error: CombinedError | undefined;
  /** True while a read (the first or a refresh) is under way. */
  readonly fetching: boolean;
  /** True until the first answer for the current variables. */
  readonly loading: boolean;
  refetch: () => void;
};

export function liveQuery<D, V extends AnyVariables>(
  document: TypedDocumentNode<D, V>,
  variables: () => V,
  options: LiveQueryOptions<V> = {},
): LiveQuery<D> {
  const { client } = getLoom();
  return liveLoad((vars: V) => client.query(document, vars, { requestPolicy: 'network-only' }).toPromise(), variables, options);
}

/**
 * The same for any loader (several queries, a scan over pages): it runs when its variables change and
 * again when the feed says so.
 */
export function liveLoad<D, V>(
  load: (variables: V) => Promise<{ data?: D; error?: CombinedError }>,
  variables: () => V,
  options: LiveQueryOptions<V> = {},
): LiveQuery<D> {
  const { feed } = getLoom();
  let data = $state.raw<D | undefined>();
  let error = $state.raw<CombinedError | undefined>();
  let fetching = $state(false);
  let loading = $state(true);
  let current: V | undefined;
  let generation = 0;
  let inFlight = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const run = async (vars: V) => {
    const gen = ++generation;
    inFlight = true;
    fetching = true;
    // Read only once the feed's stream has its start: an event after this read is then delivered.
    await feed.ready;
    const result = await load(vars);
    inFlight = false;
    if (gen !== generation) return;
    fetching = false;
    loading = false;
    error = result.error;
    if (result.data !== undefined) data = result.data;
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

  $effect(() => () => clearTimeout(timer));

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
