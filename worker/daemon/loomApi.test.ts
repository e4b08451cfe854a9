/**
 * The daemon's API client under the API's per-client limit: a query refused as RATE_LIMITED (HTTP 429,
 * Retry-After) is retried after the wait the API asks for instead of failing the daemon's work (five
 * times at most); other failures are not retried. The answers are the API's own shapes (a
 * GraphQL error with extensions.code RATE_LIMITED), served by a fetch function. And a replicated
 * job as the API serves it, made into the daemon's view: the contract's struct, counts and slots.
 */
import { encodeAbiParameters } from 'viem';
import { describe, expect, it } from 'vitest';
import { loomReplicatedMarketAbi } from '../../abis/generated';
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

describe('LoomApi: replicated jobs', () => {
  const terms = {
    client: '0x00000000000000000000000000000000000000c1',
    token: '0x0000000000000000000000000000000000000000',
    price: '10000000000000000',
    collateral: '50000000000000000',
    feeBps: 100,
    replicas: 3,
    quorum: 2,
    openUntil: '1800000000',
    commitWindow: 600,
    revealWindow: 300,
    minGpuCount: 1,
    minVramMiB: 16384,
    gpuModel: `0x${'0'.repeat(64)}`,
    specHash: `0x${'5'.repeat(64)}`,
    salt: '7',
  };
  const takeSlotInputs = (() => {
    const fn = loomReplicatedMarketAbi.find((x) => x.type === 'function' && x.name === 'takeSlot');
    if (fn?.type !== 'function') throw new Error('takeSlot missing from the ABI');
    return fn.inputs;
  })();
  const served = (job: Record<string, unknown>) => scripted([() => Response.json({ data: { job } })]).fetchFn;

  it("default: a replicated job's terms are the contract's struct (they hash to its id), with its counts and slots", async () => {
    const api = new LoomApi('http://api.test', {
      fetch: served({
        id: '0xABCD',
        kind: 'REPLICATED',
        status: 'SUBMITTED',
        spec: '0x7b7d',
        replicatedTerms: terms,
        slotsFilled: 3,
        commits: 3,
        reveals: 1,
        revealDeadline: '1800000450',
        slots: [
          { index: 0, worker: '0x00000000000000000000000000000000000000a1', state: 'REVEALED', commitment: `0x${'c'.repeat(64)}`, resultHash: `0x${'d'.repeat(64)}` },
          { index: 1, worker: '0x00000000000000000000000000000000000000a2', state: 'COMMITTED', commitment: `0x${'e'.repeat(64)}`, resultHash: null },
        ],
      }),
    });
    const view = await api.replicatedJob('0xabcd');
    expect(view).toMatchObject({ id: '0xabcd', status: 'SUBMITTED', filled: 3, committed: 3, revealed: 1, revealDeadline: 1_800_000_450, spec: '0x7b7d' });
    // The contract's struct exactly (what viem encodes for takeSlot and hashes into the id): amounts
    // as bigints, uint40 and smaller as numbers.
    expect(view?.terms).toEqual({
      client: terms.client,
      token: terms.token,
      price: 10n ** 16n,
      collateral: 5n * 10n ** 16n,
      feeBps: 100,
      replicas: 3,
      quorum: 2,
      openUntil: 1_800_000_000,
      commitWindow: 600,
      revealWindow: 300,
      minGpuCount: 1,
      minVramMiB: 16_384,
      gpuModel: terms.gpuModel,
      specHash: terms.specHash,
      salt: 7n,
    });
    expect(encodeAbiParameters(takeSlotInputs, [view!.terms])).toMatch(/^0x[0-9a-f]{960}$/);
    expect(view?.slots[1]).toEqual({ slot: 1, worker: '0x00000000000000000000000000000000000000a2', state: 'COMMITTED', commitment: `0x${'e'.repeat(64)}`, resultHash: null });
  });

  it('behavior: a single job is not a replicated one; a replicated job without a reveal deadline yet reveals until commit deadline + revealWindow', async () => {
    expect(await new LoomApi('http://api.test', { fetch: served({ id: '0x01', kind: 'SINGLE', replicatedTerms: null, slots: [] }) }).replicatedJob('0x01')).toBeNull();
    const open = await new LoomApi('http://api.test', {
      fetch: served({ id: '0x02', kind: 'REPLICATED', status: 'OPEN', spec: '0x', replicatedTerms: terms, slotsFilled: 1, commits: 0, reveals: 0, revealDeadline: null, slots: [] }),
    }).replicatedJob('0x02');
    expect(open?.revealDeadline).toBe(1_800_000_000 + 600 + 300);
  });
});
