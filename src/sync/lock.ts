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
 * Algorithm: the futex mutex of mutex-word.ts (Drepper's mutex3 with the owner in
 * the word): uncontended, one compareExchange to take it and one exchange to free it;
 * contended, a bounded spin and then a sleep in Atomics.wait.
 *
 * Layout: one 32-bit word in a 16-byte kernel region: owner tag | WAITERS bit, 0 when free.
 * The fast paths use a fixed-length view of the region (region-words.ts); the
 * sleeping path uses kernel.words, so that it composes with other protocols.
 */
import { RuntimeError } from '../errors.js';
import { openRegion, type RegionHandle } from '../shm/kernel.js';
import type { ConditionLock } from './condition-lock.js';
import { runAsync, runBlocking, type Deadline, type Protocol } from './futex.js';
import { lockWord, ownerOfWord, unlockWord } from './mutex-word.js';
import { regionViews } from './region-words.js';
import { currentOwnerTag } from './thread-identity.js';
import { lockDeadline } from './timeout.js';

export interface LockHandle extends RegionHandle {
  readonly kind: 'Lock';
}

const REGION_BYTES = 16;

export class Lock implements ConditionLock {
  readonly handle: LockHandle;
  /** The region alone (fast paths): the mutex word is word 0. */
  readonly #word: Int32Array;
  /** The whole kernel and the mutex word's index in it (protocols). */
  readonly #words: Int32Array;
  readonly #index: number;

  /** A new, unlocked lock; or, given a handle, the same lock as the one it came from. */
  constructor(handle?: LockHandle) {
    const region = openRegion('Lock', REGION_BYTES, handle);
    this.handle = region.handle;
    [this.#word, this.#words, this.#index] = regionViews(region, REGION_BYTES);
  }

  static attach(handle: LockHandle): Lock {
    return new Lock(handle);
  }

  /**
   * Takes the lock. blocking=false returns at once; timeout (seconds, -1 = for ever)
   * bounds the wait. Returns whether the lock was taken.
   */
  acquire(blocking = true, timeout = -1): boolean {
    if (blocking !== true || timeout !== -1) return this.#acquireBefore(lockDeadline(blocking, timeout));
    if (Atomics.compareExchange(this.#word, 0, 0, currentOwnerTag) === 0) return true;
    return this.#acquireBefore(Infinity);
  }

  #acquireBefore(deadline: Deadline): boolean {
    return runBlocking(this.#words, this.acquireProtocol(deadline), deadline);
  }

  /** acquire() for the main thread's event loop: resolves once taken (true) or timed out (false). */
  async acquireAsync(timeout = -1): Promise<boolean> {
    const deadline = lockDeadline(true, timeout);
    return runAsync(this.#words, this.acquireProtocol(deadline), deadline);
  }

  acquireProtocol(deadline: Deadline): Protocol<boolean> {
    return lockWord(this.#words, this.#index, currentOwnerTag, deadline);
  }

  /** Unlocks; any thread may. Releasing an unlocked lock is a RuntimeError. */
  release(): void {
    if (unlockWord(this.#word, 0) === 0) throw new RuntimeError('release unlocked lock');
  }

  locked(): boolean {
    return Atomics.load(this.#word, 0) !== 0;
  }

  /** The threadId of the thread that took the lock, or null when it is free. */
  get ownerThreadId(): number | null {
    const tag = ownerOfWord(this.#word, 0);
    return tag === 0 ? null : tag - 1;
  }

  /** Python's `with lock:`: `using _ = lock.hold();` holds it to the end of the block. */
  hold(): Disposable {
    this.acquire();
    return { [Symbol.dispose]: () => this.release() };
  }

  /** For Condition: whether the calling thread holds the lock (as threading.Condition._is_owned guesses it). */
  isOwned(): boolean {
    return ownerOfWord(this.#word, 0) === currentOwnerTag;
  }

  /** For Condition (threading's _release_save): a Lock has no depth to remember. */
  releaseSave(): number {
    this.release();
    return 1;
  }

  /** For Condition (threading's _acquire_restore). */
  *acquireRestore(): Protocol<void> {
    yield* this.acquireProtocol(Infinity);
  }
}
