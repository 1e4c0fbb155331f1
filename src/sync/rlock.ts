/*
 * RLock: Python's threading.RLock (and multiprocessing.RLock), in shared memory.
 *
 * A reentrant lock: the thread that holds it may acquire it again, and must
 * release it as many times; only the owner may release it, and releasing it when
 * not owned is a RuntimeError ("cannot release un-acquired lock"). The owner is
 * the worker's threadId (0 for the main thread). POSIX counterpart: a
 * PTHREAD_MUTEX_RECURSIVE mutex.
 *
 * Algorithm: the futex mutex of mutex-word.ts, whose word already holds the
 * owner; a second word counts the depth and is touched only by the owner.
 *
 * Layout (16-byte kernel region): word 0 mutex word (owner tag | WAITERS), word 1 depth.
 */
import { RuntimeError } from '../errors.js';
import { openRegion, type RegionHandle } from '../shm/kernel.js';
import { runAsync, runBlocking, type Deadline } from './futex.js';
import { lockWordSlowly, OWNER_MASK, ownerOfWord, spinLockWord, tryLockWord, unlockWord } from './mutex-word.js';
import { currentOwnerTag } from './thread-identity.js';
import { lockDeadline } from './timeout.js';

export interface RLockHandle extends RegionHandle {
  readonly kind: 'RLock';
}

const REGION_BYTES = 16;
const DEPTH = 1;

export class RLock {
  readonly handle: RLockHandle;
  readonly #words: Int32Array;
  readonly #index: number;

  /** A new, unowned RLock; or, given a handle, the same RLock as the one it came from. */
  constructor(handle?: RLockHandle) {
    const region = openRegion('RLock', REGION_BYTES, handle);
    this.handle = region.handle;
    this.#words = region.kernel.words;
    this.#index = region.handle.offset >> 2;
  }

  static attach(handle: RLockHandle): RLock {
    return new RLock(handle);
  }

  /** Takes the lock, or deepens the hold when the caller already owns it. */
  acquire(blocking = true, timeout = -1): boolean {
    const words = this.#words;
    const index = this.#index;
    if (Atomics.compareExchange(words, index, 0, currentOwnerTag) === 0) {
      words[index + DEPTH] = 1;
      return true;
    }
    if ((Atomics.load(words, index) & OWNER_MASK) === currentOwnerTag) {
      words[index + DEPTH] += 1;
      return true;
    }
    return this.#acquireContended(lockDeadline(blocking, timeout));
  }

  #acquireContended(deadline: Deadline): boolean {
    const taken =
      spinLockWord(this.#words, this.#index, currentOwnerTag) ||
      (deadline !== 0 && runBlocking(this.#words, lockWordSlowly(this.#words, this.#index, currentOwnerTag), deadline));
    if (taken) this.#words[this.#index + DEPTH] = 1;
    return taken;
  }

  /** acquire() for the main thread's event loop. */
  async acquireAsync(timeout = -1): Promise<boolean> {
    const deadline = lockDeadline(true, timeout);
    if (this.isOwned()) {
      this.#words[this.#index + DEPTH] += 1;
      return true;
    }
    const taken =
      tryLockWord(this.#words, this.#index, currentOwnerTag) ||
      (await runAsync(this.#words, lockWordSlowly(this.#words, this.#index, currentOwnerTag), deadline));
    if (taken) this.#words[this.#index + DEPTH] = 1;
    return taken;
  }

  /** Undoes one acquire; the last one frees the lock. Only the owner may release. */
  release(): void {
    if (!this.isOwned()) throw new RuntimeError('cannot release un-acquired lock');
    const depth = this.#words[this.#index + DEPTH] - 1;
    this.#words[this.#index + DEPTH] = depth;
    if (depth === 0) unlockWord(this.#words, this.#index);
  }

  locked(): boolean {
    return Atomics.load(this.#words, this.#index) !== 0;
  }

  /** The threadId of the owner, or null when the RLock is free. */
  get ownerThreadId(): number | null {
    const tag = ownerOfWord(this.#words, this.#index);
    return tag === 0 ? null : tag - 1;
  }

  /** How many times the owner has acquired it (0 when free). */
  get depth(): number {
    return this.locked() ? this.#words[this.#index + DEPTH] : 0;
  }

  /** Python's `with rlock:`: `using _ = rlock.hold();`. */
  hold(): Disposable {
    this.acquire();
    return { [Symbol.dispose]: () => this.release() };
  }

  /** Whether the calling thread owns it (threading.RLock._is_owned). */
  isOwned(): boolean {
    return ownerOfWord(this.#words, this.#index) === currentOwnerTag;
  }
}
