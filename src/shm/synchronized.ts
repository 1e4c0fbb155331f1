/*
 * The lock behind multiprocessing's synchronized wrappers (Value, Array).
 *
 * Python's sharedctypes.synchronized() wraps a ctypes object with a lock:
 * lock=True makes a new RLock, lock=False none (a raw object), and an existing
 * Lock or RLock is used as given. Each access through the wrapper takes the lock
 * for that one access only, which is why `v.value += 1` is a read under the lock
 * followed by a write under the lock, and updates can still be lost in between.
 *
 * Lifetimes (lifetime.ts): a wrapper holds its own region and its lock. A lock it
 * made (lock=True) or attached from a handle is its part, closed with it; a lock
 * it was given stays the caller's object, and the wrapper holds one more
 * reference to its region while it lives.
 */
import { RuntimeError, ValueError } from '../errors.js';
import { Lock, type LockHandle } from '../sync/lock.js';
import { RLock, type RLockHandle } from '../sync/rlock.js';
import { openRegion, type Kernel, type RegionHandle } from './kernel.js';
import { holdRegion, Lifetime, regionReference } from './lifetime.js';

export type SyncLock = Lock | RLock;
export type SyncLockHandle = LockHandle | RLockHandle;
export type LockOption = boolean | SyncLock;

/** A wrapper's lock, and how the wrapper lets go of it. */
export interface HeldLock {
  lock: SyncLock | null;
  drop: () => void;
}

const nothingToDrop = (): void => {};

/** The lock a wrapper should use for `option` (true: a new RLock; false: none). */
export function lockFor(option: LockOption | undefined): HeldLock {
  if (option === undefined || option === true) return ownedLock(new RLock());
  if (option === false) return { lock: null, drop: nothingToDrop };
  if (option instanceof Lock || option instanceof RLock) return { lock: option, drop: holdRegion(option.handle) };
  throw new ValueError(`lock must be true, false, a Lock or an RLock, not ${String(option)}`);
}

/** The lock a wrapper's handle names, attached in this thread (null or absent: none). */
export function attachLock(handle: SyncLockHandle | null | undefined): HeldLock {
  if (handle === null || handle === undefined) return { lock: null, drop: nothingToDrop };
  if (typeof handle !== 'object') throw new ValueError(`bad handle: its lock is ${String(handle)}, not a Lock or RLock handle`);
  return ownedLock(handle.kind === 'Lock' ? new Lock(handle) : new RLock(handle as RLockHandle));
}

/** A lock the wrapper made or attached: its part, closed with it. */
export function ownedLock(lock: SyncLock): HeldLock {
  return { lock, drop: () => lock.close() };
}

/**
 * The region and lock of a synchronized wrapper (Value, SharedArray): with no
 * handle, a new region and the lock `option` asks for; with one, the handle's
 * region and lock, checked. If the region cannot be had, the lock is let go.
 */
export function openSynchronized<H extends RegionHandle & { readonly lock: SyncLockHandle | null }>(
  owner: object,
  kind: 'Value' | 'SharedArray',
  bytes: number,
  handle: H | undefined,
  option: LockOption | undefined,
  extra: Omit<H, keyof RegionHandle | 'lock'>,
): { kernel: Kernel; handle: H; lock: SyncLock | null; lifetime: Lifetime } {
  const held = handle === undefined ? lockFor(option) : attachLock(handle.lock);
  let region: { kernel: Kernel; handle: H };
  try {
    region = openRegion<H>(kind, bytes, handle, { ...extra, lock: held.lock?.handle ?? null } as unknown as Omit<H, keyof RegionHandle>);
  } catch (error) {
    held.drop();
    throw error;
  }
  const dropRegion = regionReference(region.kernel, region.handle);
  const lifetime = new Lifetime(owner, () => {
    dropRegion();
    held.drop();
  });
  return { ...region, lock: held.lock, lifetime };
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
