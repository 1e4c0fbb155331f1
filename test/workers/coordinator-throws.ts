// A scenario for the coordinator's tests: in `racy` worker 1 raises while worker 0
// waits for an Event nobody sets (so the coordinator must end its wait); in
// `exits` worker 1 ends its thread; `fixed` finishes normally.
import { defineScenario } from '../../src/coordinator/define-scenario.js';
import { RuntimeError } from '../../src/errors.js';
import { Event } from '../../src/sync/event.js';

export default defineScenario({
  name: 'throws',
  summary: 'a worker raises',
  explain: 'Worker 1 raises RuntimeError while worker 0 waits for ever.',
  params: { workers: 2, iterations: 1, repeat: 1, timeout: 30 },
  setup: () => ({ never: new Event() }),
  judge: () => ({ outcome: 'done', observed: 'both finished' }),
  variants: {
    racy: {
      summary: 'worker 1 raises',
      worker: ({ never }, { index }) => {
        if (index === 1) throw new RuntimeError('boom in worker 1');
        never.wait();
      },
      outcomes: [{ key: 'done', expect: 'ACCEPTABLE', description: 'finished' }],
    },
    exits: {
      summary: 'worker 1 ends its thread',
      worker: ({ never }, { index }) => {
        if (index === 1) process.exit(3);
        never.wait();
      },
      outcomes: [{ key: 'done', expect: 'ACCEPTABLE', description: 'finished' }],
    },
    fixed: {
      summary: 'nothing raises',
      worker: () => 1,
      outcomes: [{ key: 'done', expect: 'ACCEPTABLE', description: 'finished' }],
    },
  },
});
