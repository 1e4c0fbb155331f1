/*
 * One model heap (src/pymem) per worker, for the memory-management scenarios
 * (recursion-limit, cycle-leak, pool-fragmentation, small-int-identity): what
 * running the same Python program in N separate interpreter processes does.
 *
 * setup() makes the heaps in the kernel (shared memory) and hands the workers
 * their handles, plain data; worker i attaches heap i and drives it alone, so no
 * lock is needed and a run is as deterministic as the model itself. The judge,
 * on the main thread, attaches every heap again to read what is left in it, and
 * requires all workers to have come to the same judgement: the model is
 * deterministic, so workers that disagree mean it is not (FORBIDDEN).
 */
import type { Judgement, OutcomeSpec, WorkerContext } from '../../src/scenario.js';
import { pymem } from '../../src/pymem-entry.js';

/** The CPython the heaps model (3.11): the scenarios predict their outcomes from the same table. */
export const PROFILE = pymem.DEFAULT_PROFILE;

export interface HeapPerWorker {
  /** Heap i belongs to worker i. */
  readonly heaps: readonly pymem.PyHeapHandle[];
}

/** Dimensions every scenario heap starts from (one thread, few frames, small tables); each scenario widens what it needs. */
const BASE: pymem.PyHeapOptions = { capacity: 4096, maxArenas: 8, maxLarge: 64, storeWords: 1 << 14, threads: 1, framesPerThread: 8, traceCapacity: 16, internCapacity: 1024 };

export function makeHeaps(workers: number, options: pymem.PyHeapOptions): HeapPerWorker {
  return { heaps: Array.from({ length: workers }, () => new pymem.PyHeap({ ...BASE, ...options, profile: PROFILE }).handle) };
}

export function destroyHeaps(shared: HeapPerWorker): void {
  for (const handle of shared.heaps) new pymem.PyHeap(handle).destroy();
}

/** This worker's own heap, attached from its handle. */
export function ownHeap(shared: HeapPerWorker, context: Pick<WorkerContext, 'index'>): pymem.PyHeap {
  return new pymem.PyHeap(shared.heaps[context.index]);
}

export const WORKERS_DISAGREE = 'workers-disagree';

/** The variant's outcomes, plus the one every memory scenario forbids: workers that ran the same program and disagree. */
export function withAgreement(specs: OutcomeSpec[]): OutcomeSpec[] {
  return [...specs, { key: WORKERS_DISAGREE, expect: 'FORBIDDEN', description: 'the same program on identical heaps gave different results: the model is not deterministic' }];
}

/** Judges each worker's result (with its heap, attached here) and requires every judgement to be the same. */
export function judgeEachAlike<R>(shared: HeapPerWorker, results: readonly R[], judgeOne: (result: R, heap: pymem.PyHeap) => Judgement): Judgement {
  const judgements = results.map((result, index) => judgeOne(result, new pymem.PyHeap(shared.heaps[index])));
  const distinct = [...new Set(judgements.map((judgement) => `${judgement.outcome}: ${judgement.observed}`))];
  if (distinct.length === 1) return { ...judgements[0], observed: `${judgements[0].observed}${results.length > 1 ? ` (${results.length === 2 ? 'both' : `all ${results.length}`} workers)` : ''}` };
  return { outcome: WORKERS_DISAGREE, observed: distinct.join(' | '), expected: judgements[0].expected };
}

/**
 * What compiling a function leaves in the heap before it runs: the function bound at module level
 * (def name: ...) and the names its code uses (co_varnames, co_names), interned and kept alive by the code
 * object, here a module-level tuple. They belong to the program, not to what it allocates as it runs.
 */
export function defineFunction(heap: pymem.PyHeap, name: string, names: readonly string[]): void {
  heap.assign(name, heap.function(name));
  heap.assign(`${name}.__code__.co_names`, heap.tuple(names.map((text) => heap.intern(heap.str(text)))));
}

/** Bytes in pymalloc's allocated blocks now (sys._debugmallocstats' "bytes in allocated blocks"). */
export function blockBytes(heap: pymem.PyHeap): number {
  return heap.mallocStats().bytesInAllocatedBlocks;
}

/** 12345 as "12.1 KiB", 3e6 as "2.9 MiB". */
export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) < 1024) return `${bytes} B`;
  if (Math.abs(bytes) < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
