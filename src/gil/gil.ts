/*
 * The GIL: CPython's global interpreter lock, in shared memory, so that every
 * worker that attaches it runs "bytecode" only while holding it, as the threads
 * of one CPython process do.
 *
 * The algorithm is the one of CPython 3.11's Python/ceval_gil.h (take_gil,
 * drop_gil), with FORCE_SWITCHING on, as CPython builds it; facts taken from that
 * file, code of our own:
 *   - The GIL is a boolean (LOCKED) guarded by a mutex, whose changes are signalled
 *     by a condition variable (gil_cond); the mutex is held only briefly.
 *   - take: under the mutex, while the GIL is locked, wait on gil_cond for at most
 *     the switch interval (default 5 ms, sys.setswitchinterval). A wait that times
 *     out while the GIL is still locked and no switch happened meanwhile (the
 *     switch number is unchanged) sets the drop request. Once free: lock it, and if
 *     the previous holder was another thread, record this one as last holder and
 *     count a switch; signal switch_cond; clear any drop request.
 *   - The holder checks the drop request at its eval-breaker points (the eval loop,
 *     eval-loop.ts) and then drops the GIL and takes it again.
 *   - drop: record self as last holder; under the mutex unlock and signal gil_cond.
 *     Forced switching: if a drop was requested, wait on switch_cond (under
 *     switch_mutex) until another thread has taken the GIL (last holder changed),
 *     so that the dropping thread cannot win the GIL straight back on a multi-core
 *     machine, which would make time slices far longer than the interval.
 *   - Blocking calls (sleep, I/O) drop the GIL before and take it after
 *     (Py_BEGIN_ALLOW_THREADS / Py_END_ALLOW_THREADS): see thread-state.ts.
 * The mutexes and condition variables are memplay's own Lock and Condition
 * (src/sync), so the GIL is built on the same futex layer as every primitive.
 *
 * Layout (32-byte kernel region, one Int32 word each):
 *   0 LOCKED          the holder's thread tag (threadId + 1) while held, 0 when free
 *                     (CPython's boolean, widened so a thread can tell it holds the GIL)
 *   1 LAST_HOLDER     thread tag (threadId + 1) of the holder or last holder, 0 none
 *   2 SWITCH_NUMBER   switches so far (a take by a thread other than the last holder)
 *   3 DROP_REQUEST    the eval breaker: 1 when a waiter asks the holder to drop
 *   4 INTERVAL_US     the switch interval in microseconds (>= 1)
 *   5 REQUESTS        how many drop requests were set (statistics)
 *   6 FORCED_WAITS    how many drops waited for another thread to take over (statistics)
 * plus two Conditions, each over its own Lock: gil_cond/gil_mutex and
 * switch_cond/switch_mutex, named in the handle.
 *
 * Lifetime (shm/lifetime.ts): each Gil object holds one reference to its region
 * and its two Conditions; close() (or `using`) drops them, the last reference
 * frees; a closed Gil raises ValueError on take and drop. Attaching checks the
 * GIL's own region before its parts, so a forged handle attaches nothing.
 */
import { RuntimeError, ValueError } from '../errors.js';
import { refuseControlledRun } from '../atomics/scheduling-point.js';
import { describeHandle, openRegion, type Kernel, type RegionHandle } from '../shm/kernel.js';
import { Closable, closedWords, regionReference } from '../shm/lifetime.js';
import { Condition, type ConditionHandle } from '../sync/condition.js';
import { Lock } from '../sync/lock.js';
import { currentOwnerTag } from '../atomics/thread-identity.js';
import { regionWords } from '../sync/region-words.js';
import type { InterpreterLock } from './interpreter-lock.js';
import { registerHandleKind } from '../shm/handle-kinds.js';
import { DEFAULT_SWITCH_INTERVAL } from './settings.js';

export interface GilHandle extends RegionHandle {
  readonly kind: 'GIL';
  readonly cond: ConditionHandle;
  readonly switchCond: ConditionHandle;
}

export interface GilOptions {
  /** Seconds a waiter lets pass before it asks the holder to drop (sys.setswitchinterval); default 0.005. */
  switchInterval?: number;
}

export interface GilCounters {
  /** Takes by a thread other than the last holder (CPython's switch_number). */
  switches: number;
  /** Drop requests set by waiters whose interval ran out. */
  dropRequests: number;
  /** Drops that waited on switch_cond until another thread took the GIL (forced switching). */
  forcedSwitchWaits: number;
}


const REGION_BYTES = 32;
const LOCKED = 0;
const LAST_HOLDER = 1;
const SWITCH_NUMBER = 2;
const DROP_REQUEST = 3;
const INTERVAL_US = 4;
const REQUESTS = 5;
const FORCED_WAITS = 6;

interface GilParts {
  cond: Condition;
  switchCond: Condition;
  /** Closes the parts (and the locks a new GIL made for them). */
  close(): void;
}

export class Gil extends Closable implements InterpreterLock {
  readonly handle: GilHandle;
  /** The GIL's words (a private copy once closed). */
  words: Int32Array;
  /** Word index of the eval breaker (the drop request), read at every eval-breaker point. */
  readonly breaker: number;
  readonly #cond: Condition;
  readonly #switchCond: Condition;

  /** A new, free GIL; or, given a handle, the same GIL as the one it came from. */
  constructor(handleOrOptions: GilHandle | GilOptions = {}) {
    super();
    refuseControlledRun("the modelled GIL switches threads by its own clock and bytecode counts, which are no scheduling points");
    const handle = handleOrOptions !== null && typeof handleOrOptions === 'object' && 'kind' in handleOrOptions ? (handleOrOptions as GilHandle) : undefined;
    const { region, parts } = handle === undefined ? newGil() : attachGil(handle);
    this.#cond = parts.cond;
    this.#switchCond = parts.switchCond;
    const dropRegion = regionReference(region.kernel, region.handle);
    this.takeLifetime(() => {
      dropRegion();
      parts.close();
    });
    this.handle = region.handle;
    this.words = regionWords(region.kernel, region.handle.offset, REGION_BYTES);
    this.breaker = DROP_REQUEST;
    if (handle === undefined) this.switchInterval = (handleOrOptions as GilOptions).switchInterval ?? DEFAULT_SWITCH_INTERVAL;
  }

  static attach(handle: GilHandle): Gil {
    return new Gil(handle);
  }

  /** Points `words` at private memory; close() then drops the reference. */
  protected override onClose(): void {
    this.words = closedWords();
  }

  /** sys.getswitchinterval(), in seconds. */
  get switchInterval(): number {
    return this.#load(INTERVAL_US) / 1e6;
  }

  /** sys.setswitchinterval(seconds): must be > 0; CPython stores microseconds, at least 1. */
  set switchInterval(seconds: number) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
      throw new ValueError('switch interval must be strictly positive');
    }
    Atomics.store(this.words, INTERVAL_US, Math.max(1, Math.round(seconds * 1e6)));
  }

  /** take_gil: returns once the calling thread holds the GIL. */
  take(): void {
    this.#checkOpen();
    const me = currentOwnerTag;
    if (this.isHeld()) throw new RuntimeError('take_gil: this thread already holds the GIL');
    using _mutex = this.#cond.hold();
    while (this.locked()) {
      const seenSwitches = this.#load(SWITCH_NUMBER);
      const notified = this.#cond.wait(this.switchInterval);
      if (!notified && this.locked() && this.#load(SWITCH_NUMBER) === seenSwitches) this.#requestDrop();
    }
    this.#lockFor(me);
    if (this.#load(DROP_REQUEST) === 1) Atomics.store(this.words, this.breaker, 0);
  }

  /** drop_gil: frees the GIL; after a drop request, waits until another thread has taken it. */
  drop(): void {
    this.#checkOpen();
    const me = currentOwnerTag;
    if (!this.isHeld()) throw new RuntimeError('drop_gil: this thread does not hold the GIL');
    Atomics.store(this.words, LAST_HOLDER, me);
    {
      using _mutex = this.#cond.hold();
      Atomics.store(this.words, LOCKED, 0);
      this.#cond.notify();
    }
    if (this.#load(DROP_REQUEST) === 1) this.#awaitSwitch(me);
  }

  /** The eval loop's answer to a set breaker (eval_frame_handle_pending): give another thread its turn. */
  handleDropRequest(): void {
    this.drop();
    this.take();
  }

  /** Whether some thread holds the GIL. */
  locked(): boolean {
    return this.#load(LOCKED) !== 0;
  }

  /** Whether the calling thread holds it. */
  isHeld(): boolean {
    return this.#load(LOCKED) === currentOwnerTag;
  }

  /** The threadId of the holder, or null when the GIL is free. */
  get holderThreadId(): number | null {
    const holder = this.#load(LOCKED);
    return holder === 0 ? null : holder - 1;
  }

  get dropRequested(): boolean {
    return this.#load(DROP_REQUEST) === 1;
  }

  counters(): GilCounters {
    return {
      switches: this.#load(SWITCH_NUMBER),
      dropRequests: this.#load(REQUESTS),
      forcedSwitchWaits: this.#load(FORCED_WAITS),
    };
  }

  #requestDrop(): void {
    Atomics.store(this.words, this.breaker, 1);
    Atomics.add(this.words, REQUESTS, 1);
  }

  /** The "_ready:" part of take_gil, under the GIL mutex: lock, count a switch, tell a forced-switch waiter. */
  #lockFor(me: number): void {
    using _switchMutex = this.#switchCond.hold();
    Atomics.store(this.words, LOCKED, me);
    if (this.#load(LAST_HOLDER) !== me) {
      Atomics.store(this.words, LAST_HOLDER, me);
      Atomics.add(this.words, SWITCH_NUMBER, 1);
    }
    this.#switchCond.notify();
  }

  /** FORCE_SWITCHING in drop_gil: wait until the last holder is no longer me. */
  #awaitSwitch(me: number): void {
    using _switchMutex = this.#switchCond.hold();
    if (this.#load(LAST_HOLDER) !== me) return;
    Atomics.store(this.words, this.breaker, 0);
    Atomics.add(this.words, FORCED_WAITS, 1);
    this.#switchCond.wait();
  }

  #load(word: number): number {
    return Atomics.load(this.words, word);
  }

  #checkOpen(): void {
    if (this.closed) throw new ValueError('operation on a closed GIL');
  }
}

type GilRegion = { kernel: Kernel; handle: GilHandle };

/** A new GIL's parts (two Conditions over two new Locks) and its region. */
function newGil(): { region: GilRegion; parts: GilParts } {
  const locks = [new Lock(), new Lock()];
  const parts: GilParts = {
    cond: new Condition(locks[0]),
    switchCond: new Condition(locks[1]),
    close() {
      this.cond.close();
      this.switchCond.close();
      locks.forEach((lock) => lock.close());
    },
  };
  try {
    return { region: openRegion<GilHandle>('GIL', REGION_BYTES, undefined, { cond: parts.cond.handle, switchCond: parts.switchCond.handle }), parts };
  } catch (error) {
    parts.close();
    throw error;
  }
}

/** The region a handle names (checked first), then its two Conditions; on any failure nothing stays attached. */
function attachGil(handle: GilHandle): { region: GilRegion; parts: GilParts } {
  const region = openRegion<GilHandle>('GIL', REGION_BYTES, handle);
  const attached: Condition[] = [];
  try {
    for (const part of [handle.cond, handle.switchCond]) attached.push(attachCondition(part));
  } catch (error) {
    attached.forEach((condition) => condition.close());
    regionReference(region.kernel, region.handle)();
    throw error;
  }
  const [cond, switchCond] = attached;
  return { region, parts: { cond, switchCond, close: () => attached.forEach((condition) => condition.close()) } };
}

function attachCondition(part: unknown): Condition {
  if (part === null || typeof part !== 'object' || (part as { kind?: unknown }).kind !== 'Condition') {
    throw new ValueError(`bad GIL handle: it names ${describeHandle(part)} where a Condition handle belongs`);
  }
  return new Condition(part as ConditionHandle);
}

declare module '../shm/handle-kinds.js' {
  interface HandleKinds {
    GIL: { handle: GilHandle; object: Gil };
  }
}
registerHandleKind('GIL', (handle) => new Gil(handle));
