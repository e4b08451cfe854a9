/**
 * bench/results.json: a flat JSON object of named numbers (documented in bench/README.md), to which
 * each run merges its figures, keys sorted so that diffs stay readable.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const resultsPath = fileURLToPath(new URL('../results.json', import.meta.url));

/** Merges `figures` into bench/results.json (keeping every other figure). */
export function mergeResults(figures: Record<string, number>): void {
  const results: Record<string, number> = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : {};
  Object.assign(results, figures);
  const sorted = Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(resultsPath, `${JSON.stringify(sorted, null, 2)}\n`);
}
