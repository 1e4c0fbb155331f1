/*
 * The control region of a controlled run: one SharedArrayBuffer shared by the
 * controller (the main thread) and the explored workers, outside the kernel so
 * that nothing a scenario does can reach it.
 *
 * Layout (32-bit words):
 *   header   [GENERATION, WIRE_BYTES, WAIT_SEQUENCE, QUIT, RECORD_WHERE, ...]  8 words
 *   worker w at HEADER + w * WORKER_WORDS, 32 words:
 *     TURN      0 parked, 1 go, 2 abort        (the worker sleeps on it)
 *     STATE     IDLE / RUNNING / AT_POINT / BLOCKED / DONE / UNBORN  (the controller sleeps on it)
 *     OP, OBJECT, INDEX, ACCESS, LOCATION, TYPE   the announced operation (scheduling-point.ts)
 *     WAIT_LOCATION, WAIT_EXPECTED, WAIT_TIMED, WOKEN, WAIT_SEQ   a futex wait in progress
 *     LABEL_BYTES, RESULT_BYTES, THREAD_ID, SCHEDULE, WHERE_BYTES, PARTNER, GATE, BY_HOLDER
 *     VALUE, EXPECTED  as float64 at words 24 and 26
 *   then per worker LABEL_SIZE bytes of ctx.point() label, WHERE_SIZE bytes of
 *   where the worker's code is at its point (a Python script's file:line and
 *   source, written only while RECORD_WHERE is set: a witness being recorded) and
 *   RESULT_SIZE bytes of text: a late worker's start message on its way in (a
 *   spawned Python process's pickle), its result JSON on its way out; then
 *   WIRE_SIZE bytes: the run's shared objects as JSON (handles).
 * A late worker (a Python process not started yet) waits UNBORN, which the
 * controller neither counts nor schedules, until the worker that spawns it
 * writes its start message and lets it go.
 * Only one worker moves at a time, and the controller reads a worker's words only
 * while that worker is parked, so plain reads suffice once the STATE word (an
 * Atomics.store / Atomics.load pair) says so.
 */
export const TURN_PARKED = 0;
export const TURN_GO = 1;
export const TURN_ABORT = 2;

export const STATE = { idle: 0, running: 1, atPoint: 2, blocked: 3, done: 4, unborn: 5 } as const;

export const G_GENERATION = 0;
export const G_WIRE_BYTES = 1;
export const G_WAIT_SEQUENCE = 2;
export const G_QUIT = 3;
export const G_RECORD_WHERE = 4;
const HEADER_WORDS = 8;

export const W = {
  TURN: 0,
  STATE: 1,
  OP: 2,
  OBJECT: 3,
  INDEX: 4,
  ACCESS: 5,
  LOCATION: 6,
  TYPE: 7,
  WAIT_LOCATION: 8,
  WAIT_EXPECTED: 9,
  WAIT_TIMED: 10,
  WOKEN: 11,
  WAIT_SEQ: 12,
  LABEL_BYTES: 13,
  RESULT_BYTES: 14,
  THREAD_ID: 15,
  SCHEDULE: 16,
  WHERE_BYTES: 17,
  PARTNER: 18,
  GATE: 19,
  BY_HOLDER: 20,
  VALUE_F64: 24,
  EXPECTED_F64: 26,
} as const;
const WORKER_WORDS = 32;
const LABEL_SIZE = 128;
const WHERE_SIZE = 192;
const RESULT_SIZE = 16 * 1024;
const WIRE_SIZE = 256 * 1024;

export class ControlRegion {
  readonly buffer: SharedArrayBuffer;
  readonly words: Int32Array;
  readonly floats: Float64Array;
  readonly bytes: Uint8Array;
  readonly workers: number;

  constructor(bufferOrWorkers: SharedArrayBuffer | number) {
    const workers = typeof bufferOrWorkers === 'number' ? bufferOrWorkers : workersIn(bufferOrWorkers);
    this.buffer = typeof bufferOrWorkers === 'number' ? new SharedArrayBuffer(sizeFor(workers)) : bufferOrWorkers;
    this.words = new Int32Array(this.buffer);
    this.floats = new Float64Array(this.buffer, 0, (HEADER_WORDS + workers * WORKER_WORDS) >> 1);
    this.bytes = new Uint8Array(this.buffer);
    this.workers = workers;
  }

  /** The index in `words` of worker w's field. */
  at(worker: number, field: number): number {
    return HEADER_WORDS + worker * WORKER_WORDS + field;
  }

  get(worker: number, field: number): number {
    return Atomics.load(this.words, this.at(worker, field));
  }

  set(worker: number, field: number, value: number): void {
    Atomics.store(this.words, this.at(worker, field), value);
  }

  getFloat(worker: number, field: number): number {
    return this.floats[this.at(worker, field) >> 1];
  }

  setFloat(worker: number, field: number, value: number): void {
    this.floats[this.at(worker, field) >> 1] = value;
  }

  /** Gives parked `worker` its turn: TURN_GO (move to the next point) or TURN_ABORT; it is RUNNING until it parks or ends. */
  giveTurn(worker: number, turn: typeof TURN_GO | typeof TURN_ABORT): void {
    this.set(worker, W.STATE, STATE.running);
    this.set(worker, W.TURN, turn);
    Atomics.notify(this.words, this.at(worker, W.TURN));
  }

  writeLabel(worker: number, label: string): void {
    this.set(worker, W.LABEL_BYTES, this.#write(this.#labelStart(worker), LABEL_SIZE, label));
  }

  readLabel(worker: number): string {
    return this.#read(this.#labelStart(worker), this.get(worker, W.LABEL_BYTES));
  }

  writeWhere(worker: number, where: string): void {
    this.set(worker, W.WHERE_BYTES, this.#write(this.#whereStart(worker), WHERE_SIZE, where));
  }

  readWhere(worker: number): string {
    return this.#read(this.#whereStart(worker), this.get(worker, W.WHERE_BYTES));
  }

  writeResult(worker: number, json: string): void {
    this.set(worker, W.RESULT_BYTES, this.#write(this.#resultStart(worker), RESULT_SIZE, json));
  }

  /** A late worker's start message (its result area, unused until it ends); false when it does not fit. */
  writeStartMessage(worker: number, text: string): boolean {
    const length = this.#write(this.#resultStart(worker), RESULT_SIZE, text);
    this.set(worker, W.RESULT_BYTES, length);
    return length < RESULT_SIZE;
  }

  readResult(worker: number): string {
    return this.#read(this.#resultStart(worker), this.get(worker, W.RESULT_BYTES));
  }

  writeWire(json: string): void {
    const length = this.#write(this.#wireStart(), WIRE_SIZE, json);
    if (length === WIRE_SIZE) throw new RangeError(`the run's shared objects do not fit the explorer's ${WIRE_SIZE} bytes`);
    Atomics.store(this.words, G_WIRE_BYTES, length);
  }

  readWire(): string {
    return this.#read(this.#wireStart(), Atomics.load(this.words, G_WIRE_BYTES));
  }

  #labelStart(worker: number): number {
    return (HEADER_WORDS + this.workers * WORKER_WORDS) * 4 + worker * LABEL_SIZE;
  }

  #whereStart(worker: number): number {
    return this.#labelStart(this.workers) + worker * WHERE_SIZE;
  }

  #resultStart(worker: number): number {
    return this.#whereStart(this.workers) + worker * RESULT_SIZE;
  }

  #wireStart(): number {
    return this.#resultStart(this.workers);
  }

  /** Writes `text` as UTF-8 at `start` (cut at `size` bytes); returns the bytes written. */
  #write(start: number, size: number, text: string): number {
    // TextEncoder cannot write into shared memory directly: encode, then copy.
    const encoded = new TextEncoder().encode(text).subarray(0, size);
    this.bytes.set(encoded, start);
    return encoded.length;
  }

  #read(start: number, length: number): string {
    return new TextDecoder().decode(this.bytes.slice(start, start + length));
  }
}

function sizeFor(workers: number): number {
  return (HEADER_WORDS + workers * WORKER_WORDS) * 4 + workers * (LABEL_SIZE + WHERE_SIZE + RESULT_SIZE) + WIRE_SIZE;
}

function workersIn(buffer: SharedArrayBuffer): number {
  for (let workers = 1; workers <= 1024; workers++) if (sizeFor(workers) === buffer.byteLength) return workers;
  throw new RangeError('not a control region');
}
