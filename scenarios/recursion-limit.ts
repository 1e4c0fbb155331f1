/*
 * Scenario recursion-limit: a plain recursive function asked to go `iterations`
 * calls deep, on the model heap (src/pymem/frames.ts). CPython 3.11 counts every
 * Python frame, the module's included, against sys.getrecursionlimit() (1000 by
 * default: Py_DEFAULT_RECURSION_LIMIT), so a function called from module level
 * makes 999 calls and the 1000th raises RecursionError; the model's count is
 * checked against the real python3 by test/pymem/fixture.test.ts. Fixed: the same
 * computation as a loop (one frame), or the limit raised with
 * sys.setrecursionlimit. Each frame keeps its local `n` alive, an int object of
 * its own outside the small-int cache: that is the memory the frames hold.
 */
import { defineScenario, type Judgement, type OutcomeSpec, type ScenarioParams } from '../src/scenario.js';
import { pymem } from '../src/pymem-entry.js';
import { blockBytes, defineFunction, destroyHeaps, formatBytes, type HeapPerWorker, judgeEachAlike, makeHeaps, ownHeap, PROFILE, withAgreement } from './support/heap-per-worker.js';

interface Params extends ScenarioParams {
  /** sys.getrecursionlimit() of each heap. */
  limit: number;
}

/** What one worker saw: the calls made, the deepest point, and what was left after unwinding. */
interface Descent {
  /** depth(n)'s calls that ran (frames pushed beyond the module's). */
  calls: number;
  /** "RecursionError: ..." when the descent stopped on one. */
  error: string | null;
  /** At the deepest point: frames on the stack (the module's included), and what they kept alive. */
  frames: number;
  heldObjects: number;
  heldBytes: number;
  /** Live objects after the stack unwound, minus before the call (0: every frame let go of its locals). */
  leftOver: number;
}

/** How far above the depth asked the `raised` variant sets the limit (Python: sys.setrecursionlimit(n + 10)). */
const HEADROOM = 10;

const raisedLimit = (params: Params): number => params.iterations + HEADROOM;

/**
 * The descent, with the model's frames standing in for the Python ones:
 *     def depth(n): return 1 if n == 1 else 1 + depth(n - 1)
 * Call k binds the local n = iterations - k + 1; the stack unwinds (return or exception) at the end.
 */
function recurse(heap: pymem.PyHeap, n: number): Descent {
  defineFunction(heap, 'depth', ['n']);
  const before = { live: heap.liveObjects(), bytes: blockBytes(heap) };
  let calls = 0;
  let error: string | null = null;
  try {
    for (let k = n; k >= 1; k--) {
      heap.call('depth', 1);
      heap.assign('n', heap.int(k));
      calls++;
    }
  } catch (raised) {
    if (!(raised instanceof pymem.RecursionError)) throw raised;
    error = `${raised.name}: ${raised.message}`;
  }
  const deepest = { frames: heap.depth(), heldObjects: heap.liveObjects() - before.live, heldBytes: blockBytes(heap) - before.bytes };
  while (heap.depth() > 1) heap.ret();
  return { calls, error, ...deepest, leftOver: heap.liveObjects() - before.live };
}

/**
 * The same result from one frame:
 *     def depth(n):
 *         calls = 0
 *         while n: calls, n = calls + 1, n - 1
 *         return calls
 */
function iterate(heap: pymem.PyHeap, n: number): Descent {
  defineFunction(heap, 'depth', ['n', 'calls']);
  const before = { live: heap.liveObjects(), bytes: blockBytes(heap) };
  heap.call('depth', 1);
  heap.assign('n', heap.int(n));
  heap.assign('calls', heap.int(0));
  let deepest = { frames: heap.depth(), heldObjects: 0, heldBytes: 0 };
  for (let calls = 1; calls <= n; calls++) {
    heap.assign('calls', heap.int(calls));
    heap.assign('n', heap.int(n - calls));
    const held = heap.liveObjects() - before.live;
    if (held > deepest.heldObjects) deepest = { frames: heap.depth(), heldObjects: held, heldBytes: blockBytes(heap) - before.bytes };
  }
  heap.ret();
  return { calls: n, error: null, ...deepest, leftOver: heap.liveObjects() - before.live };
}

/** The key of a descent that made all its `calls`. */
const reachedKey = (calls: number) => `depth=${calls}`;
/** The key of a RecursionError raised after `calls` calls succeeded. */
const errorKey = (calls: number) => `RecursionError@${calls}`;

function outcomes(params: Params, limit: number): OutcomeSpec[] {
  const fits = params.iterations <= limit - 1;
  return withAgreement([
    fits
      ? { key: reachedKey(params.iterations), expect: 'ACCEPTABLE', description: 'the calls fit under the recursion limit' }
      : { key: errorKey(limit - 1), expect: 'INTERESTING', description: `RecursionError after ${limit - 1} calls: the module frame counts too` },
    { key: 'frames-leaked', expect: 'FORBIDDEN', description: 'objects outlived the frames that held them: the model is wrong' },
  ]);
}

function judgeDescent(descent: Descent, params: Params): Judgement {
  const expected = `depth(${params.iterations}) = ${params.iterations}`;
  const held = `${descent.frames} frames held ${descent.heldObjects} objects (${formatBytes(descent.heldBytes)} of pymalloc blocks)`;
  if (descent.leftOver !== 0) return { outcome: 'frames-leaked', observed: `${descent.leftOver} objects left after unwinding; ${held}`, expected };
  if (descent.error !== null) {
    return { outcome: errorKey(descent.calls), observed: `${descent.error} at call ${descent.calls + 1}; at the deepest ${held}`, expected };
  }
  return { outcome: reachedKey(descent.calls), observed: `depth(${params.iterations}) = ${descent.calls}; at the deepest ${held}`, expected };
}

type Shared = HeapPerWorker;

export default defineScenario<Params, Shared, Descent>({
  name: 'recursion-limit',
  summary: 'a plain recursive function raises RecursionError after 999 calls; a loop or a raised limit gets there',
  explain:
    'CPython counts every Python frame against sys.getrecursionlimit() (1000 in 3.11), the module\'s frame included, ' +
    'so a recursive function called from module level makes 999 calls and the 1000th raises RecursionError: ' +
    'maximum recursion depth exceeded (the model\'s count is checked against python3 3.11). The limit guards the ' +
    'interpreter, not memory: 3.11 keeps Python frames on a per-thread data stack and no longer recurses in C for a ' +
    'Python-to-Python call, so what a deep stack costs is mostly what its frames keep alive, here one int per frame ' +
    '(ints outside -5..256 are objects of their own, 32-byte pymalloc blocks). The fix is a loop, which needs one ' +
    'frame however far it goes, or, when the depth is known and bounded, sys.setrecursionlimit. Python:\n' +
    '    def depth(n):\n' +
    '        return 1 if n == 1 else 1 + depth(n - 1)\n' +
    '    depth(5000)           # RecursionError: maximum recursion depth exceeded',
  params: { workers: 2, iterations: 5000, repeat: 3, timeout: 10, limit: PROFILE.recursionLimit },
  setup: (params) => makeHeaps(params.workers, { capacity: params.iterations + 4096, framesPerThread: Math.max(params.limit, raisedLimit(params)) + 2 }),
  teardown: destroyHeaps,
  judge: ({ shared, results, params }) => judgeEachAlike(shared, results, (descent) => judgeDescent(descent, params)),
  // Not a race: what the first variant shows is what CPython does.
  vocabulary: { INTERESTING: 'AS CPYTHON DOES' },
  variants: {
    recursive: {
      summary: 'depth(n) recursing n calls deep, under the default recursion limit',
      python: 'depth(5000)              # 1 + depth(n - 1) ...',
      worker: (shared, context) => {
        const heap = ownHeap(shared, context);
        heap.setRecursionLimit(context.params.limit);
        return recurse(heap, context.params.iterations);
      },
      outcomes: (params) => outcomes(params, params.limit),
    },
    fixed: {
      summary: 'the same count in a while loop: one frame',
      python: 'calls = 0\nwhile n:\n    calls, n = calls + 1, n - 1',
      worker: (shared, context) => iterate(ownHeap(shared, context), context.params.iterations),
      outcomes: (params) => outcomes(params, Number.MAX_SAFE_INTEGER),
    },
    raised: {
      summary: 'the recursion again, after sys.setrecursionlimit(n + 10)',
      python: 'sys.setrecursionlimit(5000 + 10)\ndepth(5000)',
      worker: (shared, context) => {
        const heap = ownHeap(shared, context);
        heap.setRecursionLimit(raisedLimit(context.params));
        return recurse(heap, context.params.iterations);
      },
      outcomes: (params) => outcomes(params, raisedLimit(params)),
    },
  },
});
