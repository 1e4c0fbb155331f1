// tracemalloc-style snapshots: live allocations by (function, line), top-N, and differences.
import { describe, expect, it } from 'vitest';
import type { PyRef } from '../../src/pymem/heap.js';
import { freshHeapEachTest } from './fresh-heap.js';

const t = freshHeapEachTest();

describe('tracemalloc', () => {
  it('attributes allocations to the line that made them, and diffs snapshots', () => {
    const untraced = t.heap.literal('[1, 2, 3]');
    t.heap.call('build', 10); // (the function's name is made before tracing starts, as a code object's would be)
    t.heap.startTracing();
    t.heap.line(11);
    const lists: PyRef[] = Array.from({ length: 10 }, () => t.heap.literal('[1, 2, 3]'));
    const first = t.heap.takeSnapshot();
    // 10 lists: a 56-byte object and a 4-slot (32-byte) item array each.
    expect(first.top(1)).toEqual([{ where: 'build:11', function: 'build', line: 11, size: 10 * (56 + 32), count: 20 }]);

    t.heap.line(12);
    const floats: PyRef[] = Array.from({ length: 100 }, (_, i) => t.heap.float(i + 0.5));
    const second = t.heap.takeSnapshot();
    expect(second.top(2).map((s) => [s.where, s.size])).toEqual([['build:12', 2400], ['build:11', 880]]);
    expect(second.compareTo(first)[0]).toMatchObject({ where: 'build:12', sizeDiff: 2400, countDiff: 100 });

    t.heap.ret();
    lists.forEach((l) => t.heap.decref(l));
    const third = t.heap.takeSnapshot();
    const diff = third.compareTo(second);
    expect(diff.find((d) => d.where === 'build:11')).toMatchObject({ size: 0, sizeDiff: -880, countDiff: -20 });
    expect(third.totalSize).toBe(2400);
    t.heap.stopTracing();
    floats.forEach((f) => t.heap.decref(f));
    t.heap.decref(untraced);
    expect(t.heap.takeSnapshot().statistics).toEqual([]);
  });

  it('re-traces a buffer to the line that grew it', () => {
    t.heap.call('grow', 1);
    t.heap.startTracing();
    const list = t.heap.list();
    t.heap.line(2);
    for (let i = 0; i < 20; i++) t.heap.append(list, t.heap.none());
    const stats = t.heap.takeSnapshot().statistics;
    expect(stats.map((s) => [s.where, s.size])).toEqual([['grow:2', 8 * 24], ['grow:1', 56]]);
  });
});
