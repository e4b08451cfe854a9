/** One line that says what a job runs, from the API's `specJson` (any shape: it is untrusted). */
import { joinArgs } from './spec/splitArgs';

export function specSummary(specJson: unknown): string {
  if (!specJson || typeof specJson !== 'object' || Array.isArray(specJson)) return 'Unreadable spec';
  const s = specJson as { command?: unknown; script?: unknown };
  if (Array.isArray(s.command) && s.command.every((a) => typeof a === 'string')) return joinArgs(s.command as string[]);
  if (typeof s.script === 'string') {
    const first = s.script.split('\n').find((l) => l.trim() && !l.startsWith('#!')) ?? s.script;
    return first.trim();
  }
  return 'Spec without a command';
}
