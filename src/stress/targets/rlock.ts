/*
 * Stress target `rlock`: threading.RLock, taken 1 to 3 times deep by each
 * operation (the depth drawn from the worker's seeded stream). Checked while
 * holding: the RLock is owned by this worker at exactly the depth it took, and
 * mutual exclusion with the plain counter; after the last release: this worker no
 * longer owns it. Recovery after an owner death is markConsistent() and one release
 * (OwnerDiedError leaves the RLock at depth 1), as for Lock.
 */
import { RLock } from '../../sync/rlock.js';
import { randomBelow } from '../../coordinator/prng.js';
import { defineStressTarget } from '../define-target.js';
import type { SharedWords } from '../../shm/shared-words.js';
import { exclusionState, exclusiveWork, mutexTargetParts } from '../invariants/exclusion.js';

const MAX_DEPTH = 3;

export default defineStressTarget({
  name: 'rlock',
  summary: 'threading.RLock: acquire 1-3 times, check the depth, read-hold-write a plain counter, release as often',
  invariants: ['reentrancy: owned by the holder at exactly the depth it took', 'ownership ends with the last release', 'mutual exclusion and no lost update'],
  setup: () => ({ rlock: new RLock(), state: exclusionState() }),
  role: () => {
    let depth = 0;
    return {
      name: 'worker',
      acquire: ({ rlock }, op) => {
        depth = 1 + randomBelow(op.random, MAX_DEPTH);
        for (let taken = 0; taken < depth; taken++) rlock.acquire();
        return true;
      },
      critical: ({ rlock, state }, op) => {
        op.check(rlock.isOwned(), () => 'reentrancy broken: the RLock is not owned by the worker that acquired it');
        op.check(rlock.depth === depth, () => `reentrancy broken: depth ${rlock.depth} after ${depth} acquires`);
        exclusiveWork(state, op, 1, 'an RLock');
      },
      release: ({ rlock }, op) => {
        for (let left = depth; left > 0; left--) rlock.release();
        op.check(!rlock.isOwned(), () => `reentrancy broken: still owned after ${depth} releases of ${depth} acquires`);
      },
    };
  },
  ...mutexTargetParts<{ rlock: RLock; state: SharedWords }>(({ rlock }) => rlock, 'the RLock'),
});
