/*
 * One run on the harness, as every engine makes it: its shared objects live
 * exactly as long as the run (a run scope, shm/run-scope.ts), it has a board
 * (board.ts) and a start gate (start-gate.ts), and its workers are seats of a
 * crew (crew.ts). Python's counterpart: the Processes of one job, their shared
 * ctypes objects, and the resource tracker that cleans up after them.
 *
 *   const run = new HarnessRun(workers, (n) => new RunBoard(n));
 *   const shared = run.during(() => setup());      // allocated into the run's scope
 *   const tasks = run.start(crew, (seat) => ({ module, export: 'fn', args: [{ ...seat, ... }] }));
 *   await watchRun({ board: run.board, tasks, ... });
 *   await run.end(crew);                           // ends workers still busy, then frees
 * end() first ends every seat of the crew still running a task of this run, so
 * that no worker can touch the run's memory once it is freed; the crew's other
 * threads are kept for the next run. When every such worker sleeps in an untimed
 * wait (a deadlock, or the others of a failed worker), their waits are ended
 * through the board (board.ts's endWaits: each raises RunEnded) and they get
 * UNWIND_MS to unwind, as a process gets a SIGTERM before a SIGKILL; a worker
 * still busy then (it caught the error and went on, or it was spinning) is
 * terminated and replaced.
 *
 * runToCompletion is the whole of a simple run (the GIL lab's): a crew of its
 * own, tasks made in the run's scope, the watch, and the results, or the first
 * failure raised, or a RuntimeError for a run that would not start or finish.
 */
import { RuntimeError } from '../errors.js';
import { RunScope } from '../shm/run-scope.js';
import { RunBoard, type Board } from './board.js';
import { Crew } from './crew.js';
import type { CrewTask, RunSeat } from './protocol.js';
import { StartGate } from './start-gate.js';
import { STARTUP_LIMIT_SECONDS } from './startup-limit.js';
import { watchRun } from './watchdog.js';

export class HarnessRun<B extends Board> {
  readonly scope = new RunScope();
  readonly board: B;
  readonly gate: StartGate;
  readonly workers: number;

  constructor(workers: number, makeBoard: (workers: number) => B) {
    this.workers = workers;
    [this.board, this.gate] = this.scope.during(() => [makeBoard(workers), new StartGate(workers)] as const);
  }

  /** Runs `allocate` with the run's scope open: what it makes is freed when the run ends. */
  during<T>(allocate: () => T): T {
    return this.scope.during(allocate);
  }

  /** What worker `worker` needs of the run: its number, the board and the gate. */
  seat(worker: number): RunSeat {
    return { worker, board: this.board.handle, startGate: this.gate.handle };
  }

  /** Starts one task per worker, taskFor(its seat), on seats 0..workers-1 of `crew`. */
  start<T>(crew: Crew, taskFor: (seat: RunSeat) => CrewTask): Promise<T>[] {
    crew.grow(this.workers);
    return Array.from({ length: this.workers }, (_, worker) => crew.run<T>(worker, taskFor(this.seat(worker))));
  }

  /** Ends the run: unwinds or replaces the crew's seats still busy with it, then frees everything the run made. */
  async end(crew: Crew): Promise<void> {
    try {
      await this.#unwindSleepers(crew);
      await crew.replaceBusy(this.workers);
    } finally {
      this.scope.end();
    }
  }

  /** When every busy worker sleeps in an untimed wait: ends their waits, again and again, until their tasks settle or UNWIND_MS pass. */
  async #unwindSleepers(crew: Crew): Promise<void> {
    const busy = () => Array.from({ length: this.workers }, (_, worker) => worker).filter((worker) => crew.busy(worker));
    const sleepers = busy();
    if (sleepers.length === 0 || this.board.sleepingForGood(sleepers) === null) return;
    const deadline = performance.now() + UNWIND_MS;
    while (busy().length > 0 && performance.now() < deadline) {
      this.board.endWaits(sleepers);
      await new Promise((resolve) => setTimeout(resolve, WAKE_AGAIN_MS));
    }
  }
}

/** Milliseconds the sleepers of an ended run get to unwind before they are terminated. */
const UNWIND_MS = 250;
/** Milliseconds between wake-ups of sleepers that have not yet unwound (one may have missed the last). */
const WAKE_AGAIN_MS = 2;

/** A run's tasks, made in its scope, and what to make of their results before the scope ends. */
export interface PreparedRun<T, R> {
  readonly task: (seat: RunSeat) => CrewTask;
  readonly finish: (results: T[]) => R;
}

/** Runs `workers` tasks, made by `prepare` in the run's scope, on a crew of their own, through the start gate, to their end. */
export async function runToCompletion<T, R>(workers: number, prepare: () => PreparedRun<T, R>, timeoutSeconds: number): Promise<R> {
  const crew = new Crew(workers);
  const run = new HarnessRun(workers, (count) => new RunBoard(count));
  try {
    const { task, finish } = run.during(prepare);
    const watched = await watchRun({ board: run.board, tasks: run.start<T>(crew, task), timeoutSeconds, onFailure: () => run.gate.abort() });
    if (watched.kind === 'finished') return finish(watched.results as T[]);
    if (watched.kind === 'failed') throw watched.error;
    if (watched.reason === 'start') throw new RuntimeError(`the workers did not all reach the start gate within ${STARTUP_LIMIT_SECONDS} s`);
    throw new RuntimeError(`the run did not finish within ${timeoutSeconds} s of its start`);
  } finally {
    await crew.close();
    await run.end(crew);
  }
}
