/**
 * A subscription's results, each passed through `map`: mapAsyncIterator's behaviour (a `map` that
 * throws closes the source, then the error reaches the reader; `return` and `throw` reach the
 * source) in one object per subscription. graphql-yoga's mapAsyncIterator makes six closures and
 * their context for each iterator, and every subscription held two such layers of ours: about 1 KB
 * of an idle subscriber's memory (bench/README.md, "Many subscribers").
 */
export class MappedResults<T, U> implements AsyncIterableIterator<U> {
  private readonly source: AsyncIterator<T>;

  constructor(
    source: AsyncIterable<T>,
    private readonly map: (value: T) => U | Promise<U>,
  ) {
    this.source = source[Symbol.asyncIterator]();
  }

  next(): Promise<IteratorResult<U>> {
    return this.source.next().then(this.step);
  }

  /** A source result mapped; no promise of its own when `map` answers at once (the shared case). */
  private readonly step = (result: IteratorResult<T>): IteratorResult<U> | Promise<IteratorResult<U>> => {
    if (result.done) return result;
    let value: U | Promise<U>;
    try {
      value = this.map(result.value);
    } catch (error) {
      return this.close(error);
    }
    return value instanceof Promise ? value.then(mapped, (error) => this.close(error)) : { value, done: false };
  };

  /** Closes the source after `map` failed, then fails with its error. */
  private async close(error: unknown): Promise<never> {
    await this.source.return?.()?.catch(() => {});
    throw error;
  }

  async return(value?: unknown): Promise<IteratorResult<U>> {
    await this.source.return?.(value);
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<U>> {
    if (this.source.throw) return this.source.throw(error).then(this.step);
    await this.source.return?.();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

const mapped = <U>(value: U): IteratorResult<U> => ({ value, done: false });
