/*
 * Scenario gil-not-a-lock: `counter += step()` from threads that share one GIL
 * (the model of src/gil) still loses updates. The GIL makes each bytecode atomic,
 * not each statement: CPython 3.11 compiles it to six instructions (LOAD_GLOBAL,
 * LOAD_GLOBAL, PRECALL, CALL, BINARY_OP +=, STORE_GLOBAL: dis, recorded in the
 * fixture), the model to four (LOAD_GLOBAL, CALL, BINARY_ADD, STORE_GLOBAL), and
 * entering the call is one of the points where CPython 3.11
 * checks its eval breaker. When the holder hands the GIL over there, between the
 * load and the store, it later stores a stale value and overwrites every
 * increment the other thread made meanwhile. The fix is a threading.Lock around
 * the +=, as in plain Python.
 */
import { attach, defineScenario, Lock, type ScenarioParams, SharedWords, type SharedWordsHandle } from '../src/scenario.js';
import { Gil, type GilHandle, type ProgramName, runOnThisThread } from '../src/gil-entry.js';
import { counterOutcomes, judgeCounter } from './support/counter.js';

interface Params extends ScenarioParams {
  /** sys.setswitchinterval, in microseconds. */
  switchIntervalUs: number;
}

interface Shared {
  /** The GIL's handle, as plain data: every worker attaches the same GIL. */
  gil: GilHandle;
  globals: SharedWordsHandle;
  lock: Lock;
}

/** Runs `program(iterations)` on this worker under the shared GIL, or with no GIL at all. */
function run(program: ProgramName, shared: Shared, iterations: number, withGil: boolean): number {
  const result = runOnThisThread({ program, args: [iterations], gil: withGil ? shared.gil : null, globals: shared.globals, lock: shared.lock.handle });
  return result.stats.dropsOnRequest;
}

/**
 * The locked variant cannot lose an update: 100,000 increments each show every
 * one counted, in a fifth of the time the racy variants' 500,000 take under a
 * lock (with 200,000 for all, the racy variant lost updates in only 74 of 80 runs).
 */
const LOCKED_PARAMS = { iterations: 100_000 };

export default defineScenario<Params, Shared, number>({
  name: 'gil-not-a-lock',
  summary: 'counter += step() from threads under the GIL still loses updates',
  explain:
    'Threads share one GIL (CPython 3.11\'s algorithm, modelled in src/gil) and each runs `counter += step()` in a ' +
    'loop, compiled to bytecode. The GIL lets one thread run bytecode at a time and makes each bytecode atomic, but ' +
    'the statement is six of them in CPython 3.11 (dis: LOAD_GLOBAL counter, LOAD_GLOBAL NULL + step, PRECALL, CALL, ' +
    'BINARY_OP +=, STORE_GLOBAL counter; the model runs the same load, call, add and store as four). Every switch interval a waiting ' +
    'thread asks for the GIL, and the holder hands it over at its next eval-breaker check: in 3.11, after a backward ' +
    'jump or on entering a function. The call to step() is such a point, between the load and the store: the holder ' +
    'resumes with a stale value and its store wipes out the other thread\'s increments. (CPython 3.9 checked before ' +
    'almost every bytecode, so even `counter += 1` raced; 3.10+ rarely loses those.) A threading.Lock around the += ' +
    'fixes it (lock.acquire drops the GIL only when it must wait). Python:\n' +
    '    counter = 0\n' +
    '    def step():\n' +
    '        return 1\n' +
    '    def work(n):\n' +
    '        global counter\n' +
    '        for _ in range(n):\n' +
    '            counter += step()     # the GIL may switch inside the call, between load and store',
  params: { workers: 2, iterations: 500_000, repeat: 3, timeout: 60, switchIntervalUs: 5000 },
  setup: (params) => ({
    gil: new Gil({ switchInterval: params.switchIntervalUs / 1e6 }).handle,
    globals: new SharedWords(1).handle,
    lock: new Lock(),
  }),
  judge: ({ shared, params }) => judgeCounter(attach(shared.globals).load(0), params),
  variants: {
    racy: {
      summary: 'counter += step() under the GIL, no lock',
      python: 'counter += step()',
      worker: (shared, { params }) => run('increment', shared, params.iterations, true),
      outcomes: counterOutcomes('INTERESTING'),
    },
    fixed: {
      summary: 'the += inside `with lock:`, under the GIL',
      python: 'with lock:\n    counter += step()',
      worker: (shared, { params }) => run('incrementLocked', shared, params.iterations, true),
      outcomes: counterOutcomes('FORBIDDEN'),
      params: LOCKED_PARAMS,
    },
    'no-gil': {
      summary: 'counter += step() with no GIL at all (free-threaded CPython 3.13t), no lock',
      python: 'counter += step()   # python3.13t -X gil=0',
      worker: (shared, { params }) => run('increment', shared, params.iterations, false),
      outcomes: counterOutcomes('INTERESTING'),
    },
  },
});
