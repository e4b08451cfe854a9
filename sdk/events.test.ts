import { describe, expect, expectTypeOf, test } from 'vitest';
import { isEvent, marketEventNames, typedEvent } from './events';

describe('typedEvent', () => {
  test('default: integers wider than 48 bits become bigint, narrower ones numbers, as viem decodes them', () => {
    const event = typedEvent({
      name: 'JobAssigned',
      args: { jobId: '0xab', worker: '0x00000000000000000000000000000000000000aa', price: '1000000000000000000', refund: '0', collateral: 5, executionDeadline: 1700000000 },
      cursor: 'c1',
    });
    expect(event.name).toBe('JobAssigned');
    if (!isEvent(event, 'JobAssigned')) throw new Error('not narrowed');
    expect(event.args.price).toBe(10n ** 18n);
    expect(event.args.collateral).toBe(5n);
    expect(event.args.executionDeadline).toBe(1700000000);
    expect(event.cursor).toBe('c1');
    expectTypeOf(event.args.price).toEqualTypeOf<bigint>();
    expectTypeOf(event.args.executionDeadline).toEqualTypeOf<number>();
  });

  test('behavior: tuples are typed field by field (JobPosted terms)', () => {
    const event = typedEvent({
      name: 'JobPosted',
      args: {
        jobId: '0x01',
        client: '0x02',
        token: '0x03',
        terms: { budget: '250', collateral: '0', openUntil: 10, executionTimeout: 20, challengeWindow: 30, minGpuCount: 1, minVramMiB: 2048, mode: 1, salt: '7' },
        spec: '0x7b7d',
      },
    });
    if (!isEvent(event, 'JobPosted')) throw new Error('not narrowed');
    expect(event.args.terms.budget).toBe(250n);
    expect(event.args.terms.mode).toBe(1);
    expect(event.args.spec).toBe('0x7b7d');
  });

  test('behavior: JobClosed reason stays a number and amounts are bigint', () => {
    const event = typedEvent({ name: 'JobClosed', args: { jobId: '0x01', reason: 1, worker: '0x02', workerPayout: '9', fee: '1', clientRefund: '0', slashed: '0' } });
    if (!isEvent(event, 'JobClosed')) throw new Error('not narrowed');
    expect(event.args).toMatchObject({ reason: 1, workerPayout: 9n, fee: 1n, clientRefund: 0n, slashed: 0n });
  });

  test('error: an event the ABI does not have is refused by name', () => {
    expect(() => typedEvent({ name: 'JobTeleported', args: {} })).toThrow('unknown Loom event JobTeleported');
  });

  test('default: every ABI event is known', () => {
    expect(marketEventNames).toContain('JobPosted');
    expect(marketEventNames).toContain('WorkerRegistered');
  });
});
