/*
 * RLock: Python's threading.RLock (and multiprocessing.RLock), in shared memory.
 *
 * A reentrant lock: the thread that holds it may acquire it again, and must
 * release it as many times; only the owner may release it, and releasing it when
 * not owned is a RuntimeError ("cannot release un-acquired lock"). The owner is
 * the worker's threadId (0 for the main thread). acquire's arguments are checked
 * first, as in Modules/_threadmodule.c. POSIX counterpart: a
 * PTHREAD_MUTEX_RECURSIVE mutex.
 *
 * Algorithm: the futex mutex of atomics/mutex-word.ts, whose word already holds the
 * owner; a second word counts the depth and is touched only by the owner.
 * A Condition waiting on it releases it fully and restores the depth after
 * (releaseSave / acquireRestore, threading's _release_save / _acquire_restore).
 * In a controlled run (src/explorer) only the first acquire and the last
 * release are scheduling points.
 *
 * The depth is a 32-bit word: an acquire that would take it past 2**31 - 1 raises
 * OverflowError, as CPython's does at its counter's limit ("Internal lock count
 * overflowed"), and leaves the lock as it was.
 *
 * Layout (16-byte kernel region): word 0 mutex word (owner tag | WAITERS), word 1 depth,
 * word 2 a waiter a Condition notified, to wake at release (mutex-region.ts).
 * Fast paths use a fixed-length view of the region (region-words.ts), protocols
 * kernel.words (mutex-region.ts holds what RLock shares with Lock).
 */
import { GATE, scheduling, syncPoint } from '../atomics/scheduling-point.js';
import { OverflowError } from '../errors.js';
import type { RegionHandle } from '../shm/kernel.js';
import type { Deadline, Protocol } from '../atomics/futex.js';
import { MutexRegion } from './mutex-region.js';
import { isOwnerDied } from '../atomics/owner-died.js';
import { lockWord, OWNER_MASK } from '../atomics/mutex-word.js';
import { currentOwnerTag } from '../atomics/thread-identity.js';
import { lockDeadline } from './timeout.js';
import { registerHandleKind } from '../shm/handle-kinds.js';

export interface RLockHandle extends RegionHandle {
  readonly kind: 'RLock';
}

const DEPTH = 1;
const MAX_DEPTH = 0x7fff_ffff;

export class RLock extends MutexRegion<RLockHandle> {
  /** A new, unowned RLock; or, given a handle, the same RLock as the one it came from. */
  constructor(handle?: RLockHandle) {
    super('RLock', handle);
  }

  static attach(handle: RLockHandle): RLock {
    return new RLock(handle);
  }

  /** Takes the lock, or deepens the hold when the caller already owns it. */
  acquire(blocking = true, timeout = -1): boolean {
    if (scheduling.active !== null && !this.isOwned()) syncPoint('acquire', this.handle.offset, { gate: blocking === true && timeout === -1 ? GATE.mutex : GATE.none });
    if (blocking !== true || timeout !== -1) return this.acquireBefore(lockDeadline(blocking, timeout));
    const word = this.word;
    if (Atomics.compareExchange(word, 0, 0, currentOwnerTag) === 0) {
      word[DEPTH] = 1;
      return true;
    }
    if ((Atomics.load(word, 0) & OWNER_MASK) === currentOwnerTag) {
      this.#deepen();
      return true;
    }
    return this.acquireBefore(Infinity);
  }

  *acquireProtocol(deadline: Deadline): Protocol<boolean> {
    if (this.isOwned()) {
      this.#deepen();
      return true;
    }
    const taken = yield* this.#lockAtDepth(deadline, 1);
    if (taken) this.word[DEPTH] = 1;
    return taken;
  }

  /** One more acquire by the owner; the depth word must not wrap. */
  #deepen(): void {
    if (this.word[DEPTH] >= MAX_DEPTH) throw new OverflowError('Internal lock count overflowed');
    this.word[DEPTH] += 1;
  }

  /** The mutex word's protocol; an OwnerDiedError leaves the lock held by the caller at `depth`. */
  *#lockAtDepth(deadline: Deadline, depth: number): Protocol<boolean> {
    try {
      return yield* lockWord(this.words, this.index, currentOwnerTag, deadline);
    } catch (error) {
      if (isOwnerDied(error)) this.word[DEPTH] = depth;
      throw error;
    }
  }

  /** Undoes one acquire; the last one frees the lock. Only the owner may release. */
  release(): void {
    if (scheduling.active !== null && !this.#releasedByOwnerStillHeld()) syncPoint('release', this.handle.offset, { byHolder: this.isOwned() });
    if (!this.isOwned()) this.refuseRelease('cannot release un-acquired lock');
    const depth = this.word[DEPTH] - 1;
    this.word[DEPTH] = depth;
    if (depth === 0) this.unlock();
  }

  /**
   * Whether a release by the caller only makes its hold shallower. That, and a
   * deeper acquire, act on the owner's count alone: no other thread can see them
   * or be blocked by them, so they are no scheduling points.
   */
  #releasedByOwnerStillHeld(): boolean {
    return this.isOwned() && this.word[DEPTH] > 1;
  }

  /** How many times the owner has acquired it (0 when free). */
  get depth(): number {
    return this.locked() ? this.word[DEPTH] : 0;
  }

  /** For Condition: frees it however deep the hold is, and returns the depth (threading's _release_save). */
  releaseSave(): number {
    if (!this.isOwned()) this.refuseRelease('cannot release un-acquired lock');
    const depth = this.word[DEPTH];
    this.word[DEPTH] = 0;
    this.unlock();
    return depth;
  }

  /** For Condition: takes it back at the depth releaseSave returned (threading's _acquire_restore). */
  *acquireRestore(depth: number): Protocol<void> {
    yield* this.#lockAtDepth(Infinity, depth);
    this.restoreDepth(depth);
  }

  protected override restoreDepth(depth: number): void {
    this.word[DEPTH] = depth;
  }
}

declare module '../shm/handle-kinds.js' {
  interface HandleKinds {
    RLock: { handle: RLockHandle; object: RLock };
  }
}
registerHandleKind('RLock', (handle) => new RLock(handle));
