// Worker-side code for test/stress/robust-lock.test.ts: each export runs in a real worker thread.
import { threadId } from 'node:worker_threads';
import { Lock, type LockHandle } from '../../src/sync/lock.js';
import { RLock, type RLockHandle } from '../../src/sync/rlock.js';
import { Condition, type ConditionHandle } from '../../src/sync/condition.js';

/** Takes the lock and returns holding it, as a thread that dies in its critical section leaves it. Returns its threadId. */
export function takeAndAbandon(handle: LockHandle | RLockHandle): number {
  const lock = handle.kind === 'Lock' ? Lock.attach(handle) : RLock.attach(handle);
  if (!lock.acquire(true, 30)) throw new Error('the lock was not free within 30 s');
  return threadId;
}

/**
 * Announces itself in `flag`, then acquires (bounded at 30 s): 'owner-died' when the
 * acquire threw OwnerDiedError (the lock is then held: it checks that, makes it
 * consistent and releases it), 'acquired' for an ordinary acquire, 'timed-out'.
 */
export function acquireAndRecover(handle: LockHandle | RLockHandle, flag: SharedArrayBuffer): string {
  const lock = handle.kind === 'Lock' ? Lock.attach(handle) : RLock.attach(handle);
  Atomics.store(new Int32Array(flag), 0, 1);
  try {
    if (!lock.acquire(true, 30)) return 'timed-out';
    lock.release();
    return 'acquired';
  } catch (error) {
    if ((error as Error).name !== 'OwnerDiedError') throw error;
    if (!lock.isOwned() || !lock.ownerDied) return 'owner-died but not held';
    lock.markConsistent();
    lock.release();
    return 'owner-died';
  }
}

/** Takes the condition's lock, notifies one waiter and returns holding the lock. Returns its threadId. */
export function notifyAndAbandon(handle: ConditionHandle): number {
  const condition = Condition.attach(handle);
  if (!condition.acquire(true, 30)) throw new Error("the condition's lock was not free within 30 s");
  condition.notify();
  return threadId;
}
