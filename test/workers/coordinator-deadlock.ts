// A scenario for the coordinator's tests: two workers take two locks in opposite
// orders (racy: a deadlock the watchdog must see, with no stall detection: both
// sleep in untimed acquires), or the same deadlock with worker 1 waiting for a in
// timed slices (timed: it wakes every 50 ms, so only the run's timeout can end
// it), or in the same order (fixed).
import { defineScenario } from '../../src/coordinator/define-scenario.js';
import { Lock } from '../../src/sync/lock.js';
import { Event } from '../../src/sync/event.js';

const setup = () => ({ a: new Lock(), b: new Lock(), aHeld: new Event(), bHeld: new Event() });

/** Worker 0 takes a, worker 1 then takes b; only then does each reach for the other's lock (worker 1 by `takeA`). */
function oppositeOrders({ a, b, aHeld, bHeld }: ReturnType<typeof setup>, index: number, takeA: (a: Lock) => void): void {
  if (index === 0) {
    a.acquire();
    aHeld.set();
    bHeld.wait(5);
    b.acquire();
  } else {
    aHeld.wait(5);
    b.acquire();
    bHeld.set();
    takeA(a);
  }
}

const DEADLOCK_OUTCOMES = [
  { key: 'done', expect: 'ACCEPTABLE', description: 'no deadlock' },
  { key: 'deadlock', expect: 'INTERESTING', description: 'each holds one lock and waits for the other' },
] as const;

export default defineScenario({
  name: 'ab-ba',
  summary: 'two locks taken in opposite orders',
  explain: 'Worker 0 takes a then b, worker 1 takes b then a; both hold one and wait for the other.',
  params: { workers: 2, iterations: 1, repeat: 1, timeout: 1 },
  minWorkers: 2,
  maxWorkers: 2,
  setup,
  judge: () => ({ outcome: 'done', observed: 'both finished' }),
  diagnose: (shared, workers) =>
    (['a', 'b'] as const).map((name) => {
      const owner = workers.find((view) => view.threadId === shared[name].ownerThreadId);
      return `lock ${name} is held by ${owner === undefined ? 'nobody' : `worker ${owner.index}`}`;
    }),
  variants: {
    racy: {
      summary: 'opposite orders',
      worker: (shared, { index }) => oppositeOrders(shared, index, (a) => a.acquire()),
      outcomes: DEADLOCK_OUTCOMES,
    },
    timed: {
      summary: 'opposite orders, worker 1 retrying a timed acquire',
      worker: (shared, { index }) =>
        oppositeOrders(shared, index, (a) => {
          while (!a.acquire(true, 0.05));
        }),
      outcomes: DEADLOCK_OUTCOMES,
    },
    fixed: {
      summary: 'same order',
      worker: ({ a, b }) => {
        a.acquire();
        b.acquire();
        b.release();
        a.release();
      },
      outcomes: [{ key: 'done', expect: 'ACCEPTABLE', description: 'no deadlock' }],
    },
  },
});
