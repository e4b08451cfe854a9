// @vitest-environment happy-dom
import { render, screen } from '@testing-library/svelte';
import { expect, test } from 'vitest';
import Pager from './Pager.svelte';

const noop = () => {};

test('Pager: the range shown and the exact total', () => {
  render(Pager, { props: { page: 2, hasNext: false, onprev: noop, onnext: noop, total: 45, pageSize: 20 } });
  expect(screen.getByText('41–45 of 45')).toBeTruthy();
});

test('Pager: a total that reached its cap reads "at least", and pages go on past it', () => {
  const { rerender } = render(Pager, { props: { page: 0, hasNext: true, onprev: noop, onnext: noop, total: 1_000, totalUpTo: 1_000, pageSize: 20 } });
  expect(screen.getByText('1–20 of 1,000+')).toBeTruthy();
  rerender({ page: 50, hasNext: true, onprev: noop, onnext: noop, total: 1_000, totalUpTo: 1_000, pageSize: 20 });
  expect(screen.getByText('1001–1020 of 1,000+')).toBeTruthy();
  rerender({ page: 0, hasNext: true, onprev: noop, onnext: noop, total: 999, totalUpTo: 1_000, pageSize: 20 });
  expect(screen.getByText('1–20 of 999')).toBeTruthy();
});
