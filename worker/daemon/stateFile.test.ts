import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { afterAll, describe, expect, test } from 'vitest';
import { StateFile } from './stateFile';

const dir = mkdtempSync(join(os.tmpdir(), 'loom-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const identity = { chainId: 31337, market: '0x00000000000000000000000000000000000000aa' as const, worker: '0x00000000000000000000000000000000000000bb' as const };
const JOB = `0x${'ab'.repeat(32)}` as Hex;
const record = { slot: 2, resultHash: `0x${'cd'.repeat(32)}` as Hex, resultURI: `artifact://0x${'cd'.repeat(32)}` };
let n = 0;
const fresh = () => join(dir, `state-${++n}.json`);

describe('StateFile', () => {
  test('default: a commit record is on disk when recordCommit resolves, and a restart reads it back with the cursor', async () => {
    const path = fresh();
    const file = new StateFile(path, identity, 10_000);
    file.saveCursor('cursor-1');
    await file.recordCommit(JOB, record);
    // Written at once, cursor included, without waiting for the cursor's debounce.
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ cursor: 'cursor-1', commits: { [JOB]: record } });
    const restarted = new StateFile(path, identity);
    expect(await restarted.load()).toEqual({ cursor: 'cursor-1', commits: { [JOB]: record } });
    expect(restarted.commitOf(JOB.toUpperCase().replace('0X', '0x') as Hex)).toEqual(record);
    expect(restarted.committedJobs()).toEqual([JOB]);
  });

  test('behavior: later cursor writes keep the records; a forgotten record is gone after a restart', async () => {
    const path = fresh();
    const file = new StateFile(path, identity, 5);
    await file.recordCommit(JOB, record);
    file.saveCursor('cursor-2');
    await file.flush();
    expect(await new StateFile(path, identity).load()).toEqual({ cursor: 'cursor-2', commits: { [JOB]: record } });
    await file.forgetCommit(JOB);
    expect(await new StateFile(path, identity).load()).toEqual({ cursor: 'cursor-2', commits: {} });
  });

  test("behavior: another worker's, market's or chain's file is ignored, and malformed records are dropped", async () => {
    const path = fresh();
    await new StateFile(path, identity).recordCommit(JOB, record);
    expect(await new StateFile(path, { ...identity, worker: '0x00000000000000000000000000000000000000cc' }).load()).toEqual({ cursor: null, commits: {} });
    expect(await new StateFile(path, { ...identity, chainId: 1 }).load()).toEqual({ cursor: null, commits: {} });

    const bad = fresh();
    const file = new StateFile(bad, identity);
    await file.recordCommit(JOB, { ...record, resultHash: '0x1234' as Hex });
    expect(await new StateFile(bad, identity).load()).toEqual({ cursor: null, commits: {} });
  });

  test('error: a record that cannot be written rejects, so the commitment is not sent', async () => {
    // A file where the state file's directory should be: the write fails.
    writeFileSync(join(dir, 'blocked'), 'not a directory');
    const file = new StateFile(join(dir, 'blocked', 'state.json'), identity);
    await expect(file.recordCommit(JOB, record)).rejects.toThrow();
  });
});
