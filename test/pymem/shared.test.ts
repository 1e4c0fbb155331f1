// One heap, several workers: a heap made here is attached from its handle in real
// worker threads, which see and change the same objects.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PyHeap } from '../../src/pymem/heap.js';
import { Lock } from '../../src/sync/lock.js';
import { runInWorkers } from '../helpers/workers.js';
import { workerModule } from '../helpers/worker-module.js';

const ops = workerModule('pymem-ops');
let heap: PyHeap;
beforeEach(() => {
  heap = new PyHeap({ capacity: 1 << 14 });
});
afterEach(() => heap.destroy());

describe('a shared heap', () => {
  it('is driven from another worker through its handle, and the changes are seen here', async () => {
    heap.assign('shared', heap.literal('[1, 2, 3]'));
    const [result] = await runInWorkers<{ lengthBefore: number; size: number }>(ops, 'appendInts', [[heap.handle, 1, 'shared', 10]]);
    expect(result.lengthBefore).toBe(3);
    const list = heap.load('shared');
    expect(heap.len(list)).toBe(13);
    expect(heap.getsizeof(list)).toBe(result.size);
    expect(heap.toValue(heap.getItem(list, 12))).toBe(1009);
    expect(heap.refcount(heap.getItem(list, 12))).toBe(1);
  });

  it('keeps one frame stack per thread slot and one GC for all', async () => {
    const [first, second] = await runInWorkers<{ aliveAfterReturn: boolean; collected: number; depthDuringCall: number }>(
      ops,
      'leakAndCollect',
      [[heap.handle, 1]],
    ).then(async (one) => [...one, ...(await runInWorkers<typeof one[0]>(ops, 'leakAndCollect', [[heap.handle, 2]]))]);
    for (const result of [first, second]) expect(result).toEqual({ aliveAfterReturn: true, collected: 1, depthDuringCall: 2 });
    expect(heap.depth()).toBe(1);
    expect(heap.getStats()[2].collections).toBe(2);
  });

  it('is driven by two workers at once, consistently, when they hold one lock around each operation', async () => {
    heap.assign('shared', heap.list());
    const lock = new Lock();
    const count = 3000;
    const done = await runInWorkers<number>(ops, 'appendIntsLocked', [
      [heap.handle, lock.handle, 1, 'shared', count],
      [heap.handle, lock.handle, 2, 'shared', count],
    ]);
    expect(done).toEqual([count, count]);
    const list = heap.load('shared');
    expect(heap.len(list)).toBe(2 * count);
    const values = (heap.toValue(list) as number[]).sort((a, b) => a - b);
    expect(values).toEqual([...Array.from({ length: count }, (_, i) => 100_000 + i), ...Array.from({ length: count }, (_, i) => 200_000 + i)]);
    expect(heap.referents(list).every((item) => heap.refcount(item) === 1)).toBe(true);
    const live = heap.liveObjects();
    heap.del('shared');
    expect(live - heap.liveObjects()).toBe(2 * count + 2); // the items, the list, and the name 'shared' only globals held
  });
});
