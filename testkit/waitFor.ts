/**
 * Polls `check` until it returns something other than undefined or false, and returns that. A check
 * that throws counts as not yet; the last error is named when time runs out.
 *
 * @example
 * const job = await waitFor('the job to be assigned', async () => { const j = await stack.job(id); return j.status === 'ASSIGNED' && j; });
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Runs one setup step under its own time limit, below the hook's: a setup that hangs then fails
 * naming the step, with `diagnostics()` (the last log lines), rather than as a bare hook timeout.
 */
export async function step<T>(label: string, limitMs: number, run: () => Promise<T>, diagnostics: () => string = () => ''): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: not done after ${limitMs / 1000} s\n${diagnostics()}`)), limitMs);
  });
  try {
    return await Promise.race([run(), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
