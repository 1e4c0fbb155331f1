/*
 * What the `semaphore` and `bounded-semaphore` targets share: a semaphore of
 * max(1, workers - 1) permits, so that workers contend, acquired and released by
 * every operation. Checked: never more holders than permits (the gauge of
 * invariants/exclusion.ts with the semaphore's value as the limit), the count never
 * above its initial value while held, and every permit back at the end.
 */
import type { Semaphore } from '../../sync/semaphore.js';
import { defineStressTarget, type StressTarget } from '../define-target.js';
import { countedEveryOperation, exclusionState, exclusiveWork } from '../invariants/exclusion.js';

export const permitsFor = (workers: number): number => Math.max(1, workers - 1);

export function semaphoreTarget(name: string, kind: string, create: (permits: number) => Semaphore): StressTarget {
  return defineStressTarget({
    name,
    summary: `threading.${kind}(workers - 1): acquire, count the holders, release`,
    invariants: ['never more holders than permits', 'the count never above its initial value', 'every permit returned at the end'],
    setup: ({ workers }) => ({ semaphore: create(permitsFor(workers)), permits: permitsFor(workers), state: exclusionState() }),
    role: () => ({
      name: 'worker',
      acquire: ({ semaphore }) => semaphore.acquire(),
      critical: ({ semaphore, permits, state }, op) => {
        op.check(semaphore.value <= permits - 1, () => `the ${kind}'s count is ${semaphore.value} while a permit is held (initial value ${permits})`);
        exclusiveWork(state, op, permits, `a ${kind}(${permits})`);
      },
      release: ({ semaphore }) => semaphore.release(),
    }),
    finalCheck: ({ semaphore, permits, state }, run) =>
      countedEveryOperation(state, run) ??
      (semaphore.value === permits ? undefined : `permits lost or made up: the count is ${semaphore.value} at the end, initially ${permits}`),
    waitsOn: ({ semaphore }) => ({ what: `the ${kind} (count ${semaphore.value})` }),
  });
}
