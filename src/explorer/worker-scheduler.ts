/*
 * The worker's side of a controlled run: the Scheduler it installs in
 * atomics/scheduling-point.ts while its variant's code runs.
 *
 * At every point the worker writes the operation it is about to do into its
 * words of the control region, marks itself AT_POINT and parks (Atomics.wait on
 * its TURN word) until the controller picks it; then it runs on to its next point.
 * A futex wait whose word still holds the expected value parks as BLOCKED: the
 * controller does not pick it until a wake reaches it (WOKEN) or it chooses to
 * time it out. A futex wake is done by the waking worker itself, while every other
 * worker is parked: it marks up to `count` waiters on the same word WOKEN, oldest
 * first, as the kernel's futex queue would. An ABORT turn (a deadlock, or a
 * schedule the search abandons) makes this and every later point throw
 * ExploreAbort, which unwinds the variant's code.
 */
import { OP_CODE, type PointOp, type Scheduler } from '../atomics/scheduling-point.js';
import type { Deadline, WaitResult } from '../atomics/futex.js';
import { ControlRegion, G_QUIT, G_WAIT_SEQUENCE, STATE, TURN_ABORT, TURN_PARKED, W } from './control-region.js';

/** Thrown at a point of a worker whose schedule was abandoned. */
export class ExploreAbort extends Error {
  constructor() {
    super('schedule abandoned by the explorer');
    this.name = 'ExploreAbort';
  }
}

/** How long a parked worker sleeps between looks at the quit flag (the controller may be gone). */
const PARK_SLICE_MS = 1000;

export class WorkerScheduler implements Scheduler {
  readonly #control: ControlRegion;
  readonly #worker: number;
  readonly #kernel: ArrayBufferLike;
  #aborted = false;

  constructor(control: ControlRegion, worker: number, kernel: ArrayBufferLike) {
    this.#control = control;
    this.#worker = worker;
    this.#kernel = kernel;
  }

  point(op: PointOp): void {
    this.#checkAborted();
    const control = this.#control;
    const worker = this.#worker;
    control.set(worker, W.OP, op.op);
    control.set(worker, W.OBJECT, op.object);
    control.set(worker, W.INDEX, op.index);
    control.set(worker, W.ACCESS, op.access);
    control.set(worker, W.LOCATION, op.location);
    control.set(worker, W.TYPE, op.type);
    control.setFloat(worker, W.VALUE_F64, op.value);
    control.setFloat(worker, W.EXPECTED_F64, op.expected);
    if (op.op === OP_CODE.point || op.op === OP_CODE.sleep) control.writeLabel(worker, op.label ?? '');
    this.#park(STATE.atPoint);
  }

  /** The run's first point: where every worker waits for the controller before its code starts. */
  start(): void {
    this.point({ op: OP_CODE.start, object: -1, index: 0, access: 0, location: -1, type: 0, value: 0, expected: 0 });
  }

  wait(words: Int32Array, index: number, expected: number, deadline: Deadline): WaitResult {
    this.#checkAborted();
    if (Atomics.load(words, index) !== expected) return 'not-equal';
    const control = this.#control;
    const worker = this.#worker;
    control.set(worker, W.WAIT_LOCATION, this.#locationOf(words, index));
    control.set(worker, W.WAIT_EXPECTED, expected);
    control.set(worker, W.WAIT_TIMED, deadline === Infinity ? 0 : 1);
    control.set(worker, W.WOKEN, 0);
    control.set(worker, W.WAIT_SEQ, Atomics.add(control.words, G_WAIT_SEQUENCE, 1));
    this.#park(STATE.blocked);
    return control.get(worker, W.WOKEN) === 1 ? 'ok' : 'timed-out';
  }

  wake(words: Int32Array, index: number, count: number): number {
    const location = this.#locationOf(words, index);
    if (location < 0) return Atomics.notify(words, index, count);
    const control = this.#control;
    const sleepers: number[] = [];
    for (let other = 0; other < control.workers; other++) {
      const asleep = control.get(other, W.STATE) === STATE.blocked && control.get(other, W.WOKEN) === 0;
      if (other !== this.#worker && asleep && control.get(other, W.WAIT_LOCATION) === location) sleepers.push(other);
    }
    sleepers.sort((a, b) => control.get(a, W.WAIT_SEQ) - control.get(b, W.WAIT_SEQ));
    const woken = sleepers.slice(0, Math.min(count, sleepers.length));
    for (const other of woken) control.set(other, W.WOKEN, 1);
    // A thread outside the run (the main thread) may sleep on the word too.
    return woken.length + Atomics.notify(words, index, count - woken.length);
  }

  /** The byte offset in the kernel of a futex word, or -1 for memory of this thread's own. */
  #locationOf(words: Int32Array, index: number): number {
    return words.buffer === this.#kernel ? words.byteOffset + index * 4 : -1;
  }

  #park(state: number): void {
    const control = this.#control;
    const worker = this.#worker;
    const turn = control.at(worker, W.TURN);
    Atomics.store(control.words, turn, TURN_PARKED);
    control.set(worker, W.STATE, state);
    Atomics.notify(control.words, control.at(worker, W.STATE));
    while (Atomics.load(control.words, turn) === TURN_PARKED) {
      if (Atomics.load(control.words, G_QUIT) !== 0) this.#abort();
      Atomics.wait(control.words, turn, TURN_PARKED, PARK_SLICE_MS);
    }
    if (Atomics.load(control.words, turn) === TURN_ABORT) this.#abort();
    control.set(worker, W.STATE, STATE.running);
  }

  #abort(): never {
    this.#aborted = true;
    this.#control.set(this.#worker, W.STATE, STATE.running);
    throw new ExploreAbort();
  }

  #checkAborted(): void {
    if (this.#aborted) throw new ExploreAbort();
  }
}
