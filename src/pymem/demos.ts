/*
 * Ready-made demonstrations of the model, as plain data, for the CLI (`memplay
 * sim ...`) and for scenarios: the size of an expression's value with its
 * breakdown, a list's, a dict's and a set's growth, pool fragmentation, a cycle
 * that only the GC frees, the GC's generations and its automatic schedule, the
 * recursion limit, and when two equal ints are one object. Each makes its own
 * heap and destroys it. Every figure a demo prints is checked against CPython's
 * (test/fixtures/cpython-3.11.json).
 */
import { PyHeap, type PyRef } from './heap.js';
import { describeBuild } from './evaluate.js';
import { parseLiteral } from './literal.js';
import { bufferAddress, bufferBytes, objectBytes } from './objects.js';
import { allocatedBytes, isPymallocAddress } from './obmalloc.js';
import { isGcType } from './types.js';
import { MemoryError } from '../errors.js';
import { RecursionError } from './errors.js';
import { NotModelledError } from './constant.js';
import type { MallocStats } from './malloc-stats.js';
import type { GrowthKey } from './growth-keys.js';

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

/** The longest repr a breakdown carries (a value's repr can be as long as the value is big). */
const MAX_REPR = 2000;
const shortened = (text: string) => (text.length > MAX_REPR ? `${text.slice(0, MAX_REPR - 3)}...` : text);

export function sizeofLiteral(source: string): SizeBreakdown {
  const node = parseLiteral(source);
  return withHeap({ capacity: 1 << 18, storeWords: 1 << 22, maxLarge: 1 << 14 }, (heap) => {
    const m = heap.memory;
    const value = evaluateWithin(heap, source);
    const allocator = (address: number) => (isPymallocAddress(m, address) ? 'pymalloc' : 'system') as 'pymalloc' | 'system';
    const buffer = bufferBytes(m, value);
    const bufferAt = m.type[value] !== 0 && buffer > 0 ? bufferAddress(m, value) : 0;
    const items = itemsInOrder(heap, value);
    return {
      source,
      repr: shortened(heap.repr(value)),
      type: heap.typeName(value),
      size: heap.getsizeof(value),
      built: describeBuild(node),
      object: {
        bytes: objectBytes(m, value),
        gcHeader: isGcType(m.type[value]) ? heap.profile.gcHeader : 0,
        allocator: heap.isStatic(value) ? 'static' : allocator(heap.id(value)),
        blockBytes: heap.isStatic(value) ? objectBytes(m, value) : allocatedBytes(m, heap.id(value)),
      },
      buffer: bufferAt === 0 ? null : { bytes: buffer, allocator: allocator(bufferAt), blockBytes: allocatedBytes(m, bufferAt) },
      items: items.map((item) => ({ repr: shortened(heap.repr(item)), size: heap.getsizeof(item), shared: heap.isStatic(item) || heap.refcount(item) > 1 })),
      deepSize: deepSize(heap, value),
    };
  });
}

/** heap.literal(source), with the heap's own bounds said as the model's. */
function evaluateWithin(heap: PyHeap, source: string): PyRef {
  try {
    return heap.literal(source);
  } catch (error) {
    if (error instanceof MemoryError) throw new NotModelledError(`the value takes more objects or memory than the model's heap for sizeof holds (${heap.handle.capacity} objects)`);
    throw error;
  }
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
    for (const child of heap.referents(id)) stack.push(child); // a container may hold a million items: no spread
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
  // The item array's store blocks are powers of two, each freed one kept for reuse: 8 words an append bounds them all.
  return withHeap({ capacity: 1 << 12, storeWords: 8 * appends + (1 << 16), maxLarge: 1 << 12 }, (heap) => {
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
  /** Set when sys.setrecursionlimit refused the limit (RecursionError: ... the limit is too low). */
  refused?: string;
  /** Calls of the recursive function made from module level before RecursionError. */
  deepestCall: number;
  framesAtError: number;
  error: string;
}

export function recursionLimit(limit: number): RecursionLimit {
  return withHeap({ capacity: 1 << 12, framesPerThread: limit + 1, threads: 1 }, (heap) => {
    try {
      heap.setRecursionLimit(limit);
    } catch (error) {
      if (!(error instanceof RecursionError)) throw error;
      return { limit, deepestCall: 0, framesAtError: heap.depth(), error: '', refused: `RecursionError: ${error.message}` };
    }
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
  /**
   * For each value, `a is b` when a and b are bound three ways: in one compilation
   * (`a = 257; b = 257` in one module: the compiler's constants are merged), in two
   * (two statements typed at the interactive prompt), and at run time in one module
   * (`a = int('257'); b = int('257')`). `a == b` is always True.
   */
  checks: { value: number; oneCompilation: boolean; twoCompilations: boolean; runtime: boolean; equal: boolean }[];
}

/** For each value: is `a is b` when a and b are bound in one compilation, in two, and built at run time? */
export function smallIntIdentity(values: number[] = [-6, -5, 0, 1, 255, 256, 257, 1000]): SmallIntIdentity {
  return withHeap({ capacity: 1 << 12 }, (heap) => ({
    range: [heap.profile.smallInts.min, heap.profile.smallInts.max],
    checks: values.map((value) => {
      const [a, b] = heap.compile([String(value), String(value)]);
      const [c] = heap.compile([String(value)]);
      const [d] = heap.compile([String(value)]);
      const [e, f] = heap.compile([`int('${value}')`, `int('${value}')`]);
      return { value, oneCompilation: heap.is(a, b), twoCompilations: heap.is(c, d), runtime: heap.is(e, f), equal: heap.eq(e, f) };
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

export interface GcSchedule {
  allocations: number;
  thresholds: [number, number, number];
  /** Automatic collections of each generation while `allocations` lists are made and kept. */
  collections: [number, number, number];
}

/** The automatic GC schedule: collections per generation while a fresh heap makes and keeps N lists (keep = [[] for _ in range(N)]). */
export function gcSchedule(allocations: number): GcSchedule {
  return withHeap({ capacity: allocations + 4096, storeWords: 16 * allocations + (1 << 16) }, (heap) => {
    heap.collect();
    const counts = () => heap.getStats().map((s) => s.collections) as [number, number, number];
    const before = counts();
    const keep = heap.list();
    for (let i = 0; i < allocations; i++) {
      const list = heap.list();
      heap.append(keep, list);
      heap.decref(list);
    }
    const after = counts();
    return { allocations, thresholds: heap.getThreshold(), collections: after.map((n, g) => n - before[g]) as [number, number, number] };
  });
}


export interface ContainerGrowth {
  container: 'dict' | 'set';
  /** The keys inserted: i, 'k<i>', i + 0.5 or (i,), for i = 0, 1, ... */
  keys: GrowthKey;
  insertions: number;
  /** getsizeof after each insertion. */
  sizes: number[];
  /** Each resize of the table: the length that caused it and getsizeof after it. */
  resizes: { length: number; size: number }[];
}

const KEY_MAKERS: Record<GrowthKey, (heap: PyHeap, i: number) => PyRef> = {
  int: (heap, i) => heap.int(i),
  str: (heap, i) => heap.str(`k${i}`),
  float: (heap, i) => heap.float(i + 0.5),
  tuple: (heap, i) => heap.tuple([heap.int(i)]),
};

/** d[key] = None (or s.add(key)) for N distinct keys of one kind, and getsizeof after each. */
export function containerGrowth(container: 'dict' | 'set', keys: GrowthKey, insertions: number): ContainerGrowth {
  return withHeap({ capacity: 3 * insertions + 4096, storeWords: 16 * insertions + (1 << 16), maxLarge: 1 << 12 }, (heap) => {
    const target = container === 'dict' ? heap.dict() : heap.set();
    const none = heap.none();
    const sizes: number[] = [];
    const resizes: ContainerGrowth['resizes'] = [];
    const emptySize = heap.getsizeof(target);
    for (let i = 0; i < insertions; i++) {
      const key = KEY_MAKERS[keys](heap, i);
      if (container === 'dict') heap.setItem(target, key, none);
      else heap.add(target, key);
      heap.decref(key);
      const size = heap.getsizeof(target);
      if (size !== (sizes.at(-1) ?? emptySize)) resizes.push({ length: i + 1, size });
      sizes.push(size);
    }
    return { container, keys, insertions, sizes, resizes };
  });
}
