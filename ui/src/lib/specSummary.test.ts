import { expect, test } from 'vitest';
import { specSummary } from './specSummary';

test('specSummary: the command, the script’s first line, or why not', () => {
  expect(specSummary({ version: 1, command: ['python', 'train.py', '--name', 'big run'] })).toBe("python train.py --name 'big run'");
  expect(specSummary({ version: 1, script: '#!/bin/sh\n\necho hi > /out/a\nmore' })).toBe('echo hi > /out/a');
  expect(specSummary({ version: 1 })).toBe('Spec without a command');
  expect(specSummary(null)).toBe('Unreadable spec');
  expect(specSummary({ command: [1, 2] })).toBe('Spec without a command');
});
