/**
 * stateDigest: two databases holding the same rows give the same digest, whatever order the rows were
 * written in; any change to a row changes it (and says which table); a past block covers the event
 * log only; the canonical form is the one api/README.md specifies.
 */
import { createHash } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { foldJob } from '../../indexer/src/fold/job';
import { canonicalJson } from './canonicalJson';
import { createApi } from '../createApi';
import { digestTables } from './stateDigest';
import { buildFixture, type Fixture, jobIdOf, loadFixture, POST_BLOCK } from '../test/fixtures';
import { gql } from '../test/gql';
import { createTestDatabase, type TestDatabase } from '../test/testDatabase';

let a: TestDatabase;
let b: TestDatabase;
let fixture: Fixture;
const silent = pino({ level: 'silent' });
const QUERY = 'query($b: BigInt) { stateDigest(atBlock: $b) { digest scope atBlock headBlock version tables { name rows sha256 } } }';

async function digest(t: TestDatabase, atBlock?: bigint) {
  const app = createApi({ db: t.db, tables: t.tables, foldJob, logger: silent });
  const res = await gql(app, QUERY, { b: atBlock?.toString() ?? null });
  expect(res.body.errors, res.text).toBeUndefined();
  return res.body.data.stateDigest;
}

beforeAll(async () => {
  [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  fixture = buildFixture();
  await loadFixture(a, fixture);
  // The same rows, written in the opposite order.
  const reversed: Fixture = {
    ...fixture,
    events: [...fixture.events].reverse(),
    jobs: [...fixture.jobs].reverse(),
    bids: [...fixture.bids].reverse(),
    slots: [...fixture.slots].reverse(),
    workers: [...fixture.workers].reverse(),
  };
  await loadFixture(b, reversed);
});
afterAll(async () => {
  await Promise.all([a?.drop(), b?.drop()]);
});

describe('stateDigest', () => {
  test('default: at the head it covers every table, identically on two databases', async () => {
    const [da, db] = await Promise.all([digest(a), digest(b)]);
    expect(da).toEqual(db);
    expect(da.scope).toBe('FULL');
    expect(da.atBlock).toBe(fixture.head.toString());
    expect(da.tables.map((t: { name: string }) => t.name)).toEqual(digestTables.map((t) => t.name));
    expect(da.tables.find((t: { name: string }) => t.name === 'job').rows).toBe(fixture.jobs.length);
    expect(da.tables.find((t: { name: string }) => t.name === 'job_event').rows).toBe(fixture.events.length);
    expect(da.tables.find((t: { name: string }) => t.name === 'job_slot').rows).toBe(fixture.slots.length);
    expect(da.version).toBe(7);
    // At or after the head is the same thing.
    expect(await digest(a, fixture.head + 10n)).toEqual(da);
  });

  test('behavior: a past block covers the event log up to it', async () => {
    const at = POST_BLOCK + 9n;
    const [da, db] = await Promise.all([digest(a, at), digest(b, at)]);
    expect(da).toEqual(db);
    expect(da).toMatchObject({ scope: 'EVENTS', atBlock: at.toString(), headBlock: fixture.head.toString() });
    expect(da.tables).toHaveLength(1);
    expect(da.tables[0].rows).toBe(fixture.events.filter((e) => e.blockNumber <= at).length);
  });

  test('behavior: the canonical form is reproducible from the rows alone', async () => {
    const at = POST_BLOCK + 4n;
    const rows = fixture.events.filter((e) => e.blockNumber <= at).sort((x, y) => (x.id < y.id ? -1 : 1));
    const sha = (text: string) => `0x${createHash('sha256').update(text).digest('hex')}`;
    const table = { name: 'job_event', rows: rows.length, sha256: sha(rows.map((r) => `${canonicalJson(r)}\n`).join('')) };
    const expected = sha(canonicalJson({ version: 7, scope: 'EVENTS', atBlock: at, tables: [table] }));
    const got = await digest(a, at);
    expect(got.tables[0]).toEqual(table);
    expect(got.digest).toBe(expected);
  });

  test('behavior: changing one value changes the digest, and names the table', async () => {
    const before = await digest(b);
    await b.writer.update(b.tables.job).set({ activeBids: 99 }).where((await import('ponder')).eq(b.tables.job.id, jobIdOf(5)));
    const after = await digest(b);
    expect(after.digest).not.toBe(before.digest);
    const changed = after.tables.filter((t: { sha256: string }, i: number) => t.sha256 !== before.tables[i].sha256);
    expect(changed.map((t: { name: string }) => t.name)).toEqual(['job']);
    // A slot is covered too.
    await b.writer.update(b.tables.jobSlot).set({ revealOrder: 9 }).where((await import('ponder')).eq(b.tables.jobSlot.jobId, fixture.slots[0]!.jobId));
    const slotChanged = await digest(b);
    expect(slotChanged.tables.filter((t: { sha256: string }, i: number) => t.sha256 !== after.tables[i].sha256).map((t: { name: string }) => t.name)).toEqual(['job_slot']);
    // Events only: unaffected.
    expect(await digest(b, POST_BLOCK + 9n)).toEqual(await digest(a, POST_BLOCK + 9n));
  });

  test('behavior: a digest while indexing moves on is retried until it reflects one block', async () => {
    let moves = 2;
    const head = fixture.head;
    const app = createApi({
      db: new Proxy(a.db, {
        get(target, prop, receiver) {
          // Each status read during the first attempts sees a new head, as if a block landed mid-digest.
          if (prop === 'execute') {
            return async (query: unknown) => {
              const result = await target.execute(query as never);
              if (moves > 0 && JSON.stringify(result).includes('latest_checkpoint')) {
                moves--;
                await a.setStatus({ ready: true, block: head + BigInt(2 - moves) });
              }
              return result;
            };
          }
          return Reflect.get(target, prop, receiver);
        },
      }),
      tables: a.tables,
      logger: silent,
    });
    const res = await gql(app, QUERY);
    expect(res.body.errors, res.text).toBeUndefined();
    expect(BigInt(res.body.data.stateDigest.atBlock)).toBe(BigInt(res.body.data.stateDigest.headBlock));
    await a.setStatus({ ready: true, block: head });
  });
});
