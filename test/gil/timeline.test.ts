import { describe, expect, it } from 'vitest';
import { renderTimeline } from '../../src/gil/timeline.js';
import { IN_SYSCALL, RUNNING, type ThreadStats, type TraceInterval } from '../../src/gil/thread-state.js';

function stats(startMs: number, endMs: number, trace: TraceInterval[]): ThreadStats {
  return {
    startMs,
    endMs,
    wallMs: endMs - startMs,
    gilWaitMs: 0,
    syscallMs: 0,
    cpuMs: null,
    dropsOnRequest: 0,
    syscalls: 0,
    trace,
    traceTruncated: false,
  };
}

describe('the ASCII timeline', () => {
  it('marks running, blocked, waiting and idle slices from the recorded intervals', () => {
    const a = stats(1000, 1008, [
      [RUNNING, 1000, 1004],
      [IN_SYSCALL, 1004, 1006],
      [RUNNING, 1006, 1008],
    ]);
    const b = stats(1000, 1006, [[RUNNING, 1004, 1006]]);
    const [scale, rowA, rowB] = renderTimeline([a, b], { columns: 10, columnMs: 1, labels: ['a', 'b'] });
    expect(scale).toContain('0 ms');
    expect(rowA).toBe('a |####~~##  |');
    expect(rowB).toBe('b |....##    |');
  });
});
