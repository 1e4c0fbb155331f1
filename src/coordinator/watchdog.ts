/*
 * The watchdog: decides how a run ended, so that a run that never ends is
 * reported instead of hanging the coordinator. Python's counterpart is
 * faulthandler.dump_traceback_later(timeout) plus Process.join(timeout).
 *
 * It follows the workers' promises and polls the run board every POLL_MS:
 *   - every worker returned                         -> finished;
 *   - a worker threw or exited                      -> failed, naming the first to
 *     fail (after a short grace for the others to finish, so that their state
 *     can be reported);
 *   - not all past the start barrier in STARTUP_LIMIT_SECONDS -> hung (start);
 *   - running longer than the timeout (counted from the start barrier)
 *                                                   -> hung (timeout), or, when
 *     the board's progress counters moved in the last PROGRESS_WINDOW seconds,
 *     slow (still making progress: too slow, not hung);
 *   - no worker reported progress for stallSeconds  -> hung (stall), when the
 *     scenario's workers report progress.
 * Ending the workers of a hung run is the caller's job (it owns the pool).
 */
import { STARTUP_LIMIT_SECONDS } from '../startup-limit.js';
import type { RunBoard, WorkerView } from './run-board.js';

export type WatchResult =
  | { readonly kind: 'finished'; readonly results: unknown[] }
  | { readonly kind: 'failed'; readonly worker: number; readonly error: unknown }
  | { readonly kind: 'hung'; readonly reason: HangReason; readonly seconds: number };

export type HangReason = 'start' | 'timeout' | 'stall' | 'slow';

export interface WatchOptions {
  readonly board: RunBoard;
  /** One promise per worker, by index. */
  readonly tasks: readonly Promise<unknown>[];
  /** Seconds the run may take once every worker has passed the start barrier. */
  readonly timeoutSeconds: number;
  /** Seconds without progress after which a started run counts as hung; undefined: never. */
  readonly stallSeconds?: number;
  /** Called once, when the first worker fails (e.g. to break the start barrier for the others). */
  readonly onFailure?: () => void;
  /** Called whenever a worker's state changes, for the log. */
  readonly onWorkerState?: (view: WorkerView) => void;
}

const POLL_MS = 20;
/** A run whose progress counters moved this recently at its timeout is slow, not hung. */
const PROGRESS_WINDOW = 1;
/** Seconds the other workers get to finish after one failed. */
const FAILURE_GRACE = 1;

type Settled = { status: 'pending' } | PromiseSettledResult<unknown>;

export async function watchRun(options: WatchOptions): Promise<WatchResult> {
  const { board, tasks } = options;
  const settled: Settled[] = tasks.map(() => ({ status: 'pending' }));
  let wake: () => void = () => {};
  // The first worker to fail is the cause; the others' errors (a start barrier broken for them) are its effects.
  let failure = -1;
  tasks.forEach((task, index) =>
    task.then(
      (value) => ((settled[index] = { status: 'fulfilled', value }), wake()),
      (reason: unknown) => {
        settled[index] = { status: 'rejected', reason };
        if (failure < 0) failure = index;
        wake();
      },
    ),
  );
  const submitted = performance.now();
  let startedAt: number | undefined;
  let failedAt: number | undefined;
  let lastChange = submitted;
  let lastProgress: number | undefined;
  let previous = board.views();
  for (;;) {
    const now = performance.now();
    const views = board.views();
    if (views.some((view, i) => view.state !== previous[i].state || view.progress !== previous[i].progress)) lastChange = now;
    if (views.some((view, i) => view.progress !== previous[i].progress)) lastProgress = now;
    views.filter((view, i) => view.state !== previous[i].state).forEach((view) => options.onWorkerState?.(view));
    previous = views;
    const allSettled = settled.every((entry) => entry.status !== 'pending');
    if (failure >= 0) {
      if (failedAt === undefined) {
        failedAt = now;
        options.onFailure?.();
      }
      if (allSettled || now - failedAt > FAILURE_GRACE * 1000) {
        return { kind: 'failed', worker: failure, error: (settled[failure] as PromiseRejectedResult).reason };
      }
    } else if (allSettled) {
      return { kind: 'finished', results: settled.map((entry) => (entry as PromiseFulfilledResult<unknown>).value) };
    }
    if (startedAt === undefined && views.every((view) => view.state !== 'starting' && view.state !== 'at-start-barrier')) startedAt = now;
    if (startedAt === undefined && now - submitted > STARTUP_LIMIT_SECONDS * 1000) return { kind: 'hung', reason: 'start', seconds: STARTUP_LIMIT_SECONDS };
    if (startedAt !== undefined && failure < 0) {
      const seconds = (now - startedAt) / 1000;
      if (seconds > options.timeoutSeconds) return { kind: 'hung', reason: progressedWithin(lastProgress, now, PROGRESS_WINDOW) ? 'slow' : 'timeout', seconds };
      if (options.stallSeconds !== undefined && now - lastChange > options.stallSeconds * 1000) {
        return { kind: 'hung', reason: 'stall', seconds };
      }
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POLL_MS);
      wake = () => (clearTimeout(timer), resolve());
    });
  }
}

function progressedWithin(lastProgress: number | undefined, now: number, seconds: number): boolean {
  return lastProgress !== undefined && now - lastProgress <= seconds * 1000;
}
