// @vitest-environment happy-dom
import { render, screen } from '@testing-library/svelte';
import { expect, test } from 'vitest';
import StatusBadge from './StatusBadge.svelte';

test('StatusBadge: each state in words, closed jobs by how they ended', () => {
  const { container, rerender } = render(StatusBadge, { props: { status: 'ASSIGNED' } });
  expect(screen.getByText('Running')).toBeTruthy();
  expect(container.querySelector('[data-status="ASSIGNED"]')?.className).toContain('running');

  rerender({ status: 'CLOSED', closeReason: 'COMPLETED' });
  expect(screen.getByText('Completed')).toBeTruthy();
  expect(container.querySelector('.badge')?.className).toContain('completed');

  rerender({ status: 'CLOSED', closeReason: 'RECLAIMED' });
  expect(screen.getByText('Reclaimed').closest('.badge')?.className).toContain('ended');
});

test('StatusBadge: a replicated job closed by its outcome', () => {
  const { container, rerender } = render(StatusBadge, { props: { status: 'CLOSED', closeReason: null, outcome: 'QUORUM_REACHED' } });
  expect(screen.getByText('Quorum reached')).toBeTruthy();
  expect(container.querySelector('.badge')?.className).toContain('completed');
  rerender({ status: 'CLOSED', closeReason: null, outcome: 'NO_QUORUM' });
  expect(screen.getByText('No quorum').closest('.badge')?.className).toContain('ended');
});
