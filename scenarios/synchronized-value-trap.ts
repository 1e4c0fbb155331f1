/*
 * Scenario synchronized-value-trap: multiprocessing.Value comes with a lock, yet
 * `v.value += 1` still loses updates. The synchronized wrapper takes its lock for
 * the read and again for the write, never around both, so two workers can read
 * the same value between each other's read and write.
 */
import { defineScenario, Value } from '../src/scenario.js';
import { counterOutcomes, incrementMany, judgeCounter } from './support/counter.js';

export default defineScenario({
  name: 'synchronized-value-trap',
  summary: "Value('i') has a lock, but v.value += 1 still loses updates",
  explain:
    "multiprocessing.Value wraps the number in a synchronized object whose lock (an RLock) is taken for each " +
    'read of .value and again for each write. `v.value += 1` is a locked read followed by a locked write; between ' +
    'the two another worker can read the same old value, and one of the two increments is lost. The lock protects ' +
    'each access, not the read-modify-write. The fix holds the wrapper\'s own lock around the whole update. Python:\n' +
    '    v = multiprocessing.Value("i", 0)\n' +
    '    v.value += 1                  # racy, despite the lock\n' +
    '    with v.get_lock():            # fixed: one hold around read and write\n' +
    '        v.value += 1',
  params: { workers: 4, iterations: 50_000, repeat: 5, timeout: 10 },
  setup: () => ({ v: Value('i', 0) }),
  judge: ({ shared, params }) => judgeCounter(shared.v.value, params),
  variants: {
    racy: {
      summary: 'v.value += 1 on a Value with its default lock',
      python: 'v.value += 1',
      worker: ({ v }, { params }) => incrementMany(params.iterations, () => (v.value += 1)),
      outcomes: counterOutcomes('INTERESTING'),
    },
    fixed: {
      summary: 'the += inside `with v.get_lock():`',
      python: 'with v.get_lock():\n    v.value += 1',
      worker: ({ v }, { params }) => incrementMany(params.iterations, () => (v.value += 1), v.getLock()),
      outcomes: counterOutcomes('FORBIDDEN'),
    },
  },
});
