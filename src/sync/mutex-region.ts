/*
 * What Lock and RLock have in common: a mutex word (mutex-word.ts) at the start of
 * a kernel region, reached through the region's fixed-length view on fast paths
 * and through kernel.words in protocols (region-words.ts), and the methods that
 * only read it or only drive its protocol. Each subclass adds its own acquire fast
 * path, its release, and what a Condition needs to save and restore it.
 * The robust-mutex calls (owner-died.ts) are here too: markOwnerDead for whoever
 * watches threads exit, markConsistent for the holder that repaired the state.
 */
import { openRegion, type RegionHandle } from '../shm/kernel.js';
import type { ConditionLock } from './condition-lock.js';
import { runAsync, runBlocking, type Deadline, type Protocol } from './futex.js';
import { RuntimeError } from '../errors.js';
import { markConsistentWord, markOwnerDiedWord, ownerDiedOfWord, ownerOfWord } from './mutex-word.js';
import { regionViews } from './region-words.js';
import { currentOwnerTag } from './thread-identity.js';
import { lockDeadline } from './timeout.js';

const REGION_BYTES = 16;

export abstract class MutexRegion<H extends RegionHandle & { readonly kind: 'Lock' | 'RLock' }> implements ConditionLock {
  readonly handle: H;
  /** The region alone: word 0 is the mutex word. */
  protected readonly word: Int32Array;
  /** The whole kernel, and the mutex word's index in it. */
  protected readonly words: Int32Array;
  protected readonly index: number;

  protected constructor(kind: H['kind'], handle: H | undefined) {
    const region = openRegion<H>(kind, REGION_BYTES, handle);
    this.handle = region.handle;
    [this.word, this.words, this.index] = regionViews(region, REGION_BYTES);
  }

  abstract acquire(blocking?: boolean, timeout?: number): boolean;
  abstract acquireProtocol(deadline: Deadline): Protocol<boolean>;
  abstract release(): void;
  abstract releaseSave(): number;
  abstract acquireRestore(saved: number): Protocol<void>;

  /** The slow path of acquire: the protocol, blocking until `deadline`. */
  protected acquireBefore(deadline: Deadline): boolean {
    return runBlocking(this.words, this.acquireProtocol(deadline), deadline);
  }

  /** acquire() for the main thread's event loop: resolves once taken (true) or timed out (false). */
  async acquireAsync(timeout = -1): Promise<boolean> {
    const deadline = lockDeadline(true, timeout);
    return runAsync(this.words, this.acquireProtocol(deadline), deadline);
  }

  locked(): boolean {
    return Atomics.load(this.word, 0) !== 0;
  }

  /** The threadId of the thread that holds it, or null when it is free. */
  get ownerThreadId(): number | null {
    const tag = ownerOfWord(this.word, 0);
    return tag === 0 ? null : tag - 1;
  }

  /** Whether the calling thread holds it (threading's _is_owned). */
  isOwned(): boolean {
    return ownerOfWord(this.word, 0) === currentOwnerTag;
  }

  /**
   * What Linux does for a robust mutex when its owner exits: if the thread
   * `threadId` holds it, it is marked OWNER_DIED and one waiter is woken; that
   * waiter, or the next acquirer, gets it with an OwnerDiedError. Returns whether
   * it was marked. Called by whoever sees the thread end (a Worker 'exit' event):
   * a thread that was terminated cannot clean up after itself.
   */
  markOwnerDead(threadId: number): boolean {
    return markOwnerDiedWord(this.word, 0, threadId + 1);
  }

  /** pthread_mutex_consistent: the holder, after an OwnerDiedError and its repair, makes it an ordinary lock again. */
  markConsistent(): void {
    if (!markConsistentWord(this.word, 0, currentOwnerTag)) throw new RuntimeError('markConsistent: this thread does not hold a lock whose owner died');
  }

  /** Whether the lock is marked OWNER_DIED (abandoned, or taken after an owner death and not yet consistent). */
  get ownerDied(): boolean {
    return ownerDiedOfWord(this.word, 0);
  }

  /** Python's `with lock:`: `using _ = lock.hold();` holds it to the end of the block. */
  hold(): Disposable {
    this.acquire();
    return { [Symbol.dispose]: () => this.release() };
  }
}
