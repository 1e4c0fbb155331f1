/*
 * The worker side of a run: what one Python process started by the coordinator
 * does. The pool's worker calls runVariantTask with the task below; it loads the
 * scenario module (compiled, or TypeScript through tsx), attaches the shared
 * objects with the scenario's own classes, reports itself on the run board,
 * waits at the start barrier so that every worker begins together, runs its
 * variant's worker function and returns what that returns.
 */
import { loadModule } from '../load-module.js';
import { STARTUP_LIMIT_SECONDS } from '../startup-limit.js';
import { deadlineAfter, futexWait } from '../atomics/futex.js';
import { Barrier, type BarrierHandle } from '../sync/barrier.js';
import { currentThreadId } from '../atomics/thread-identity.js';
import { labelPoint } from '../atomics/scheduling-point.js';
import { defaultKernel } from '../shm/kernel.js';
import { freeSpareSlots } from '../sync/waiter-queue.js';
import { isScenario, runtimeOf, type ScenarioParams, type WorkerContext } from './define-scenario.js';
import { mulberry32, streamSeed } from './prng.js';
import { RunBoard, type RunBoardHandle } from './run-board.js';
import { failedTask, type TaskResult } from './task-result.js';
import { fromWire } from './shared-objects.js';

export interface VariantTask {
  /** File URL of the scenario module. */
  readonly scenario: string;
  readonly variant: string;
  readonly worker: number;
  readonly repeat: number;
  readonly seed: number;
  readonly params: ScenarioParams;
  /** setup()'s tree with its shared objects as handles (shared-objects.ts). */
  readonly shared: unknown;
  readonly board: RunBoardHandle;
  readonly startBarrier: BarrierHandle;
}


export async function runVariantTask(task: VariantTask): Promise<TaskResult> {
  const board = new RunBoard(task.board);
  board.register(task.worker, currentThreadId);
  try {
    const scenario = (await loadModule(task.scenario)).default;
    if (!isScenario(scenario)) throw new TypeError(`${task.scenario} does not export a scenario as default`);
    const variant = scenario.variants[task.variant];
    const shared = fromWire(task.shared, runtimeOf(scenario).attach);
    const context = workerContext(task, board);
    board.setState(task.worker, 'at-start-barrier');
    new Barrier(task.startBarrier).wait(STARTUP_LIMIT_SECONDS);
    board.setState(task.worker, 'running');
    const started = performance.now();
    const value = await variant.worker(shared, context);
    board.setState(task.worker, 'finished');
    return { ok: true, value, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    board.setState(task.worker, 'failed');
    return failedTask(error);
  } finally {
    freeSpareSlots(defaultKernel());
  }
}

function workerContext(task: VariantTask, board: RunBoard): WorkerContext {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  return {
    index: task.worker,
    workers: task.params.workers,
    params: task.params,
    repeat: task.repeat,
    random: mulberry32(streamSeed(task.seed, task.repeat, task.worker)),
    threadId: currentThreadId,
    point: labelPoint,
    progress: (steps = 1) => board.addProgress(task.worker, steps),
    sleep: (seconds) => {
      const deadline = deadlineAfter(seconds);
      while (futexWait(sleeper, 0, 0, deadline) !== 'timed-out');
    },
  };
}
