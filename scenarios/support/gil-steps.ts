/*
 * Plain JavaScript steps run as if each were one bytecode under an interpreter
 * lock: the shape of the scenarios that show what the GIL protects (refcount-race,
 * allocator-race). The thread takes the lock, checks the eval breaker before each
 * step and hands the GIL over when asked (as the eval loop does), and drops it at
 * the end, also when a step throws. Under a shared GIL no two threads' steps
 * overlap, so a step that is a read-modify-write of shared state (Py_INCREF,
 * pymalloc's free-list pop) is atomic; with NoGil they run in parallel.
 */
import { Gil, type GilHandle, type InterpreterLock, NoGil } from '../../src/gil-entry.js';

/** Runs step(0) .. step(steps - 1) under the GIL `gil` names (null: no GIL); returns how often the GIL was handed over. */
export function runGilSteps(gil: GilHandle | null, steps: number, step: (index: number) => void): number {
  const lock: InterpreterLock = gil === null ? new NoGil() : new Gil(gil);
  const { words, breaker } = lock;
  let handovers = 0;
  lock.take();
  try {
    for (let index = 0; index < steps; index++) {
      if (Atomics.load(words, breaker) !== 0) {
        lock.handleDropRequest();
        handovers += 1;
      }
      step(index);
    }
  } finally {
    lock.drop();
  }
  return handovers;
}
