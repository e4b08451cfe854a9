// @vitest-environment happy-dom
import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, test, vi } from 'vitest';
import { specPlace, type SpecPlace } from '$lib/specSummary';
import JobImage from './JobImage.svelte';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const place = (specJson: unknown) => specPlace(specJson) as SpecPlace;

test('JobImage: image mode: registry/repository:tag, the digest shortened with the whole in its title, copied whole', async () => {
  const writeText = vi.fn(async () => {});
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  const { container } = render(JobImage, { props: { place: place({ version: 1, image: `pytorch/pytorch:2.4.0@${DIGEST}` }), defaultCommand: true } });
  expect(container.querySelector('[data-mode="image"]')).not.toBeNull();
  expect(container.textContent).toContain('docker.io/pytorch/pytorch:2.4.0');
  const digest = screen.getByTestId('image-digest');
  expect(digest.textContent).toBe('sha256:0123456789ab…');
  expect(digest.getAttribute('title')).toBe(DIGEST);
  expect(container.textContent).toContain('with its default command (Entrypoint + Cmd)');

  await fireEvent.click(screen.getByRole('button', { name: `Copy the image reference docker.io/pytorch/pytorch:2.4.0@${DIGEST}` }));
  expect(writeText).toHaveBeenCalledWith(`docker.io/pytorch/pytorch:2.4.0@${DIGEST}`);
  expect(screen.getByRole('button', { name: /Copy the image reference/ }).textContent?.trim()).toBe('Copied');
});

test("JobImage: host mode says the job runs on the worker's own system; a tag-only image says why workers refuse it", () => {
  const { container, rerender } = render(JobImage, { props: { place: place({ version: 1, script: 'true' }) } });
  expect(container.querySelector('[data-mode="host"]')).not.toBeNull();
  expect(container.textContent).toContain("No image: the job runs on the worker's own system, read-only.");
  expect(screen.queryByTestId('image-digest')).toBeNull();

  rerender({ place: place({ version: 1, image: 'loom/cuda', script: 'true' }) });
  expect(container.querySelector('[data-mode="invalid-image"]')).not.toBeNull();
  expect(container.textContent).toContain('loom/cuda');
  expect(container.textContent).toMatch(/Workers will not run it: "loom\/cuda" is not pinned by digest/);
});
