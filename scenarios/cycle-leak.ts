/*
 * Scenario cycle-leak: pairs of instances that point at each other, made and
 * dropped in a loop, on the model heap (src/pymem). Reference counting frees an
 * object when its count reaches 0, which a cycle never does: with the cyclic GC
 * disabled every pair stays (memory grows with the loop). gc.collect() finds
 * them (Modules/gcmodule.c's algorithm, src/pymem/gc.ts) and returns how many
 * unreachable objects it found, 2 per pair as python3 3.11 says (the fixture's
 * `twoInstances`). Breaking the cycle by hand lets refcounting free each pair at
 * once; with the GC enabled, its generation-0 threshold (700) starts collections
 * on its own and keeps the garbage bounded however long the loop runs.
 */
import { defineScenario, type Judgement, type OutcomeSpec, type ScenarioParams } from '../src/scenario.js';
import type { pymem } from '../src/pymem-entry.js';
import { blockBytes, defineFunction, destroyHeaps, formatBytes, type HeapPerWorker, judgeEachAlike, makeHeaps, ownHeap, PROFILE, withAgreement } from './support/heap-per-worker.js';

/** What one worker's loop left behind. */
interface Loop {
  pairs: number;
  gcEnabled: boolean;
  /** Live objects before the loop, once the class and the attribute name exist. */
  baseLive: number;
  /** Objects alive beyond baseLive: the most at any point of the loop, and at its end (before any gc.collect()). */
  peakGarbage: number;
  garbage: number;
  /** Bytes of pymalloc blocks the garbage held at the end of the loop. */
  garbageBytes: number;
  /** gc.collect()'s return value, when the variant calls it. */
  collected: number | null;
  /** Collections the allocations started on their own, and the objects they found. */
  automatic: { collections: number; collected: number };
}

type Shared = HeapPerWorker;

/** The GC's generation-0 threshold of the modelled CPython (gc.get_threshold()[0]). */
const THRESHOLD0 = PROFILE.gc.thresholds[0];
/**
 * With the GC enabled, the garbage stays under this: about one generation-0 threshold of it, plus the few
 * pairs still referenced when a collection ran, which wait in generation 1 (twice the threshold is a safe bound).
 */
const GARBAGE_BOUND = 2 * THRESHOLD0;

interface Options {
  gcEnabled: boolean;
  breakCycle: boolean;
  collectAfter: boolean;
}

/**
 *     class Node: pass
 *     def pair():
 *         a, b = Node(), Node()
 *         a.other, b.other = b, a
 *     for _ in range(pairs): pair()
 */
function loop(heap: pymem.PyHeap, pairs: number, options: Options): Loop {
  const Node = heap.defineClass('Node');
  heap.assign('Node', Node);
  defineFunction(heap, 'pair', ['a', 'b', 'other']);
  heap.collect();
  if (!options.gcEnabled) heap.disableGc();
  const before = { live: heap.liveObjects(), bytes: blockBytes(heap), stats: heap.getStats() };
  let peakGarbage = 0;
  for (let i = 0; i < pairs; i++) {
    dropPair(heap, makePair(heap, Node), options.breakCycle);
    peakGarbage = Math.max(peakGarbage, heap.liveObjects() - before.live);
  }
  const after = heap.getStats();
  const garbage = heap.liveObjects() - before.live;
  const garbageBytes = blockBytes(heap) - before.bytes;
  const collected = options.collectAfter ? heap.collect() : null;
  const automatic = {
    collections: after.reduce((sum, g, i) => sum + g.collections - before.stats[i].collections, 0),
    collected: after.reduce((sum, g, i) => sum + g.collected - before.stats[i].collected, 0),
  };
  return { pairs, gcEnabled: options.gcEnabled, baseLive: before.live, peakGarbage, garbage, garbageBytes, collected, automatic };
}

function makePair(heap: pymem.PyHeap, Node: pymem.PyRef): [pymem.PyRef, pymem.PyRef] {
  const a = heap.instance(Node);
  const b = heap.instance(Node);
  heap.setAttr(a, 'other', b);
  heap.setAttr(b, 'other', a);
  return [a, b];
}

/** The function returns: its locals a and b are released (after `del a.other` when the cycle is broken by hand). */
function dropPair(heap: pymem.PyHeap, [a, b]: [pymem.PyRef, pymem.PyRef], breakCycle: boolean): void {
  if (breakCycle) heap.delAttr(a, 'other');
  heap.decref(a);
  heap.decref(b);
}

function judgeLoop(loop: Loop, heap: pymem.PyHeap): Judgement {
  const made = 2 * loop.pairs;
  const leftNow = heap.liveObjects() - loop.baseLive; // read on the main thread, from the heap in shared memory
  const auto = loop.automatic.collections === 0 ? 'no automatic collection' : `${loop.automatic.collections} automatic collections found ${loop.automatic.collected}`;
  const figures = `${made} objects made; ${loop.garbage} still alive after the loop (${formatBytes(loop.garbageBytes)} of pymalloc blocks), at most ${loop.peakGarbage}; ${auto}`;
  const expected = 'every pair freed, by refcounting or by the GC';
  if (loop.collected !== null) {
    const outcome = leftNow === 0 ? `collected=${loop.collected}` : `collected=${loop.collected},left=${leftNow}`;
    return { outcome, observed: `${figures}; gc.collect() -> ${loop.collected}, ${leftNow} left`, expected };
  }
  if (loop.gcEnabled && (loop.automatic.collections > 0 || loop.peakGarbage > GARBAGE_BOUND)) {
    return { outcome: loop.peakGarbage <= GARBAGE_BOUND ? `garbage<=${GARBAGE_BOUND}` : `garbage>${GARBAGE_BOUND}`, observed: figures, expected };
  }
  return { outcome: `leaked=${leftNow}`, observed: figures, expected };
}

const leaked = (params: ScenarioParams, expect: OutcomeSpec['expect']): OutcomeSpec => ({
  key: `leaked=${2 * params.iterations}`,
  expect,
  description: 'refcounting never frees a cycle: every pair is still alive',
});

export default defineScenario<ScenarioParams, Shared, Loop>({
  name: 'cycle-leak',
  summary: 'pairs of objects in reference cycles outlive refcounting; gc.collect() frees them',
  explain:
    'Each pair of Node instances points at each other, so each keeps the other\'s reference count at 1 after the ' +
    'function that made them returns: reference counting, which frees an object the moment its count reaches 0, never ' +
    'frees them. With the cyclic GC disabled the pairs pile up, and memory grows with the loop. gc.collect() looks for ' +
    'groups of objects referenced only from inside the group, frees them and returns how many it found (2 per pair). ' +
    'Breaking the cycle before dropping the pair (del a.other, or a weakref) lets refcounting free it at once; left ' +
    `enabled, the GC starts a collection each time allocations outrun deallocations by ${THRESHOLD0} ` +
    '(gc.get_threshold()[0]), which keeps the garbage bounded. Python:\n' +
    '    gc.disable()\n' +
    '    def pair():\n' +
    '        a, b = Node(), Node()\n' +
    '        a.other, b.other = b, a       # a cycle: both counts stay 1 after return\n' +
    '    for _ in range(1000): pair()      # 2000 objects leaked\n' +
    '    gc.collect()                      # -> 2000',
  params: { workers: 2, iterations: 1000, repeat: 3, timeout: 10 },
  setup: (params) => makeHeaps(params.workers, { capacity: 2 * params.iterations + 4096, storeWords: Math.max(1 << 14, 8 * params.iterations) }),
  teardown: destroyHeaps,
  judge: ({ shared, results }) => judgeEachAlike(shared, results, judgeLoop),
  // Not a race: what the first variant shows is what CPython does.
  vocabulary: { INTERESTING: 'AS CPYTHON DOES' },
  variants: {
    'gc-disabled': {
      summary: 'gc.disable(), then the pairs made and dropped',
      python: 'gc.disable()\nfor _ in range(1000): pair()',
      worker: (shared, context) => loop(ownHeap(shared, context), context.params.iterations, { gcEnabled: false, breakCycle: false, collectAfter: false }),
      outcomes: (params) => withAgreement([leaked(params, 'INTERESTING'), { key: 'leaked=0', expect: 'FORBIDDEN', description: 'refcounting freed a cycle: the model is wrong' }]),
    },
    fixed: {
      summary: 'the same leak, then gc.collect()',
      python: 'gc.disable()\nfor _ in range(1000): pair()\ngc.collect()',
      worker: (shared, context) => loop(ownHeap(shared, context), context.params.iterations, { gcEnabled: false, breakCycle: false, collectAfter: true }),
      outcomes: (params) =>
        withAgreement([{ key: `collected=${2 * params.iterations}`, expect: 'ACCEPTABLE', description: 'gc.collect() found every object of every cycle' }]),
    },
    'break-cycle': {
      summary: 'del a.other before the pair is dropped: refcounting frees it, no GC needed',
      python: 'gc.disable()\ndef pair():\n    a, b = Node(), Node()\n    a.other, b.other = b, a\n    del a.other',
      worker: (shared, context) => loop(ownHeap(shared, context), context.params.iterations, { gcEnabled: false, breakCycle: true, collectAfter: false }),
      outcomes: (params) => withAgreement([{ key: 'leaked=0', expect: 'ACCEPTABLE', description: 'no cycle left: every pair freed as its last reference went' }, leaked(params, 'FORBIDDEN')]),
    },
    thresholds: {
      summary: `the GC enabled with its default thresholds: a collection every ${THRESHOLD0} net allocations`,
      python: `gc.enable()            # gc.get_threshold() == (${PROFILE.gc.thresholds.join(', ')})\nfor _ in range(3000): pair()`,
      params: { iterations: 3000 },
      worker: (shared, context) => loop(ownHeap(shared, context), context.params.iterations, { gcEnabled: true, breakCycle: false, collectAfter: false }),
      outcomes: (params) =>
        withAgreement([
          { key: `garbage<=${GARBAGE_BOUND}`, expect: 'ACCEPTABLE', description: 'automatic collections kept the garbage bounded' },
          { key: `leaked=${2 * params.iterations}`, expect: 'ACCEPTABLE', description: 'too few pairs to reach the threshold: nothing collected yet' },
          { key: `garbage>${GARBAGE_BOUND}`, expect: 'FORBIDDEN', description: 'the garbage outgrew the thresholds: collections did not start' },
        ]),
    },
  },
});
