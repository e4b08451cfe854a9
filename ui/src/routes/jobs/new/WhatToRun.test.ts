// @vitest-environment happy-dom
import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, test } from 'vitest';
import { checkSpec, defaultSpecDraft } from '$lib/spec/buildSpec';
import WhatToRun from './WhatToRun.svelte';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

const props = (patch: Record<string, unknown> = {}) => ({
  kind: 'command' as const,
  command: '',
  script: '',
  image: '',
  workdir: '',
  env: [],
  issues: [],
  showErrors: false,
  ...patch,
});

/** Text as a person reads it: template line breaks and &nbsp; are single spaces. */
const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ');
const imageInput = (c: HTMLElement) => c.querySelector<HTMLInputElement>('input[name="image"]')!;
const commandInput = (c: HTMLElement) => c.querySelector<HTMLInputElement>('input[name="command"]')!;

test('WhatToRun: the image is checked as it is typed; a tag alone says why it is refused', async () => {
  const { container } = render(WhatToRun, { props: props() });
  const image = imageInput(container);
  expect(image.placeholder).toMatch(/@sha256:/);
  // Empty: host mode, and the hint says how to pin an image.
  expect(text(container)).toContain("Without an image the job runs on the worker's own system");
  expect(screen.queryByTestId('image-error')).toBeNull();

  await fireEvent.input(image, { target: { value: 'pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime' } });
  expect(screen.getByTestId('image-error').textContent).toMatch(/^"pytorch\/pytorch:2.4.0-cuda12.4-cudnn9-runtime" is not pinned by digest: a tag can point to other content/);
  expect(image.getAttribute('aria-invalid')).toBe('true');

  await fireEvent.input(image, { target: { value: `busybox:1.36@sha256:${'AB'.repeat(32)}` } });
  expect(screen.getByTestId('image-error').textContent).toBe('the digest must be sha256: followed by 64 lowercase hex digits');

  await fireEvent.input(image, { target: { value: `busybox:1.36@${DIGEST}` } });
  expect(screen.queryByTestId('image-error')).toBeNull();
  expect(image.getAttribute('aria-invalid')).toBe('false');
  // The reference as workers read it: Docker Hub's full name, the digest shortened (whole in its title).
  const parsed = screen.getByTestId('image-parsed');
  expect(text(parsed)).toMatch(/^ ?docker\.io\/library\/busybox:1\.36@sha256:0123456789ab…: the job's root, read-only/);
  expect(parsed.querySelector(`[title="${DIGEST}"]`)).not.toBeNull();
});

test('WhatToRun: with an image the command is optional (the default runs); the working directory defaults to the image’s', async () => {
  const { container } = render(WhatToRun, { props: props({ image: `nvcr.io/nvidia/cuda:12.4.1-base-ubuntu22.04@${DIGEST}` }) });
  const command = commandInput(container);
  expect(command.placeholder).toBe("the image's default command");
  expect(text(container)).toContain('Command (optional)');
  expect(screen.getByTestId('command-hint').textContent).toMatch(/Empty: the image's default command runs/);

  await fireEvent.input(command, { target: { value: 'nvidia-smi -L' } });
  expect(screen.getByTestId('command-hint').textContent).toMatch(/replaces the image's Cmd/);

  await fireEvent.click(screen.getByRole('button', { name: '+ Working directory, environment' }));
  const workdir = container.querySelector<HTMLInputElement>('input[name="workdir"]')!;
  expect(workdir.placeholder).toBe("the image's WorkingDir");
  expect(text(container)).toContain("Empty: the image's WorkingDir (else /).");
});

test('WhatToRun: without an image the command is required, and its error shows once the user tries to post', () => {
  const draft = { ...defaultSpecDraft(), command: '' };
  const check = checkSpec(draft);
  const issues = check.ok ? [] : check.issues;
  const { container, rerender } = render(WhatToRun, { props: props({ issues }) });
  expect(commandInput(container).placeholder).toBe('python /in/train.py --epochs 3');
  expect(text(container)).not.toContain('(optional)');
  expect(screen.getByTestId('command-hint').textContent).toMatch(/looked up in the worker's PATH/);
  expect(container.querySelector('.error')).toBeNull();

  rerender(props({ issues, showErrors: true }));
  expect(container.querySelector('.error')?.textContent).toMatch(/enter the program to run .*or set an image/);
  expect(commandInput(container).getAttribute('aria-invalid')).toBe('true');
});

test('WhatToRun: a script may be left empty with an image', () => {
  render(WhatToRun, { props: props({ kind: 'script', image: `busybox@${DIGEST}` }) });
  expect(text(screen.getByText(/Script \(run by \/bin\/sh -c\)/))).toContain('(optional)');
  expect(screen.getByTestId('command-hint').textContent).toMatch(/the image's default command runs/);
});
