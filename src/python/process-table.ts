/*
 * The process table of one Python run: what multiprocessing's Popen objects and
 * the kernel's process table are to CPython, in one SharedWords region that every
 * worker of the run attaches. A Process's start() claims a slot, its join() sleeps
 * on the slot's state word, and whoever sees the process end (its own worker, or
 * the main thread when it terminates the worker) writes the exit code and wakes
 * the joiners.
 *
 * Layout (32-bit words):
 *   word 0            the number of slots claimed so far (slot 0 is the main process)
 *   word 1 + 3*slot   the slot's state: 0 unused, 1 running, 2 exited
 *   word 2 + 3*slot   the exit code (valid once exited; -15 for a terminated process, as SIGTERM)
 *   word 3 + 3*slot   the script's line the process is blocked at (a lock, a wait, a
 *                     join, a sleep), 0 when it is not blocked: what the watchdog
 *                     says of a process that never ends
 * A process's pid is FIRST_PID + slot, so pids are small, distinct and stable.
 */
import { SharedWords, type SharedWordsHandle } from '../shm/shared-words.js';

export const MAX_PROCESSES = 256;
export const FIRST_PID = 1000;
const RUNNING = 1;
const EXITED = 2;
/** The exit code of a process ended by terminate() or the watchdog (CPython: -signal.SIGTERM). */
export const TERMINATED_EXIT_CODE = -15;

export class ProcessTable {
  readonly #words: SharedWords;

  /** A new table (main thread), or the one a handle names (any worker). */
  constructor(handle?: SharedWordsHandle) {
    this.#words = new SharedWords(handle ?? 1 + WORDS_PER_SLOT * MAX_PROCESSES);
  }

  get handle(): SharedWordsHandle {
    return this.#words.handle;
  }

  /** Claims the next slot for a starting process; a full table is Python's OSError of fork(). */
  claim(): number {
    const slot = this.#words.add(0, 1);
    if (slot >= MAX_PROCESSES) throw new Error(`memplay runs at most ${MAX_PROCESSES} processes per run`);
    this.#words.store(stateWord(slot), RUNNING);
    return slot;
  }

  /** Records the end of the process in `slot` (the first record wins) and wakes its joiners. */
  exit(slot: number, code: number): void {
    if (this.#words.compareExchange(stateWord(slot), RUNNING, -RUNNING) !== RUNNING) return;
    this.#words.store(stateWord(slot) + 1, code);
    this.#words.store(stateWord(slot), EXITED);
    Atomics.notify(this.#words.words, stateWord(slot));
  }

  /** Sleeps until the process in `slot` has exited, or `timeoutSeconds` (null: no limit) passed; whether it exited. */
  waitExit(slot: number, timeoutSeconds: number | null): boolean {
    const deadline = timeoutSeconds === null ? Infinity : performance.now() + Math.max(0, timeoutSeconds) * 1000;
    for (;;) {
      const state = this.#words.load(stateWord(slot));
      if (state === EXITED) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(this.#words.words, stateWord(slot), state, left === Infinity ? undefined : left);
    }
  }

  /** The exit code of the process in `slot`, or null while it runs. */
  exitCode(slot: number): number | null {
    return this.#words.load(stateWord(slot)) === EXITED ? this.#words.load(stateWord(slot) + 1) : null;
  }

  /** The slots claimed so far that have not exited. */
  running(): number[] {
    const claimed = Math.min(this.#words.load(0), MAX_PROCESSES);
    return Array.from({ length: claimed }, (_, slot) => slot).filter((slot) => this.exitCode(slot) === null);
  }

  /** Records the line the process in `slot` is blocked at (0: not blocked). */
  blockedAt(slot: number, line: number): void {
    this.#words.store(stateWord(slot) + 2, line);
  }

  /** The line the process in `slot` is blocked at, or 0. */
  lineOf(slot: number): number {
    return this.#words.load(stateWord(slot) + 2);
  }

  close(): void {
    this.#words.close();
  }
}

const WORDS_PER_SLOT = 3;

function stateWord(slot: number): number {
  return 1 + WORDS_PER_SLOT * slot;
}
