/*
 * The lock a composite shared object holds: a Condition's lock, a synchronized
 * Value's or Array's lock (mp/synchronized.ts). A composite either owns its lock
 * (it made it, or attached it from its handle: closed with the composite) or was
 * given it (the caller's object: the composite keeps one more reference to the
 * lock's region instead, lifetime.ts). `drop` is how the composite lets go.
 */
import { ValueError } from '../errors.js';
import { Lock, type LockHandle } from './lock.js';
import { RLock, type RLockHandle } from './rlock.js';

export type SyncLock = Lock | RLock;
export type SyncLockHandle = LockHandle | RLockHandle;

/** A composite's lock, and how the composite lets go of it. */
export interface HeldLock {
  lock: SyncLock | null;
  drop: () => void;
}

const nothingToDrop = (): void => {};

/** No lock at all (a raw Value or Array). */
export const noLock = (): HeldLock => ({ lock: null, drop: nothingToDrop });

/** The lock a composite's handle names, attached in this thread (null or absent: none). */
export function attachLock(handle: SyncLockHandle | null | undefined): HeldLock {
  if (handle === null || handle === undefined) return noLock();
  if (typeof handle !== 'object') throw new ValueError(`bad handle: its lock is ${String(handle)}, not a Lock or RLock handle`);
  return ownedLock(handle.kind === 'Lock' ? new Lock(handle) : new RLock(handle as RLockHandle));
}

/** A lock the composite made or attached: its part, closed with it. */
export function ownedLock(lock: SyncLock): HeldLock {
  return { lock, drop: () => lock.close() };
}
