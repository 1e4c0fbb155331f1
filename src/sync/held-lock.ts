/*
 * The lock a composite shared object holds: a Condition's lock, a synchronized
 * Value's or Array's lock (mp/synchronized.ts). A composite either owns its lock
 * (it made it, or attached it from its handle: closed with the composite) or was
 * given it (the caller's object: the composite keeps one more reference to the
 * lock's region instead, lifetime.ts). `drop` is how the composite lets go.
 */
import { ValueError } from '../errors.js';
import { attachHandle } from '../shm/handle-kinds.js';
import { describeHandle } from '../shm/kernel.js';
import type { Lock, LockHandle } from './lock.js';
import type { RLock, RLockHandle } from './rlock.js';
import './lock.js';
import './rlock.js';

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
  const kind: unknown = typeof handle === 'object' ? handle.kind : undefined;
  if (kind !== 'Lock' && kind !== 'RLock') throw new ValueError(`bad handle: its lock is ${describeHandle(handle)}, not a Lock or RLock handle`);
  return ownedLock(attachHandle(handle) as SyncLock);
}

/** A lock the composite made or attached: its part, closed with it. */
export function ownedLock(lock: SyncLock): HeldLock {
  return { lock, drop: () => lock.close() };
}
