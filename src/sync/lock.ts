/*
 * Lock: Python's threading.Lock (and multiprocessing.Lock), in shared memory.
 *
 * A primitive lock with two states, locked and unlocked; acquire() blocks until
 * it is unlocked and locks it; release() unlocks it and may be called by any
 * thread, not only the one that acquired it; releasing an unlocked lock is a
 * RuntimeError. acquire(blocking, timeout) checks its arguments as
 * Modules/_threadmodule.c does, before it looks at the lock: a timeout on a
 * non-blocking call, or a negative timeout other than -1, is a ValueError.
 * POSIX counterpart: a default pthread_mutex_t, or a sem_t of 1.
 *
 * Algorithm: the futex mutex of atomics/mutex-word.ts (Drepper's mutex3 with the owner in
 * the word): uncontended, one compareExchange to take it and one exchange to free it;
 * contended, a bounded spin and then a sleep in Atomics.wait.
 *
 * Layout: one 32-bit word in a 16-byte kernel region: owner tag | WAITERS bit, 0 when free;
 * word 2 holds a waiter a Condition notified, to wake at release (mutex-region.ts).
 * The fast paths use a fixed-length view of the region (region-words.ts); the
 * sleeping path uses kernel.words, so that it composes with other protocols
 * (mutex-region.ts holds what Lock shares with RLock).
 */
import { GATE, scheduling, syncPoint } from '../atomics/scheduling-point.js';
import type { RegionHandle } from '../shm/kernel.js';
import type { Deadline, Protocol } from '../atomics/futex.js';
import { MutexRegion } from './mutex-region.js';
import { lockWord, OWNER_MASK } from '../atomics/mutex-word.js';
import { currentOwnerTag } from '../atomics/thread-identity.js';
import { lockDeadline } from './timeout.js';
import { registerHandleKind } from '../shm/handle-kinds.js';

export interface LockHandle extends RegionHandle {
  readonly kind: 'Lock';
}

export class Lock extends MutexRegion<LockHandle> {
  /** A new, unlocked lock; or, given a handle, the same lock as the one it came from. */
  constructor(handle?: LockHandle) {
    super('Lock', handle);
  }

  static attach(handle: LockHandle): Lock {
    return new Lock(handle);
  }

  /**
   * Takes the lock. blocking=false returns at once; timeout (seconds, -1 = for ever)
   * bounds the wait. Returns whether the lock was taken.
   */
  acquire(blocking = true, timeout = -1): boolean {
    if (scheduling.active !== null) syncPoint('acquire', this.handle.offset, { gate: blocking === true && timeout === -1 ? GATE.mutex : GATE.none });
    if (blocking !== true || timeout !== -1) return this.acquireBefore(lockDeadline(blocking, timeout));
    if (Atomics.compareExchange(this.word, 0, 0, currentOwnerTag) === 0) return true;
    return this.acquireBefore(Infinity);
  }

  acquireProtocol(deadline: Deadline): Protocol<boolean> {
    return lockWord(this.words, this.index, currentOwnerTag, deadline);
  }

  /** Unlocks; any thread may. Releasing an unlocked lock is a RuntimeError. */
  release(): void {
    if (scheduling.active !== null) syncPoint('release', this.handle.offset, { byHolder: this.isOwned() });
    this.#unlockHeld();
  }

  /** For Condition (threading's _release_save): a Lock has no depth to remember. */
  releaseSave(): number {
    this.#unlockHeld();
    return 1;
  }

  /** Unlocks; a lock that was free, or is closed (its private word reads OWNER_MASK), is refused. */
  #unlockHeld(): void {
    const previous = this.unlock();
    if (previous === 0 || (previous === OWNER_MASK && this.closed)) this.refuseRelease('release unlocked lock');
  }

  /** For Condition (threading's _acquire_restore). */
  *acquireRestore(): Protocol<void> {
    yield* this.acquireProtocol(Infinity);
  }
}

declare module '../shm/handle-kinds.js' {
  interface HandleKinds {
    Lock: { handle: LockHandle; object: Lock };
  }
}
registerHandleKind('Lock', (handle) => new Lock(handle));
