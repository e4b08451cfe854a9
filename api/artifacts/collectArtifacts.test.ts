/**
 * Retention on the real indexed tables (PostgreSQL, api/test/testDatabase.ts) and the local store:
 * old unreferenced artifacts go; whatever a job's spec, a job's result, a worker's metadata or a
 * sealed bundle sent by URI refers to stays however old; young artifacts stay; nothing happens while the indexer backfills; the
 * registered-worker check reads the same tables.
 */
import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { stringToHex, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LoggedEvent } from '../../indexer/src/fold/event';
import { emptyWorker } from '../../indexer/src/fold/worker';
import { tempDir } from '../../testkit/tempDir';
import type { JobRow } from '../data/tables';
import { createTestDatabase, type TestDatabase } from '../test/testDatabase';
import type { ArtifactHash } from './artifactStore';
import { artifactUrisIn } from './artifactReferences';
import { collectArtifacts, defaultGraceSeconds } from './collectArtifacts';
import { LocalArtifactStore } from './localArtifactStore';
import { registeredWorkerCheck } from './registeredWorker';

const DAY = 24 * 3600;
const NOW = new Date('2026-06-01T00:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY * 1000);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.setStatus({ ready: true, block: 100n });
});
afterAll(async () => {
  await t?.drop();
});

let stores = 0;
/** A store holding `texts`, each stored `age` days before NOW. */
async function storeWith(entries: Record<string, number>): Promise<{ store: LocalArtifactStore; hashes: Record<string, ArtifactHash> }> {
  const store = new LocalArtifactStore({ dir: join(tempDir('collect'), `store${stores++}`) });
  const hashes: Record<string, ArtifactHash> = {};
  for (const [text, age] of Object.entries(entries)) {
    const { hash } = await store.put(new TextEncoder().encode(text));
    const at = daysAgo(age);
    await utimes(join(store.dir, hash.slice(2, 4), hash.slice(2)), at, at);
    hashes[text] = hash;
  }
  return { store, hashes };
}

let jobs = 0;
function jobRow(o: { spec: string; resultHash?: Hex; resultURI?: string }): JobRow {
  const n = ++jobs;
  const id = `0x${n.toString(16).padStart(64, '0')}` as Hex;
  const addr = `0x${'c1'.padStart(40, '0')}` as Hex;
  return {
    id,
    kind: 'SINGLE',
    market: `0x${'3a'.repeat(20)}`,
    client: addr,
    token: `0x${'0'.repeat(40)}`,
    arbiter: addr,
    budget: 1n,
    collateral: 0n,
    feeBps: 0,
    mode: 'CLAIM',
    offeredTo: `0x${'0'.repeat(40)}`,
    openUntil: 1n,
    executionTimeout: 60,
    challengeWindow: 60,
    replicas: null,
    quorum: null,
    commitWindow: null,
    revealWindow: null,
    minGpuCount: 0,
    minVramMiB: 0,
    gpuModelRaw: `0x${'0'.repeat(64)}`,
    gpuModel: null,
    specHash: `0x${'0'.repeat(64)}`,
    salt: BigInt(n),
    spec: stringToHex(o.spec),
    specJson: null,
    status: o.resultHash ? 'SUBMITTED' : 'OPEN',
    closeReason: null,
    worker: null,
    price: null,
    refund: null,
    pricePerGpuHour: null,
    executionDeadline: null,
    resultHash: o.resultHash ?? null,
    resultURI: o.resultURI ?? null,
    challengeDeadline: null,
    disputeReason: null,
    arbitrationDeadline: null,
    workerPayout: null,
    fee: null,
    clientRefund: null,
    slashed: null,
    filled: null,
    committed: null,
    revealed: null,
    slotWorkers: [],
    modelIds: [],
    pool: null,
    poolFeeBps: null,
    poolFeePaid: null,
    commitDeadline: null,
    revealDeadline: null,
    outcome: null,
    winnerSlashShare: null,
    clientSlashShare: null,
    activeBids: 0,
    postedAt: 1n,
    postedBlock: 1n,
    postedTx: `0x${'0'.repeat(64)}`,
    assignedAt: null,
    assignedDay: null,
    submittedAt: null,
    closedAt: null,
    updatedAt: 1n,
    updatedBlock: 1n,
  };
}

const event = { timestamp: 1n, blockNumber: 1n } as LoggedEvent;

describe('collectArtifacts', () => {
  test('default: deletes old unreferenced artifacts; keeps inputs, results and worker metadata however old, and young ones', async () => {
    const { store, hashes } = await storeWith({
      'old garbage': 30,
      'old input': 400,
      'input in a spec that is not JSON': 30,
      'old result (by hash)': 400,
      'old result (by uri)': 400,
      'worker metadata': 400,
      'young garbage': 1,
    });
    const hex = (text: string) => hashes[text]!.slice(2);
    await t.writer.insert(t.tables.job).values([
      jobRow({ spec: JSON.stringify({ version: 1, command: ['cat', '/in/a'], inputs: [{ uri: `artifact://${hex('old input').toUpperCase()}`, sha256: hex('old input') }] }) }),
      jobRow({ spec: `not json, but artifact://${hex('input in a spec that is not JSON')} is named` }),
      jobRow({ spec: '{"version":1}', resultHash: hashes['old result (by hash)'], resultURI: 'https://elsewhere.example/r.tar' }),
      jobRow({ spec: '{"version":1}', resultHash: `0x${'ab'.repeat(32)}`, resultURI: `artifact://${hex('old result (by uri)')}` }),
    ]);
    const worker = `0x${'1001'.padStart(40, '0')}` as Hex;
    await t.writer.insert(t.tables.worker).values({ ...emptyWorker(worker, event), registered: true, metadataURI: `artifact://${hex('worker metadata')}` });

    const dry = await collectArtifacts({ store, db: t.db, tables: t.tables, graceSeconds: 7 * DAY, now: NOW, dryRun: true });
    expect(dry.deleted).toEqual([hashes['old garbage']]);
    expect(await store.has(hashes['old garbage']!)).toBe(true);

    const report = await collectArtifacts({ store, db: t.db, tables: t.tables, graceSeconds: 7 * DAY, now: NOW });
    expect(report).toEqual({ scanned: 7, young: 1, referenced: 5, deleted: [hashes['old garbage']], deletedBytes: 'old garbage'.length });
    expect(await store.has(hashes['old garbage']!)).toBe(false);
    for (const kept of ['old input', 'input in a spec that is not JSON', 'old result (by hash)', 'old result (by uri)', 'worker metadata', 'young garbage']) {
      expect(await store.has(hashes[kept]!), kept).toBe(true);
    }
    const listed = [];
    for await (const a of store.list()) listed.push(a.hash);
    expect(listed.sort()).toEqual(Object.entries(hashes).filter(([k]) => k !== 'old garbage').map(([, h]) => h).sort());

    // Past the grace period of a shorter rule, the young one goes too; the referenced ones never do.
    const again = await collectArtifacts({ store, db: t.db, tables: t.tables, graceSeconds: 0, now: NOW });
    expect(again.deleted).toEqual([hashes['young garbage']]);
    expect(again.referenced).toBe(5);

    // The registered-worker check of uploads reads the same table.
    const isWorker = registeredWorkerCheck(t.db, t.tables);
    expect(await isWorker(worker)).toBe(true);
    expect(await isWorker(`0x${'1001'.padStart(40, '0').toUpperCase()}` as Hex)).toBe(true);
    expect(await isWorker(`0x${'2002'.padStart(40, '0')}` as Hex)).toBe(false);
  });

  test('behavior: a sealed bundle sent by its artifact:// URI is kept however old; an uploaded bundle never sent is collected', async () => {
    const { store, hashes } = await storeWith({ 'sealed bundle sent by uri': 400, 'sealed bundle uploaded, never sent': 30, 'sealed bundle also sent inline': 30 });
    const hex = (text: string) => hashes[text]!.slice(2);
    const party = (n: string) => `0x${n.padStart(40, '0')}` as Hex;
    const row = (id: string, o: { bundleHash: Hex; inlineBundle: Hex | null; uri: string | null }) =>
      ({ id, jobId: `0x${'5e'.repeat(32)}` as Hex, client: party('c1'), worker: party('1001'), ...o, blockNumber: 1n, timestamp: 1n });
    await t.writer.insert(t.tables.sealedBundle).values([
      row('1-0', { bundleHash: hashes['sealed bundle sent by uri']!, inlineBundle: null, uri: `artifact://${hex('sealed bundle sent by uri')}` }),
      // A bundle sent inline refers to nothing in the store, even when the same bytes were uploaded.
      row('1-1', { bundleHash: hashes['sealed bundle also sent inline']!, inlineBundle: stringToHex('sealed bundle also sent inline'), uri: null }),
    ]);

    const report = await collectArtifacts({ store, db: t.db, tables: t.tables, graceSeconds: 7 * DAY, now: NOW });
    expect(report).toMatchObject({ scanned: 3, young: 0, referenced: 1 });
    expect(report.deleted.sort()).toEqual([hashes['sealed bundle uploaded, never sent'], hashes['sealed bundle also sent inline']].sort());
    expect(await store.has(hashes['sealed bundle sent by uri']!)).toBe(true);
    expect(await store.has(hashes['sealed bundle uploaded, never sent']!)).toBe(false);
  });

  test('behavior: nothing is collected while the indexer backfills (references would be incomplete)', async () => {
    const { store, hashes } = await storeWith({ 'old and unreferenced, for now': 30 });
    await t.setStatus({ ready: false, block: 50n });
    try {
      const report = await collectArtifacts({ store, db: t.db, tables: t.tables, graceSeconds: DAY, now: NOW });
      expect(report.skipped).toMatch(/backfill/);
      expect(report.deleted).toEqual([]);
      expect(await store.has(hashes['old and unreferenced, for now']!)).toBe(true);
    } finally {
      await t.setStatus({ ready: true, block: 100n });
    }
  });

  test('behavior: the grace period defaults to 7 days, LOOM_ARTIFACT_GRACE_SECONDS overrides it, and a bad one is refused', async () => {
    expect(defaultGraceSeconds({})).toBe(7 * DAY);
    expect(defaultGraceSeconds({ LOOM_ARTIFACT_GRACE_SECONDS: '3600' })).toBe(3600);
    expect(defaultGraceSeconds({ LOOM_ARTIFACT_GRACE_SECONDS: 'soon' })).toBe(7 * DAY);
    const { store } = await storeWith({});
    await expect(collectArtifacts({ store, db: t.db, tables: t.tables, graceSeconds: -1 })).rejects.toThrow(/graceSeconds/);
    expect(artifactUrisIn(`x artifact://${'A'.repeat(64)} artifact://${'b'.repeat(63)}`)).toEqual([`0x${'a'.repeat(64)}`]);
  });

  test('behavior: delete says whether there was anything to delete', async () => {
    const { store, hashes } = await storeWith({ once: 0 });
    expect(await store.delete(hashes.once!)).toBe(true);
    expect(await store.delete(hashes.once!)).toBe(false);
    expect(await store.get(hashes.once!)).toBeNull();
  });
});
