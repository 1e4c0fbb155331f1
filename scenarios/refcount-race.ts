/*
 * Scenario refcount-race: several threads take and drop references to one shared
 * object of the model heap (src/pymem, in shared memory). Py_INCREF and Py_DECREF
 * are plain read-modify-writes of ob_refcnt, which CPython can afford only because
 * the GIL lets one thread run at a time. Without it, increments and decrements are
 * lost: the count drifts down to 0 and the object is freed while still referenced
 * (use-after-free), or up, and it is never freed (a leak). Fixed under the GIL, and
 * with atomic reference counts, as free-threaded CPython has them (PEP 703), with
 * their cost measured.
 */
import { type Classification, defineScenario, type Judgement, type OutcomeSpec, type ScenarioParams } from '../src/scenario.js';
import { Gil, type GilHandle } from '../src/gil-entry.js';
import { pymem } from '../src/pymem-entry.js';
import { runGilSteps } from './support/gil-steps.js';
import { SMALL_HEAP } from './support/small-heap.js';

/** The variants that cannot race run a million pairs: enough to measure a pair's cost, in a fifth of the racy variant's time. */
const NO_RACE_PARAMS = { iterations: 1_000_000 };

/** Fewer pairs than this (a run cut short by the bug) say nothing about the cost. */
const MEASURED_PAIRS = 10_000;

interface Shared {
  /** Plain data (handles), so each worker attaches the same heap and GIL. */
  heap: pymem.PyHeapHandle;
  gil: GilHandle;
  /** The shared object: a list the main thread holds one reference to for the whole run. */
  obj: pymem.PyRef;
}

interface WorkerReport {
  /** What stopped the worker early: the object was found freed under it. */
  failure: string | null;
  /** Increment/decrement pairs done, and the nanoseconds they took. */
  pairs: number;
  ns: number;
}

const outcomes = (bug: Classification): OutcomeSpec[] => [
  { key: 'refcount=1', expect: 'ACCEPTABLE', description: 'every incref met its decref: only the owner\'s reference is left' },
  { key: 'use-after-free', expect: bug, description: 'lost increfs: the count hit 0 and the object was freed while referenced' },
  { key: 'leak', expect: bug, description: 'lost decrefs: the count stays above 1, the object can never be freed' },
];

/** Counts the incref+decref pairs a worker completes. */
interface Tally {
  pairs: number;
}

/** Runs a worker's loop, timing it; a sign that the object was freed under it (a throw) ends the loop early. */
function measured(loop: (tally: Tally) => void): WorkerReport {
  const tally: Tally = { pairs: 0 };
  const start = performance.now();
  let failure: string | null = null;
  try {
    loop(tally);
  } catch {
    // Whatever the heap raised (a freed object, a count at 0), it means one thing here.
    failure = `a worker found it already freed after ${tally.pairs} of its pairs`;
  }
  return { failure, pairs: tally.pairs, ns: (performance.now() - start) * 1e6 };
}

function judge({ shared, results }: { shared: Shared; results: readonly WorkerReport[] }): Judgement {
  const heap = new pymem.PyHeap(shared.heap);
  const alive = heap.isAlive(shared.obj);
  const count = alive ? heap.refcount(shared.obj) : null;
  const failure = results.find((report) => report.failure !== null)?.failure;
  const totalPairs = results.reduce((sum, report) => sum + report.pairs, 0);
  const nsPerPair = results.reduce((sum, report) => sum + report.ns, 0) / Math.max(1, totalPairs);
  const cost = totalPairs < MEASURED_PAIRS ? `${totalPairs} pairs done` : `${nsPerPair.toFixed(1)} ns per incref+decref pair`;
  if (!alive || failure !== undefined) {
    return { outcome: 'use-after-free', observed: `object freed while referenced${failure ? ` (${failure})` : ''}; ${cost}`, expected: 'refcount=1' };
  }
  if (count !== 1) return { outcome: count! > 1 ? 'leak' : 'use-after-free', observed: `refcount=${count} after all workers finished; ${cost}`, expected: 'refcount=1' };
  return { outcome: 'refcount=1', observed: `refcount=1; ${cost}`, expected: 'refcount=1' };
}

export default defineScenario<ScenarioParams, Shared, WorkerReport>({
  name: 'refcount-race',
  summary: 'Py_INCREF/Py_DECREF on one object from threads without the GIL: freed while in use, or leaked',
  explain:
    'The main thread holds one reference to a list in the model heap; each worker repeatedly takes a reference and ' +
    'drops it (what passing the object around does: Py_INCREF, then Py_DECREF). Both are `ob_refcnt += 1` / `-= 1`, a ' +
    'read-modify-write. Under the GIL only one thread runs at a time, so none is lost. Without it (free-threaded ' +
    'CPython with plain counts), two updates that overlap lose one: lost increfs let the count reach 0 while ' +
    'references remain, and the object is freed under its users; lost decrefs leave it alive for ever. Free-threaded ' +
    'CPython 3.13t makes the counts safe with atomic operations (biased reference counting: atomics for threads that ' +
    'do not own the object), at a cost shown here per incref+decref pair. Python:\n' +
    '    shared = []\n' +
    '    def work(n):\n' +
    '        for _ in range(n):\n' +
    '            ref = shared          # Py_INCREF(shared)\n' +
    '            del ref               # Py_DECREF(shared)',
  params: { workers: 2, iterations: 5_000_000, repeat: 5, timeout: 60 },
  setup: () => {
    const heap = new pymem.PyHeap(SMALL_HEAP);
    return { heap: heap.handle, gil: new Gil().handle, obj: heap.list() };
  },
  teardown: (shared) => new pymem.PyHeap(shared.heap).destroy(),
  judge,
  variants: {
    racy: {
      summary: 'plain Py_INCREF/Py_DECREF, no GIL',
      python: 'ref = shared; del ref   # free-threaded, non-atomic counts',
      worker: ({ heap, obj }, { params }) => {
        const py = new pymem.PyHeap(heap);
        return measured((tally) => {
          for (; tally.pairs < params.iterations; tally.pairs++) {
            py.incref(obj);
            py.decref(obj);
          }
        });
      },
      outcomes: outcomes('INTERESTING'),
    },
    fixed: {
      summary: 'the same plain counts, each one a bytecode under the shared GIL',
      python: 'ref = shared; del ref   # CPython with the GIL',
      worker: ({ heap, gil, obj }, { params }) => {
        const py = new pymem.PyHeap(heap);
        return measured((tally) =>
          runGilSteps(gil, 2 * params.iterations, (step) => {
            if (step % 2 === 0) py.incref(obj);
            else {
              py.decref(obj);
              tally.pairs++;
            }
          }),
        );
      },
      outcomes: outcomes('FORBIDDEN'),
      params: NO_RACE_PARAMS,
    },
    atomic: {
      summary: 'atomic increments and decrements of ob_refcnt, no GIL (free-threaded CPython)',
      python: 'ref = shared; del ref   # python3.13t: atomic shared refcounts',
      worker: ({ heap, obj }, { params }) => {
        const py = new pymem.PyHeap(heap);
        const refcnt = py.memory.refcnt;
        return measured((tally) => {
          for (; tally.pairs < params.iterations; tally.pairs++) {
            // The same liveness check heap.incref makes, so the cost compares like for like.
            if (!py.isAlive(obj)) throw new Error(`${obj} is not a live object of this heap`);
            Atomics.add(refcnt, obj, 1);
            if (Atomics.sub(refcnt, obj, 1) <= 1) throw new Error(`ob_refcnt of ${obj} reached 0: it would be freed`);
          }
        });
      },
      outcomes: outcomes('FORBIDDEN'),
      params: NO_RACE_PARAMS,
    },
  },
});
