import { describe, expect, test } from 'vitest';
import { TxError } from './createWorkerWriter';
import { resendAfterStateMoved } from './resendAfterStateMoved';

const outOfGas = () => new TxError('takeSlot', 'takeSlot reverted on-chain in 0x01', { mined: true, hash: '0x01' });
const named = () => new TxError('takeSlot', 'takeSlot refused: NoFreeSlot', { revert: { name: 'NoFreeSlot', args: [] } });

describe('resendAfterStateMoved', () => {
  test('default: a send mined out of gas is sent again, and its second answer is the answer', async () => {
    const resent: (string | undefined)[] = [];
    let calls = 0;
    const result = await resendAfterStateMoved(async () => {
      if (++calls === 1) throw outOfGas();
      return 'mined';
    }, (tx) => void resent.push(tx));
    expect(result).toBe('mined');
    expect(resent).toEqual(['0x01']);
  });

  test('error: a revert the contract names, a failure of the RPC, or the last attempt is thrown as it is', async () => {
    await expect(resendAfterStateMoved(async () => Promise.reject(named()), () => {})).rejects.toMatchObject({ revert: { name: 'NoFreeSlot' } });
    const rpc = new TxError('takeSlot', 'not sent', { rpc: { method: 'eth_call', reason: 'reset' } as never });
    await expect(resendAfterStateMoved(async () => Promise.reject(rpc), () => {})).rejects.toBe(rpc);
    let calls = 0;
    await expect(resendAfterStateMoved(async () => Promise.reject((calls++, outOfGas())), () => {}, 2)).rejects.toMatchObject({ mined: true });
    expect(calls).toBe(2);
  });
});
