/*
 * What Lock and RLock have in common: a mutex word (atomics/mutex-word.ts) at the start of
 * a kernel region, reached through the region's fixed-length view on fast paths
 * and through kernel.words in protocols (region-words.ts), and the methods that
 * only read it or only drive its protocol. Each subclass adds its own acquire fast
 * path, its release, and what a Condition needs to save and restore it.
 * The robust-mutex calls (atomics/owner-died.ts) are here too: markOwnerDead for whoever
 * watches threads exit, markConsistent for the holder that repaired the state.
 *
 * A Condition's notify under this lock does not wake its waiter at once: woken
 * while its notifier still holds the lock, the waiter would only go back to sleep
 * on it, two more context switches per hand-off (and on one CPU the woken thread
 * often preempts its notifier to do just that). The waiter's slot goes in word 2
 * and the mutex word gets WAKE_PENDING; the unlock that ends the hold wakes it,
 * so the release costs nothing more when nobody was notified. One slot is kept:
 * notifying another wakes the one before at once. (glibc's condition variables once
 * used FUTEX_CMP_REQUEUE to the same end, "wait morphing".) A slot allocated after
 * this lock was opened may lie past the end of its view of the kernel: the view is
 * re-made to reach it (region-words.ts).
 *
 * close() drops this object's reference (lifetime.ts) and points its views at
 * private memory (closedWords) whose word reads as held by nobody alive: the
 * fast paths stay as they are and can no longer reach the kernel, and a blocking
 * acquire raises ValueError instead of sleeping.
 */
import { openRegion, type Kernel, type RegionHandle } from '../shm/kernel.js';
import { Closable, closedWords, regionReference } from '../shm/lifetime.js';
import type { ConditionLock } from './condition-lock.js';
import { futexWake, runAsync, runBlocking, type Deadline, type Protocol } from '../atomics/futex.js';
import { RuntimeError, ValueError } from '../errors.js';
import { markConsistentWord, markOwnerDiedWord, OWNER_MASK, ownerDiedOfWord, ownerOfWord, unlockWord, WAKE_PENDING } from '../atomics/mutex-word.js';
import { kernelWordsNow, regionViews } from './region-words.js';
import { currentOwnerTag } from '../atomics/thread-identity.js';
import { lockDeadline } from './timeout.js';

const REGION_BYTES = 16;
const WAKE_ON_RELEASE = 2;

export abstract class MutexRegion<H extends RegionHandle & { readonly kind: 'Lock' | 'RLock' }> extends Closable implements ConditionLock {
  readonly handle: H;
  /** The region alone: word 0 is the mutex word. */
  protected word: Int32Array;
  /** The whole kernel (a fixed-length view that reaches this region), and the mutex word's index in it. */
  protected words: Int32Array;
  protected index: number;
  readonly #kernel: Kernel;

  protected constructor(kind: H['kind'], handle: H | undefined) {
    super();
    const region = openRegion<H>(kind, REGION_BYTES, handle);
    this.handle = region.handle;
    [this.word, this.words, this.index] = regionViews(region, REGION_BYTES);
    this.#kernel = region.kernel;
    this.takeLifetime(regionReference(region.kernel, region.handle));
  }

  /** Points the views at private memory whose word is held by nobody alive; close() then drops the reference. */
  protected override onClose(): void {
    this.word = closedWords();
    this.word[0] = OWNER_MASK;
    [this.words, this.index] = [this.word, 0];
  }

  #checkOpen(): void {
    if (this.closed) throw new ValueError(`operation on a closed ${this.handle.kind}`);
  }

  /**
   * A release that cannot be: ValueError once closed (its private word is put back
   * as close() left it), else the RuntimeError `message` (Lock's and RLock's own).
   */
  protected refuseRelease(message: string): never {
    if (this.closed) this.word[0] = OWNER_MASK;
    this.#checkOpen();
    throw new RuntimeError(message);
  }

  abstract acquire(blocking?: boolean, timeout?: number): boolean;
  abstract acquireProtocol(deadline: Deadline): Protocol<boolean>;
  abstract release(): void;
  abstract releaseSave(): number;
  abstract acquireRestore(saved: number): Protocol<void>;

  /** acquireRestore's fast path, for Condition.wait: takes the lock back as releaseSave left it if it is free; false if not. */
  tryAcquireRestore(saved: number): boolean {
    if (Atomics.compareExchange(this.word, 0, 0, currentOwnerTag) !== 0) return false;
    this.restoreDepth(saved);
    return true;
  }

  /** What acquireRestore sets besides the owner, once the lock is held again (an RLock's depth). */
  protected restoreDepth(_saved: number): void {}

  /** For Condition.notify, holding the lock: wake the sleeper on `slot` when the lock is released. */
  wakeOnRelease(slot: number): void {
    const displaced = Atomics.exchange(this.word, WAKE_ON_RELEASE, slot);
    if (displaced !== 0) this.#wakeSlot(displaced);
    Atomics.or(this.word, 0, WAKE_PENDING);
  }

  /** Frees the mutex word, then wakes the waiter notified under this hold, if any; returns the word as it was. */
  protected unlock(): number {
    const previous = unlockWord(this.word, 0);
    if ((previous & WAKE_PENDING) !== 0) this.#wakeNotified();
    return previous;
  }

  /** Wakes the slot in word 2. Waking early is harmless (the waiter sleeps on the lock instead), so a race only does that. */
  #wakeNotified(): void {
    const slot = Atomics.exchange(this.word, WAKE_ON_RELEASE, 0);
    if (slot !== 0) this.#wakeSlot(slot);
  }

  /** Wakes the sleeper on a Condition's waiter slot (none once closed: the lock's views no longer reach the kernel). */
  #wakeSlot(slot: number): void {
    if (slot >= this.words.length) {
      if (this.closed) return;
      this.words = kernelWordsNow(this.#kernel);
    }
    futexWake(this.words, slot, 1);
  }

  /** The slow path of acquire: the protocol, blocking until `deadline`. */
  protected acquireBefore(deadline: Deadline): boolean {
    this.#checkOpen();
    return runBlocking(this.words, this.acquireProtocol(deadline), deadline);
  }

  /** acquire() for the main thread's event loop: resolves once taken (true) or timed out (false). */
  async acquireAsync(timeout = -1): Promise<boolean> {
    const deadline = lockDeadline(true, timeout);
    this.#checkOpen();
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
    const marked = markOwnerDiedWord(this.word, 0, threadId + 1);
    // A waiter it notified competes for the lock now, as the sleepers on the word do.
    if (marked) this.#wakeNotified();
    return marked;
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
