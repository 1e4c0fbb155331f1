/*
 * A scenario whose bug is a hang, with the fields that go with one
 * (docs/SCENARIOS.md): `hang`, `diagnose` (who holds and waits on what, from
 * Lock.ownerThreadId and the workers' thread ids), `stallSeconds`, ctx.sleep, a
 * worker that raises (the outcome `error`) and a variant's own `judge`.
 *
 *   memplay run examples/scenarios/two-locks.ts --timeout 2
 */
import { Lock, defineScenario, type ScenarioParams, type WorkerView } from 'memplay';

interface Shared {
  locks: Lock[];
}

/** Worker 0 takes lock 0 then lock 1; worker 1 takes them in the opposite order (or, fixed, in the same one). */
function takeBoth(shared: Shared, first: number, second: number, ctx: { sleep(seconds: number): void; progress(): void }): number {
  using _first = shared.locks[first].hold();
  ctx.sleep(0.05); // long enough for the other worker to take its first lock
  using _second = shared.locks[second].hold();
  ctx.progress();
  return 1;
}

/** One line per worker: the locks it holds (their owner is its thread) and what it is doing. */
function diagnose(shared: Shared, workers: readonly WorkerView[]): string[] {
  return workers.map((worker) => {
    const held = shared.locks.flatMap((lock, i) => (lock.ownerThreadId === worker.threadId ? [i] : []));
    return `worker ${worker.index} (${worker.state}) holds lock ${held.length === 0 ? 'none' : held.join(' and ')}`;
  });
}

export default defineScenario<ScenarioParams, Shared, number>({
  name: 'two-locks',
  summary: 'two workers take two locks in opposite orders and wait for each other for ever',
  explain:
    'Worker 0 holds lock 0 and wants lock 1; worker 1 holds lock 1 and wants lock 0: a cycle of waits. Taking the ' +
    'locks in one global order breaks the cycle. Python:\n' +
    '    with locks[i]:\n' +
    '        time.sleep(0.05)\n' +
    '        with locks[1 - i]:\n' +
    '            pass',
  params: { workers: 2, iterations: 1, repeat: 1, timeout: 5 },
  minWorkers: 2,
  maxWorkers: 2,
  // No ctx.progress() for this long from a worker that has not finished: a hang, without waiting for the timeout.
  stallSeconds: 1,
  setup: () => ({ locks: [new Lock(), new Lock()] }),
  judge: ({ results }) => ({ outcome: 'both-done', observed: `${results.length} workers done` }),
  diagnose,
  variants: {
    'opposite-order': {
      summary: 'worker i takes lock i, then lock 1 - i',
      worker: (shared, ctx) => takeBoth(shared, ctx.index, 1 - ctx.index, ctx),
      hang: 'deadlock',
      outcomes: [
        { key: 'both-done', expect: 'ACCEPTABLE', description: 'the two did not overlap' },
        { key: 'deadlock', expect: 'INTERESTING', description: 'each holds one lock and waits for the other' },
      ],
    },
    'one-order': {
      summary: 'both take lock 0 first, then lock 1',
      worker: (shared, ctx) => takeBoth(shared, 0, 1, ctx),
      outcomes: [{ key: 'both-done', expect: 'ACCEPTABLE', description: 'no cycle, no deadlock' }],
    },
    'release-unheld': {
      summary: 'worker 1 releases a lock it does not hold: RuntimeError, the outcome `error`',
      worker: (shared, ctx) => {
        if (ctx.index === 1) shared.locks[1].release();
        return 1;
      },
      judge: ({ results }) => ({ outcome: 'both-done', observed: `results ${results.join(', ')}` }),
      outcomes: [{ key: 'error', expect: 'ACCEPTABLE', description: 'a worker raised, as Python would' }],
    },
  },
});
