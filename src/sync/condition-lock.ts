/*
 * What a Condition (and so a Barrier) needs of the lock under it: the contract
 * CPython's Lib/threading.py Condition keeps with its lock, which it reaches
 * through the lock's _is_owned, _release_save and _acquire_restore. Lock and
 * RLock both keep it; for an RLock "save" means "release fully, remember the depth".
 */
import type { RegionHandle } from '../shm/kernel.js';
import type { Deadline, Protocol } from '../atomics/futex.js';

export interface ConditionLock {
  readonly handle: RegionHandle & { readonly kind: 'Lock' | 'RLock' };
  acquire(blocking?: boolean, timeout?: number): boolean;
  acquireAsync(timeout?: number): Promise<boolean>;
  release(): void;
  /** Whether the calling thread holds it (threading's _is_owned). */
  isOwned(): boolean;
  /** An acquire as a protocol bounded by `deadline` (atomics/futex.ts), for composing into other protocols. */
  acquireProtocol(deadline: Deadline): Protocol<boolean>;
  /** Releases it completely; returns what acquireRestore needs to take it back as it was (_release_save). */
  releaseSave(): number;
  /** Called holding it: wakes the sleeper on a waiter slot when it is next released (mutex-region.ts). */
  wakeOnRelease(slot: number): void;
  /** Takes it back, waiting as long as it must, as releaseSave left it (_acquire_restore). */
  acquireRestore(saved: number): Protocol<void>;
  /** acquireRestore without waiting: takes it back if it is free and returns true, else false. */
  tryAcquireRestore(saved: number): boolean;
}
