import { describe, expect, test } from 'vitest';
import { WorkerMetrics } from './metrics';
import { formatLine, statusText } from './terminal';

describe('operator output', () => {
  test('default: the status line shows each job with its stage and progress', () => {
    const now = 1_000_000;
    const text = statusText(
      {
        address: '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc',
        following: true,
        lastEventAt: now - 3_000,
        held: [
          { id: `0x${'ab'.repeat(32)}`, stage: 'running', startedAt: now - 65_000, timeoutSeconds: 3600, executionDeadline: 0 },
          { id: `0x${'cd'.repeat(32)}`, stage: 'queued', executionDeadline: 0 },
        ],
        openBids: 2,
        awaitingRelease: 1,
        slots: 0,
        jobsRun: 7,
        jobsFailed: 1,
        refused: 3,
      },
      now,
    );
    expect(text).toBe(
      'loom-worker 0x996550…A4dc | following | jobs: 0xababab…abab running 1:05/1:00:00, 0xcdcdcd…cdcd queued | bids 2 | awaiting release 1 | run 7 (failed 1) | refused 3 | last event 0:03 ago',
    );
  });

  test('behavior: replicated slots awaiting their reveal or finalize are counted when there are some', () => {
    const text = statusText({ address: '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc', following: true, lastEventAt: null, held: [], openBids: 0, awaitingRelease: 0, slots: 2, jobsRun: 2, jobsFailed: 0, refused: 0 });
    expect(text).toBe('loom-worker 0x996550…A4dc | following | idle | bids 0 | awaiting release 0 | slots to reveal or finalize 2 | run 2 (failed 0) | refused 0 | no events yet');
  });

  test('default: log lines in words', () => {
    const line = formatLine(JSON.stringify({ level: 30, time: 0, pid: 1, hostname: 'h', name: 'loom-worker', msg: 'claimed', jobId: `0x${'ab'.repeat(32)}`, price: '10' }));
    expect(line.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/^\d\d:\d\d:\d\d INFO  claimed jobId=0xababab…abab price=10$/);
  });

  test('default: metrics in the Prometheus text format', () => {
    const m = new WorkerMetrics();
    m.decisions.inc({ decision: 'skip', reason: 'spec_invalid' });
    m.decisions.inc({ decision: 'skip', reason: 'spec_invalid' });
    m.earnings.inc({ token: '0x0' }, 10n ** 30n);
    m.pickupLatency.observe(0.2);
    m.queueLength.set(2);
    const text = m.render();
    expect(text).toContain('# TYPE loom_worker_decisions_total counter\nloom_worker_decisions_total{decision="skip",reason="spec_invalid"} 2');
    expect(text).toContain('loom_worker_earnings_total{token="0x0"} 1000000000000000000000000000000');
    expect(text).toContain('loom_worker_pickup_latency_seconds_bucket{le="0.25"} 1\n');
    expect(text).toContain('loom_worker_pickup_latency_seconds_bucket{le="0.1"} 0\n');
    expect(text).toContain('loom_worker_pickup_latency_seconds_count 1');
    expect(text).toContain('loom_worker_queue_length 2');
    expect(text.endsWith('\n')).toBe(true);
  });
});
