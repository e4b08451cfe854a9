import autocannon from 'autocannon';
import postgres from 'postgres';
import { loadHistory } from './bench/lib/history.ts';
import { replay } from './bench/lib/replay.ts';
import { OUR_QUERY } from './bench/api.ts';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const history = await loadHistory('dense');
const run = await replay(history, { db: 'postgres', keep: true, env: { LOG_LEVEL: 'warn', LOOM_API_REQUESTS_BURST: 'off', NODE_OPTIONS: '--require /tmp/cpuprof2.cjs' } });
try {
  const sql = postgres(run.databaseUrl!, { max: 1, onnotice: () => {} });
  await sql.unsafe(`ANALYZE "${run.schema}".job, "${run.schema}".bid`); await sql.end();
  const url = `${run.ponder!.url}/graphql`;
  const go = (duration: number) => autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: OUR_QUERY }), connections: 10, duration });
  await go(5);
  const pid = run.ponder!.process.pid!;
  const { execSync } = await import('node:child_process');
  const pids = execSync(`for e in /proc/[0-9]*/environ; do grep -qa cpuprof2 $e 2>/dev/null && { p=\${e#/proc/}; echo \${p%/environ}; }; done; true`).toString().trim().split('\n').filter(Boolean);
  console.log('pids', pids, pid, pids.map((p) => execSync(`tr '\\0' ' ' < /proc/${p}/cmdline`).toString().slice(0, 150)));
  (await import('node:fs')).writeFileSync('/tmp/prof/start', '');
  await sleep(300);
  const r = await go(10);
  (await import('node:fs')).writeFileSync('/tmp/prof/stop', '');
  console.log('requests', r.requests.total, 'rps', r.requests.average);
  await sleep(3000);
} finally { await run.close(); await history.stop(); }
process.exit(0);
