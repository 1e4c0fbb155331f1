/*
 * The lock behind multiprocessing's synchronized wrappers (Value, Array).
 *
 * Python's sharedctypes.synchronized() wraps a ctypes object with a lock:
 * lock=True makes a new RLock, lock=False none (a raw object), and an existing
 * Lock or RLock is used as given. Each access through the wrapper takes the lock
 * for that one access only, which is why `v.value += 1` is a read under the lock
 * followed by a write under the lock, and updates can still be lost in between.
 */
import { RuntimeError, ValueError } from '../errors.js';
import { Lock, type LockHandle } from '../sync/lock.js';
import { RLock, type RLockHandle } from '../sync/rlock.js';

export type SyncLock = Lock | RLock;
export type SyncLockHandle = LockHandle | RLockHandle;
export type LockOption = boolean | SyncLock;

/** The lock a wrapper should use for `option` (true: a new RLock; false: none). */
export function lockFor(option: LockOption | undefined): SyncLock | null {
  if (option === undefined || option === true) return new RLock();
  if (option === false) return null;
  if (option instanceof Lock || option instanceof RLock) return option;
  throw new ValueError(`lock must be true, false, a Lock or an RLock, not ${String(option)}`);
}

export function attachLock(handle: SyncLockHandle | null): SyncLock | null {
  if (handle === null) return null;
  return handle.kind === 'Lock' ? new Lock(handle) : new RLock(handle as RLockHandle);
}

/** `.getLock()` of a wrapper: the lock, or the AttributeError Python gives for a raw object. */
export function requireLock(lock: SyncLock | null, what: string): SyncLock {
  if (lock === null) throw new RuntimeError(`this ${what} was made with lock: false and has no lock (Python: AttributeError: get_lock)`);
  return lock;
}

/** Runs one access under the wrapper's lock, or bare when it has none. */
export function underLock<T>(lock: SyncLock | null, access: () => T): T {
  if (lock === null) return access();
  lock.acquire();
  try {
    return access();
  } finally {
    lock.release();
  }
}
