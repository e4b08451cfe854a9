/**
 * The daemon's API client under the API's per-client limit: a query refused as RATE_LIMITED (HTTP 429,
 * Retry-After) is retried after the wait the API asks for instead of failing the daemon's work (five
 * times at most); other failures are not retried. The answers are the API's own shapes (a
 * GraphQL error with extensions.code RATE_LIMITED), served by a fetch function.
 */
import { describe, expect, it } from 'vitest';
import { LoomApiError } from '../../sdk/reads';
import { LoomApi, rateLimitedWaitMs } from './loomApi';

const limited = () =>
  Response.json(
    { errors: [{ message: 'Too many requests from this client; retry in 1 s', extensions: { code: 'RATE_LIMITED', retryAfter: 1 } }] },
    { status: 429, headers: { 'retry-after': '1' } },
  );
const job = () => Response.json({ data: { job: null } });

/** A fetch answering from `answers` in turn, counting calls. */
function scripted(answers: (() => Response)[]) {
  let calls = 0;
  const fetchFn = (async () => answers[Math.min(calls++, answers.length - 1)]!()) as unknown as typeof fetch;
  return { fetchFn, calls: () => calls };
}

describe('LoomApi under the per-client rate limit', () => {
  it('behavior: a RATE_LIMITED query is retried after Retry-After and then answers', async () => {
    const api = scripted([limited, job]);
    expect(await new LoomApi('http://api.test', { fetch: api.fetchFn }).job(`0x${'1'.repeat(64)}`)).toBeNull();
    expect(api.calls()).toBe(2);
  });

  it('error: other failures are not retried; the wait is what the API asked, capped', async () => {
    const api = scripted([() => Response.json({ errors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }] }), job]);
    await expect(new LoomApi('http://api.test', { fetch: api.fetchFn }).job(`0x${'1'.repeat(64)}`)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(api.calls()).toBe(1);
    expect(rateLimitedWaitMs(new LoomApiError('RATE_LIMITED', 'x', { retryAfterSeconds: 3 }))).toBe(3000);
    expect(rateLimitedWaitMs(new LoomApiError('RATE_LIMITED', 'x', { retryAfterSeconds: 3600 }))).toBe(60_000);
    expect(rateLimitedWaitMs(new LoomApiError('UNAVAILABLE', 'x'))).toBeUndefined();
  });
});
