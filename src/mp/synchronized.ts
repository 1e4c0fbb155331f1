/*
 * The lock behind multiprocessing's synchronized wrappers (Value, Array).
 *
 * Python's sharedctypes.synchronized() wraps a ctypes object with a lock:
 * lock=True makes a new RLock, lock=False none (a raw object), and an existing
 * Lock or RLock is used as given. Each access through the wrapper takes the lock
 * for that one access only, which is why `v.value += 1` is a read under the lock
 * followed by a write under the lock, and updates can still be lost in between.
 *
 * Lifetimes (shm/lifetime.ts): a wrapper holds its own region and its lock
 * (sync/held-lock.ts): a lock it made (lock=True) or attached from a handle is its
 * part, closed with it; a lock it was given stays the caller's object, and the
 * wrapper holds one more reference to its region while it lives.
 */
import { RuntimeError, ValueError } from '../errors.js';
import { attachLock, noLock, ownedLock, type HeldLock, type SyncLock, type SyncLockHandle } from '../sync/held-lock.js';
import { Lock } from '../sync/lock.js';
import { RLock } from '../sync/rlock.js';
import { openRegion, type Kernel, type RegionHandle } from '../shm/kernel.js';
import { holdRegion, regionReference } from '../shm/lifetime.js';

export type { SyncLock, SyncLockHandle } from '../sync/held-lock.js';
export type LockOption = boolean | SyncLock;

/** The lock a wrapper should use for `option` (true: a new RLock; false: none). */
export function lockFor(option: LockOption | undefined): HeldLock {
  if (option === undefined || option === true) return ownedLock(new RLock());
  if (option === false) return noLock();
  if (option instanceof Lock || option instanceof RLock) return { lock: option, drop: holdRegion(option.handle) };
  throw new ValueError(`lock must be true, false, a Lock or an RLock, not ${String(option)}`);
}

/**
 * The region and lock of a synchronized wrapper (Value, SharedArray): with no
 * handle, a new region and the lock `option` asks for; with one, the handle's
 * region and lock, checked. If the region cannot be had, the lock is let go.
 * `drop` lets both go: the wrapper's Lifetime (Closable.takeLifetime).
 */
export function openSynchronized<H extends RegionHandle & { readonly lock: SyncLockHandle | null }>(
  kind: 'Value' | 'SharedArray',
  bytes: number,
  handle: H | undefined,
  option: LockOption | undefined,
  extra: Omit<H, keyof RegionHandle | 'lock'>,
): { kernel: Kernel; handle: H; lock: SyncLock | null; drop: () => void } {
  const held = handle === undefined ? lockFor(option) : attachLock(handle.lock);
  let region: { kernel: Kernel; handle: H };
  try {
    region = openRegion<H>(kind, bytes, handle, { ...extra, lock: held.lock?.handle ?? null } as unknown as Omit<H, keyof RegionHandle>);
  } catch (error) {
    held.drop();
    throw error;
  }
  const dropRegion = regionReference(region.kernel, region.handle);
  const drop = () => {
    dropRegion();
    held.drop();
  };
  return { ...region, lock: held.lock, drop };
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
