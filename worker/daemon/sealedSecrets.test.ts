import { privateKeyToAccount } from 'viem/accounts';
import { expect, test } from 'vitest';
import { sealedDelivery } from '../../sdk/sealedDelivery';
import { type SecretsBundle, sealSecrets } from '../../sdk/sealing';
import { awaitSecrets, workerSealing } from './sealedSecrets';

const worker = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
const JOB = `0x${'ab'.repeat(32)}` as const;
const OTHER_JOB = `0x${'cd'.repeat(32)}` as const;
const secrets: SecretsBundle = { env: { HF_TOKEN: 'hf_value' }, privateInputs: [], registryAuth: [], resultKey: `0x${'11'.repeat(32)}` };
const expectSecrets = { env: ['HF_TOKEN'], privateInputs: [], privateResult: true };

/** An API with the given bundles, as `Job.sealedBundles` lists them. */
const apiWith = (bundles: { id: string; envelope: Uint8Array; hash?: `0x${string}` }[]) => ({
  sealing: async () =>
    ({
      sealedBundles: bundles.map((b) => {
        const d = sealedDelivery(b.envelope);
        return { id: b.id, worker: worker.address.toLowerCase(), bundleHash: b.hash ?? d.bundleHash, inlineBundle: d.inlineBundle, uri: null, blockNumber: '1' };
      }),
    }) as never,
});
const noFetch = async () => {
  throw new Error('no URI bundles here');
};

test('default: the latest bundle to this worker opens in memory', async () => {
  const sealing = await workerSealing(worker);
  const envelope = sealSecrets({ secrets, to: sealing.publicKey, context: { chainId: 31337, jobId: JOB, recipient: worker.address } });
  const got = await awaitSecrets({ api: apiWith([{ id: 'b1', envelope }]), jobId: JOB, worker: worker.address, chainId: 31337, sealing, expect: expectSecrets, until: Date.now() + 1000, fetchUri: noFetch });
  expect(got).toEqual({ ok: true, secrets, bundleId: 'b1' });
});

test('error: replayed from another job, altered, incomplete: each refused with a reason, then given up', async () => {
  const sealing = await workerSealing(worker);
  const ctx = { chainId: 31337, jobId: JOB, recipient: worker.address };
  const replayed = sealSecrets({ secrets, to: sealing.publicKey, context: { ...ctx, jobId: OTHER_JOB } });
  const refused: string[] = [];
  const onRefused = (_: string, reason: string) => refused.push(reason);
  const common = { jobId: JOB, worker: worker.address, chainId: 31337, sealing, expect: expectSecrets, fetchUri: noFetch, pollMs: 10, onRefused };

  let got = await awaitSecrets({ ...common, api: apiWith([{ id: 'b1', envelope: replayed }]), until: Date.now() + 100 });
  expect(got).toEqual({ ok: false, reason: expect.stringMatching(/the last was refused: .*does not open/) });

  const good = sealSecrets({ secrets, to: sealing.publicKey, context: ctx });
  got = await awaitSecrets({ ...common, api: apiWith([{ id: 'b2', envelope: good, hash: `0x${'00'.repeat(32)}` }]), until: Date.now() + 100 });
  expect(got).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match the hash sent on-chain/) });

  const incomplete = sealSecrets({ secrets: { ...secrets, env: {} }, to: sealing.publicKey, context: ctx });
  got = await awaitSecrets({ ...common, api: apiWith([{ id: 'b3', envelope: incomplete }]), until: Date.now() + 100 });
  expect(got).toMatchObject({ ok: false, reason: expect.stringMatching(/lacks the secret variables HF_TOKEN/) });

  got = await awaitSecrets({ ...common, api: apiWith([]), until: Date.now() + 50 });
  expect(got).toEqual({ ok: false, reason: 'no sealed bundle arrived from the client in time' });
  // Reasons name fields, never values.
  expect(refused.join(' ')).not.toContain('hf_value');
});

test('behavior: a bundle by URI whose fetch fails (the network, the store) is fetched again at the next poll; bytes that do not match its hash are refused for good', async () => {
  const sealing = await workerSealing(worker);
  const envelope = sealSecrets({ secrets, to: sealing.publicKey, context: { chainId: 31337, jobId: JOB, recipient: worker.address } });
  const byUri = (hash: `0x${string}`) => ({
    sealing: async () => ({ sealedBundles: [{ id: 'u1', worker: worker.address.toLowerCase(), bundleHash: hash, inlineBundle: '0x', uri: 'artifact://aa', blockNumber: '1' }] }) as never,
  });
  const hash = sealedDelivery(envelope, 'artifact://aa').bundleHash;
  let fetches = 0;
  const flaky = async () => {
    if (++fetches === 1) throw new Error('fetch failed');
    return envelope;
  };
  const unfetched: string[] = [];
  const common = { jobId: JOB, worker: worker.address, chainId: 31337, sealing, expect: expectSecrets, pollMs: 10, onUnfetched: (_: string, r: string) => unfetched.push(r) };
  const got = await awaitSecrets({ ...common, api: byUri(hash), fetchUri: flaky, until: Date.now() + 2000 });
  expect(got).toEqual({ ok: true, secrets, bundleId: 'u1' });
  expect(fetches).toBe(2);
  expect(unfetched).toEqual(['the sealed bundle could not be fetched: fetch failed']);

  fetches = 0;
  const other = async () => {
    fetches++;
    return new Uint8Array([...envelope.slice(0, -1), envelope.at(-1)! ^ 1]);
  };
  const refused = await awaitSecrets({ ...common, api: byUri(hash), fetchUri: other, until: Date.now() + 100 });
  expect(refused).toEqual({ ok: false, reason: expect.stringMatching(/the last was refused: the sealed bundle does not match the hash sent on-chain/) });
  expect(fetches).toBe(1);
});

test('behavior: the sealing key is the same on every start (derived from the signing key)', async () => {
  expect((await workerSealing(worker)).publicKey).toBe((await workerSealing(worker)).publicKey);
});

test('error: a private image needs credentials for its own registry in the bundle, and no other registry', async () => {
  const sealing = await workerSealing(worker);
  const ctx = { chainId: 31337, jobId: JOB, recipient: worker.address };
  const refused: string[] = [];
  const common = { jobId: JOB, worker: worker.address, chainId: 31337, sealing, fetchUri: noFetch, pollMs: 10, onRefused: (_: string, r: string) => refused.push(r) };
  const withAuth = (registryAuth: SecretsBundle['registryAuth']) => sealSecrets({ secrets: { ...secrets, registryAuth }, to: sealing.publicKey, context: ctx });
  const expectAuth = { ...expectSecrets, registryAuth: true };
  const mine = { registry: '127.0.0.1:5000', username: 'me', password: 'registry-pw-value' };

  const ok = await awaitSecrets({ ...common, expect: expectAuth, imageRegistry: '127.0.0.1:5000', api: apiWith([{ id: 'b1', envelope: withAuth([mine]) }]), until: Date.now() + 100 });
  expect(ok).toMatchObject({ ok: true, secrets: { registryAuth: [mine] } });

  let got = await awaitSecrets({ ...common, expect: expectAuth, imageRegistry: '127.0.0.1:5000', api: apiWith([{ id: 'b2', envelope: withAuth([]) }]), until: Date.now() + 50 });
  expect(got).toMatchObject({ ok: false, reason: expect.stringMatching(/no credentials for its registry 127.0.0.1:5000/) });
  got = await awaitSecrets({ ...common, expect: expectAuth, imageRegistry: '127.0.0.1:5000', api: apiWith([{ id: 'b3', envelope: withAuth([mine, { ...mine, registry: 'ghcr.io' }]) }]), until: Date.now() + 50 });
  expect(got).toMatchObject({ ok: false, reason: expect.stringMatching(/registry credentials the spec does not ask for \(ghcr.io\)/) });
  got = await awaitSecrets({ ...common, expect: expectSecrets, imageRegistry: '127.0.0.1:5000', api: apiWith([{ id: 'b4', envelope: withAuth([mine]) }]), until: Date.now() + 50 });
  expect(got).toMatchObject({ ok: false, reason: expect.stringMatching(/does not ask for \(127.0.0.1:5000\)/) });
  expect(refused.join(' ')).not.toContain('registry-pw-value');
});
