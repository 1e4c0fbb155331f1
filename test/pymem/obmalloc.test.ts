// pymalloc: LIFO free lists, large requests to the system allocator, and arenas
// kept alive by fragmentation until their last block is freed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PyHeap, type PyRef } from '../../src/pymem/heap.js';
import { LARGE_BASE } from '../../src/pymem/obmalloc.js';

let heap: PyHeap;
beforeEach(() => {
  heap = new PyHeap({ capacity: 1 << 18 });
});
afterEach(() => heap.destroy());

describe('pymalloc', () => {
  it('reuses the block freed last first (id() of a new float is the old one\'s)', () => {
    const a = heap.float(1.5);
    const b = heap.float(2.5);
    const [idA, idB] = [heap.id(a), heap.id(b)];
    expect(idB - idA).toBe(32); // neighbours in a pool of 32-byte blocks
    heap.decref(a);
    heap.decref(b);
    expect(heap.id(heap.float(3.5))).toBe(idB);
    expect(heap.id(heap.float(4.5))).toBe(idA);
  });

  it('sends requests over 512 bytes to the system allocator', () => {
    const before = heap.mallocStats().largeBlocks;
    const big = heap.str('x'.repeat(600));
    expect(heap.id(big)).toBeGreaterThanOrEqual(LARGE_BASE);
    expect(heap.mallocStats().largeBlocks).toBe(before + 1);
    expect(heap.mallocStats().largeBytes).toBeGreaterThanOrEqual(649);
    heap.decref(big);
    expect(heap.mallocStats().largeBlocks).toBe(before);
  });

  it('keeps an arena mapped while one block in it lives, and unmaps it after (all but the last)', () => {
    const floats: PyRef[] = [];
    const start = heap.mallocStats();
    for (let i = 0; i < 3 * 64 * 510; i++) floats.push(heap.float(i)); // three arenas of 32-byte pools
    const full = heap.mallocStats();
    expect(full.arenasAllocatedCurrent - start.arenasAllocatedCurrent).toBeGreaterThanOrEqual(3);
    // Free all but one float per pool: almost nothing is in use, yet every arena stays.
    const survivors = floats.filter((_, i) => i % 510 === 0);
    floats.forEach((f, i) => i % 510 !== 0 && heap.decref(f));
    const fragmented = heap.mallocStats();
    expect(fragmented.arenasAllocatedCurrent).toBe(full.arenasAllocatedCurrent);
    expect(fragmented.classes[1].blocksInUse).toBe(start.classes[1].blocksInUse + survivors.length);
    expect(fragmented.fragmentationBytes).toBeGreaterThan(3 * 1024 * 1024 - 64 * 1024);
    survivors.forEach((f) => heap.decref(f));
    const drained = heap.mallocStats();
    expect(drained.arenasAllocatedCurrent).toBeLessThan(full.arenasAllocatedCurrent);
    expect(drained.arenasReclaimed).toBeGreaterThanOrEqual(2);
    expect(drained.arenasHighWater).toBe(full.arenasAllocatedCurrent);
  });

  it('accounts for every mapped byte in its statistics', () => {
    for (let i = 0; i < 1000; i++) heap.decref(heap.literal(`[${i}, ${i + 1}, ${i + 2}]`));
    const kept = Array.from({ length: 3000 }, (_, i) => heap.tuple([heap.int(i)]));
    const s = heap.mallocStats();
    const mapped = s.arenasAllocatedCurrent * s.arenaSize;
    expect(s.bytesInAllocatedBlocks + s.bytesInAvailableBlocks + s.unusedPools * s.poolSize + s.bytesLostToPoolHeaders + s.bytesLostToQuantization).toBe(mapped);
    kept.forEach((t) => heap.decref(t));
  });
});

describe('usable_arenas', () => {
  it('serves a new pool from the usable arena with the fewest free pools (the fullest first)', () => {
    const arenaOf = (obj: PyRef) => Math.floor(heap.id(obj) / heap.profile.obmalloc.arenaSize);
    const perArena = 64 * 510; // 32-byte blocks: a float each
    const floats = Array.from({ length: 3 * perArena }, (_, i) => heap.float(i));
    const byArena = new Map<number, PyRef[]>();
    for (const f of floats) {
      if (!byArena.has(arenaOf(f))) byArena.set(arenaOf(f), []);
      byArena.get(arenaOf(f))?.push(f);
    }
    const [first, second] = [...byArena.keys()].filter((a) => byArena.get(a)?.length === perArena);
    // Empty 10 pools of the second arena, then 40 of the first: the first goes to the head of
    // usable_arenas when its first pool empties, and must slide right past the fuller second.
    const emptyPools = (arena: number, pools: number) => {
      const victims = (byArena.get(arena) as PyRef[]).slice(0, pools * 510);
      victims.forEach((f) => heap.decref(f));
    };
    emptyPools(second, 10);
    emptyPools(first, 40);
    const fresh = heap.bytes(new Uint8Array(200)); // a new size class needs a new pool
    expect(arenaOf(fresh)).toBe(second);
  });
});
