import { privateKeyToAccount } from 'viem/accounts';
import { expect, test } from 'vitest';
import {
  MAX_SEALED_BUNDLE_BYTES,
  SEALING_KEY_MESSAGE,
  type SealContext,
  SealError,
  type SecretsBundle,
  openResult,
  openSecrets,
  sealResult,
  sealSecrets,
  sealingKeyFromSignature,
} from './sealing';

const worker = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
const other = privateKeyToAccount('0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a');
const client = privateKeyToAccount('0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6');
const JOB = `0x${'ab'.repeat(32)}` as const;
const OTHER_JOB = `0x${'cd'.repeat(32)}` as const;
const ctx: SealContext = { chainId: 31337, jobId: JOB, recipient: worker.address };

const keyOf = async (a: typeof worker) => sealingKeyFromSignature(await a.signMessage({ message: SEALING_KEY_MESSAGE }));
const secrets: SecretsBundle = {
  env: { HF_TOKEN: 'hf_s3cr3t' },
  privateInputs: [{ name: 'data.csv', url: 'https://data.example/d.csv', sha256: 'aa'.repeat(32), headers: { Authorization: 'Bearer t0k' } }],
  registryAuth: [{ registry: 'ghcr.io', username: 'me', password: 'pw' }],
  resultKey: `0x${'11'.repeat(32)}`,
};

test('default: secrets round trip to the worker derived from its signing key', async () => {
  const w = await keyOf(worker);
  expect(await keyOf(worker)).toEqual(w); // deterministic: the same key after every restart
  const envelope = sealSecrets({ secrets, to: w.publicKey, context: ctx });
  expect(Buffer.from(envelope).includes(Buffer.from('hf_s3cr3t'))).toBe(false);
  expect(openSecrets({ envelope, secretKey: w.secretKey, context: ctx })).toEqual(secrets);
});

test('default: a private result round trip; only the client opens it', async () => {
  const c = await keyOf(client);
  const context = { ...ctx, recipient: client.address };
  const bundle = new TextEncoder().encode('tar bytes');
  const envelope = sealResult({ bundle, to: c.publicKey, context });
  expect(openResult({ envelope, secretKey: c.secretKey, context })).toEqual(bundle);
  const workerKey = (await keyOf(worker)).secretKey;
  expect(() => openResult({ envelope, secretKey: workerKey, context })).toThrow(SealError);
});

test('error: the wrong key does not open a bundle', async () => {
  const envelope = sealSecrets({ secrets, to: (await keyOf(worker)).publicKey, context: ctx });
  const wrong = (await keyOf(other)).secretKey;
  expect(() => openSecrets({ envelope, secretKey: wrong, context: ctx })).toThrow(/does not open/);
});

test('error: a bundle for another job, worker or chain does not open (replay)', async () => {
  const w = await keyOf(worker);
  const envelope = sealSecrets({ secrets, to: w.publicKey, context: ctx });
  for (const context of [{ ...ctx, jobId: OTHER_JOB }, { ...ctx, recipient: other.address }, { ...ctx, chainId: 1 }] as SealContext[]) {
    expect(() => openSecrets({ envelope, secretKey: w.secretKey, context })).toThrow(/does not open/);
  }
  // A result envelope is not a secrets envelope, even for the same job and key.
  const asResult = sealResult({ bundle: new Uint8Array(3), to: w.publicKey, context: ctx });
  expect(() => openSecrets({ envelope: asResult, secretKey: w.secretKey, context: ctx })).toThrow(/does not open/);
});

test('error: any altered byte is refused', async () => {
  const w = await keyOf(worker);
  const envelope = sealSecrets({ secrets, to: w.publicKey, context: ctx });
  for (const at of [1, 40, 60, envelope.length - 1]) {
    const tampered = envelope.slice();
    tampered[at]! ^= 1;
    expect(() => openSecrets({ envelope: tampered, secretKey: w.secretKey, context: ctx })).toThrow(SealError);
  }
  expect(() => openSecrets({ envelope: envelope.slice(0, 40), secretKey: w.secretKey, context: ctx })).toThrow(/truncated/);
  const version = envelope.slice();
  version[0] = 9;
  expect(() => openSecrets({ envelope: version, secretKey: w.secretKey, context: ctx })).toThrow(/version 9/);
});

test('error: an oversize bundle is refused, sealing and opening', async () => {
  const w = await keyOf(worker);
  const big = { ...secrets, env: { BIG: 'x'.repeat(MAX_SEALED_BUNDLE_BYTES) } };
  expect(() => sealSecrets({ secrets: big, to: w.publicKey, context: ctx })).toThrow(/over the 65536-byte cap/);
  expect(() => openSecrets({ envelope: new Uint8Array(MAX_SEALED_BUNDLE_BYTES + 1), secretKey: w.secretKey, context: ctx })).toThrow(/over the 65536-byte cap/);
});

test('error: a malformed public key is refused with a reason', () => {
  expect(() => sealSecrets({ secrets, to: `0x${'00'.repeat(32)}`, context: ctx })).toThrow(/not an X25519 public key/);
  expect(() => sealSecrets({ secrets, to: '0x1234', context: ctx })).toThrow(/not an X25519 public key/);
});

test('behavior: registry credentials are named as image references name registries; malformed ones are refused by field', async () => {
  const w = await keyOf(worker);
  const roundTrip = (registryAuth: unknown) => openSecrets({ envelope: sealSecrets({ secrets: { ...secrets, registryAuth: registryAuth as SecretsBundle['registryAuth'] }, to: w.publicKey, context: ctx }), secretKey: w.secretKey, context: ctx });
  expect(roundTrip([{ registry: 'Registry-1.Docker.io', username: 'me', password: 'pw' }]).registryAuth).toEqual([{ registry: 'docker.io', username: 'me', password: 'pw' }]);
  expect(() => roundTrip([{ registry: 'https://ghcr.io', username: 'me', password: 'pw' }])).toThrow('the sealed bundle is malformed: registryAuth.0');
  expect(() => roundTrip([{ registry: 'ghcr.io', username: 'a:b', password: 'pw' }])).toThrow('the sealed bundle is malformed: registryAuth.0');
  expect(() => roundTrip([{ registry: 'ghcr.io', username: 'me', password: 'p\nw' }])).toThrow('the sealed bundle is malformed: registryAuth.0');
  expect(() => roundTrip([secrets.registryAuth[0], { ...secrets.registryAuth[0] }])).toThrow('registryAuth.1: a second credential for one registry');
});
