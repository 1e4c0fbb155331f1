/*
 * Semaphore and BoundedSemaphore: Python's threading.Semaphore / BoundedSemaphore
 * (and their multiprocessing twins), in shared memory.
 *
 * A counter of permits: acquire() takes one, waiting while there is none;
 * release(n) gives n back and wakes up to n waiters. Semaphore(value < 0) and
 * release(n < 1) are ValueErrors, and so is a timeout on a non-blocking acquire
 * (Lib/threading.py). A BoundedSemaphore also refuses, with a ValueError, a
 * release that would lift the count above its initial value.
 * POSIX counterpart: sem_t (sem_wait, sem_timedwait, sem_trywait, sem_post).
 *
 * Algorithm: glibc's futex semaphore in outline. The count word is the futex:
 *   acquire: while the count is > 0, CAS it one down and return; otherwise add
 *            self to the sleeper count, sleep while the count is still 0, and
 *            take the sleeper count back on waking.
 *   release: raise the count by n (CAS, checked against the bound); if anyone is
 *            counted as asleep, wake n of them.
 * No wake-up is lost: a sleeper counts itself before its wait re-checks the count,
 * and a releaser raises the count before it reads the sleepers (all sequentially
 * consistent), so either the releaser sees the sleeper or the sleeper sees the permit.
 * A woken thread that finds the permit already taken (by a thread that never
 * slept) sleeps again, so spurious wake-ups are absorbed; one that times out
 * re-checks the count once before it gives up, and a wake-up meant for it goes to
 * another sleeper, since Atomics.notify only wakes threads still asleep.
 *
 * Layout (16-byte kernel region): word 0 count, word 1 sleepers, word 2 bound
 * (the initial value of a BoundedSemaphore, 2**31-1 for a Semaphore). Fast paths and
 * the blocking acquire's sleep use a fixed-length view of the region (region-words.ts);
 * the protocol (acquireAsync, composed waits) yields kernel word indexes. The blocking
 * acquire drives the protocol's steps itself, with no generator: a pinned hand-off
 * spends more on a generator's allocation and resumption than on its atomics.
 * close() drops this object's reference (lifetime.ts) and points the views at
 * private memory; a closed semaphore raises ValueError.
 */
import { GATE, scheduling, syncPoint } from '../atomics/scheduling-point.js';
import { ValueError } from '../errors.js';
import { openRegion, type RegionHandle } from '../shm/kernel.js';
import { Closable, closedWords, regionReference } from '../shm/lifetime.js';
import { expired, futexWait, futexWake, runAsync, type Deadline, type Protocol, type WaitResult } from '../atomics/futex.js';
import { regionViews } from './region-words.js';
import { semaphoreDeadline } from './timeout.js';
import { registerHandleKind } from '../shm/handle-kinds.js';

export interface SemaphoreHandle extends RegionHandle {
  readonly kind: 'Semaphore' | 'BoundedSemaphore';
}
export interface BoundedSemaphoreHandle extends SemaphoreHandle {
  readonly kind: 'BoundedSemaphore';
}

const REGION_BYTES = 16;
const COUNT = 0;
const SLEEPERS = 1;
const BOUND = 2;
const UNBOUNDED = 0x7fff_ffff;

export class Semaphore extends Closable {
  readonly handle: SemaphoreHandle;
  /** The region alone (fast paths, region-words.ts). */
  #word: Int32Array;
  /** The whole kernel and the count word's index in it (the sleeping protocol; COUNT is word 0). */
  #words: Int32Array;
  #count: number;

  /** A new semaphore holding `value` permits, or, given a handle, the one it names. */
  constructor(valueOrHandle: number | SemaphoreHandle = 1) {
    super();
    const kind = new.target === BoundedSemaphore ? 'BoundedSemaphore' : 'Semaphore';
    const handle = typeof valueOrHandle === 'object' ? valueOrHandle : undefined;
    const value = handle === undefined ? checkInitialValue(valueOrHandle as number) : 0;
    const region = openRegion<SemaphoreHandle>(kind, REGION_BYTES, handle);
    this.handle = region.handle;
    [this.#word, this.#words, this.#count] = regionViews(region, REGION_BYTES);
    this.takeLifetime(regionReference(region.kernel, region.handle));
    if (handle === undefined) {
      this.#word[BOUND] = kind === 'BoundedSemaphore' ? value : UNBOUNDED;
      Atomics.store(this.#word, COUNT, value);
    }
  }

  static attach(handle: SemaphoreHandle): Semaphore {
    return new Semaphore(handle);
  }

  /**
   * Takes a permit, waiting for one unless blocking=false; timeout (seconds, null =
   * for ever) bounds the wait. Returns whether a permit was taken.
   */
  acquire(blocking = true, timeout: number | null = null): boolean {
    const deadline = semaphoreDeadline(blocking, timeout);
    if (scheduling.active !== null) syncPoint('acquire', this.handle.offset, { gate: deadline === Infinity ? GATE.permit : GATE.none });
    if (this.#tryTake()) return true;
    this.#checkOpen();
    return this.#acquireSleeping(deadline);
  }

  /**
   * acquireProtocol's loop driven straight through futexWait (which a controlled
   * run's scheduler still intercepts), for the blocking acquire: the same steps (#tryTake,
   * #sleepFor, #wokenAfter) without a generator, an iterator result and a request
   * tuple per sleep, which cost a pinned hand-off more than its atomics do.
   */
  #acquireSleeping(deadline: Deadline): boolean {
    for (;;) {
      if (this.#tryTake()) return true;
      if (expired(deadline)) return false;
      const result = futexWait(this.#word, COUNT, this.#sleepFor(), deadline);
      if (this.#wokenAfter(result)) return this.#tryTake();
    }
  }

  /** acquire() for the main thread's event loop. */
  async acquireAsync(timeout: number | null = null): Promise<boolean> {
    const deadline = semaphoreDeadline(true, timeout);
    this.#checkOpen();
    return runAsync(this.#words, this.acquireProtocol(deadline), deadline);
  }

  *acquireProtocol(deadline: Deadline): Protocol<boolean> {
    for (;;) {
      if (this.#tryTake()) return true;
      if (expired(deadline)) return false;
      const result = yield [this.#count, this.#sleepFor(), deadline];
      if (this.#wokenAfter(result)) return this.#tryTake();
    }
  }

  /** Counts the caller among the sleepers before it sleeps; returns the count it sleeps on (none left). */
  #sleepFor(): number {
    Atomics.add(this.#word, SLEEPERS, 1);
    return 0;
  }

  /** Takes the caller out of the sleepers; true when its wait timed out (one last try, then give up). */
  #wokenAfter(result: WaitResult): boolean {
    Atomics.sub(this.#word, SLEEPERS, 1);
    return result === 'timed-out';
  }

  #tryTake(): boolean {
    const word = this.#word;
    for (let seen = Atomics.load(word, COUNT); seen > 0; seen = Atomics.load(word, COUNT)) {
      if (Atomics.compareExchange(word, COUNT, seen, seen - 1) === seen) return true;
    }
    return false;
  }

  /** Gives back n permits and wakes up to n waiters. */
  release(n = 1): void {
    if (!Number.isInteger(n)) throw new TypeError('n must be an integer');
    if (n < 1) throw new ValueError('n must be one or more');
    this.#checkOpen();
    if (scheduling.active !== null) syncPoint('release', this.handle.offset, { index: n });
    const word = this.#word;
    const bound = word[BOUND];
    for (;;) {
      const seen = Atomics.load(word, COUNT);
      if (seen + n > bound) throw this.#overflow();
      if (Atomics.compareExchange(word, COUNT, seen, seen + n) === seen) break;
    }
    if (Atomics.load(word, SLEEPERS) > 0) futexWake(word, COUNT, n);
  }

  #overflow(): ValueError {
    return this.handle.kind === 'BoundedSemaphore'
      ? new ValueError('Semaphore released too many times')
      : new ValueError('semaphore value would exceed 2**31-1');
  }

  /** The permits available now (Python's private _value), for inspection. */
  get value(): number {
    return Atomics.load(this.#word, COUNT);
  }

  /** Points the views at private memory; close() then drops the reference. */
  protected override onClose(): void {
    [this.#word, this.#count] = [closedWords(), 0];
    this.#words = this.#word;
  }

  #checkOpen(): void {
    if (this.closed) throw new ValueError(`operation on a closed ${this.handle.kind}`);
  }

  /** Python's `with sem:`: `using _ = sem.hold();` holds a permit to the end of the block. */
  hold(): Disposable {
    this.acquire();
    return { [Symbol.dispose]: () => this.release() };
  }
}

export class BoundedSemaphore extends Semaphore {
  declare readonly handle: BoundedSemaphoreHandle;

  /** A new bounded semaphore (release never lifts it above `value`), or the one a handle names. */
  constructor(valueOrHandle: number | BoundedSemaphoreHandle = 1) {
    super(valueOrHandle);
  }

  static override attach(handle: BoundedSemaphoreHandle): BoundedSemaphore {
    return new BoundedSemaphore(handle);
  }
}

function checkInitialValue(value: number): number {
  if (!Number.isInteger(value)) throw new TypeError('semaphore initial value must be an integer');
  if (value < 0) throw new ValueError('semaphore initial value must be >= 0');
  if (value > UNBOUNDED) throw new ValueError('semaphore initial value must be < 2**31');
  return value;
}

declare module '../shm/handle-kinds.js' {
  interface HandleKinds {
    Semaphore: { handle: SemaphoreHandle & { readonly kind: 'Semaphore' }; object: Semaphore };
    BoundedSemaphore: { handle: BoundedSemaphoreHandle; object: BoundedSemaphore };
  }
}
registerHandleKind('Semaphore', (handle) => new Semaphore(handle));
registerHandleKind('BoundedSemaphore', (handle) => new BoundedSemaphore(handle));
