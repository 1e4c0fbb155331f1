/*
 * The mutual-exclusion invariant, shared by the Lock, RLock and Semaphore targets
 * and open to user targets: what a Python test of a lock checks with a plain
 * counter and an "inside" gauge.
 *
 *   enter: the gauge goes up atomically; more than `limit` workers inside at once
 *          (1 for a mutex, the initial value for a semaphore) is a violation;
 *   work:  a read-hold-write of a plain counter (no atomics): a lock that lets two
 *          holders overlap loses increments, which the final check sees;
 *   leave: the gauge goes down.
 *   final: the counter equals the operations completed (for a mutex; a semaphore
 *          with more than one permit does not protect the plain counter, so its
 *          counter is updated atomically and the check is the same).
 *
 * mutexTargetParts gives a target over a Lock or RLock the rest: the final check,
 * the lock for --kill-holder and its recovery (markConsistent and release: a
 * victim is killed between acquire and critical section, so nothing is half done).
 *
 * Layout: SharedWords of 4: [counter | inside | most inside ever seen | unused].
 */
import type { FinishedStressRun, OpContext, RobustMutex, StressTargetDefinition } from '../define-target.js';
import { SharedWords } from '../../shm/shared-words.js';

const COUNTER = 0;
const INSIDE = 1;
const MOST_INSIDE = 2;

export function exclusionState(): SharedWords {
  return new SharedWords(4);
}

/** One critical section under a primitive that admits at most `limit` workers at once. */
export function exclusiveWork(state: SharedWords, op: OpContext, limit: number, what: string): void {
  const words = state.words;
  const inside = Atomics.add(words, INSIDE, 1) + 1;
  if (inside > Atomics.load(words, MOST_INSIDE)) Atomics.store(words, MOST_INSIDE, inside);
  op.check(inside <= limit, () => `mutual exclusion broken: ${inside} workers inside the critical section of ${what} at once (at most ${limit})`);
  if (limit === 1) {
    const seen = words[COUNTER];
    op.hold();
    words[COUNTER] = seen + 1;
  } else {
    op.hold();
    Atomics.add(words, COUNTER, 1);
  }
  Atomics.sub(words, INSIDE, 1);
}

/** The final check: every completed operation counted once. */
export function countedEveryOperation(state: SharedWords, run: FinishedStressRun): string | undefined {
  const expected = run.ops.reduce((sum, ops) => sum + ops, 0);
  const counter = state.words[COUNTER];
  if (counter === expected) return undefined;
  return `lost updates: the counter is ${counter} after ${expected} completed critical sections (${expected - counter} lost)`;
}

/** Workers inside at once, at most, over the run (for reports). */
export function mostInside(state: SharedWords): number {
  return Atomics.load(state.words, MOST_INSIDE);
}

type MutexParts<S> = Required<Pick<StressTargetDefinition<S>, 'finalCheck' | 'mutex' | 'recover' | 'waitsOn'>>;

/** The parts of a target that guards `state` with the mutex `lockOf` returns, besides its role. */
export function mutexTargetParts<S extends { state: SharedWords }>(lockOf: (shared: S) => RobustMutex, what: string): MutexParts<S> {
  return {
    finalCheck: ({ state }, run) => countedEveryOperation(state, run),
    mutex: lockOf,
    recover: (shared) => {
      const lock = lockOf(shared);
      lock.markConsistent();
      lock.release();
    },
    waitsOn: (shared) => ({ what, ownerThreadId: lockOf(shared).ownerThreadId }),
  };
}
