/*
 * Scenario deadlock-dining-philosophers: Dijkstra's five philosophers, five forks
 * (Locks), each philosopher taking the fork on the left, then the one on the
 * right. When all of them hold their left fork, each waits for a fork its
 * neighbour holds: a cycle, a deadlock, caught by the watchdog, which reports
 * who holds which fork and waits for which. Fixed by taking the forks in one
 * global order (lower number first), and by a Semaphore that seats at most four.
 */
import { defineScenario, type Judgement } from '../src/coordinator/define-scenario.js';
import type { OutcomeSpec } from '../src/coordinator/outcome.js';
import type { WorkerView } from '../src/coordinator/define-scenario.js';
import { RawSharedArray } from '../src/mp/shared-array.js';
import { Lock } from '../src/sync/lock.js';
import { Semaphore } from '../src/sync/semaphore.js';

const NONE = -1;
/** Seconds a philosopher spends picking up a fork: long enough for the neighbours to take theirs. */
const REACH = 0.001;

function setup(params: { workers: number }) {
  const wants = RawSharedArray('i', params.workers);
  for (let i = 0; i < params.workers; i++) wants.set(i, NONE);
  return {
    forks: Array.from({ length: params.workers }, () => new Lock()),
    seats: new Semaphore(params.workers - 1),
    wants,
  };
}

type Shared = ReturnType<typeof setup>;

/** Philosopher `me` eats `meals` times, taking the forks in the order `first`, `second`. */
function dine(shared: Shared, me: number, meals: number, first: number, second: number, progress: () => void, sleep: (s: number) => void): number {
  const { forks, wants } = shared;
  for (let meal = 0; meal < meals; meal++) {
    wants.set(me, first);
    forks[first].acquire();
    sleep(REACH);
    wants.set(me, second);
    forks[second].acquire();
    wants.set(me, NONE);
    progress();
    forks[second].release();
    forks[first].release();
  }
  return meals;
}

const left = (me: number): number => me;
const right = (me: number, workers: number): number => (me + 1) % workers;

const completed: OutcomeSpec = { key: 'all-ate', expect: 'ACCEPTABLE', description: 'every philosopher ate every meal' };

export default defineScenario({
  name: 'deadlock-dining-philosophers',
  summary: 'five philosophers take left fork then right: all hold one, all wait, deadlock',
  explain:
    'Five philosophers sit at a round table with a fork (a Lock) between each pair. To eat, each takes the fork ' +
    'on the left and then the one on the right. If all five pick up their left fork at about the same time, each ' +
    'then waits for the right one, which its neighbour holds and will not put down: a cycle of waits, so nobody ' +
    'ever eats again. The watchdog notices that nobody makes progress, reads each fork\'s owner and reports the ' +
    'cycle. Breaking the cycle fixes it: take the lower-numbered fork first (a global lock order), or let at most ' +
    'four sit at once (a Semaphore of 4 seats). Python:\n' +
    '    with forks[i]:                     # left\n' +
    '        with forks[(i + 1) % 5]:       # right: held by the neighbour, who waits for its own right\n' +
    '            eat()',
  params: { workers: 5, iterations: 30, repeat: 3, timeout: 10 },
  minWorkers: 2,
  stallSeconds: 0.3,
  setup,
  judge: ({ results, params }): Judgement => ({
    outcome: 'all-ate',
    observed: `meals eaten: ${(results as number[]).join(' ')}`,
    expected: `${params.iterations} meals each`,
  }),
  diagnose: (shared, workers) => workers.map((worker) => describePhilosopher(shared, workers, worker)),
  variants: {
    racy: {
      summary: 'each takes the left fork, then the right',
      python: 'with forks[i]:\n    with forks[(i + 1) % n]:\n        eat()',
      worker: (shared, { index, workers, params, progress, sleep }) =>
        dine(shared, index, params.iterations, left(index), right(index, workers), progress, sleep),
      outcomes: [completed, { key: 'deadlock', expect: 'INTERESTING', description: 'every philosopher holds one fork and waits for the next' }],
    },
    fixed: {
      summary: 'the lower-numbered fork first (a global lock order)',
      python: 'first, second = sorted((i, (i + 1) % n))\nwith forks[first]:\n    with forks[second]:\n        eat()',
      worker: (shared, { index, workers, params, progress, sleep }) => {
        const [first, second] = [left(index), right(index, workers)].sort((a, b) => a - b);
        return dine(shared, index, params.iterations, first, second, progress, sleep);
      },
      outcomes: [completed],
    },
    'fixed-seats': {
      summary: 'a Semaphore lets at most n-1 philosophers sit at once',
      python: 'with seats:                         # Semaphore(n - 1)\n    with forks[i]:\n        with forks[(i + 1) % n]:\n            eat()',
      worker: (shared, { index, workers, params, progress, sleep }) => {
        const { seats } = shared;
        let meals = 0;
        for (let meal = 0; meal < params.iterations; meal++) {
          seats.acquire();
          meals += dine(shared, index, 1, left(index), right(index, workers), progress, sleep);
          seats.release();
        }
        return meals;
      },
      outcomes: [completed],
    },
  },
});

function describePhilosopher(shared: Shared, workers: readonly WorkerView[], worker: WorkerView): string {
  const philosopherOf = (threadId: number | null) => workers.find((view) => view.threadId === threadId)?.index;
  const held = shared.forks.map((fork, i) => (fork.ownerThreadId === worker.threadId ? i : NONE)).filter((i) => i !== NONE);
  const holding = held.length === 0 ? 'holds no fork' : `holds fork ${held.join(' and ')}`;
  const wanted = shared.wants.get(worker.index);
  if (wanted === NONE) return `philosopher ${worker.index} ${holding}, waits for none (${worker.state})`;
  const owner = philosopherOf(shared.forks[wanted].ownerThreadId);
  return `philosopher ${worker.index} ${holding}, waits for fork ${wanted}${owner === undefined ? '' : ` (held by philosopher ${owner})`}`;
}
