import { expect, test } from 'vitest';
import { specPlace, specSummary } from './specSummary';

const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;

test('specSummary: the command, the script’s first line, the image’s default, or why not', () => {
  expect(specSummary({ version: 1, command: ['python', 'train.py', '--name', 'big run'] })).toBe("python train.py --name 'big run'");
  expect(specSummary({ version: 1, script: '#!/bin/sh\n\necho hi > /out/a\nmore' })).toBe('echo hi > /out/a');
  expect(specSummary({ version: 1, image: `pytorch/pytorch:2.4.0@${digest}` })).toBe('pytorch/pytorch:2.4.0 (its default command)');
  expect(specSummary({ version: 1, image: `busybox@${digest}`, command: ['ls'] })).toBe('ls');
  expect(specSummary({ version: 1 })).toBe('Spec without a command');
  expect(specSummary(null)).toBe('Unreadable spec');
  expect(specSummary({ command: [1, 2] })).toBe('Spec without a command');
});

test('specPlace: an image by digest, the worker’s host, or an image workers refuse', () => {
  expect(specPlace({ version: 1, image: `busybox:1.36@${digest}` })).toEqual({
    mode: 'image',
    ref: { registry: 'docker.io', repository: 'library/busybox', tag: '1.36', digest, text: `docker.io/library/busybox:1.36@${digest}` },
  });
  expect(specPlace({ version: 1, script: 'true' })).toEqual({ mode: 'host' });
  expect(specPlace({ version: 1, image: 'loom/cuda' })).toMatchObject({ mode: 'invalid-image', text: 'loom/cuda', reason: expect.stringMatching(/not pinned by digest/) });
  expect(specPlace({ image: 3 })).toMatchObject({ mode: 'invalid-image', reason: 'the image must be a string' });
  expect(specPlace('nope')).toBeUndefined();
});
