/**
 * Heartbeats through the handler the presence listener runs (heartbeatHandler.ts, no network, no
 * thread: presenceThread.test.ts runs that): signed by the SDK's signer
 * (sdk/node/workerHeartbeat.ts, what the worker uses) and checked by the API's verifier, so the two
 * sides of the format are tested against each other. Clocks are injected: no waiting.
 * presence.test.ts runs the same against real worker daemons, the indexer and anvil.
 */
import type { Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { describe, expect, test } from 'vitest';
import { createHeartbeatSigner, type HeartbeatBody } from '../../sdk/node/workerHeartbeat';
import { HeartbeatVerifier } from './heartbeatVerifier';
import { heartbeatHandler } from './heartbeatHandler';
import { MISSED_INTERVALS, PresenceStore } from './presenceStore';

const CHAIN_ID = 31337;
const MARKET: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const worker = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());

function setup() {
  const clock = { now: 1_800_000_000_000 };
  const now = () => clock.now;
  const registered = new Set([worker.address.toLowerCase()]);
  const store = new PresenceStore(now);
  const verifier = new HeartbeatVerifier({ domain: { chainId: CHAIN_ID, market: MARKET }, isRegisteredWorker: async (a) => registered.has(a), now });
  const handle = heartbeatHandler({ verifier });
  // As the listener answers (presenceListener.ts), recording accepted heartbeats at once.
  const post = async (body: unknown) => {
    const answer = await handle(JSON.stringify(body), 'test');
    if (answer.status !== 204) return Response.json({ error: answer.error }, { status: answer.status });
    store.record(answer.heartbeat);
    return new Response(null, { status: 204 });
  };
  return { clock, store, post };
}

const signerOf = (account: typeof worker, clock: { now: number }, over: { chainId?: number; market?: Address } = {}) =>
  createHeartbeatSigner({ account, chainId: over.chainId ?? CHAIN_ID, market: over.market ?? MARKET, now: () => clock.now });

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe('heartbeats', () => {
  test('default: a registered worker is online after a heartbeat, offline after 3 missed intervals', async () => {
    const { clock, store, post } = setup();
    const signer = await signerOf(worker, clock);
    const gpu = { status: 'ok' as const, gpus: [{ index: 0, uuid: 'GPU-1', name: 'NVIDIA H100', utilizationPct: 12, memoryUsedMiB: 100, memoryTotalMiB: 81559, temperatureC: 40, uncorrectedErrors: 0 }] };
    const res = await post(await signer.sign({ intervalMs: 1000, gpu }));
    expect(res.status).toBe(204);
    expect(store.isOnline(worker.address)).toBe(true);
    expect(store.get(worker.address)?.gpu).toEqual(gpu);
    clock.now += MISSED_INTERVALS * 1000;
    expect(store.isOnline(worker.address)).toBe(true);
    clock.now += 1;
    expect(store.isOnline(worker.address)).toBe(false);
    expect(store.onlineAddresses()).toEqual([]);
  });

  test('error: a replayed heartbeat is refused (REPLAYED)', async () => {
    const { clock, post } = setup();
    const body = await (await signerOf(worker, clock)).sign({ intervalMs: 1000, gpu: { status: 'none' } });
    expect((await post(body)).status).toBe(204);
    const again = await post(body);
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe('REPLAYED');
  });

  test('error: forged heartbeats are refused (BAD_SIGNATURE)', async () => {
    const { clock, post } = setup();
    const signer = await signerOf(worker, clock);
    const body = await signer.sign({ intervalMs: 1000, gpu: { status: 'none' } });

    // The document changed after signing (another report).
    const tampered: HeartbeatBody = { ...body, heartbeat: body.heartbeat.replace('"none"', '"failed","error":"x"') };
    let res = await post(tampered);
    expect([res.status, (await errorOf(res)).code]).toEqual([401, 'BAD_SIGNATURE']);

    // A stranger's session claiming to be the worker: its EIP-712 signature recovers the stranger.
    const strangers = await (await signerOf(stranger, clock)).sign({ intervalMs: 1000, gpu: { status: 'none' } });
    const claimed: HeartbeatBody = { ...strangers, session: { ...strangers.session, worker: worker.address } };
    res = await post(claimed);
    expect([res.status, (await errorOf(res)).code]).toEqual([401, 'BAD_SIGNATURE']);

    // The worker's own session, with a heartbeat signed by another session key.
    const mixed: HeartbeatBody = { ...body, heartbeat: strangers.heartbeat, signature: strangers.signature };
    res = await post(mixed);
    expect([res.status, (await errorOf(res)).code]).toEqual([401, 'BAD_SIGNATURE']);

    // Signed for another market.
    const elsewhere = await (await signerOf(worker, clock, { market: '0x0000000000000000000000000000000000000001' })).sign({ intervalMs: 1000, gpu: { status: 'none' } });
    res = await post(elsewhere);
    expect([res.status, (await errorOf(res)).code]).toEqual([401, 'BAD_SIGNATURE']);
  });

  test('error: a clock too far off is refused (CLOCK_SKEW), either way', async () => {
    const { clock, post } = setup();
    const signer = await signerOf(worker, clock);
    for (const offset of [31_000, -31_000]) {
      const res = await post(await signer.sign({ intervalMs: 1000, gpu: { status: 'none' }, at: clock.now + offset }));
      expect([res.status, (await errorOf(res)).code]).toEqual([422, 'CLOCK_SKEW']);
    }
    expect((await post(await signer.sign({ intervalMs: 1000, gpu: { status: 'none' }, at: clock.now - 29_000 }))).status).toBe(204);
  });

  test('error: an unregistered signer is refused (NOT_A_WORKER)', async () => {
    const { clock, store, post } = setup();
    const res = await post(await (await signerOf(stranger, clock)).sign({ intervalMs: 1000, gpu: { status: 'none' } }));
    expect([res.status, (await errorOf(res)).code]).toEqual([403, 'NOT_A_WORKER']);
    expect(store.isOnline(stranger.address)).toBe(false);
  });

  test('error: malformed bodies are refused (BAD_REQUEST)', async () => {
    const { clock, post } = setup();
    const body = await (await signerOf(worker, clock)).sign({ intervalMs: 1000, gpu: { status: 'none' } });
    for (const bad of [null, {}, { ...body, signature: '0x12' }, { ...body, session: { ...body.session, key: 'k' } }]) {
      const res = await post(bad);
      expect([res.status, (await errorOf(res)).code]).toEqual([400, 'BAD_REQUEST']);
    }
  });

  test('behavior: an update is published on coming online, a GPU change and going offline', async () => {
    const { clock, store, post } = setup();
    const updates: { online: boolean; gpu: string }[] = [];
    store.subscribe((u) => updates.push({ online: u.online, gpu: u.gpu.status }));
    const signer = await signerOf(worker, clock);
    await post(await signer.sign({ intervalMs: 1000, gpu: { status: 'ok', gpus: [] } }));
    clock.now += 500;
    await post(await signer.sign({ intervalMs: 1000, gpu: { status: 'ok', gpus: [] } }));
    clock.now += 500;
    await post(await signer.sign({ intervalMs: 1000, gpu: { status: 'failed', error: 'nvidia-smi hung' } }));
    expect(updates).toEqual([
      { online: true, gpu: 'ok' },
      { online: true, gpu: 'failed' },
    ]);
    store.close();
  });
});
