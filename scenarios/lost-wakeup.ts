/*
 * Scenario lost-wakeup: two workers take turns, each waiting on a Condition for
 * its turn. The racy version checks the turn without holding the condition's
 * lock and only then takes the lock to wait; a notify that lands between the
 * check and the wait wakes nobody, and both workers wait for ever. The watchdog
 * reports the hang. Fixed with wait_for under the lock (check and wait are one step).
 */
import { Condition, defineScenario, type Judgement, Lock, RawSharedArray, RawValue } from '../src/scenario.js';
import { busyFor } from './support/busy.js';

const NOT_WAITING = -1;
/** Microseconds between the racy check and the wait (a log line, a bit of bookkeeping). */
const MOMENT = 1;

function setup() {
  const waitingFor = RawSharedArray('i', 2);
  waitingFor.set(0, NOT_WAITING);
  waitingFor.set(1, NOT_WAITING);
  return { turn: RawValue('i', 0), condition: new Condition(new Lock()), waitingFor };
}

type Shared = ReturnType<typeof setup>;

/** Worker w plays turns w, w+2, w+4, ...: wait for the turn with `awaitTurn`, then pass it on and notify. */
function playTurns(shared: Shared, worker: number, rounds: number, progress: () => void, awaitTurn: (turn: number) => void): number {
  const { turn, condition } = shared;
  let played = 0;
  for (let mine = worker; mine < 2 * rounds; mine += 2) {
    awaitTurn(mine);
    condition.acquire();
    turn.value = mine + 1;
    condition.notify();
    condition.release();
    played++;
    progress();
  }
  return played;
}

export default defineScenario({
  name: 'lost-wakeup',
  summary: 'check-then-wait outside the lock misses a notify and hangs for ever',
  explain:
    'Two workers pass a turn back and forth through a Condition. The racy waiter checks "is it my turn?" ' +
    'without holding the condition\'s lock, then takes the lock and waits. If the other worker passes the turn ' +
    'and calls notify() between that check and the wait, the notify finds nobody waiting and is lost; the waiter ' +
    'sleeps for a notify that will never come, and the other worker soon waits for it in turn: both hang. ' +
    'The watchdog sees no progress, reports the hang and cancels the waits of the workers. The fix checks and waits ' +
    'under one hold of the lock (wait_for), so a notify cannot slip in between. Python:\n' +
    '    while turn.value != mine:          # checked without the lock\n' +
    '        log.debug("not my turn yet")     # a moment passes\n' +
    '        with cond:\n' +
    '            cond.wait()                # the notify may already have come and gone',
  params: { workers: 2, iterations: 5_000, repeat: 3, timeout: 10 },
  minWorkers: 2,
  maxWorkers: 2,
  stallSeconds: 0.75,
  setup,
  judge: ({ results, params }): Judgement => ({
    outcome: 'completed',
    observed: `completed: ${(results as number[]).join(' + ')} turns`,
    expected: `completed: ${params.iterations} + ${params.iterations} turns`,
  }),
  diagnose: (shared, workers) =>
    workers.map((worker) => {
      const wanted = shared.waitingFor.get(worker.index);
      if (wanted === NOT_WAITING) return `worker ${worker.index} is not in wait() (state ${worker.state}, ${worker.progress} turns played)`;
      const turn = shared.turn.value;
      const lost = turn === wanted ? ': its turn has come, but the notify came before it waited (lost wake-up)' : '';
      return `worker ${worker.index} waits in cond.wait() for turn ${wanted}; turn is ${turn}${lost}`;
    }),
  variants: {
    racy: {
      summary: 'check the turn without the lock, then lock and wait',
      python: 'while turn.value != mine:\n    log.debug("not my turn yet")\n    with cond:\n        cond.wait()',
      worker: (shared, { index, params, progress }) =>
        playTurns(shared, index, params.iterations, progress, (mine) => {
          const { turn, condition, waitingFor } = shared;
          while (turn.value !== mine) {
            busyFor(MOMENT);
            condition.acquire();
            waitingFor.set(index, mine);
            condition.wait();
            waitingFor.set(index, NOT_WAITING);
            condition.release();
          }
        }),
      outcomes: [
        { key: 'completed', expect: 'ACCEPTABLE', description: 'no notify was lost this time' },
        { key: 'deadlock', expect: 'INTERESTING', description: 'a notify was lost: both workers wait for ever' },
      ],
    },
    fixed: {
      summary: 'wait_for under the lock: check and wait in one hold',
      python: 'with cond:\n    cond.wait_for(lambda: turn.value == mine)',
      worker: (shared, { index, params, progress }) =>
        playTurns(shared, index, params.iterations, progress, (mine) => {
          const { turn, condition, waitingFor } = shared;
          condition.acquire();
          waitingFor.set(index, mine);
          condition.waitFor(() => turn.value === mine);
          waitingFor.set(index, NOT_WAITING);
          condition.release();
        }),
      outcomes: [{ key: 'completed', expect: 'ACCEPTABLE', description: 'every turn was passed on' }],
    },
  },
});
