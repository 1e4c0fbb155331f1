/*
 * A complete scenario file, using every common field of the format (docs/SCENARIOS.md):
 * N workers each add 1 to a shared counter `iterations` times, three ways.
 *
 *   memplay run examples/scenarios/counter.ts                  # every variant
 *   memplay run examples/scenarios/counter.ts --variant atomic --workers 3 --json
 */
import { Lock, RawValue, SharedWords, defineScenario, type Judgement, type ScenarioParams, type SharedValue } from 'memplay';

/** The scenario's parameters: the four every scenario has, plus one of its own. */
interface Params extends ScenarioParams {
  /** Increments between two ctx.progress() calls. */
  batch: number;
}

/** What setup() makes: shared objects (a tree of plain objects and arrays whose leaves have a .handle). */
interface Shared {
  counter: SharedValue<'i'>;
  words: SharedWords;
  lock: Lock;
}

/** What each worker returns: judge() gets them all, in worker order, as `results`. */
type Result = number;

const expectedOf = (params: Params) => params.workers * params.iterations;

/** The outcome keys depend on the parameters, so the list is a function of them. */
const outcomes = (lost: 'INTERESTING' | 'FORBIDDEN') => (params: Params) => [
  { key: 'all-counted', expect: 'ACCEPTABLE' as const, description: `the counter reached ${expectedOf(params)}` },
  { key: 'lost', expect: lost, description: 'two read-add-writes overlapped and one increment was lost' },
];

/** Counts `iterations` increments, telling the watchdog of progress every `batch`. */
function count(params: Params, progress: (steps?: number) => void, increment: () => void): Result {
  for (let i = 0; i < params.iterations; i++) {
    increment();
    if ((i + 1) % params.batch === 0) progress(params.batch);
  }
  return params.iterations;
}

function judgeCount(seen: number, results: readonly Result[], params: Params): Judgement {
  const expected = expectedOf(params);
  const done = results.reduce((sum, n) => sum + n, 0);
  return {
    outcome: seen === expected ? 'all-counted' : 'lost',
    observed: `counter=${seen} after ${done} increments`,
    expected: `counter=${expected}`,
    values: { counter: seen, expected, lost: expected - seen },
  };
}

export default defineScenario<Params, Shared, Result>({
  name: 'counter',
  summary: 'counter += 1 from several workers: plain, atomic, and under a lock',
  explain:
    'Each worker adds 1 to a shared counter. `counter.value += 1` is a read, an add and a write: two workers that ' +
    'read the same value both write value + 1 and one increment is lost. An atomic add (SharedWords.add, one ' +
    'indivisible read-modify-write) or a lock held around the += keeps every increment. Python:\n' +
    '    counter = multiprocessing.RawValue("i", 0)\n' +
    '    def work(counter, n):\n' +
    '        for _ in range(n):\n' +
    '            counter.value += 1',
  params: { workers: 4, iterations: 100_000, repeat: 3, timeout: 20, batch: 10_000 },
  minWorkers: 2,
  maxWorkers: 16,
  stallSeconds: 5,
  // Runs on the main thread before each run: fresh shared objects every time. (Its second argument,
  // random(), is a stream seeded by --seed, for scenarios whose setup draws anything.)
  setup: () => ({ counter: RawValue('i', 0), words: new SharedWords(1), lock: new Lock() }),
  judge: ({ shared, results, params }) => judgeCount(shared.counter.value, results, params),
  teardown: () => {
    // Nothing to release: shared objects live in the kernel. A scenario that made files would remove them here.
  },
  variants: {
    plain: {
      summary: 'counter.value += 1, no lock',
      python: 'counter.value += 1',
      worker: ({ counter }, { params, progress }) => count(params, progress, () => (counter.value += 1)),
      outcomes: outcomes('INTERESTING'),
    },
    atomic: {
      summary: 'one atomic fetch-and-add per increment (SharedWords.add)',
      python: '# no pure-Python equivalent: a C extension\'s __atomic_fetch_add',
      worker: ({ words }, { params, progress }) => count(params, progress, () => words.add(0, 1)),
      judge: ({ shared, results, params }) => judgeCount(shared.words.load(0), results, params),
      outcomes: outcomes('FORBIDDEN'),
    },
    locked: {
      summary: 'the += inside `with lock:`',
      python: 'with lock:\n    counter.value += 1',
      // A lock per increment is slower: fewer iterations by default (--iterations still wins).
      params: { iterations: 20_000, batch: 2_000 },
      worker: ({ counter, lock }, { params, progress }) =>
        count(params, progress, () => {
          using _ = lock.hold();
          counter.value += 1;
        }),
      outcomes: outcomes('FORBIDDEN'),
    },
  },
});
