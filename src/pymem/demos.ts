/*
 * Ready-made demonstrations of the model, as plain data, for the CLI (`memplay
 * sim ...`) and for scenarios: the size of a literal with its breakdown, a list's
 * growth, pool fragmentation, a cycle that only the GC frees, the recursion limit,
 * and small-int identity. Each makes its own heap and destroys it.
 */
import { PyHeap, type PyRef } from './heap.js';
import { describeBuild } from './evaluate.js';
import { parseLiteral } from './literal.js';
import { bufferBytes, objectBytes } from './objects.js';
import { allocatedBytes, isPymallocAddress } from './obmalloc.js';
import { isGcType } from './types.js';
import type { MallocStats } from './malloc-stats.js';

function withHeap<T>(options: ConstructorParameters<typeof PyHeap>[0], run: (heap: PyHeap) => T): T {
  const heap = new PyHeap(options);
  try {
    return run(heap);
  } finally {
    heap.destroy();
  }
}

export interface SizeBreakdown {
  source: string;
  repr: string;
  type: string;
  /** sys.getsizeof of the value, as CPython 3.11 evaluates the literal. */
  size: number;
  /** How the compiler builds it (the bytecode that decides the size). */
  built: string;
  /** The object's own allocation, GC header included, and which allocator serves it. */
  object: { bytes: number; gcHeader: number; allocator: 'pymalloc' | 'system' | 'static'; blockBytes: number };
  /** The separately allocated buffer (item array, keys table, set table, bytes), when there is one. */
  buffer: { bytes: number; allocator: 'pymalloc' | 'system'; blockBytes: number } | null;
  /** getsizeof of each direct item (not part of `size`), in order. */
  items: { repr: string; size: number; shared: boolean }[];
  /** The sum of getsizeof over the value and everything it reaches, each object once. */
  deepSize: number;
}

export function sizeofLiteral(source: string): SizeBreakdown {
  const node = parseLiteral(source);
  return withHeap({ capacity: 1 << 16, storeWords: 1 << 20, maxLarge: 1 << 14 }, (heap) => {
    const m = heap.memory;
    const value = heap.literal(source);
    const allocator = (address: number) => (isPymallocAddress(m, address) ? 'pymalloc' : 'system') as 'pymalloc' | 'system';
    const buffer = bufferBytes(m, value);
    const bufferAddress = m.type[value] !== 0 && buffer > 0 ? m.store[m.data[value]] >>> 0 : 0;
    const items = itemsInOrder(heap, value);
    return {
      source,
      repr: heap.repr(value),
      type: heap.typeName(value),
      size: heap.getsizeof(value),
      built: describeBuild(node),
      object: {
        bytes: objectBytes(m, value),
        gcHeader: isGcType(m.type[value]) ? heap.profile.gcHeader : 0,
        allocator: heap.isStatic(value) ? 'static' : allocator(heap.id(value)),
        blockBytes: heap.isStatic(value) ? objectBytes(m, value) : allocatedBytes(m, heap.id(value)),
      },
      buffer: bufferAddress === 0 ? null : { bytes: buffer, allocator: allocator(bufferAddress), blockBytes: allocatedBytes(m, bufferAddress) },
      items: items.map((item) => ({ repr: heap.repr(item), size: heap.getsizeof(item), shared: heap.isStatic(item) || heap.refcount(item) > 1 })),
      deepSize: deepSize(heap, value),
    };
  });
}

/** Items in display order (a dict's keys and values interleaved). */
function itemsInOrder(heap: PyHeap, value: PyRef): PyRef[] {
  const referents = heap.referents(value);
  const type = heap.typeName(value);
  return type === 'list' || type === 'tuple' ? referents.reverse() : referents;
}

function deepSize(heap: PyHeap, root: PyRef): number {
  const seen = new Set<PyRef>();
  const stack = [root];
  let total = 0;
  while (stack.length > 0) {
    const id = stack.pop() as PyRef;
    if (seen.has(id)) continue;
    seen.add(id);
    total += heap.getsizeof(id);
    stack.push(...heap.referents(id));
  }
  return total;
}

export interface ListGrowth {
  appends: number;
  /** getsizeof after each append. */
  sizes: number[];
  /** Each reallocation: the length that caused it and the slots allocated. */
  resizes: { length: number; allocated: number; size: number }[];
}

export function listGrowth(appends: number): ListGrowth {
  return withHeap({ capacity: 1 << 12, storeWords: Math.max(1 << 16, 4 * appends + 1024), maxLarge: 1 << 12 }, (heap) => {
    const list = heap.list();
    const none = heap.none();
    const sizes: number[] = [];
    const resizes: ListGrowth['resizes'] = [];
    const listHead = heap.getsizeof(list);
    for (let i = 1; i <= appends; i++) {
      heap.append(list, none);
      const size = heap.getsizeof(list);
      if (size !== (sizes.at(-1) ?? listHead)) resizes.push({ length: i, allocated: (size - listHead) / heap.profile.sizes.pointer, size });
      sizes.push(size);
    }
    return { appends, sizes, resizes };
  });
}

export interface FragmentationPhase {
  phase: string;
  liveObjects: number;
  arenas: number;
  arenasReclaimed: number;
  arenasHighWater: number;
  poolsInUse: number;
  bytesInAllocatedBlocks: number;
  fragmentationBytes: number;
  /** Bytes in use as a share of the bytes in mapped arenas. */
  utilization: number;
}

export interface Fragmentation {
  objects: number;
  keepEvery: number;
  objectBytes: number;
  phases: FragmentationPhase[];
  report: MallocStats;
}

/** Allocates `objects` floats, frees all but every keepEvery-th, then the rest: arenas live on while one block does. */
export function poolFragmentation(objects: number, keepEvery: number): Fragmentation {
  const arenasNeeded = Math.ceil((objects * 32) / (1024 * 1024) / 0.98) + 2;
  return withHeap({ capacity: objects + 4096, maxArenas: Math.max(16, arenasNeeded) }, (heap) => {
    const phases: FragmentationPhase[] = [];
    const record = (phase: string, live: number) => {
      const s = heap.mallocStats();
      const mapped = s.arenasAllocatedCurrent * s.arenaSize;
      phases.push({
        phase,
        liveObjects: live,
        arenas: s.arenasAllocatedCurrent,
        arenasReclaimed: s.arenasReclaimed,
        arenasHighWater: s.arenasHighWater,
        poolsInUse: s.classes.reduce((n, c) => n + c.pools, 0),
        bytesInAllocatedBlocks: s.bytesInAllocatedBlocks,
        fragmentationBytes: s.fragmentationBytes,
        utilization: mapped === 0 ? 0 : s.bytesInAllocatedBlocks / mapped,
      });
      return s;
    };
    record('start', 0);
    const floats = Array.from({ length: objects }, (_, i) => heap.float(i + 0.5));
    record(`allocate ${objects} floats`, objects);
    const kept = floats.filter((_, i) => i % keepEvery === 0);
    floats.forEach((f, i) => i % keepEvery !== 0 && heap.decref(f));
    const report = record(`free all but every ${keepEvery}th`, kept.length);
    kept.forEach((f) => heap.decref(f));
    record('free the rest', 0);
    return { objects, keepEvery, objectBytes: heap.profile.sizes.float, phases, report };
  });
}

export interface CycleLeak {
  steps: { code: string; refcounts: Record<string, number>; alive: boolean; collected?: number }[];
}

/** Two instances that point at each other: del leaves them alive; gc.collect() frees them. */
export function cycleLeak(): CycleLeak {
  return withHeap({ capacity: 1 << 12 }, (heap) => {
    heap.disableGc();
    const Node = heap.defineClass('Node');
    heap.assign('Node', Node);
    const a = heap.instance(Node);
    const b = heap.instance(Node);
    heap.assign('a', a);
    heap.assign('b', b);
    heap.setAttr(a, 'other', b);
    heap.setAttr(b, 'other', a);
    const state = () => {
      const alive = heap.isAlive(a) && heap.isAlive(b);
      const refcounts: Record<string, number> = alive ? { a: heap.refcount(a), b: heap.refcount(b) } : {};
      return { refcounts, alive };
    };
    const steps: CycleLeak['steps'] = [{ code: 'a, b = Node(), Node(); a.other = b; b.other = a', ...state() }];
    heap.del('a');
    heap.del('b');
    steps.push({ code: 'del a, b', ...state() });
    const collected = heap.collect();
    steps.push({ code: 'gc.collect()', ...state(), collected });
    return { steps };
  });
}

export interface RecursionLimit {
  limit: number;
  /** Calls of the recursive function made from module level before RecursionError. */
  deepestCall: number;
  framesAtError: number;
  error: string;
}

export function recursionLimit(limit: number): RecursionLimit {
  return withHeap({ capacity: 1 << 12, framesPerThread: limit + 1, threads: 1 }, (heap) => {
    heap.setRecursionLimit(limit);
    let deepestCall = 0;
    try {
      for (;;) {
        heap.call('recurse', 2);
        deepestCall++;
      }
    } catch (error) {
      return { limit, deepestCall, framesAtError: heap.depth(), error: `${(error as Error).name}: ${(error as Error).message}` };
    }
  });
}

export interface SmallIntIdentity {
  range: [number, number];
  checks: { value: number; is: boolean; equal: boolean }[];
}

/** For each value: two ints made apart, `a is b` and `a == b`. */
export function smallIntIdentity(values: number[] = [-6, -5, 0, 1, 255, 256, 257, 1000]): SmallIntIdentity {
  return withHeap({ capacity: 1 << 12 }, (heap) => ({
    range: [heap.profile.smallInts.min, heap.profile.smallInts.max],
    checks: values.map((value) => {
      const [a, b] = [heap.int(value), heap.int(value)];
      return { value, is: heap.is(a, b), equal: heap.eq(a, b) };
    }),
  }));
}

export interface Generations {
  thresholds: [number, number, number];
  steps: { code: string; count: [number, number, number]; generationOfX: number; collections: [number, number, number] }[];
}

/** A list survives collections and moves up the generations; allocations start collections on their own. */
export function generations(): Generations {
  return withHeap({ capacity: 1 << 13 }, (heap) => {
    heap.collect();
    const x = heap.list();
    heap.assign('x', x);
    const steps: Generations['steps'] = [];
    const record = (code: string) => {
      const stats = heap.getStats();
      steps.push({
        code,
        count: heap.getCount(),
        generationOfX: heap.generationOf(x),
        collections: [stats[0].collections, stats[1].collections, stats[2].collections],
      });
    };
    record('x = []');
    heap.collect(0);
    record('gc.collect(0)');
    heap.collect(1);
    record('gc.collect(1)');
    heap.assign('keep', heap.list(Array.from({ length: 701 }, () => heap.list())));
    record('keep = [[] for _ in range(701)]');
    return { thresholds: heap.getThreshold(), steps };
  });
}
