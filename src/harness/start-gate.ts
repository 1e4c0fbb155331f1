/*
 * The start gate: every worker of a run waits there until all have arrived, so
 * that none begins while others are still loading (start-up is slow and uneven:
 * startup-limit.ts), and the run's timeout can count from the gate. Python's
 * counterpart: a threading.Barrier(n) that each Process passes before its work.
 *
 * Algorithm: a Barrier of the run's workers (sync/barrier.ts), waited for at most
 * STARTUP_LIMIT_SECONDS. Each worker says on the run's board that it is at the
 * gate, so the main thread's watch (watchdog.ts) knows when the run has started,
 * and the main thread breaks the gate (abort) when a worker fails before it, so
 * that the others stop waiting for a worker that will never come.
 *
 * runSeated is a worker's whole part in a run on a RunBoard (a scenario's worker,
 * a GIL lab thread): take the seat ('starting'), prepare (load, attach), pass the
 * gate ('at-start-barrier'), work ('running', its untimed waits watched on the
 * board: withWaitsWatched, which a stress worker's loop uses too), then
 * 'finished' or 'failed'. A worker whose run the main thread ended while it
 * waited (RunEnded) leaves its Condition waiter slots to the run's end.
 */
import { waitWatch } from '../atomics/futex.js';
import { abandonWaiterSlots } from '../sync/waiter-queue.js';
import { currentThreadId } from '../atomics/thread-identity.js';
import { Barrier } from '../sync/barrier.js';
import { RunBoard, type Board, type RunBoardHandle } from './board.js';
import type { RunSeat } from './protocol.js';
import { STARTUP_LIMIT_SECONDS } from './startup-limit.js';

/** The main thread's side: the gate of a run of `workers` workers. */
export class StartGate {
  readonly #barrier: Barrier;

  constructor(workers: number) {
    this.#barrier = new Barrier(workers);
  }

  get handle(): RunSeat['startGate'] {
    return this.#barrier.handle;
  }

  /** Breaks the gate: every worker waiting there, or coming later, raises BrokenBarrierError. */
  abort(): void {
    this.#barrier.abort();
  }
}

/** The worker's side: registers this thread on the board (once the worker has started). */
export function takeSeat<B extends Board>(board: B, seat: RunSeat, threadId: number): B {
  board.register(seat.worker, threadId);
  return board;
}

/** The worker's side: says so on the board, then waits at the gate until every worker is there. */
export function passStartGate(board: Board, seat: RunSeat): void {
  board.setState(seat.worker, 'at-start-barrier');
  new Barrier(seat.startGate).wait(STARTUP_LIMIT_SECONDS);
}

/**
 * Runs `work` with this thread's untimed futex waits told to worker `worker`'s
 * words on `board`, for the watchdog's deadlock check (the work of a scenario's
 * worker, a GIL lab thread, a stress worker's loop).
 */
export async function withWaitsWatched<T>(board: Board, worker: number, work: () => T | Promise<T>): Promise<T> {
  waitWatch.active = board.waitWatcher(worker);
  try {
    return await work();
  } finally {
    waitWatch.active = null;
    if (board.hasEnded(worker)) abandonWaiterSlots(board.kernel);
  }
}

/** The worker's side of a run on a RunBoard: `prepare` before the start gate, `work` after it, each state on the board. */
export async function runSeated<P, T>(seat: RunSeat, prepare: (board: RunBoard) => P | Promise<P>, work: (prepared: P) => T | Promise<T>): Promise<T> {
  const board = takeSeat(new RunBoard(seat.board as RunBoardHandle), seat, currentThreadId);
  try {
    const prepared = await prepare(board);
    passStartGate(board, seat);
    board.setState(seat.worker, 'running');
    const result = await withWaitsWatched(board, seat.worker, () => work(prepared));
    board.setState(seat.worker, 'finished');
    return result;
  } catch (error) {
    board.setState(seat.worker, 'failed');
    throw error;
  }
}
