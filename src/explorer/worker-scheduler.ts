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
 *
 * Late workers (the processes a Python script starts as it runs): such a worker
 * waits UNBORN in awaitSpawn() until another worker's spawn() writes its start
 * message and lets it go; spawn() returns once the newborn has run to its first
 * point (or its end), so still only one worker moves at a time; kill() aborts a
 * parked worker and waits until it has unwound and ended. While a witness
 * is recorded (RECORD_WHERE), each point also writes where the code is, as the
 * `where` function the worker's code gave says (a script's file:line and source).
 */
import { OP_CODE, type PointOp, type Scheduler } from '../atomics/scheduling-point.js';
import type { Deadline, WaitResult } from '../atomics/futex.js';
import { ControlRegion, G_QUIT, G_RECORD_WHERE, G_WAIT_SEQUENCE, STATE, TURN_ABORT, TURN_GO, TURN_PARKED, W } from './control-region.js';

/** Thrown at a point of a worker whose schedule was abandoned. */
export class ExploreAbort extends Error {
  constructor() {
    super('schedule abandoned by the explorer');
    this.name = 'ExploreAbort';
  }
}

/** How long a parked worker sleeps between looks at the quit flag (the controller may be gone). */
const PARK_SLICE_MS = 1000;
/** Longest a spawned worker may take to reach its first point (a Python process starts an interpreter first), or a killed one to end. */
const LET_GO_LIMIT_MS = 60_000;

export class WorkerScheduler implements Scheduler {
  readonly #control: ControlRegion;
  readonly #worker: number;
  readonly #kernel: ArrayBufferLike;
  #aborted = false;
  #where: (() => string) | null = null;

  constructor(control: ControlRegion, worker: number, kernel: ArrayBufferLike) {
    this.#control = control;
    this.#worker = worker;
    this.#kernel = kernel;
  }

  /** Whether the schedule was abandoned (the code may have caught the ExploreAbort: a Python script's except clause). */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Where the worker's code is at a point, for a witness's step table (null: nothing to say). */
  describeWhere(where: (() => string) | null): void {
    this.#where = where;
  }

  /** A late worker: waits UNBORN until another worker spawns it; answers its start message. */
  awaitSpawn(): string {
    this.#checkAborted();
    this.#park(STATE.unborn);
    return this.#control.readResult(this.#worker);
  }

  /**
   * Ends `worker`'s code as a signal would (a Python Process's terminate()): it is
   * parked, so it is told to abort, unwinds (every point throws) and ends; this
   * waits until it has. False when it had already ended, or was never started.
   */
  kill(worker: number): boolean {
    const state = this.#control.get(worker, W.STATE);
    if (state === STATE.done || state === STATE.unborn) return false;
    this.#letGo(worker, TURN_ABORT);
    return true;
  }

  /** Starts the late worker `worker` with `message`, and waits until it reached its first point or its end. */
  spawn(worker: number, message: string): void {
    const control = this.#control;
    if (worker >= control.workers) throw new RangeError(`this exploration has ${control.workers} workers: worker ${worker} cannot be started (more --workers)`);
    if (control.get(worker, W.STATE) !== STATE.unborn) throw new Error(`worker ${worker} is not waiting to be started`);
    if (!control.writeStartMessage(worker, message)) throw new RangeError(`worker ${worker}'s start message does not fit the control region`);
    this.#letGo(worker, TURN_GO);
  }

  /** Gives parked `worker` the turn `turn` and waits until it parks again or ends (aborted: until it ends). */
  #letGo(worker: number, turn: typeof TURN_GO | typeof TURN_ABORT): void {
    const control = this.#control;
    control.giveTurn(worker, turn);
    const state = control.at(worker, W.STATE);
    const deadline = performance.now() + LET_GO_LIMIT_MS;
    const settled = () => Atomics.load(control.words, state) === STATE.done || (turn !== TURN_ABORT && Atomics.load(control.words, state) !== STATE.running);
    while (!settled()) {
      if (performance.now() > deadline) throw new Error(`worker ${worker} did not ${turn === TURN_ABORT ? 'end' : 'reach its first point'} within ${LET_GO_LIMIT_MS / 1000} s`);
      Atomics.wait(control.words, state, Atomics.load(control.words, state), 50);
    }
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
    control.set(worker, W.PARTNER, op.partner ?? -1);
    control.set(worker, W.GATE, op.gate ?? 0);
    control.set(worker, W.BY_HOLDER, op.byHolder === true ? 1 : 0);
    control.setFloat(worker, W.VALUE_F64, op.value);
    control.setFloat(worker, W.EXPECTED_F64, op.expected);
    if (op.op === OP_CODE.point || op.op === OP_CODE.sleep) control.writeLabel(worker, op.label ?? '');
    if (this.#where !== null && Atomics.load(control.words, G_RECORD_WHERE) !== 0) control.writeWhere(worker, this.#where());
    else control.set(worker, W.WHERE_BYTES, 0);
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
