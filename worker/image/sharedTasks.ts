/**
 * One run of a task per key, shared by everyone who asks while it runs (two jobs of one image pull
 * it once). Each caller may leave early with its own signal; the task itself is aborted only when
 * every caller has left, so one job's cancellation does not fail another's pull.
 */
type Running<T> = { promise: Promise<T>; controller: AbortController; callers: number };

export class SharedTasks<T> {
  private readonly running = new Map<string, Running<T>>();

  run(key: string, task: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let r = this.running.get(key);
    if (!r) {
      const controller = new AbortController();
      const promise = task(controller.signal).finally(() => {
        if (this.running.get(key) === entry) this.running.delete(key);
      });
      promise.catch(() => {});
      const entry: Running<T> = { promise, controller, callers: 0 };
      this.running.set(key, entry);
      r = entry;
    }
    const run = r;
    run.callers++;
    return new Promise<T>((resolve, reject) => {
      let left = false;
      const leave = () => {
        if (left) return false;
        left = true;
        run.callers--;
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const onAbort = () => {
        if (!leave()) return;
        if (run.callers === 0) run.controller.abort(signal!.reason);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      run.promise.then(
        (v) => leave() && resolve(v),
        (e) => leave() && reject(e),
      );
    });
  }
}
