/**
 * What `loom` shows while it waits (a transaction to be mined, the indexer to catch up, a download):
 * one spinner line on stderr, redrawn in place, and only when stderr is a terminal. Piped or
 * redirected runs print none of it, so stdout stays clean for `--json` and stderr for real errors.
 */

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export type Progress = {
  /** Shows (or replaces) the current step. */
  update(text: string): void;
  /** Ends the current step with a check mark and its final words (kept on screen). */
  done(text?: string): void;
  /** Ends the current step with a cross (kept on screen). */
  fail(text?: string): void;
  /** Removes the line without a trace. */
  clear(): void;
};

type Stream = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean; columns?: number };

/**
 * @example
 * const progress = createProgress();
 * progress.update('waiting for the transaction to be mined');
 * progress.done('mined in block 12');
 */
export function createProgress(stream: Stream = process.stderr, o: { enabled?: boolean; intervalMs?: number } = {}): Progress {
  const enabled = o.enabled ?? stream.isTTY === true;
  if (!enabled) return { update() {}, done() {}, fail() {}, clear() {} };
  let text = '';
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const fit = (s: string) => s.slice(0, Math.max(20, (stream.columns || 100) - 3));
  const draw = () => stream.write(`\r\x1b[2K\x1b[36m${FRAMES[frame++ % FRAMES.length]}\x1b[0m ${fit(text)}`);
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    stream.write('\r\x1b[2K');
  };
  return {
    update(next) {
      text = next;
      if (!timer) {
        timer = setInterval(draw, o.intervalMs ?? 80);
        // A spinner must never keep the process alive.
        timer.unref();
      }
      draw();
    },
    done(final) {
      const was = timer !== undefined;
      stop();
      if (final ?? (was ? text : '')) stream.write(`\x1b[32m✔\x1b[0m ${fit(final ?? text)}\n`);
    },
    fail(final) {
      const was = timer !== undefined;
      stop();
      if (final ?? (was ? text : '')) stream.write(`\x1b[31m✖\x1b[0m ${fit(final ?? text)}\n`);
    },
    clear() {
      if (timer) stop();
    },
  };
}
