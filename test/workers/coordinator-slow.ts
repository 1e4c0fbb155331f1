// A scenario for the coordinator's tests: workers that keep reporting progress
// for far longer than the run's timeout (bounded at 60 s, so nothing outlives a
// test run). At the timeout the run is too slow, not hung.
import { defineScenario } from '../../src/coordinator/define-scenario.js';

export default defineScenario({
  name: 'slow-but-moving',
  summary: 'workers that make progress past the timeout',
  explain: 'Each worker reports progress every few milliseconds for up to a minute.',
  params: { workers: 2, iterations: 1, repeat: 1, timeout: 1 },
  setup: () => ({}),
  judge: () => ({ outcome: 'done', observed: 'finished' }),
  variants: {
    racy: {
      summary: 'progress for a minute',
      worker: (_shared, { progress, sleep }) => {
        const end = performance.now() + 60_000;
        while (performance.now() < end) {
          progress();
          sleep(0.005);
        }
      },
      outcomes: [{ key: 'done', expect: 'ACCEPTABLE', description: 'finished' }],
    },
    fixed: { summary: 'nothing to do', worker: () => 0, outcomes: [{ key: 'done', expect: 'ACCEPTABLE', description: 'finished' }] },
  },
});
