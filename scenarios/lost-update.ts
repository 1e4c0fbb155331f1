/*
 * Scenario lost-update: `counter.value += 1` on a RawValue (no lock at all) from
 * several workers. The += is a read, an add and a write; two workers that read the
 * same value both write value + 1, and one increment is gone.
 */
import { defineScenario, Lock, RawValue } from '../src/scenario.js';
import { counterOutcomes, incrementMany, judgeCounter } from './support/counter.js';

export default defineScenario({
  name: 'lost-update',
  summary: 'counter.value += 1 on a RawValue from several workers loses updates',
  explain:
    'Each worker adds 1 to a shared counter in a loop. `counter.value += 1` is three steps: read the value, add one, ' +
    'write it back. When two workers read the same value, both write value + 1 and one increment is lost. ' +
    'A RawValue has no lock, so nothing keeps the three steps together; the fix holds a Lock around the whole +=. ' +
    'Python:\n' +
    '    counter = multiprocessing.RawValue("i", 0)\n' +
    '    def work(counter, n):\n' +
    '        for _ in range(n):\n' +
    '            counter.value += 1        # read, add, write: not atomic',
  params: { workers: 4, iterations: 250_000, repeat: 5, timeout: 10 },
  setup: () => ({ counter: RawValue('i', 0), lock: new Lock() }),
  judge: ({ shared, params }) => judgeCounter(shared.counter.value, params),
  variants: {
    racy: {
      summary: 'counter.value += 1 with no lock',
      python: 'counter.value += 1',
      worker: ({ counter }, { params }) => incrementMany(params.iterations, () => (counter.value += 1)),
      outcomes: counterOutcomes('INTERESTING'),
    },
    fixed: {
      summary: 'the += inside `with lock:`',
      python: 'with lock:\n    counter.value += 1',
      worker: ({ counter, lock }, { params }) => incrementMany(params.iterations, () => (counter.value += 1), lock),
      outcomes: counterOutcomes('FORBIDDEN'),
    },
  },
});
