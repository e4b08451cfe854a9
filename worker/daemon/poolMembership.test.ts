/**
 * Joining the pool `--pool` names, against the registry on anvil: an open pool joined at once, one
 * that needs approval waited for, a worker in another pool left there, a pool that does not exist
 * refused with the contract's reason; each without a transaction where none is needed.
 */
import pino from 'pino';
import { parseEther } from 'viem';
import { beforeAll, describe, expect, test } from 'vitest';
import { ROLES } from '../../testkit/accounts';
import { type Chain, startChain } from '../../testkit/chain';
import { hardwareClaim } from '../../testkit/jobs';
import { joinPoolAtStart, readPoolMembership } from './poolMembership';

let chain: Chain;
const [a, b, c] = ROLES.workers;
const operator = ROLES.stranger;

beforeAll(async () => {
  chain = await startChain({ name: 'pool-membership' });
  for (const w of [a, b, c]) await chain.send(w, 'register', [hardwareClaim()], parseEther('1'));
  await chain.send(operator, 'createPool', ['open', 'ipfs://open', 500, false]); // pool 1
  await chain.send(operator, 'createPool', ['curated', 'ipfs://curated', 1000, true]); // pool 2
}, 120_000);

function logged() {
  const lines: { msg: string; level: number }[] = [];
  return { lines, logger: pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) }) };
}
const join = (worker: number, pool: bigint) => {
  const log = logged();
  const membership = () => readPoolMembership(chain.publicClient, chain.registry, chain.address(worker));
  return { log, run: () => joinPoolAtStart({ pool, writer: chain.writer(worker), membership, logger: log.logger }) };
};
const nonce = (worker: number) => chain.pub.getTransactionCount({ address: chain.address(worker) });

describe('joinPoolAtStart', () => {
  test('default: a worker in no pool joins an open pool and is a member; started again, it sends nothing', async () => {
    const j = join(a, 1n);
    expect(await j.run()).toEqual({ pool: 1n, state: 'MEMBER' });
    expect(j.log.lines.map((l) => l.msg)).toEqual(['a member of pool 1: taking its jobs']);
    const sent = await nonce(a);
    expect(await join(a, 1n).run()).toEqual({ pool: 1n, state: 'MEMBER' });
    expect(await nonce(a)).toBe(sent);
  });

  test('behavior: a pool that needs approval is asked to, and waited for; the approval counts at once', async () => {
    const j = join(b, 2n);
    expect(await j.run()).toEqual({ pool: 2n, state: 'REQUESTED' });
    expect(j.log.lines.map((l) => l.msg)).toEqual(["asked to join pool 2; waiting for its operator's approval (taking jobs open to any worker meanwhile)"]);
    await chain.send(operator, 'approveMember', [2n, chain.address(b)]);
    expect(await readPoolMembership(chain.publicClient, chain.registry, chain.address(b))).toEqual({ pool: 2n, state: 'MEMBER' });
  });

  test('behavior: a worker in another pool stays there, with a warning, and sends nothing', async () => {
    const sent = await nonce(a);
    const j = join(a, 2n);
    expect(await j.run()).toEqual({ pool: 1n, state: 'MEMBER' });
    expect(j.log.lines).toMatchObject([{ level: 40, msg: 'this worker is in pool 1, not pool 2: a worker is in one pool at a time, so it stays where it is (leave with leavePool first)' }]);
    expect(await nonce(a)).toBe(sent);
  });

  test('error: a pool that does not exist stops the start with the registry’s reason, and nothing is sent', async () => {
    const sent = await nonce(c);
    await expect(join(c, 9n).run()).rejects.toThrow('CONFIG_INVALID: --pool 9: the registry refuses to let this worker join: PoolNotFound(9)');
    expect(await nonce(c)).toBe(sent);
    expect(await readPoolMembership(chain.publicClient, chain.registry, chain.address(c))).toBeNull();
  });
});
