/*
 * Barrier: Python's threading.Barrier (and multiprocessing.Barrier), in shared memory.
 *
 * `parties` threads call wait(); each blocks until all have, then all go on
 * together, and each gets a distinct index 0..parties-1 (its arrival order in
 * that round). The barrier is then ready for another round. A wait that times
 * out breaks the barrier; abort() breaks it on purpose; reset() breaks the round
 * in progress and makes it usable again once its waiters have left. Waits on a
 * broken barrier, and waits interrupted by abort or reset, throw
 * BrokenBarrierError. An optional action runs in one thread (the last to arrive)
 * before the others are released; if it throws, the barrier breaks.
 * POSIX counterpart: pthread_barrier_t (which has no timeout, abort or reset).
 *
 * Algorithm: the state machine of Lib/threading.py's Barrier, over this package's
 * shared Condition (with a plain Lock):
 *   FILLING   threads arrive, take index = count++ and wait for the state to change;
 *             the last one runs the action and moves to DRAINING, waking all.
 *   DRAINING  released threads leave, count--; the last one out moves back to
 *             FILLING and wakes threads that arrived early for the next round.
 *   RESETTING like DRAINING, but the leavers throw BrokenBarrierError (reset()).
 *   BROKEN    every wait throws until reset().
 * Threads that arrive while the barrier drains or resets wait for it to fill
 * again, so one round's indexes never mix with the next's. Unlike CPython's
 * _enter, that wait honours the caller's timeout (and breaks the barrier when it
 * passes, as any timed-out wait does): a round that never drains (a party died
 * in it) must not hold a timed wait past its timeout.
 *
 * A party that dies inside wait() (a worker terminated there; shm/live-threads.ts)
 * would leave its round unable to fill or to drain. Each party records a thread
 * reference at its arrival index; a sleeping party looks every LIVENESS_POLL_MS,
 * without the lock (Condition's WaitPoll), and every arrival looks once, for
 * recorded parties whose thread has exited. Finding one, it takes the lock, takes
 * the dead out of the count and breaks the barrier, so the
 * others get BrokenBarrierError instead of waiting for ever; reset() makes it
 * usable again. Python has no such case: a multiprocessing.Barrier whose party
 * is killed leaves the others waiting until their timeout. Not covered: a party
 * killed in the moment it holds the barrier's own lock (its bookkeeping at
 * arrival, wake-up and exit); the lock stays held, as a Python lock would.
 * The whole wait is one protocol (atomics/futex.ts) composed of the Condition's, so the
 * blocking and the async forms share it.
 *
 * Layout (kernel region of 16 + 8 x min(parties, MAX_TRACKED_PARTIES) bytes):
 * word 0 state, word 1 count (threads inside wait()), words 2..3 unused, then one
 * thread reference (2 words) per arrival index, 0 while nobody holds that index.
 * Parties past MAX_TRACKED_PARTIES in a round are not tracked (their death goes
 * unseen). The Condition and its Lock are regions of their own, named in the
 * handle with parties and the default timeout. close() drops this object's
 * reference and closes its Condition (and the Lock it made for it: lifetime.ts).
 */
import { scheduling, syncPoint } from '../atomics/scheduling-point.js';
import { BrokenBarrierError, ValueError } from '../errors.js';
import { openRegion, type Kernel, type RegionHandle } from '../shm/kernel.js';
import { Closable, closedWords, regionReference } from '../shm/lifetime.js';
import { clearThreadRef, isRecordedThreadDead, recordCurrentThread, THREAD_REF_WORDS } from '../shm/live-threads.js';
import { Condition, type ConditionHandle, type WaitPoll } from './condition.js';
import { expired, runAsync, runBlocking, type Deadline, type Protocol } from '../atomics/futex.js';
import { Lock } from './lock.js';
import { optionalDeadline } from './timeout.js';
import { registerHandleKind } from '../shm/handle-kinds.js';

export interface BarrierHandle extends RegionHandle {
  readonly kind: 'Barrier';
  readonly parties: number;
  /** Default timeout of wait() in seconds; null waits for ever. */
  readonly timeout: number | null;
  readonly condition: ConditionHandle;
  /** Whether it was made with an action: then every thread that attaches it must give its own (a function cannot cross threads). */
  readonly action?: boolean;
}

export interface BarrierOptions {
  /** Default timeout of wait() in seconds (null or absent: for ever). */
  timeout?: number | null;
  /**
   * Called by one thread (the last to arrive) before a round is released, as
   * Python's action. A function cannot cross threads: a barrier made with an action
   * must be attached with one in every thread (Barrier.attach(handle, { action })),
   * and one made without must be attached without, else the rounds some thread
   * completes would run no action, or another one.
   */
  action?: () => void;
}

const HEADER_BYTES = 16;
const STATE = 0;
const COUNT = 1;
const PARTIES_WORD = HEADER_BYTES / 4;
/** Arrival indexes past this one are not tracked for deaths (it bounds the region). */
const MAX_TRACKED_PARTIES = 1024;
/** How often a waiting party looks for parties that died (ms). */
const LIVENESS_POLL_MS = 100;

const FILLING = 0;
const DRAINING = 1;
const RESETTING = -1;
const BROKEN = -2;

export class Barrier extends Closable {
  readonly handle: BarrierHandle;
  readonly #condition: Condition;
  #words: Int32Array;
  #state: number;
  #count: number;
  readonly #parties: number;
  #tracked: number;
  readonly #action: (() => void) | undefined;
  readonly #poll: WaitPoll = { everyMs: LIVENESS_POLL_MS, wake: () => this.#partyIsDead() };

  /** A new barrier for `parties` threads; or, given a handle, the one it names. */
  constructor(partiesOrHandle: number | BarrierHandle, { timeout = null, action }: BarrierOptions = {}) {
    super();
    const handle = typeof partiesOrHandle === 'object' ? partiesOrHandle : undefined;
    if (handle === undefined) checkParties(partiesOrHandle as number);
    if (handle !== undefined) checkBarrierHandle(handle, action);
    const lock = handle === undefined ? new Lock() : undefined;
    const condition = lock !== undefined ? new Condition(lock) : new Condition(handle!.condition);
    const tracked = Math.min(handle?.parties ?? (partiesOrHandle as number), MAX_TRACKED_PARTIES);
    let region: { kernel: Kernel; handle: BarrierHandle };
    try {
      region = openRegion<BarrierHandle>('Barrier', HEADER_BYTES + tracked * THREAD_REF_WORDS * 4, handle, {
        parties: partiesOrHandle as number,
        timeout: checkTimeout(timeout),
        condition: condition.handle,
        action: action !== undefined,
      });
    } catch (error) {
      condition.close();
      lock?.close();
      throw error;
    }
    this.#condition = condition;
    const dropRegion = regionReference(region.kernel, region.handle);
    this.takeLifetime(() => {
      dropRegion();
      condition.close();
      lock?.close();
    });
    this.handle = region.handle;
    this.#words = region.kernel.words;
    this.#state = (region.handle.offset >> 2) + STATE;
    this.#count = (region.handle.offset >> 2) + COUNT;
    this.#parties = (region.handle.offset >> 2) + PARTIES_WORD;
    this.#tracked = tracked;
    this.#action = action;
  }

  /** Points the views at private memory; close() then drops the reference and closes the Condition. */
  protected override onClose(): void {
    [this.#words, this.#state, this.#count, this.#tracked] = [closedWords(), 0, 1, 0];
  }

  /** The barrier a handle names; `action` is this thread's action, if it is to have one. */
  static attach(handle: BarrierHandle, options: Pick<BarrierOptions, 'action'> = {}): Barrier {
    return new Barrier(handle, options);
  }

  get parties(): number {
    return this.handle.parties;
  }

  /** Threads waiting in the current round (Python's n_waiting). */
  get nWaiting(): number {
    return Atomics.load(this.#words, this.#state) === FILLING ? Atomics.load(this.#words, this.#count) : 0;
  }

  get broken(): boolean {
    return Atomics.load(this.#words, this.#state) === BROKEN;
  }

  /**
   * Waits for all parties; returns this thread's index in the round. timeout
   * (seconds; absent or null: the barrier's default) bounds the wait, and breaks
   * the barrier when it passes.
   */
  wait(timeout?: number | null): number {
    if (scheduling.active !== null) syncPoint('barrier.wait', this.handle.offset);
    return runBlocking(this.#words, this.waitProtocol(this.#deadline(timeout)), Infinity);
  }

  async waitAsync(timeout?: number | null): Promise<number> {
    return runAsync(this.#words, this.waitProtocol(this.#deadline(timeout)), Infinity);
  }

  /**
   * The wait's deadline. Refused first: a closed barrier (its views are private
   * memory no wait can sleep on), and one made with an action but attached here
   * without (attach(handle) of a run's objects), which must not complete a round.
   */
  #deadline(timeout: number | null | undefined): Deadline {
    if (this.closed) throw new ValueError('operation on a closed Barrier');
    if (this.handle.action === true && this.#action === undefined) {
      throw new ValueError('this Barrier was made with an action, which cannot cross threads: attach it with Barrier.attach(handle, { action }) in every thread that waits on it');
    }
    return optionalDeadline(timeout ?? this.handle.timeout);
  }

  *waitProtocol(deadline: Deadline): Protocol<number> {
    yield* this.#condition.acquireProtocol(Infinity);
    try {
      yield* this.#waitWhileEmptying(deadline);
      this.#breakIfPartyDied();
      const index = this.#words[this.#count]++;
      this.#recordParty(index);
      try {
        if (index + 1 === this.parties) this.#releaseRound();
        else yield* this.#waitForRelease(deadline);
        return index;
      } finally {
        this.#leave(index);
      }
    } finally {
      this.#condition.release();
    }
  }

  /** Breaks the current round (its waiters throw) and makes the barrier usable again once they have left. */
  reset(): void {
    using _ = this.#condition.hold();
    this.#removeDeadParties();
    const state = this.#words[this.#state];
    const waitersLeft = this.#words[this.#count] > 0;
    this.#setState(waitersLeft ? (state === DRAINING ? DRAINING : RESETTING) : FILLING);
  }

  /** Breaks the barrier: every wait, now or later, throws until reset(). */
  abort(): void {
    using _ = this.#condition.hold();
    this.#setState(BROKEN);
  }

  *#waitWhileEmptying(deadline: Deadline): Protocol<void> {
    while (this.#words[this.#state] === DRAINING || this.#words[this.#state] === RESETTING) {
      this.#breakIfPartyDied();
      if (expired(deadline)) this.#breakOnTimeout();
      yield* this.#condition.waitProtocol(deadline, this.#poll);
    }
    if (this.#words[this.#state] === BROKEN) throw new BrokenBarrierError('the barrier is broken');
  }

  #releaseRound(): void {
    try {
      this.#action?.();
    } catch (error) {
      this.#setState(BROKEN);
      throw error;
    }
    this.#setState(DRAINING);
  }

  /** Condition.wait_for(lambda: state != FILLING, timeout), as CPython's _wait, looking for dead parties between sleeps. */
  *#waitForRelease(deadline: Deadline): Protocol<void> {
    for (let first = true; this.#words[this.#state] === FILLING; first = false) {
      this.#breakIfPartyDied();
      if (!first && expired(deadline)) this.#breakOnTimeout();
      yield* this.#condition.waitProtocol(deadline, this.#poll);
    }
    if (this.#words[this.#state] !== DRAINING) throw new BrokenBarrierError('the barrier was aborted or reset while waiting');
  }

  #breakOnTimeout(): never {
    this.#setState(BROKEN);
    throw new BrokenBarrierError('the barrier was broken by a wait that timed out');
  }

  /** Breaks the barrier if a party inside wait() has died (after taking it out of the count). */
  #breakIfPartyDied(): void {
    const dead = this.#removeDeadParties();
    if (dead === 0) return;
    this.#setState(BROKEN);
    throw new BrokenBarrierError(`the barrier was broken: ${dead === 1 ? 'a party' : `${dead} parties`} exited inside wait()`);
  }

  /** Whether a recorded party's thread has exited (atomic loads only: no lock needed). */
  #partyIsDead(): boolean {
    return this.#deadPartyRefs().length > 0;
  }

  /** Takes every recorded party whose thread has exited out of the count (holding the lock); returns how many. */
  #removeDeadParties(): number {
    const dead = this.#deadPartyRefs();
    for (const ref of dead) clearThreadRef(this.#words, ref);
    this.#words[this.#count] -= dead.length;
    return dead.length;
  }

  /** The word indexes of the thread references of parties whose thread has exited. */
  #deadPartyRefs(): number[] {
    const dead: number[] = [];
    for (let index = 0; index < this.#tracked; index++) {
      const ref = this.#parties + index * THREAD_REF_WORDS;
      if (isRecordedThreadDead(this.#words, ref)) dead.push(ref);
    }
    return dead;
  }

  #recordParty(index: number): void {
    if (index < this.#tracked) recordCurrentThread(this.#words, this.#parties + index * THREAD_REF_WORDS);
  }

  /** The last thread out of a drained or reset round opens the barrier for the next. */
  #leave(index: number): void {
    if (index < this.#tracked) clearThreadRef(this.#words, this.#parties + index * THREAD_REF_WORDS);
    const count = --this.#words[this.#count];
    const state = this.#words[this.#state];
    if (count === 0 && (state === DRAINING || state === RESETTING)) this.#setState(FILLING);
  }

  #setState(state: number): void {
    Atomics.store(this.#words, this.#state, state);
    this.#condition.notifyAll();
  }
}

/** What a Barrier handle says beside its region (which openRegion checks). */
function checkBarrierHandle(handle: BarrierHandle, action: (() => void) | undefined): void {
  if (typeof handle.condition !== 'object' || handle.condition === null) throw new ValueError('bad Barrier handle: it names no Condition');
  if (handle.action !== true && action !== undefined) throw new ValueError('this Barrier was made without an action: attach it without one, as every thread must run the same rounds');
  if (!Number.isSafeInteger(handle.parties) || handle.parties < 1) throw new ValueError(`bad Barrier handle: parties ${String(handle.parties)}`);
  if (handle.timeout !== null && (typeof handle.timeout !== 'number' || Number.isNaN(handle.timeout))) {
    throw new ValueError(`bad Barrier handle: timeout ${String(handle.timeout)}`);
  }
}

function checkParties(parties: number): void {
  if (!Number.isInteger(parties)) throw new TypeError('parties must be an integer');
  if (parties < 1) throw new ValueError('parties must be >= 1');
}

function checkTimeout(timeout: number | null): number | null {
  if (timeout !== null && (typeof timeout !== 'number' || Number.isNaN(timeout))) {
    throw new TypeError('timeout must be a number of seconds or null');
  }
  return timeout;
}

declare module '../shm/handle-kinds.js' {
  interface HandleKinds {
    Barrier: { handle: BarrierHandle; object: Barrier };
  }
}
registerHandleKind('Barrier', (handle) => new Barrier(handle));
