/**
 * `npm run bench [-- name ...]`: runs the benchmarks (all, or those named) and merges their figures
 * into bench/results.json, a flat JSON object of named numbers documented in bench/README.md.
 */
import { apiBench } from './api.ts';
import { contractSizesBench } from './contractSizes.ts';
import { gasBench } from './gas.ts';
import { scaleBench } from './scale.ts';
import { indexerBench } from './indexer.ts';
import { mergeResults } from './lib/results.ts';
import { workerBench } from './worker.ts';
import { x402Bench } from './x402.ts';

const suites: Record<string, () => Promise<Record<string, number>>> = {
  contracts: contractSizesBench,
  gas: gasBench,
  indexer: indexerBench,
  api: apiBench,
  worker: workerBench,
  x402: x402Bench,
  scale: scaleBench,
};
/** Run only when named (`npm run bench -- scale`): it takes up to an hour. */
const onlyWhenNamed = new Set(['scale']);

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in suites));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}

const results: Record<string, number> = {};
for (const name of wanted.length ? wanted : Object.keys(suites).filter((n) => !onlyWhenNamed.has(n))) {
  const started = performance.now();
  console.error(`bench ${name}...`);
  const figures = await suites[name]();
  Object.assign(results, figures);
  for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(40)} ${value}`);
  console.error(`bench ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
mergeResults(results);
