/*
 * Scenario gil-not-a-lock: `counter += 1` from threads that share one GIL (the
 * model of src/gil) still loses updates. The GIL makes each bytecode atomic, not
 * each statement: `counter += 1` is LOAD_GLOBAL, LOAD_CONST, BINARY_ADD,
 * STORE_GLOBAL, and when the holder hands the GIL over on a drop request between
 * the load and the store, the other thread's increments are overwritten when it
 * resumes. The fix is a threading.Lock around the +=, as in plain Python.
 */
import { defineScenario, type ScenarioParams } from '../src/coordinator/define-scenario.js';
import { Gil, type GilHandle } from '../src/gil/gil.js';
import { runOnThisThread } from '../src/gil/lab-thread.js';
import { ModuleGlobals, type ModuleGlobalsHandle } from '../src/gil/module-globals.js';
import type { ProgramName } from '../src/gil/programs.js';
import { Lock } from '../src/sync/lock.js';
import { counterOutcomes, judgeCounter } from './support/counter.js';

interface Params extends ScenarioParams {
  /** sys.setswitchinterval, in microseconds. */
  switchIntervalUs: number;
}

interface Shared {
  /** The GIL's handle, as plain data: every worker attaches the same GIL. */
  gil: GilHandle;
  globals: ModuleGlobalsHandle;
  lock: Lock;
}

/** Runs `program(iterations)` on this worker under the shared GIL, or with no GIL at all. */
function run(program: ProgramName, shared: Shared, iterations: number, withGil: boolean): number {
  const result = runOnThisThread({ program, args: [iterations], gil: withGil ? shared.gil : null, globals: shared.globals, lock: shared.lock.handle });
  return result.stats.dropsOnRequest;
}

export default defineScenario<Params, Shared, number>({
  name: 'gil-not-a-lock',
  summary: 'counter += 1 from threads under the GIL still loses updates',
  explain:
    'Threads share one GIL (CPython 3.11\'s algorithm, modelled in src/gil) and each runs `counter += 1` in a loop, ' +
    'compiled to bytecode. The GIL lets one thread run bytecode at a time and makes each bytecode atomic, but ' +
    '`counter += 1` is four of them: LOAD_GLOBAL, LOAD_CONST, BINARY_ADD, STORE_GLOBAL. Every switch interval a ' +
    'waiting thread asks for the GIL, and the holder hands it over at the next bytecode boundary; when that falls ' +
    'between the load and the store, the holder later stores a stale value and the other thread\'s increments are ' +
    'lost. A threading.Lock around the += fixes it (lock.acquire drops the GIL only when it must wait). Python:\n' +
    '    counter = 0\n' +
    '    def work(n):\n' +
    '        global counter\n' +
    '        for _ in range(n):\n' +
    '            counter += 1          # four bytecodes: the GIL may switch between them',
  params: { workers: 2, iterations: 2_000_000, repeat: 5, timeout: 60, switchIntervalUs: 5000 },
  setup: (params) => ({
    gil: new Gil({ switchInterval: params.switchIntervalUs / 1e6 }).handle,
    globals: new ModuleGlobals(1).handle,
    lock: new Lock(),
  }),
  judge: ({ shared, params }) => judgeCounter(new ModuleGlobals(shared.globals).get(0), params),
  variants: {
    racy: {
      summary: 'counter += 1 under the GIL, no lock',
      python: 'counter += 1',
      worker: (shared, { params }) => run('increment', shared, params.iterations, true),
      outcomes: counterOutcomes('INTERESTING'),
    },
    fixed: {
      summary: 'the += inside `with lock:`, under the GIL',
      python: 'with lock:\n    counter += 1',
      worker: (shared, { params }) => run('incrementLocked', shared, params.iterations, true),
      outcomes: counterOutcomes('FORBIDDEN'),
    },
    'no-gil': {
      summary: 'counter += 1 with no GIL at all (free-threaded CPython 3.13t), no lock',
      python: 'counter += 1   # python3.13t -X gil=0',
      worker: (shared, { params }) => run('increment', shared, params.iterations, false),
      outcomes: counterOutcomes('INTERESTING'),
    },
  },
});
