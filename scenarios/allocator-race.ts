/*
 * Scenario allocator-race: several threads allocate and free small blocks from
 * one pymalloc pool of the model heap (src/pymem, Objects/obmalloc.c's algorithm
 * in shared memory) with no lock. pymalloc's pool free list is a plain LIFO list
 * (pop: block = freeblock; freeblock = *block), safe only because the GIL lets one
 * thread allocate at a time. Two threads popping at once both get the same block:
 * a block handed out twice, which every worker's claim on the blocks it holds
 * detects. Fixed under the GIL, and with a heap per thread, as free-threaded
 * CPython does with mimalloc's per-thread heaps.
 */
import { attach, type Classification, defineScenario, type Judgement, type OutcomeSpec, type ScenarioParams, SharedWords, type SharedWordsHandle } from '../src/scenario.js';
import { Gil, type GilHandle } from '../src/gil-entry.js';
import { objectFree, objectMalloc, pymem } from '../src/pymem-entry.js';
import { runGilSteps } from './support/gil-steps.js';
import { SMALL_HEAP } from './support/small-heap.js';

/** The variants that cannot race churn a quarter as long as the racy one: as good a check, in a quarter of the time. */
const NO_RACE_PARAMS = { iterations: 250_000 };

/** Every request is 32 bytes: size class 1, one pool's worth of blocks. */
const BLOCK_BYTES = 32;
/** Blocks the main thread keeps allocated, so the pool never empties and returns to its arena. */
const BALLAST = 64;
/** Blocks each worker holds at most; with the ballast, far fewer than a pool's 510, so it never fills. */
const HOLD = 4;
/** Claim slots per heap: one per 16-byte address in the first arenas. */
const CLAIM_SLOTS = (SMALL_HEAP.maxArenas! + 1) * (1 << 20) / 16;

interface Shared {
  /** A heap per worker; the shared-heap variants all use heap 0, which holds the ballast. */
  heaps: pymem.PyHeapHandle[];
  gil: GilHandle;
  /** Live pymalloc blocks in each heap before the workers start (the heap's own objects, and heap 0's ballast). */
  live: number[];
  /** Who holds each block: claims[heap * CLAIM_SLOTS + address / 16] = worker tag, 0 = nobody. */
  claims: SharedWordsHandle;
}

interface WorkerReport {
  /** What went wrong first: a block also held by another worker, or the allocator failing. */
  failure: { kind: 'twice' | 'corrupted'; detail: string } | null;
  allocations: number;
}

const outcomes = (bug: Classification): OutcomeSpec[] => [
  { key: 'each-block-once', expect: 'ACCEPTABLE', description: 'no block was ever held by two workers; all came back' },
  { key: 'block-handed-out-twice', expect: bug, description: 'two pops of the free list raced and returned the same block' },
  { key: 'allocator-corrupted', expect: bug, description: "racing updates broke the pool's state (counts or links)" },
];

/** One worker's loop: allocate, claim, and free the oldest block beyond HOLD; `step` runs each malloc or free. */
function churn(
  shared: Shared,
  heapIndex: number,
  iterations: number,
  tag: number,
  steps: (count: number, step: (index: number) => void) => void,
): WorkerReport {
  const memory = new pymem.PyHeap(shared.heaps[heapIndex]).memory;
  const claims = attach(shared.claims);
  const base = heapIndex * CLAIM_SLOTS;
  const held: number[] = [];
  const report: WorkerReport = { failure: null, allocations: 0 };
  const slotOf = (address: number) => {
    const slot = address / 16;
    if (!Number.isInteger(slot) || slot < 0 || slot >= CLAIM_SLOTS) throw new Error(`pymalloc returned ${address}, outside its arenas`);
    return base + slot;
  };
  const allocate = () => {
    const address = objectMalloc(memory, BLOCK_BYTES);
    report.allocations++;
    const holder = claims.compareExchange(slotOf(address), 0, tag);
    // Tags are worker index + 1 (0 means nobody); messages number workers from 0, as everywhere.
    if (holder !== 0) throw Object.assign(new Error(`block at ${address} handed to worker ${tag - 1} while worker ${holder - 1} holds it`), { twice: true });
    held.push(address);
  };
  const release = () => {
    const address = held.shift()!;
    claims.store(slotOf(address), 0);
    objectFree(memory, address);
  };
  try {
    steps(2 * iterations, (index) => (index % 2 === 0 ? allocate() : held.length >= HOLD ? release() : undefined));
    steps(held.length, release);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    report.failure = { kind: (error as { twice?: boolean }).twice ? 'twice' : 'corrupted', detail };
  }
  return report;
}

/** pymalloc's blocks in use in a heap, summed over its size classes as sys._debugmallocstats() counts them. */
function liveBlocks(heap: pymem.PyHeapHandle): number {
  return new pymem.PyHeap(heap).mallocStats().classes.reduce((sum, sizeClass) => sum + sizeClass.blocksInUse, 0);
}

const plainSteps = (count: number, step: (index: number) => void) => {
  for (let index = 0; index < count; index++) step(index);
};

function judge({ shared, results, params }: { shared: Shared; results: readonly WorkerReport[]; params: ScenarioParams }): Judgement {
  const failure = results.find((report) => report.failure?.kind === 'twice') ?? results.find((report) => report.failure !== null);
  const allocations = results.reduce((sum, report) => sum + report.allocations, 0);
  // What the run sets out to do (a failing worker stops early, so the count made so far would say less).
  const expected = `each of ${params.workers * params.iterations} allocations held by one worker at a time; pymalloc's blocks in use back to ${perHeap(shared.live)}`;
  if (failure?.failure) {
    const outcome = failure.failure.kind === 'twice' ? 'block-handed-out-twice' : 'allocator-corrupted';
    return { outcome, observed: failure.failure.detail, expected };
  }
  const live = shared.heaps.map(liveBlocks);
  if (live.some((count, index) => count !== shared.live[index])) {
    return { outcome: 'allocator-corrupted', observed: `pymalloc's blocks in use: ${perHeap(live)} after every worker freed its own`, expected };
  }
  return { outcome: 'each-block-once', observed: `${allocations} allocations, none shared; pymalloc's blocks in use back to ${perHeap(live)}`, expected };
}

/** Block counts in plain words: "65" for one heap, "65 and 1 (one heap per worker)" for several. */
function perHeap(counts: readonly number[]): string {
  return counts.length === 1 ? String(counts[0]) : `${counts.slice(0, -1).join(', ')} and ${counts.at(-1)} (one heap per worker)`;
}

export default defineScenario<ScenarioParams, Shared, WorkerReport>({
  name: 'allocator-race',
  summary: 'pymalloc from threads without the GIL hands the same block out twice',
  explain:
    'Workers allocate 32-byte blocks (one pymalloc size class, so one pool) and free them again, each holding a few at ' +
    'a time, on one model heap. pymalloc takes a block by popping its pool\'s free list: read the head, then store ' +
    'the next block as the new head. Under the GIL that pop is never interrupted by another allocation. Without it, ' +
    'two threads read the same head and both return that block: two objects in one piece of memory. Free-threaded ' +
    'CPython replaces pymalloc with mimalloc, whose heaps are per thread: a thread allocates only from its own pages ' +
    '(frees from other threads go through an atomic delayed-free list, not modelled here). Python:\n' +
    '    def work(n):\n' +
    '        for _ in range(n):\n' +
    '            x = [1, 2]            # PyObject_Malloc: pop the pool\'s free list\n' +
    '            del x                 # PyObject_Free: push the block back',
  params: { workers: 2, iterations: 1_000_000, repeat: 5, timeout: 60 },
  setup: (params) => {
    const shared = new pymem.PyHeap(SMALL_HEAP);
    for (let i = 0; i < BALLAST; i++) objectMalloc(shared.memory, BLOCK_BYTES);
    const ownHeaps = Array.from({ length: params.workers }, (_, index) => (index === 0 ? shared : new pymem.PyHeap(SMALL_HEAP)));
    return {
      heaps: ownHeaps.map((heap) => heap.handle),
      live: ownHeaps.map((heap) => liveBlocks(heap.handle)),
      gil: new Gil().handle,
      claims: new SharedWords(params.workers * CLAIM_SLOTS).handle,
    };
  },
  teardown: (shared) => {
    for (const heap of shared.heaps) new pymem.PyHeap(heap).destroy();
    attach(shared.claims).free();
  },
  judge,
  variants: {
    racy: {
      summary: 'one shared heap, no GIL',
      python: 'x = [1, 2]; del x   # free-threaded, with pymalloc',
      worker: (shared, { params, index }) => churn(shared, 0, params.iterations, index + 1, plainSteps),
      outcomes: outcomes('INTERESTING'),
    },
    fixed: {
      summary: 'one shared heap, each malloc and free a bytecode under the shared GIL',
      python: 'x = [1, 2]; del x   # CPython with the GIL',
      worker: (shared, { params, index }) =>
        churn(shared, 0, params.iterations, index + 1, (count, step) => {
          runGilSteps(shared.gil, count, step);
        }),
      outcomes: outcomes('FORBIDDEN'),
      params: NO_RACE_PARAMS,
    },
    'per-thread-heaps': {
      summary: 'a heap per worker, no GIL (mimalloc in free-threaded CPython)',
      python: 'x = [1, 2]; del x   # python3.13t: mimalloc, a heap per thread',
      worker: (shared, { params, index }) => churn(shared, index, params.iterations, index + 1, plainSteps),
      outcomes: outcomes('FORBIDDEN'),
      params: NO_RACE_PARAMS,
    },
  },
});

