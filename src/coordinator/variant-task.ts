/*
 * The worker side of a run: what one Python process started by the coordinator
 * does. A crew worker (src/harness/crew.ts) calls runVariantTask with a
 * VariantTask (src/harness/protocol.ts); it loads the scenario module (compiled,
 * or TypeScript through tsx), attaches the shared objects with the scenario's own
 * classes, and, seated on the run board (runSeated), passes the start gate with
 * the other workers, runs its variant's worker function and returns what that returns.
 * What the function raises goes back to the coordinator as the error shape.
 */
import { loadModule } from '../harness/load-module.js';
import { deadlineAfter, futexWait } from '../atomics/futex.js';
import { currentThreadId } from '../atomics/thread-identity.js';
import { labelPoint } from '../atomics/scheduling-point.js';
import { defaultKernel } from '../shm/kernel.js';
import { freeSpareSlots } from '../sync/waiter-queue.js';
import type { RunBoard } from '../harness/board.js';
import type { VariantResult, VariantTask } from '../harness/protocol.js';
import { runSeated } from '../harness/start-gate.js';
import { fromWire } from '../harness/wire.js';
import { isScenario, runtimeOf, type WorkerContext } from './define-scenario.js';
import { mulberry32, streamSeed } from './prng.js';

export async function runVariantTask(task: VariantTask): Promise<VariantResult> {
  try {
    return await runSeated(task, (board) => prepare(task, board), async ({ worker, shared, context }) => {
      const started = performance.now();
      const value = await worker(shared, context);
      return { value, seconds: (performance.now() - started) / 1000 };
    });
  } finally {
    freeSpareSlots(defaultKernel());
  }
}

/** Before the start gate: the scenario loaded, its shared objects attached, the worker's context. */
async function prepare(task: VariantTask, board: RunBoard) {
  const scenario = (await loadModule(task.scenario)).default;
  if (!isScenario(scenario)) throw new TypeError(`${task.scenario} does not export a scenario as default`);
  return { worker: scenario.variants[task.variant].worker, shared: fromWire(task.shared, runtimeOf(scenario).attach), context: workerContext(task, board) };
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
