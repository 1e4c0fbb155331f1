/*
 * Condition: Python's threading.Condition (and multiprocessing.Condition), in
 * shared memory.
 *
 * A lock (an RLock unless one is given) plus a queue of waiters. wait() must be
 * called holding the lock: it releases the lock completely (an RLock held at any
 * depth, as threading's _release_save does), sleeps until notified or timed out,
 * takes the lock back at the depth it had (_acquire_restore) and returns whether
 * it was notified. notify(n) wakes the n longest waiting threads (fewer if fewer
 * wait), notifyAll() all of them; both need the lock too. wait and notify without
 * the lock are RuntimeErrors. waitFor(predicate, timeout) waits until the
 * predicate holds, re-checking after each wake-up, and returns its last value.
 * POSIX counterpart: pthread_cond_t with its mutex.
 *
 * Algorithm: the one of Lib/threading.py, in shared memory (waiter-queue.ts).
 *   wait:   with the lock held, append a slot of my own to the queue; release the
 *           lock; sleep on the slot until it is NOTIFIED or the deadline passes
 *           (a wake-up that finds it still WAITING is spurious: sleep again);
 *           re-take the lock; if the slot was not notified, unlink it; return
 *           whether it was notified.
 *   notify: with the lock held, pop up to n slots from the head, mark each
 *           NOTIFIED and have its sleeper woken when the lock is released
 *           (mutex-region.ts: woken now, it would only wait for the lock).
 *           A slot whose thread has exited (the kernel's live-thread table says
 *           so: a worker terminated inside wait()) is dropped and freed instead,
 *           and does not count: the wake-up goes to the next living waiter.
 * Exactness follows from the lock: the queue changes only under it, so notify(n)
 * chooses exactly min(n, waiting) threads that were queued before it, a thread
 * that starts waiting later is not among them, and a waiter that timed out has
 * unlinked itself (or is still linked and can be chosen, in which case it reports
 * True) so it never swallows a wake-up meant for another. A waiter that times out
 * just as it is chosen returns True: it was notified before it could leave (where
 * CPython would return False and the wake-up would be lost to the caller).
 * Each waiter sleeps on its own word, so notify wakes only the threads it chose.
 *
 * Layout (16-byte kernel region): words 0..2 the waiter queue (head, tail,
 * length); waiter slots are 32-byte regions of their own; the lock is its own
 * region, named in the handle. The queue and its slots, and the sleep on a slot,
 * go through a fixed-length view of the kernel (waiter-queue.ts); a composed
 * protocol (Barrier's) may sleep through kernel.words instead. A blocking wait()
 * takes waitProtocol's steps itself, sleeping in futexWait, with no generator per
 * wake-up (on a pinned hand-off that cost more than every atomic of the path);
 * waitAsync, waitFor and composed protocols run the generator. close() drops
 * this object's reference and its lock's (a lock it was given keeps its own:
 * shm/lifetime.ts, held-lock.ts); wait and notify on a closed Condition raise
 * ValueError.
 */
import { scheduling, syncPoint } from '../atomics/scheduling-point.js';
import { RuntimeError, ValueError } from '../errors.js';
import { defaultKernel, openRegion, type Kernel, type RegionHandle } from '../shm/kernel.js';
import { endOfRun } from '../shm/run-scope.js';
import { Closable, holdRegion, regionReference } from '../shm/lifetime.js';
import { attachLock, ownedLock, type HeldLock } from './held-lock.js';
import { expired, futexWait, runAsync, runBlocking, type Deadline, type Protocol } from '../atomics/futex.js';
import type { ConditionLock } from './condition-lock.js';
import type { Lock, LockHandle } from './lock.js';
import { isOwnerDied } from '../atomics/owner-died.js';
import { RLock, type RLockHandle } from './rlock.js';
import { optionalDeadline } from './timeout.js';
import { WAITING, WaiterQueue } from './waiter-queue.js';
import { registerHandleKind } from '../shm/handle-kinds.js';

/**
 * For a primitive built on a Condition (Barrier): while a waiter sleeps, it looks
 * every `everyMs` whether `wake()` (which must not need the lock) says to stop
 * waiting; if so the wait ends as a timeout would, so the caller, holding the lock
 * again, can look closer. Without it a waiter sleeps until notified or its deadline.
 */
export interface WaitPoll {
  readonly everyMs: number;
  readonly wake: () => boolean;
}

export interface ConditionHandle extends RegionHandle {
  readonly kind: 'Condition';
  readonly lock: LockHandle | RLockHandle;
}

const REGION_BYTES = 16;

export class Condition extends Closable {
  readonly handle: ConditionHandle;
  readonly lock: Lock | RLock;
  readonly #waiters: WaiterQueue;

  /** A new condition over `lock` (a new RLock by default); or, given a handle, the one it names. */
  constructor(lockOrHandle?: Lock | RLock | ConditionHandle | null) {
    super();
    const attaching = !(lockOrHandle === undefined || lockOrHandle === null || isLock(lockOrHandle));
    if (attaching) checkConditionArgument(lockOrHandle);
    const held = attaching ? attachLock((lockOrHandle as ConditionHandle).lock) : conditionLock(lockOrHandle ?? undefined);
    let region: { kernel: Kernel; handle: ConditionHandle };
    try {
      if (held.lock === null) throw new ValueError('bad Condition handle: it names no lock');
      region = openRegion<ConditionHandle>('Condition', REGION_BYTES, attaching ? (lockOrHandle as ConditionHandle) : undefined, {
        lock: held.lock.handle,
      });
    } catch (error) {
      held.drop();
      throw error;
    }
    this.lock = held.lock;
    this.handle = region.handle;
    this.#waiters = new WaiterQueue(region.kernel, region.handle.offset >> 2);
    const dropRegion = regionReference(region.kernel, region.handle);
    this.takeLifetime(() => {
      dropRegion();
      held.drop();
    });
  }

  /** At the end of the run that made it: the slots of waiters terminated in wait() go back to the kernel. */
  [endOfRun](): void {
    if (!this.closed) this.#waiters.freeDeadWaiters();
  }

  static attach(handle: ConditionHandle): Condition {
    return new Condition(handle);
  }

  /** Takes the underlying lock (same arguments as its acquire). */
  acquire(blocking = true, timeout = -1): boolean {
    return this.lock.acquire(blocking, timeout);
  }

  async acquireAsync(timeout = -1): Promise<boolean> {
    return this.lock.acquireAsync(timeout);
  }

  /** An acquire of the underlying lock as a protocol (for Barrier and other composed primitives). */
  acquireProtocol(deadline: Deadline): Protocol<boolean> {
    return this.lock.acquireProtocol(deadline);
  }

  release(): void {
    this.lock.release();
  }

  /** Python's `with cond:`: `using _ = cond.hold();` holds the lock to the end of the block. */
  hold(): Disposable {
    return this.lock.hold();
  }

  /** Releases the lock, sleeps until notified or the timeout (seconds, null = for ever), re-takes the lock. */
  wait(timeout: number | null = null): boolean {
    if (scheduling.active !== null) syncPoint('wait', this.handle.offset, { partner: this.lock.handle.offset });
    return this.#waitSleeping(optionalDeadline(timeout));
  }

  /**
   * waitProtocol without a poll, driven straight through futexWait (which a
   * controlled run's scheduler still intercepts): the same steps (#enqueueSelf,
   * #reacquire, #leave) with no generator, iterator results and request tuples
   * per wake-up, which cost a pinned hand-off more than its atomics do. Only a
   * contended re-take of the lock goes through the protocol.
   */
  #waitSleeping(deadline: Deadline): boolean {
    const waiters = this.#waiters;
    const lock = this.lock;
    const slot = this.#enqueueSelf();
    const saved = lock.releaseSave();
    const words = waiters.wordsReaching(slot);
    while (waiters.slotState(slot) === WAITING) {
      if (futexWait(words, slot, WAITING, deadline) === 'timed-out' && expired(deadline)) break;
    }
    const ownerDied = lock.tryAcquireRestore(saved) ? undefined : runBlocking(words, this.#reacquire(saved), Infinity);
    return this.#leave(slot, ownerDied);
  }

  async waitAsync(timeout: number | null = null): Promise<boolean> {
    const deadline = optionalDeadline(timeout);
    return runAsync(this.#waiters.wordsForWait(), this.waitProtocol(deadline), deadline);
  }

  /** Waits until predicate() is truthy or the timeout passes; returns the predicate's last value. */
  waitFor(predicate: () => boolean, timeout: number | null = null): boolean {
    if (scheduling.active !== null) syncPoint('wait_for', this.handle.offset, { partner: this.lock.handle.offset });
    const deadline = optionalDeadline(timeout);
    return runBlocking(this.#waiters.wordsForWait(), this.waitForProtocol(predicate, deadline), deadline);
  }

  async waitForAsync(predicate: () => boolean, timeout: number | null = null): Promise<boolean> {
    const deadline = optionalDeadline(timeout);
    return runAsync(this.#waiters.wordsForWait(), this.waitForProtocol(predicate, deadline), deadline);
  }

  *waitProtocol(deadline: Deadline, poll?: WaitPoll): Protocol<boolean> {
    const waiters = this.#waiters;
    const slot = this.#enqueueSelf();
    const saved = this.lock.releaseSave();
    // Under a controlled run time is the scheduler's: a liveness poll would read as a wait that times out again and
    // again (a Barrier that can never fill would never be seen to hang), and no party dies there unseen.
    const polled = scheduling.active === null ? poll : undefined;
    while (waiters.slotState(slot) === WAITING) {
      const until = polled === undefined ? deadline : Math.min(deadline, performance.now() + polled.everyMs);
      if ((yield [slot, WAITING, until]) === 'timed-out' && (expired(deadline) || polled?.wake() === true)) break;
    }
    const ownerDied = this.lock.tryAcquireRestore(saved) ? undefined : yield* this.#reacquire(saved);
    return this.#leave(slot, ownerDied);
  }

  /** A wait's start, holding the lock: the caller's slot goes to the queue's tail. Returns the slot. */
  #enqueueSelf(): number {
    this.#checkOpen();
    if (!this.lock.isOwned()) throw new RuntimeError('cannot wait on un-acquired lock');
    const slot = this.#waiters.takeSlot();
    this.#waiters.enqueue(slot);
    return slot;
  }

  /** Takes the lock back as releaseSave left it; returns the OwnerDiedError it was taken with, if any. */
  *#reacquire(saved: number): Protocol<unknown> {
    try {
      yield* this.lock.acquireRestore(saved);
      return undefined;
    } catch (error) {
      // EOWNERDEAD from pthread_cond_wait: the lock is held again, so the queue can be tidied before it is raised.
      if (!isOwnerDied(error)) throw error;
      return error;
    }
  }

  /** A wait's end, holding the lock again: leaves the queue if not notified, keeps the slot, raises an owner's death. */
  #leave(slot: number, ownerDied: unknown): boolean {
    const waiters = this.#waiters;
    const notified = waiters.slotState(slot) !== WAITING;
    if (!notified) waiters.unlink(slot);
    waiters.returnSlot(slot);
    if (ownerDied !== undefined) throw ownerDied;
    return notified;
  }

  /** As Lib/threading.py: the first wait happens whatever the timeout, later ones only before the deadline. */
  *waitForProtocol(predicate: () => boolean, deadline: Deadline): Protocol<boolean> {
    let result = predicate();
    for (let first = true; !result; first = false) {
      if (!first && expired(deadline)) break;
      yield* this.waitProtocol(deadline);
      result = predicate();
    }
    return result;
  }

  /** Wakes up to n of the living threads waiting now, longest waiting first. */
  notify(n = 1): void {
    if (scheduling.active !== null) syncPoint(n === Infinity ? 'notify_all' : 'notify', this.handle.offset, { index: n === Infinity ? 0 : n, partner: this.lock.handle.offset, byHolder: this.lock.isOwned() });
    this.#checkOpen();
    if (!this.lock.isOwned()) throw new RuntimeError('cannot notify on un-acquired lock');
    const waiters = this.#waiters;
    for (let left = n; left > 0; ) {
      const slot = waiters.head();
      if (slot === 0) return;
      waiters.unlink(slot);
      if (waiters.waiterIsDead(slot)) {
        waiters.freeDeadSlot(slot);
        continue;
      }
      waiters.markNotified(slot);
      this.lock.wakeOnRelease(slot);
      left--;
    }
  }

  /** Wakes every thread waiting now (Python's notify_all). */
  notifyAll(): void {
    this.notify(Infinity);
  }

  /** How many threads are waiting (CPython's len(cond._waiters)); exact while holding the lock. */
  get waiting(): number {
    return this.closed ? 0 : this.#waiters.length;
  }

  #checkOpen(): void {
    if (this.closed) throw new ValueError('operation on a closed Condition');
  }
}

/** The lock of a new Condition: a new RLock of its own, or the caller's, which it holds one more reference to. */
function conditionLock(given: Lock | RLock | undefined): HeldLock {
  if (given === undefined) return ownedLock(new RLock());
  if (given.handle.kernel !== defaultKernel().id) throw new ValueError("a Condition's lock must live in the Condition's kernel");
  return { lock: given, drop: holdRegion(given.handle) };
}

/**
 * A Condition's argument that is neither a lock nor a handle (another shared
 * object, a number) is a TypeError naming it; any other object is checked as
 * every handle is (a forged or stale one: ValueError).
 */
function checkConditionArgument(value: unknown): void {
  if (typeof value === 'object' && value !== null && !('handle' in value)) return;
  const kind = (value as { handle?: { kind?: unknown } } | null)?.handle?.kind;
  const given = typeof kind === 'string' ? `a ${kind}` : `a ${value === null ? 'null' : typeof value}`;
  throw new TypeError(`a Condition takes a Lock or an RLock (none or null: an RLock of its own), or a Condition's handle, not ${given}`);
}

/**
 * Whether `value` is a Lock or an RLock. Checked by shape, not instanceof: a scenario
 * module loaded through tsx has its own copy of the Lock class, and its locks are
 * just as good.
 */
function isLock(value: unknown): value is Lock | RLock {
  const kind = (value as { handle?: { kind?: unknown } } | null)?.handle?.kind;
  return (kind === 'Lock' || kind === 'RLock') && typeof (value as Partial<ConditionLock>).releaseSave === 'function';
}

declare module '../shm/handle-kinds.js' {
  interface HandleKinds {
    Condition: { handle: ConditionHandle; object: Condition };
  }
}
registerHandleKind('Condition', (handle) => new Condition(handle));
