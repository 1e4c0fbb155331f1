/*
 * Event: Python's threading.Event (and multiprocessing.Event), in shared memory.
 *
 * A flag: set() raises it and wakes every waiter, clear() lowers it, wait(timeout)
 * returns at once while it is raised and otherwise sleeps until a set() or the
 * timeout. As in Lib/threading.py, wait returns True when the flag was raised
 * while it waited, even if clear() lowered it again before the waiter ran (a
 * set-then-clear "pulse" still releases everyone who was waiting), and False when
 * the timeout passed first. POSIX counterpart: a flag under a mutex plus a
 * pthread_cond_broadcast, or a Win32 manual-reset event.
 *
 * Algorithm: the sets are counted in a generation word, which is the futex.
 *   wait:  read the generation, then the flag; raised: return True. Otherwise sleep
 *          while the generation is unchanged; a changed generation means a set()
 *          happened since, so return True; a wake-up with no change is spurious and
 *          sleeps again; on timeout return whether the generation changed.
 *   set:   if the flag goes from 0 to 1, advance the generation and wake all.
 * A set that races a waiter either comes before the waiter's flag read (it sees the
 * flag) or advances the generation after the waiter read it (its wait sees the change).
 *
 * Layout (16-byte kernel region): word 0 flag, word 1 generation. Fast paths use a
 * fixed-length view of the region (region-words.ts), the sleeping protocol kernel.words.
 * close() drops this object's reference (lifetime.ts) and points the views at
 * private memory; a closed event raises ValueError.
 */
import { scheduling, syncPoint } from '../atomics/scheduling-point.js';
import { ValueError } from '../errors.js';
import { openRegion, type RegionHandle } from '../shm/kernel.js';
import { Closable, closedWords, regionReference } from '../shm/lifetime.js';
import { futexWake, runAsync, runBlocking, type Deadline, type Protocol } from '../atomics/futex.js';
import { regionViews } from './region-words.js';
import { optionalDeadline } from './timeout.js';
import { registerHandleKind } from '../shm/handle-kinds.js';

export interface EventHandle extends RegionHandle {
  readonly kind: 'Event';
}

const REGION_BYTES = 16;
const FLAG = 0;
const GENERATION = 1;

export class Event extends Closable {
  readonly handle: EventHandle;
  /** The region alone (fast paths, region-words.ts). */
  #word: Int32Array;
  /** The whole kernel and the region's first index in it (the sleeping protocol). */
  #words: Int32Array;
  #base: number;

  /** A new event, flag lowered; or, given a handle, the same event as the one it came from. */
  constructor(handle?: EventHandle) {
    super();
    const region = openRegion('Event', REGION_BYTES, handle);
    this.handle = region.handle;
    [this.#word, this.#words, this.#base] = regionViews(region, REGION_BYTES);
    this.takeLifetime(regionReference(region.kernel, region.handle));
  }

  /** Points the views at private memory; close() then drops the reference. */
  protected override onClose(): void {
    [this.#word, this.#base] = [closedWords(), 0];
    this.#words = this.#word;
  }

  #checkOpen(): void {
    if (this.closed) throw new ValueError('operation on a closed Event');
  }

  static attach(handle: EventHandle): Event {
    return new Event(handle);
  }

  isSet(): boolean {
    // Announced with the flag's location, so that a loop polling is_set() counts as a spin (explorer/controller.ts).
    if (scheduling.active !== null) syncPoint('is_set', this.handle.offset, { location: this.#word.byteOffset + FLAG * 4 });
    return Atomics.load(this.#word, FLAG) === 1;
  }

  /** Raises the flag and wakes every waiter. */
  set(): void {
    this.#checkOpen();
    if (scheduling.active !== null) syncPoint('set', this.handle.offset);
    if (Atomics.exchange(this.#word, FLAG, 1) === 1) return;
    Atomics.add(this.#word, GENERATION, 1);
    futexWake(this.#word, GENERATION);
  }

  /** Lowers the flag: later waits sleep until the next set(). */
  clear(): void {
    this.#checkOpen();
    if (scheduling.active !== null) syncPoint('clear', this.handle.offset);
    Atomics.store(this.#word, FLAG, 0);
  }

  /** Waits for the flag (timeout in seconds, null = for ever); returns True unless the timeout passed first. */
  wait(timeout: number | null = null): boolean {
    if (scheduling.active !== null) syncPoint('wait', this.handle.offset);
    if (Atomics.load(this.#word, FLAG) === 1) return true;
    const deadline = optionalDeadline(timeout);
    this.#checkOpen();
    return runBlocking(this.#words, this.waitProtocol(deadline), deadline);
  }

  /** wait() for the main thread's event loop. */
  async waitAsync(timeout: number | null = null): Promise<boolean> {
    const deadline = optionalDeadline(timeout);
    this.#checkOpen();
    return runAsync(this.#words, this.waitProtocol(deadline), deadline);
  }

  *waitProtocol(deadline: Deadline): Protocol<boolean> {
    const seen = Atomics.load(this.#word, GENERATION);
    if (Atomics.load(this.#word, FLAG) === 1) return true;
    for (;;) {
      const result = yield [this.#base + GENERATION, seen, deadline];
      if (Atomics.load(this.#word, GENERATION) !== seen) return true;
      if (result === 'timed-out') return false;
    }
  }
}

declare module '../shm/handle-kinds.js' {
  interface HandleKinds {
    Event: { handle: EventHandle; object: Event };
  }
}
registerHandleKind('Event', (handle) => new Event(handle));
