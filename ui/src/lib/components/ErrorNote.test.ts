// @vitest-environment happy-dom
import { fireEvent, render, screen } from '@testing-library/svelte';
import { encodeErrorResult, type Hex } from 'viem';
import { expect, test, vi } from 'vitest';
import { loomMarketAbi } from '$abis/generated';
import { explainError } from '$lib/contract/explainError';
import ErrorNote from './ErrorNote.svelte';

test('ErrorNote: a revert shows its Solidity error name and the sentence; it can be dismissed', async () => {
  const data = encodeErrorResult({ abi: loomMarketAbi, errorName: 'DeadlineNotReached', args: [`0x${'00'.repeat(32)}` as Hex, 1_700_000_000n, 1n] });
  const ondismiss = vi.fn();
  const { container } = render(ErrorNote, { props: { error: explainError(Object.assign(new Error('reverted'), { data })), ondismiss } });
  const alert = screen.getByRole('alert');
  expect(alert.getAttribute('data-error-name')).toBe('DeadlineNotReached');
  expect(container.querySelector('code')?.textContent).toBe('DeadlineNotReached');
  expect(alert.textContent).toContain('Refused by the contract');
  expect(alert.textContent).toMatch(/Too early: this becomes possible after .*2023/);
  await fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
  expect(ondismiss).toHaveBeenCalledOnce();
});

test('ErrorNote: a declined signature is a warning, not a failure', () => {
  render(ErrorNote, { props: { error: explainError(Object.assign(new Error('no'), { code: 4001 })) } });
  const alert = screen.getByRole('alert');
  expect(alert.className).toContain('warning');
  expect(alert.textContent).toContain('Signature declined');
  expect(alert.textContent).toContain('Nothing was sent.');
});
