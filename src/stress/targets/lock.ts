/*
 * Stress target `lock`: threading.Lock hammered by every worker. Each operation
 * acquires, does a read-hold-write of a plain counter, releases. Checked: mutual
 * exclusion (invariants/exclusion.ts) and no lost update. It is a --kill-holder
 * target (its recovery: invariants/exclusion.ts, mutexTargetParts).
 */
import { Lock } from '../../sync/lock.js';
import { defineStressTarget } from '../define-target.js';
import type { SharedWords } from '../../shm/shared-words.js';
import { exclusionState, exclusiveWork, mutexTargetParts } from '../invariants/exclusion.js';

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
  ...mutexTargetParts<{ lock: Lock; state: SharedWords }>(({ lock }) => lock, 'the Lock'),
});
