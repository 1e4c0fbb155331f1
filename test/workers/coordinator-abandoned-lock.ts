// A scenario for the coordinator's tests: worker 1 takes a lock and returns
// holding it; worker 0 then waits for the lock for ever, so the watchdog ends the
// run by its timeout and the report must say who holds the lock.
import { defineScenario } from '../../src/coordinator/define-scenario.js';
import { Event } from '../../src/sync/event.js';
import { Lock } from '../../src/sync/lock.js';

export default defineScenario({
  name: 'abandoned-lock',
  summary: 'a worker returns holding a lock',
  explain: 'Worker 1 takes the lock and returns without releasing it; worker 0 waits for the lock.',
  params: { workers: 2, iterations: 1, repeat: 1, timeout: 1 },
  minWorkers: 2,
  maxWorkers: 2,
  setup: () => ({ door: new Lock(), taken: new Event() }),
  judge: () => ({ outcome: 'done', observed: 'both finished' }),
  variants: {
    racy: {
      summary: 'worker 1 returns holding the lock',
      worker: ({ door, taken }, { index }) => {
        if (index === 1) {
          door.acquire();
          taken.set();
          return;
        }
        taken.wait(10);
        door.acquire();
      },
      outcomes: [
        { key: 'done', expect: 'ACCEPTABLE', description: 'no hang' },
        { key: 'deadlock', expect: 'INTERESTING', description: 'worker 0 waits for a lock nobody will release' },
      ],
    },
    fixed: {
      summary: 'worker 1 releases the lock before it returns',
      worker: ({ door }) => {
        door.acquire();
        door.release();
      },
      outcomes: [{ key: 'done', expect: 'ACCEPTABLE', description: 'no hang' }],
    },
  },
});
