/*
 * The watchdog: the one watch loop of every run on the harness. It decides how a
 * run ended, so that a run that never ends is reported instead of hanging its
 * engine. Python's counterpart is faulthandler.dump_traceback_later(timeout) plus
 * Process.join(timeout).
 *
 * It follows the workers' task promises and polls the run's board every POLL_MS
 * (a blocked worker cannot talk, but its board words can be read):
 *   - every task settled                            -> finished;
 *   - a worker failed (its task rejected, or its value says it failed:
 *     failureOf), or the engine saw trouble (a stress violation)
 *                                                   -> failed, naming the FIRST
 *     worker to fail (the others' errors, e.g. a start gate broken for them, are
 *     its effects), once every task settled, or every unfinished worker sleeps
 *     for good (as below), or after FAILURE_GRACE seconds; onFailure runs at
 *     once (to break the start gate, to ask workers to stop);
 *   - not all past the start gate in STARTUP_LIMIT_SECONDS -> hung (start);
 *   - running longer than the timeout (counted from the start gate)
 *                                                   -> hung (timeout), or, when
 *     the board's progress moved in the last progressWindowSeconds, slow (still
 *     making progress: too slow, not hung);
 *   - no change on the board for stallSeconds       -> hung (stall), for engines
 *     whose workers report progress;
 *   - every unfinished worker asleep in an untimed wait on a kernel word that
 *     still holds what it sleeps for, the same wait at DEADLOCK_POLLS + 1 polls
 *     in a row (board.ts's sleepingForGood) -> hung (deadlock): only a worker
 *     could change those words, and none runs. Workers tell of their waits
 *     only in runs whose engine watches them (start-gate.ts's
 *     withWaitsWatched: scenarios, GIL lab threads, stress workers), and not
 *     while holdOpen says the main thread is changing the run's objects itself.
 *     The check is sound but not complete: a sleeper whose word changed while it
 *     slept, without a wake for it (three or more threads on one Lock: the lock
 *     passed from hand to hand while it stayed asleep), cannot be told from one
 *     woken but not yet running, so such a hang is left to the timeout.
 * A task that rejects because its worker was terminated on purpose
 * (WorkerTerminated: a --kill-holder victim) is settled, not failed. Ending the
 * workers of a hung or failed run is the caller's (HarnessRun.end).
 */
import type { Board, WorkerView } from './board.js';
import { TERMINATED } from './protocol.js';
import { STARTUP_LIMIT_SECONDS } from './startup-limit.js';

export type Settled = { readonly status: 'pending' } | PromiseSettledResult<unknown>;

export type WatchResult =
  | { readonly kind: 'finished'; readonly results: unknown[]; readonly settled: readonly Settled[] }
  | { readonly kind: 'failed'; readonly worker: number; readonly error: unknown; readonly settled: readonly Settled[] }
  | { readonly kind: 'hung'; readonly reason: HangReason; readonly seconds: number; readonly settled: readonly Settled[] };

export type HangReason = 'start' | 'timeout' | 'stall' | 'slow' | 'deadlock';

export interface WatchOptions<S extends string = string> {
  readonly board: Board<S>;
  /** One promise per worker, by index. */
  readonly tasks: readonly Promise<unknown>[];
  /** Seconds the run may take once every worker has passed the start gate. */
  readonly timeoutSeconds: number;
  /** Seconds without any change on the board after which a started run counts as hung; undefined: never. */
  readonly stallSeconds?: number;
  /** A run whose progress moved this recently at its timeout is slow, not hung (default 1 s). */
  readonly progressWindowSeconds?: number;
  /** The error a worker's returned value carries, if it says the worker failed (a stress worker's figures). */
  readonly failureOf?: (value: unknown) => unknown;
  /** Whether the engine sees the run in trouble though no worker failed (a violation on the board). */
  readonly trouble?: () => boolean;
  /**
   * Whether the run must go on though every task settled (a --kill-holder kill
   * under way). Meanwhile the main thread itself changes the run's objects (it
   * marks the victim's lock OWNER_DIED), so sleeping workers are no deadlock.
   */
  readonly holdOpen?: () => boolean;
  /** Called once, when the first worker fails or trouble is seen (e.g. to break the start gate). */
  readonly onFailure?: () => void;
  /** Called whenever a worker's state changes, for the log. */
  readonly onWorkerState?: (view: WorkerView<S>) => void;
  /** Called every poll with the seconds since the start gate opened (undefined before). */
  readonly onPoll?: (elapsed: number | undefined) => void;
}

const POLL_MS = 20;
/** Polls after the first that must find the same workers in the same untimed waits before the run counts as deadlocked. */
const DEADLOCK_POLLS = 2;
/** Seconds the other workers get to finish after one failed. */
const FAILURE_GRACE = 1;

export async function watchRun<S extends string>(options: WatchOptions<S>): Promise<WatchResult> {
  const { board, tasks } = options;
  const settled: Settled[] = tasks.map(() => ({ status: 'pending' }));
  let wake: () => void = () => {};
  // The first worker to fail is the cause; the others' errors (a start gate broken for them) are its effects.
  let failure = -1;
  let failureError: unknown;
  const fail = (index: number, error: unknown) => {
    if (failure < 0) [failure, failureError] = [index, error];
  };
  tasks.forEach((task, index) =>
    task.then(
      (value) => {
        settled[index] = { status: 'fulfilled', value };
        const error = options.failureOf?.(value);
        if (error !== undefined) fail(index, error);
        wake();
      },
      (reason: unknown) => {
        settled[index] = { status: 'rejected', reason };
        if ((reason as { name?: unknown } | null)?.name !== TERMINATED) fail(index, reason);
        wake();
      },
    ),
  );
  const submitted = performance.now();
  const window = options.progressWindowSeconds ?? 1;
  let startedAt: number | undefined;
  let failedAt: number | undefined;
  let lastChange = submitted;
  let lastProgress: number | undefined;
  let previous = board.views();
  let sleeping: string | null = null;
  let sleepingPolls = 0;
  for (;;) {
    const now = performance.now();
    const views = board.views();
    if (views.some((view, i) => view.state !== previous[i].state || view.progress !== previous[i].progress)) lastChange = now;
    if (views.some((view, i) => view.progress !== previous[i].progress)) lastProgress = now;
    views.filter((view, i) => view.state !== previous[i].state).forEach((view) => options.onWorkerState?.(view));
    previous = views;
    if (startedAt === undefined && board.allStarted()) startedAt = now;
    options.onPoll?.(startedAt === undefined ? undefined : (now - startedAt) / 1000);
    const allSettled = settled.every((entry) => entry.status !== 'pending') && !(options.holdOpen?.() ?? false);
    const asleep = options.holdOpen?.() ? null : sleepingWaits(board, settled);
    sleepingPolls = asleep !== null && asleep === sleeping ? sleepingPolls + 1 : 0;
    sleeping = asleep;
    const asleepForGood = sleepingPolls >= DEADLOCK_POLLS;
    if (failure >= 0 || (options.trouble?.() ?? false)) {
      if (failedAt === undefined) {
        failedAt = now;
        options.onFailure?.();
      }
      if (allSettled || asleepForGood || now - failedAt > FAILURE_GRACE * 1000) return { kind: 'failed', worker: failure, error: failureError, settled };
    } else if (allSettled) {
      return { kind: 'finished', results: settled.map((entry) => (entry as PromiseFulfilledResult<unknown>).value), settled };
    }
    if (startedAt === undefined && now - submitted > STARTUP_LIMIT_SECONDS * 1000) return { kind: 'hung', reason: 'start', seconds: STARTUP_LIMIT_SECONDS, settled };
    if (startedAt !== undefined && failedAt === undefined) {
      const seconds = (now - startedAt) / 1000;
      if (seconds > options.timeoutSeconds) {
        const slow = lastProgress !== undefined && now - lastProgress <= window * 1000;
        return { kind: 'hung', reason: slow ? 'slow' : 'timeout', seconds, settled };
      }
      if (options.stallSeconds !== undefined && now - lastChange > options.stallSeconds * 1000) return { kind: 'hung', reason: 'stall', seconds, settled };
      if (asleepForGood) return { kind: 'hung', reason: 'deadlock', seconds, settled };
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POLL_MS);
      wake = () => (clearTimeout(timer), resolve());
    });
  }
}

/** The untimed waits every unfinished worker sleeps in, as one comparable text; null when one of them is awake. */
function sleepingWaits(board: Board, settled: readonly Settled[]): string | null {
  const unfinished = settled.flatMap((entry, worker) => (entry.status === 'pending' ? [worker] : []));
  if (unfinished.length === 0) return null;
  const waits = board.sleepingForGood(unfinished);
  return waits === null ? null : `${unfinished.join(',')}:${waits.join(',')}`;
}
