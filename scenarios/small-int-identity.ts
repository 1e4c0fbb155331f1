/*
 * Scenario small-int-identity: `is` against `==` on the model heap (src/pymem).
 * CPython 3.11 preallocates the ints -5..256 (_PY_NSMALLNEGINTS,
 * _PY_NSMALLPOSINTS) and hands out the same object every time one of them is
 * made, so `a is b` holds for two ints computed apart only inside that range;
 * `==` compares values and holds everywhere. Strings built at run time are new
 * objects too, unless sys.intern() maps them to the one interned copy (as the
 * compiler does for identifier-like literals). And an immutable object cannot
 * change: item assignment is a TypeError, and `x += 1` binds x to a new object.
 * The range and the string rules are the fixture's, checked against python3.
 */
import { defineScenario, type Judgement, type OutcomeSpec, type ScenarioParams } from '../src/scenario.js';
import type { pymem } from '../src/pymem-entry.js';
import { destroyHeaps, type HeapPerWorker, judgeEachAlike, makeHeaps, ownHeap, PROFILE, withAgreement } from './support/heap-per-worker.js';

const { min: SMALL_MIN, max: SMALL_MAX } = PROFILE.smallInts;
const CACHE_KEY = `is@${SMALL_MIN}..${SMALL_MAX}`;

/** What a worker's checks found, as an outcome key and the figures behind it. */
interface Found {
  key: string;
  observed: string;
}

type Shared = HeapPerWorker;

/** Large values compared besides the run around the small-int range. */
const LARGE = [1000, 10 ** 6, 2 ** 40, -(2 ** 40)];

/** The values compared: `margin` either side of the small-int range, then the large ones. */
function valuesAround(margin: number): number[] {
  return [...Array.from({ length: SMALL_MAX - SMALL_MIN + 1 + 2 * margin }, (_, i) => SMALL_MIN - margin + i), ...LARGE];
}

/** Makes each value twice, apart (int(s) at run time), and applies `compare` to the two; drops them after. */
function pairsWhere(heap: pymem.PyHeap, values: number[], compare: (a: pymem.PyRef, b: pymem.PyRef) => boolean): number[] {
  return values.filter((value) => {
    const [a, b] = [heap.int(value), heap.int(value)];
    const holds = compare(a, b);
    heap.decref(a);
    heap.decref(b);
    return holds;
  });
}

/** The values as "lo..hi" when they are one run of consecutive ints, else "scattered". */
function asRange(values: number[]): string {
  if (values.length === 0) return 'none';
  const consecutive = values.every((v, i) => i === 0 || v === values[i - 1] + 1);
  return consecutive ? `${values[0]}..${values.at(-1)}` : 'scattered';
}

function compareInts(heap: pymem.PyHeap, params: ScenarioParams, operator: 'is' | '=='): Found {
  const values = valuesAround(params.iterations);
  const compare = operator === 'is' ? (a: pymem.PyRef, b: pymem.PyRef) => heap.is(a, b) : (a: pymem.PyRef, b: pymem.PyRef) => heap.eq(a, b);
  const holding = pairsWhere(heap, values, compare);
  const range = holding.length === values.length ? 'all' : asRange(holding);
  return {
    key: `${operator}@${range}`,
    observed: `int(s) ${operator} int(s) for ${values.length} values (${values[0]}..${SMALL_MAX + params.iterations}, ${LARGE.join(', ')}): true for ${holding.length}${range === 'all' ? '' : ` (${range})`}`,
  };
}

/** The literal 'python', the same text built at run time, and the built one after sys.intern. */
function compareStrings(heap: pymem.PyHeap): Found {
  const literal = heap.literal("'python'");
  const built = heap.str(['py', 'thon'].join(''));
  const builtIsLiteral = heap.is(built, literal);
  const equal = heap.eq(built, literal);
  const interned = heap.intern(built);
  const internedIsLiteral = heap.is(interned, literal);
  heap.decref(interned);
  heap.decref(literal);
  const key = !builtIsLiteral && internedIsLiteral && equal ? 'is@interned-only' : `is@built=${builtIsLiteral},interned=${internedIsLiteral}`;
  return { key, observed: `built is literal: ${builtIsLiteral}; built == literal: ${equal}; sys.intern(built) is literal: ${internedIsLiteral}` };
}

/** Item assignment on a tuple and on a str, and `x += 1` with another name on x's object. */
function mutateImmutables(heap: pymem.PyHeap): Found {
  const raised = (what: string, container: pymem.PyRef, key: number, value: pymem.PyRef): string => {
    try {
      heap.setItem(container, key, value);
      return `${what}: assigned`;
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      return `${what}: TypeError: ${error.message}`;
    } finally {
      heap.decref(container);
      heap.decref(value);
    }
  };
  const tuple = raised('t[0] = 3', heap.literal('(1, 2)'), 0, heap.int(3));
  const str = raised("s[0] = 'x'", heap.str('abc'), 0, heap.str('x'));
  const x = heap.int(1000);
  heap.incref(x); // y = x
  const y = x;
  const next = heap.int(Number(heap.toValue(x)) + 1); // x += 1: a new int, x rebound to it
  heap.decref(x);
  const rebound = !heap.is(next, y) && heap.toValue(y) === 1000;
  heap.decref(next);
  heap.decref(y);
  const bothRaised = [tuple, str].every((line) => line.includes('TypeError'));
  return {
    key: bothRaised && rebound ? 'TypeError' : 'mutated',
    observed: `${tuple}; ${str}; y = x; x += 1 -> y is still ${rebound ? '1000, x a new object' : 'changed'}`,
  };
}

const judgeFound = (found: Found): Judgement => ({ outcome: found.key, observed: found.observed });

const only = (specs: OutcomeSpec[]) => () => withAgreement(specs);

export default defineScenario<ScenarioParams, Shared, Found>({
  name: 'small-int-identity',
  summary: '`a is b` holds for equal ints only in -5..256 and for strings only once interned; `==` always',
  explain:
    `CPython makes the ints ${SMALL_MIN}..${SMALL_MAX} once, at start-up, and every computation that yields one of them ` +
    'returns that shared object; any other int is a new object each time it is made. So `a is b` on two equal ints ' +
    'computed apart is True inside the range and False outside it: `is` asks "the same object?", not "the same value?". ' +
    'Strings follow their own rule: the compiler interns identifier-like literals, but a string built at run time is a ' +
    'new object until sys.intern() maps it to the interned copy. `==` compares values and is the test to use. None of ' +
    'this can be seen by mutating, because ints, strs and tuples are immutable: item assignment raises TypeError, and ' +
    '`x += 1` binds x to a new object, leaving any other name on the old one. Python:\n' +
    "    a, b = int('256'), int('256');  a is b      # True: the cached 256\n" +
    "    a, b = int('257'), int('257');  a is b      # False: two objects\n" +
    '    a == b                                     # True',
  params: { workers: 2, iterations: 50, repeat: 3, timeout: 10 },
  setup: (params) => makeHeaps(params.workers, { capacity: 4096 }),
  teardown: destroyHeaps,
  judge: ({ shared, results }) => judgeEachAlike(shared, results, judgeFound),
  // Not a race: what the first variant shows is what CPython does.
  vocabulary: { INTERESTING: 'AS CPYTHON DOES' },
  variants: {
    identity: {
      summary: '`a is b` on equal ints computed apart, around the small-int range',
      python: "a, b = int(s), int(s)\na is b",
      worker: (shared, context) => compareInts(ownHeap(shared, context), context.params, 'is'),
      outcomes: only([{ key: CACHE_KEY, expect: 'INTERESTING', description: '`is` holds only for the cached small ints' }]),
    },
    fixed: {
      summary: '`a == b` on the same pairs',
      python: "a, b = int(s), int(s)\na == b",
      worker: (shared, context) => compareInts(ownHeap(shared, context), context.params, '=='),
      outcomes: only([{ key: '==@all', expect: 'ACCEPTABLE', description: 'equal values compare equal, whichever objects hold them' }]),
    },
    strings: {
      summary: 'a literal, the same text built at run time, and that text after sys.intern',
      python: "built = ''.join(['py', 'thon'])\nbuilt is 'python', sys.intern(built) is 'python'",
      worker: (shared, context) => compareStrings(ownHeap(shared, context)),
      outcomes: only([{ key: 'is@interned-only', expect: 'INTERESTING', description: 'equal strings are one object only once interned' }]),
    },
    immutable: {
      summary: 'item assignment on a tuple and a str; x += 1 with y bound to the same int',
      python: "t[0] = 3; s[0] = 'x'    # TypeError\ny = x; x += 1            # y unchanged",
      worker: (shared, context) => mutateImmutables(ownHeap(shared, context)),
      outcomes: only([
        { key: 'TypeError', expect: 'ACCEPTABLE', description: 'immutables cannot change: TypeError, and += rebinds' },
        { key: 'mutated', expect: 'FORBIDDEN', description: 'an immutable object changed: the model is wrong' },
      ]),
    },
  },
});
