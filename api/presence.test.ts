/**
 * Presence end to end: real worker daemons (`loom-worker start`) send signed heartbeats to the API
 * served by Ponder over anvil.
 *
 * - a live worker is online (Worker.online, lastSeen, gpus; workers(filter: { online }); ranked first
 *   by matchWorkers); killed with SIGKILL it goes offline after 3 missed intervals, and the
 *   workerPresence subscription says so;
 * - heartbeats go to the API's presence listener (its own thread and port, named by GET /presence);
 *   forged, replayed, skewed and unregistered heartbeats are refused there with their codes;
 * - a GPU worker whose probe hangs (a stand-in nvidia-smi, a real script) reports FAILED and marks
 *   itself unavailable on-chain; when the probe passes again it is available again.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHeartbeatSigner, type HeartbeatBody, heartbeatUrlOf } from '../sdk/node/workerHeartbeat';
import { accountOf, ROLES } from '../testkit/accounts';
import { runLoom } from '../testkit/loomCli';
import { postJob, scriptSpec } from '../testkit/jobs';
import { type Stack, startStack } from '../testkit/stack';
import { waitFor } from '../testkit/waitFor';
import { subscribe } from './test/sse';

const HEARTBEAT_MS = 300;
const [LIVE, GPU] = ROLES.workers;

let stack: Stack;
let smiDir: string;

beforeAll(async () => {
  stack = await startStack({ name: 'presence', indexer: true });
  smiDir = mkdtempSync(join(stack.workDir, 'smi-'));
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const WORKER_FIELDS = 'address available online lastSeen gpus { status error devices { index name utilizationPct temperatureC } }';
const workerOf = async (address: string) => (await stack.gql(`query($a: Address!) { worker(address: $a) { ${WORKER_FIELDS} } }`, { a: address })).worker;
const onlineList = async (online: boolean) =>
  (await stack.gql(`query($o: Boolean) { workers(filter: { online: $o }, first: 100) { edges { node { address } } } }`, { o: online })).workers.edges.map(
    (e: { node: { address: string } }) => e.node.address,
  );

// Where the API takes heartbeats: its presence listener, not its own port.
const post = async (body: unknown) => fetch(await heartbeatUrlOf(stack.ponder.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const refusal = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];
const loomList = () => runLoom(['worker', 'list', '--online', '--json'], { LOOM_API_URL: stack.ponder.url, LOOM_RPC_URL: stack.rpcUrl, LOOM_DEPLOYMENT_FILE: stack.deploymentPath });
const matches = async (id: string) => (await stack.gql(`query($id: ID!) { matchWorkers(jobId: $id) { online worker { address } } }`, { id })).matchWorkers;
let cpuJob: string;

const signerOf = (index: number) => createHeartbeatSigner({ account: accountOf(index), chainId: stack.deployment.chainId, market: stack.market });

describe('presence', () => {
  test('default: a live worker is online, ranked first; killed, it goes offline within 3 missed intervals', async () => {
    // Subscribed before the worker starts: it hears it come online, then go offline.
    const sub = subscribe<{ workerPresence: { address: string; online: boolean; gpus: { status: string } } }>(
      `${stack.ponder.url}/graphql`,
      'subscription($w: [Address!]) { workerPresence(workers: $w) { address online lastSeen gpus { status } worker { address } } }',
      { w: [accountOf(LIVE).address] },
    );
    try {
      await new Promise((r) => setTimeout(r, 200)); // the stream open before the first heartbeat
      const w = await stack.startWorker(LIVE, { LOOM_HEARTBEAT_MS: String(HEARTBEAT_MS), LOOM_MODES: 'replicated' });
      const live = await waitFor('the worker to be online', async () => {
        const x = await workerOf(w.address);
        return x?.online && x;
      });
      expect(live).toMatchObject({ available: true, online: true, gpus: { status: 'NONE', error: null, devices: [] } });
      expect(Number(live.lastSeen)).toBeGreaterThan(0);
      expect(await onlineList(true)).toContain(w.address);
      expect(await onlineList(false)).not.toContain(w.address);
      // The CLI: `loom worker list --online`.
      const cli = await loomList();
      expect(cli.code).toBe(0);
      expect(JSON.parse(cli.stdout).workers).toEqual([expect.objectContaining({ address: w.address, online: true })]);

      // A CPU job (the worker takes only replicated slots, so it stays open for matchWorkers below).
      cpuJob = (await postJob(stack, { spec: scriptSpec('true') })).id;
      await stack.synced();
      expect(await matches(cpuJob)).toEqual([{ online: true, worker: { address: w.address } }]);

      w.child.kill('SIGKILL');
      await w.exited;
      // The subscription hears it go offline; the on-chain flag still says available.
      await sub.until((r) => r.some((x) => x.value.workerPresence.online === false), 15_000);
      const gone = await workerOf(w.address);
      expect(gone).toMatchObject({ online: false, available: true });
      expect(await onlineList(true)).not.toContain(w.address);
      const updates = sub.received.map((r) => r.value.workerPresence);
      expect(updates[0]).toMatchObject({ address: w.address, online: true, gpus: { status: 'NONE' } });
      expect(updates.at(-1)).toMatchObject({ address: w.address, online: false });
      expect(await matches(cpuJob)).toEqual([{ online: false, worker: { address: w.address } }]);
      const none = await runLoom(['worker', 'list', '--online'], { LOOM_API_URL: stack.ponder.url, LOOM_RPC_URL: stack.rpcUrl, LOOM_DEPLOYMENT_FILE: stack.deploymentPath });
      expect([none.code, none.stdout]).toEqual([0, 'no worker online\n']);
    } finally {
      sub.dispose();
    }
  }, 180_000);

  test('error: forged, replayed, skewed and unregistered heartbeats are refused with their codes', async () => {
    const heartbeatUrl = await heartbeatUrlOf(stack.ponder.url);
    expect(new URL(heartbeatUrl).port).not.toBe(new URL(stack.ponder.url).port);
    const signer = await signerOf(LIVE);
    const body = await signer.sign({ intervalMs: 1000, gpu: { status: 'none' } });
    expect((await post(body)).status).toBe(204);
    expect(await refusal(await post(body))).toEqual([409, 'REPLAYED']);

    const fresh = await signer.sign({ intervalMs: 1000, gpu: { status: 'none' } });
    const forged: HeartbeatBody = { ...fresh, heartbeat: fresh.heartbeat.replace('"intervalMs":1000', '"intervalMs":60000') };
    expect(await refusal(await post(forged))).toEqual([401, 'BAD_SIGNATURE']);

    const impostor = await (await signerOf(ROLES.stranger)).sign({ intervalMs: 1000, gpu: { status: 'none' } });
    expect(await refusal(await post({ ...impostor, session: { ...impostor.session, worker: accountOf(LIVE).address } }))).toEqual([401, 'BAD_SIGNATURE']);
    expect(await refusal(await post(impostor))).toEqual([403, 'NOT_A_WORKER']);

    const skewed = await signer.sign({ intervalMs: 1000, gpu: { status: 'none' }, at: Date.now() + 5 * 60_000 });
    expect(await refusal(await post(skewed))).toEqual([422, 'CLOCK_SKEW']);
    expect(await refusal(await post({ heartbeat: 'x' }))).toEqual([400, 'BAD_REQUEST']);
  });

  test('behavior: a GPU worker whose probe hangs is unavailable on-chain until it passes again', async () => {
    // A stand-in nvidia-smi (a real script): one GPU; the probe's answer follows a mode file.
    const mode = join(smiDir, 'mode');
    writeFileSync(mode, 'ok');
    const smi = join(smiDir, 'nvidia-smi');
    writeFileSync(
      smi,
      `#!/bin/sh
case "$1" in
  --query-gpu=index,uuid,name,memory.total,driver_version) echo '0, GPU-test-0, NVIDIA Test GPU, 16384, 550.54.15' ;;
  --query-gpu=*)
    case "$(cat ${mode})" in
      hang) sleep 60 ;;
      fail) echo 'Unable to determine the device handle for GPU0000:01:00.0: Unknown Error' >&2; exit 15 ;;
      *) echo '0, GPU-test-0, NVIDIA Test GPU, 42, 1024, 16384, 55, 0' ;;
    esac ;;
  *) echo '| NVIDIA-SMI 550.54.15  Driver Version: 550.54.15  CUDA Version: 12.4 |' ;;
esac
`,
    );
    chmodSync(smi, 0o755);
    const w = await stack.startWorker(GPU, { LOOM_HEARTBEAT_MS: String(HEARTBEAT_MS), LOOM_NVIDIA_SMI: smi, LOOM_GPU_PROBE_TIMEOUT_MS: '500', LOOM_MODES: 'replicated' });

    const healthy = await waitFor('the GPU worker online with its GPU state', async () => {
      const x = await workerOf(w.address);
      return x?.online && x.gpus?.status === 'OK' && x;
    });
    expect(healthy).toMatchObject({ available: true, gpus: { status: 'OK', devices: [{ index: 0, name: 'NVIDIA Test GPU', utilizationPct: 42, temperatureC: 55 }] } });

    writeFileSync(mode, 'hang');
    const sick = await waitFor(
      'the worker to report FAILED and be unavailable on-chain',
      async () => {
        const x = await workerOf(w.address);
        return x?.gpus?.status === 'FAILED' && !x.available && x;
      },
      30_000,
    );
    // Still alive: a sick GPU is not a dead worker.
    expect(sick).toMatchObject({ online: true, gpus: { error: expect.stringContaining('did not answer') } });

    writeFileSync(mode, 'ok');
    await waitFor(
      'the worker to be available again',
      async () => {
        const x = await workerOf(w.address);
        return x?.gpus?.status === 'OK' && x.available && x;
      },
      30_000,
    );

    // The CPU job fits the killed CPU-only worker better (fitScore 1 against 0.5), but the online one ranks first.
    expect(await matches(cpuJob)).toEqual([
      { online: true, worker: { address: w.address } },
      { online: false, worker: { address: accountOf(LIVE).address.toLowerCase() } },
    ]);
    await w.stop();
  }, 180_000);
});
