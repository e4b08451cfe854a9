/**
 * The presence listener in its own thread (presenceThread.ts -> presenceListener.ts), over real TCP:
 * the API's routes served as Ponder serves them (@hono/node-server) say where the listener is; the
 * SDK's sender (what the worker daemon runs) finds it there and posts heartbeats signed by the SDK's
 * signer; accepted ones reach the main thread's store. The registration check is the main thread's
 * (here a set; presence.test.ts runs the indexed table, real worker daemons and Ponder).
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHeartbeatSigner, type HeartbeatBody, HeartbeatError, heartbeatSender, heartbeatUrlOf, sendHeartbeat } from '../../sdk/node/workerHeartbeat';
import { waitFor } from '../../testkit/waitFor';
import { presenceRoutes } from './presenceRoutes';
import { MISSED_INTERVALS, PresenceStore } from './presenceStore';
import { startPresenceThread } from './presenceThread';

const CHAIN_ID = 31337;
const MARKET: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const INTERVAL_MS = 200;
const worker = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const unlucky = privateKeyToAccount(generatePrivateKey());
const other = privateKeyToAccount(generatePrivateKey());

const registered = new Set([worker.address.toLowerCase(), other.address.toLowerCase()]);
const store = new PresenceStore();
const listener = startPresenceThread({
  domain: { chainId: CHAIN_ID, market: MARKET },
  port: 0,
  trustProxy: false,
  store,
  isRegisteredWorker: async (a) => {
    if (a === unlucky.address.toLowerCase()) throw new Error('the database is away');
    return registered.has(a);
  },
});
let server: ServerType;
let apiUrl: string;
let heartbeatUrl: string;

beforeAll(async () => {
  server = serve({ fetch: new Hono().route('/presence', presenceRoutes({ port: listener.port })).fetch, hostname: '127.0.0.1', port: 0 });
  if (!server.listening) await once(server, 'listening');
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await listener.port; // the thread starts in a second or so (the API answers 503 UNAVAILABLE until then)
  heartbeatUrl = await heartbeatUrlOf(apiUrl);
});

afterAll(async () => {
  await listener.close();
  store.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
});

const signerOf = (account: typeof worker) => createHeartbeatSigner({ account, chainId: CHAIN_ID, market: MARKET });
const beat = async (account: typeof worker) => (await signerOf(account)).sign({ intervalMs: INTERVAL_MS, gpu: { status: 'none' } });
/** [status, code] of a refused heartbeat. */
const refusal = async (body: HeartbeatBody | string) => {
  const err = await sendHeartbeat(heartbeatUrl, body).then(() => new Error('accepted'), (e: unknown) => e);
  return err instanceof HeartbeatError ? [err.status, err.code] : err;
};

describe('presence listener (its own thread and port)', () => {
  test('default: the API names the listener; a worker sending there is online in the main thread\'s store, offline after 3 missed intervals', async () => {
    expect(heartbeatUrl).toBe(`http://127.0.0.1:${await listener.port}/presence/heartbeat`);
    expect(heartbeatUrl).not.toContain(apiUrl);
    const send = heartbeatSender(apiUrl);
    const signer = await signerOf(worker);
    await send(await signer.sign({ intervalMs: INTERVAL_MS, gpu: { status: 'none' } }));
    await waitFor('the worker online in the store', () => store.isOnline(worker.address), 5000, 10);
    expect(store.get(worker.address)).toMatchObject({ online: true, intervalMs: INTERVAL_MS, gpu: { status: 'none' } });
    const offline = await waitFor('the worker offline', () => !store.isOnline(worker.address) && Date.now(), 5000, 10);
    expect(offline - store.get(worker.address)!.lastSeen).toBeGreaterThan(MISSED_INTERVALS * INTERVAL_MS);
  });

  test('error: a replayed heartbeat is refused (REPLAYED)', async () => {
    const body = await beat(worker);
    await sendHeartbeat(heartbeatUrl, body);
    expect(await refusal(body)).toEqual([409, 'REPLAYED']);
  });

  test('error: forged heartbeats are refused (BAD_SIGNATURE)', async () => {
    const body = await beat(worker);
    expect(await refusal({ ...body, heartbeat: body.heartbeat.replace('"none"', '"failed","error":"x"') })).toEqual([401, 'BAD_SIGNATURE']);
    const strangers = await beat(stranger);
    expect(await refusal({ ...strangers, session: { ...strangers.session, worker: worker.address } })).toEqual([401, 'BAD_SIGNATURE']);
  });

  test('error: an unregistered signer is refused (NOT_A_WORKER), and one the main thread cannot check is UNAVAILABLE', async () => {
    expect(await refusal(await beat(stranger))).toEqual([403, 'NOT_A_WORKER']);
    expect(await refusal(await beat(unlucky))).toEqual([503, 'UNAVAILABLE']);
    expect(store.isOnline(stranger.address)).toBe(false);
  });

  test('error: malformed and oversized bodies are refused (BAD_REQUEST); other paths are not found', async () => {
    expect(await refusal('not json')).toEqual([400, 'BAD_REQUEST']);
    expect(await refusal(JSON.stringify({ pad: 'x'.repeat(40_000) }))).toEqual([400, 'BAD_REQUEST']);
    expect((await fetch(heartbeatUrl.replace('/presence/heartbeat', '/graphql'), { method: 'POST' })).status).toBe(404);
  });

  test('behavior: a heartbeat posted to the API itself is redirected to the listener and taken there', async () => {
    const res = await fetch(`${apiUrl}/presence/heartbeat`, { method: 'POST', redirect: 'manual', body: '{}' });
    expect([res.status, res.headers.get('location')]).toEqual([308, heartbeatUrl]);
    const followed = await fetch(`${apiUrl}/presence/heartbeat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(await beat(other)) });
    expect(followed.status).toBe(204);
    await waitFor('the redirected worker online', () => store.isOnline(other.address), 5000, 10);
  });
});
