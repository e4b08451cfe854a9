/**
 * The worker's hot key: the account that registers, claims, bids and submits results. It is loaded
 * once at start, from an Ethereum V3 keystore (the encrypted JSON geth, ethers and Foundry's
 * `cast wallet` write) or from LOOM_WORKER_KEY, and handed on only as a viem account, whose
 * private key lives in a closure: logging the account, the config or the environment cannot print it.
 *
 * Job code never sees it: the sandbox starts from an empty environment (see sandbox/sandboxCommand.ts),
 * and by default the variables that held it are removed from this process's environment once read,
 * so no child the worker spawns (nvidia-smi, tar, bwrap) inherits them either.
 */
import { createCipheriv, createDecipheriv, pbkdf2, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Hex, getAddress, keccak256 } from 'viem';
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { coded } from '../errors';

/** Environment variables that carry the worker's secrets: removed from the environment once read, redacted from logs. */
export const secretEnvNames = ['LOOM_WORKER_KEY', 'LOOM_KEYSTORE_PASSWORD'] as const;

export type WorkerKey = {
  account: PrivateKeyAccount;
  address: Hex;
  /** Where it came from, for the start-up log line. */
  source: 'env' | 'keystore';
};

export type KeystoreV3 = {
  version: 3;
  id?: string;
  address?: string;
  crypto: {
    cipher: 'aes-128-ctr';
    cipherparams: { iv: string };
    ciphertext: string;
    kdf: 'scrypt' | 'pbkdf2';
    kdfparams: { dklen: number; salt: string; n?: number; r?: number; p?: number; c?: number; prf?: string };
    mac: string;
  };
};

/** Refuse KDF parameters that would take minutes or gigabytes: a keystore file is input too. */
const MAX_SCRYPT_N = 2 ** 20;
const MAX_PBKDF2_C = 10_000_000;

/**
 * Decrypts a V3 keystore: derives the key (scrypt or pbkdf2-hmac-sha256), checks the MAC
 * (keccak256 of the derived key's second half and the ciphertext) before decrypting, and
 * decrypts with aes-128-ctr.
 *
 * @example
 * const key = await decryptKeystore(JSON.parse(await readFile(path, 'utf8')), password);
 */
export async function decryptKeystore(keystore: unknown, password: string): Promise<Hex> {
  const ks = readKeystore(keystore);
  const c = ks.crypto;
  const derived = await deriveKey(c.kdf, c.kdfparams, password);
  const ciphertext = hexBytes(c.ciphertext, 'crypto.ciphertext');
  const mac = hexBytes(keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext])), 'mac');
  const expected = hexBytes(c.mac, 'crypto.mac');
  if (expected.length !== mac.length || !timingSafeEqual(mac, expected)) {
    throw coded('KEY_UNAVAILABLE', 'wrong keystore password (the MAC does not match)');
  }
  const iv = hexBytes(c.cipherparams.iv, 'crypto.cipherparams.iv');
  if (iv.length !== 16) throw coded('KEY_UNAVAILABLE', 'invalid keystore: the IV must be 16 bytes');
  const decipher = createDecipheriv('aes-128-ctr', derived.subarray(0, 16), iv);
  const key = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  if (key.length !== 32) throw coded('KEY_UNAVAILABLE', 'invalid keystore: the key is not 32 bytes');
  const privateKey = `0x${key.toString('hex')}` as Hex;
  key.fill(0);
  if (ks.address !== undefined && ks.address !== '') {
    const address = privateKeyToAccount(privateKey).address;
    if (getAddress(address) !== getAddress(ks.address.startsWith('0x') ? ks.address : `0x${ks.address}`)) {
      throw coded('KEY_UNAVAILABLE', `invalid keystore: the key does not belong to its address ${ks.address}`);
    }
  }
  return privateKey;
}

/**
 * Encrypts a key into a V3 keystore (scrypt, aes-128-ctr), for `worker key new` and for tests.
 * The defaults are geth's "standard" scrypt cost (n = 2^18, r = 8, p = 1).
 */
export async function encryptKeystore(privateKey: Hex, password: string, kdf: { n?: number; r?: number; p?: number } = {}): Promise<KeystoreV3> {
  const kdfparams = { dklen: 32, n: kdf.n ?? 2 ** 18, r: kdf.r ?? 8, p: kdf.p ?? 1, salt: randomBytes(32).toString('hex') };
  const derived = await deriveKey('scrypt', kdfparams, password);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-ctr', derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(hexBytes(privateKey, 'privateKey')), cipher.final()]);
  const mac = keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext])).slice(2);
  return {
    version: 3,
    id: randomUUID(),
    address: privateKeyToAccount(privateKey).address.slice(2).toLowerCase(),
    crypto: { cipher: 'aes-128-ctr', cipherparams: { iv: iv.toString('hex') }, ciphertext: ciphertext.toString('hex'), kdf: 'scrypt', kdfparams, mac },
  };
}

export type LoadKeyOptions = {
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** A V3 keystore file; default: env LOOM_KEYSTORE. */
  keystorePath?: string;
  /** The keystore password; default: env LOOM_KEYSTORE_PASSWORD, else `prompt`. */
  password?: string;
  /** Asks for the password when none is given (default: a hidden prompt on the terminal). */
  prompt?: (question: string) => Promise<string>;
  /** Remove the secret variables from `env` once read (default true). */
  scrubEnv?: boolean;
};

/**
 * Loads the worker key: LOOM_WORKER_KEY (0x + 64 hex) when set, else the keystore at
 * `keystorePath` / LOOM_KEYSTORE with its password.
 *
 * @example
 * const { account } = await loadWorkerKey(); // LOOM_KEYSTORE=~/.loom/worker.json, password prompted
 */
export async function loadWorkerKey(options: LoadKeyOptions = {}): Promise<WorkerKey> {
  const env = options.env ?? process.env;
  const scrub = () => {
    if (options.scrubEnv === false) return;
    for (const name of secretEnvNames) delete env[name];
  };
  try {
    const raw = env.LOOM_WORKER_KEY?.trim();
    if (raw !== undefined && raw !== '') {
      const hex = raw.startsWith('0x') ? raw : `0x${raw}`;
      // The message never repeats the value: a mistyped key is still mostly a key.
      if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw coded('KEY_UNAVAILABLE', 'LOOM_WORKER_KEY must be 32 bytes of hex (0x + 64 hex digits)');
      return toWorkerKey(hex as Hex, 'env');
    }
    const path = options.keystorePath ?? env.LOOM_KEYSTORE;
    if (path === undefined || path === '') {
      throw coded('KEY_UNAVAILABLE', 'no worker key: set LOOM_KEYSTORE to a V3 keystore file (or LOOM_WORKER_KEY)');
    }
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw coded('KEY_UNAVAILABLE', `cannot read the keystore ${path}: ${(err as Error).message}`, { cause: err });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw coded('KEY_UNAVAILABLE', `invalid keystore ${path}: not JSON`);
    }
    const password = options.password ?? env.LOOM_KEYSTORE_PASSWORD ?? (await (options.prompt ?? promptHidden)(`Password for ${path}: `));
    return toWorkerKey(await decryptKeystore(json, password), 'keystore');
  } finally {
    scrub();
  }
}

function toWorkerKey(privateKey: Hex, source: WorkerKey['source']): WorkerKey {
  const account = privateKeyToAccount(privateKey);
  return { account, address: account.address, source };
}

function readKeystore(value: unknown): KeystoreV3 {
  const v = value as { version?: unknown; crypto?: unknown; Crypto?: unknown; address?: unknown };
  if (typeof v !== 'object' || v === null || v.version !== 3) throw coded('KEY_UNAVAILABLE', 'invalid keystore: not a version 3 keystore');
  // Old geth files spell it "Crypto".
  const c = (v.crypto ?? v.Crypto) as KeystoreV3['crypto'] | undefined;
  if (typeof c !== 'object' || c === null || typeof c.kdfparams !== 'object' || typeof c.cipherparams !== 'object') {
    throw coded('KEY_UNAVAILABLE', 'invalid keystore: missing crypto parameters');
  }
  if (c.cipher !== 'aes-128-ctr') throw coded('KEY_UNAVAILABLE', `unsupported keystore cipher ${String(c.cipher)} (expected aes-128-ctr)`);
  return { ...(v as KeystoreV3), crypto: c, ...(typeof v.address === 'string' ? { address: v.address } : {}) };
}

async function deriveKey(kdf: string, p: KeystoreV3['crypto']['kdfparams'], password: string): Promise<Buffer> {
  const salt = hexBytes(p.salt, 'kdfparams.salt');
  const dklen = p.dklen;
  if (dklen !== 32) throw coded('KEY_UNAVAILABLE', `unsupported keystore dklen ${dklen} (expected 32)`);
  if (kdf === 'scrypt') {
    const { n, r, p: par } = p;
    if (!isPositiveInt(n) || !isPositiveInt(r) || !isPositiveInt(par) || (n & (n - 1)) !== 0 || n > MAX_SCRYPT_N || r * par > 64) {
      throw coded('KEY_UNAVAILABLE', 'unsupported keystore scrypt parameters');
    }
    return new Promise((resolve, reject) =>
      scrypt(password, salt, dklen, { N: n, r, p: par, maxmem: 128 * n * r * par + 2 ** 24 }, (err, key) =>
        err ? reject(coded('KEY_UNAVAILABLE', `keystore scrypt failed: ${err.message}`, { cause: err })) : resolve(key),
      ),
    );
  }
  if (kdf === 'pbkdf2') {
    if (p.prf !== 'hmac-sha256' || !isPositiveInt(p.c) || p.c > MAX_PBKDF2_C) {
      throw coded('KEY_UNAVAILABLE', 'unsupported keystore pbkdf2 parameters (expected hmac-sha256)');
    }
    const c = p.c;
    return new Promise((resolve, reject) => pbkdf2(password, salt, c, dklen, 'sha256', (err, key) => (err ? reject(err) : resolve(key))));
  }
  throw coded('KEY_UNAVAILABLE', `unsupported keystore kdf ${kdf} (expected scrypt or pbkdf2)`);
}

function isPositiveInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x > 0;
}

function hexBytes(hex: string, field: string): Buffer {
  const h = typeof hex === 'string' ? hex.replace(/^0x/, '') : '';
  if (!/^([0-9a-fA-F]{2})*$/.test(h)) throw coded('KEY_UNAVAILABLE', `invalid keystore: ${field} is not hex`);
  return Buffer.from(h, 'hex');
}

/** Reads a line from the terminal without echoing it. */
async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw coded('KEY_UNAVAILABLE', 'the keystore needs a password: set LOOM_KEYSTORE_PASSWORD or run on a terminal');
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let line = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(line);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(coded('KEY_UNAVAILABLE', 'password prompt interrupted'));
        if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
        else line += ch;
      }
    };
    stdin.on('data', onData);
  });
}
