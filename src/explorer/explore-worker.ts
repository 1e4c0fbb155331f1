/*
 * An explorer worker's loop, for the whole exploration of one variant: wait for
 * the controller to post a run (the GENERATION word moves on, the run's objects
 * as JSON in the control region), run the variant's code on them with a
 * WorkerScheduler installed (so every scheduling point parks), write what it
 * returned or raised, mark itself DONE, and wait for the next run. The crew is
 * started and its task given by run-adapter.ts; QUIT ends the loop.
 */
import { fileURLToPath } from 'node:url';
import { scheduling } from '../atomics/scheduling-point.js';
import { locationSuffix } from '../user-code-error.js';
import { currentThreadId } from '../atomics/thread-identity.js';
import { defaultKernel } from '../shm/kernel.js';
import { ControlRegion, G_GENERATION, G_QUIT, STATE, W } from './control-region.js';
import { loadWorkerBody, type ExploreTask } from './run-adapter.js';
import { ExploreAbort, WorkerScheduler } from './worker-scheduler.js';

const IDLE_SLICE_MS = 1000;

export async function exploreWorkerTask(task: ExploreTask): Promise<void> {
  const control = new ControlRegion(task.control);
  const worker = task.worker;
  const body = await loadWorkerBody(task);
  control.set(worker, W.THREAD_ID, currentThreadId);
  let generation = Atomics.load(control.words, G_GENERATION);
  control.set(worker, W.STATE, STATE.idle);
  Atomics.notify(control.words, control.at(worker, W.STATE));
  for (;;) {
    while (Atomics.load(control.words, G_GENERATION) === generation) {
      if (Atomics.load(control.words, G_QUIT) !== 0) return;
      Atomics.wait(control.words, G_GENERATION, generation, IDLE_SLICE_MS);
    }
    generation = Atomics.load(control.words, G_GENERATION);
    const result = await runOnce(control, worker, () => body(control.readWire(), 0), task.script === undefined ? fileURLToPath(task.scenario) : undefined);
    control.writeResult(worker, resultJson(result));
    control.set(worker, W.STATE, STATE.done);
    Atomics.notify(control.words, control.at(worker, W.STATE));
  }
}

/** The result as JSON; a value JSON cannot carry (a BigInt, a cycle) is reported as the worker's error. */
function resultJson(result: unknown): string {
  try {
    return JSON.stringify(result);
  } catch (error) {
    return JSON.stringify({ ok: false, name: 'TypeError', message: `the worker's return value cannot be sent to the explorer: ${(error as Error).message}` });
  }
}

/** Runs the body once; an error it raises is the result, with `where` it was raised in `file` (the scenario's) when a frame lies there. */
async function runOnce(control: ControlRegion, worker: number, body: () => Promise<unknown>, file: string | undefined): Promise<unknown> {
  const scheduler = new WorkerScheduler(control, worker, defaultKernel().buffer);
  scheduling.active = scheduler;
  try {
    scheduler.start();
    const value = await body();
    return { ok: true, value: value === undefined ? null : value };
  } catch (error) {
    if (error instanceof ExploreAbort) return { aborted: true };
    const where = file === undefined ? '' : locationSuffix(error, file);
    return { ok: false, name: (error as Error)?.name ?? 'Error', message: (error as Error)?.message ?? String(error), where };
  } finally {
    scheduling.active = null;
  }
}
