/*
 * Stress target `lock`: threading.Lock hammered by every worker. Each operation
 * acquires, does a read-hold-write of a plain counter, releases. Checked: mutual
 * exclusion (invariants/exclusion.ts) and no lost update. It is a --kill-holder
 * target: a victim is killed between its acquire and its critical section, so it
 * leaves nothing half done and the recovery after OwnerDiedError is markConsistent()
 * and release (the runner then acquires again).
 */
import { Lock } from '../../sync/lock.js';
import { defineStressTarget } from '../define-target.js';
import { countedEveryOperation, exclusionState, exclusiveWork } from '../invariants/exclusion.js';

export default defineStressTarget({
  name: 'lock',
  summary: 'threading.Lock: acquire, read-hold-write a plain counter, release',
  invariants: ['mutual exclusion: never two holders at once', 'no lost update: the plain counter equals the completed operations'],
  setup: () => ({ lock: new Lock(), state: exclusionState() }),
  role: () => ({
    name: 'worker',
    acquire: ({ lock }) => lock.acquire(),
    critical: ({ state }, op) => exclusiveWork(state, op, 1, 'a Lock'),
    release: ({ lock }) => lock.release(),
  }),
  finalCheck: ({ state }, run) => countedEveryOperation(state, run),
  mutex: ({ lock }) => lock,
  recover: ({ lock }) => {
    lock.markConsistent();
    lock.release();
  },
  waitsOn: ({ lock }) => ({ what: 'the Lock', ownerThreadId: lock.ownerThreadId }),
});
