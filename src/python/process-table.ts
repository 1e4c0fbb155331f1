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
 *
 * The table's words are memplay's bookkeeping, read and written with plain
 * atomics; what a process does to another is a scheduling point of its own under
 * `memplay explore` (process.start, .join, .poll, .exit), and join()'s sleep is a
 * futex wait, which the explorer controls like any other.
 */
import { futexWait, futexWake, deadlineAfter, remainingMs } from '../atomics/futex.js';
import { ACCESS, OP_CODE, scheduling } from '../atomics/scheduling-point.js';
import { SharedWords, type SharedWordsHandle } from '../shm/shared-words.js';

export const MAX_PROCESSES = 256;
export const FIRST_PID = 1000;
const RUNNING = 1;
/** A slot's state once its process exited. */
export const EXITED = 2;
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
    const words = this.#words.words;
    this.#announce('process.start', Atomics.load(words, 0));
    const slot = Atomics.add(words, 0, 1);
    if (slot >= MAX_PROCESSES) throw new Error(`memplay runs at most ${MAX_PROCESSES} processes per run`);
    Atomics.store(words, stateWord(slot), RUNNING);
    return slot;
  }

  /** Records the end of the process in `slot` (the first record wins) and wakes its joiners. */
  exit(slot: number, code: number): void {
    const words = this.#words.words;
    this.#announce('process.exit', slot, code);
    if (Atomics.compareExchange(words, stateWord(slot), RUNNING, -RUNNING) !== RUNNING) return;
    Atomics.store(words, stateWord(slot) + 1, code);
    Atomics.store(words, stateWord(slot), EXITED);
    futexWake(words, stateWord(slot));
  }

  /** Sleeps until the process in `slot` has exited, or `timeoutSeconds` (null: no limit) passed; whether it exited. */
  waitExit(slot: number, timeoutSeconds: number | null): boolean {
    const words = this.#words.words;
    this.#announce('process.join', slot);
    const deadline = deadlineAfter(timeoutSeconds === null ? null : Math.max(0, timeoutSeconds));
    for (;;) {
      const state = Atomics.load(words, stateWord(slot));
      if (state === EXITED) return true;
      if (remainingMs(deadline) <= 0 || futexWait(words, stateWord(slot), state, deadline) === 'timed-out') return Atomics.load(words, stateWord(slot)) === EXITED;
    }
  }

  /** The exit code of the process in `slot`, or null while it runs (is_alive(), exitcode: a read the explorer sees). */
  exitCode(slot: number): number | null {
    this.#announce('process.poll', slot);
    return this.#exitCodeOf(slot);
  }

  /** The slots claimed so far that have not exited. */
  running(): number[] {
    const claimed = Math.min(Atomics.load(this.#words.words, 0), MAX_PROCESSES);
    return Array.from({ length: claimed }, (_, slot) => slot).filter((slot) => this.#exitCodeOf(slot) === null);
  }

  /** Records the line the process in `slot` is blocked at (0: not blocked). */
  blockedAt(slot: number, line: number): void {
    Atomics.store(this.#words.words, stateWord(slot) + 2, line);
  }

  /** The line the process in `slot` is blocked at, or 0. */
  lineOf(slot: number): number {
    return Atomics.load(this.#words.words, stateWord(slot) + 2);
  }

  #exitCodeOf(slot: number): number | null {
    const words = this.#words.words;
    return Atomics.load(words, stateWord(slot)) === EXITED ? Atomics.load(words, stateWord(slot) + 1) : null;
  }

  /** A scheduling point for an operation on `slot`'s state word (in a controlled run only). */
  #announce(op: 'process.start' | 'process.join' | 'process.poll' | 'process.exit', slot: number, value = 0): void {
    if (scheduling.active === null) return;
    const words = this.#words.words;
    const location = words.byteOffset + stateWord(slot) * 4;
    scheduling.active.point({ op: OP_CODE[op], object: -1, index: slot, access: ACCESS.sync, location, type: 'i'.charCodeAt(0), value, expected: 0 });
  }

  close(): void {
    this.#words.close();
  }
}

const WORDS_PER_SLOT = 3;

function stateWord(slot: number): number {
  return 1 + WORDS_PER_SLOT * slot;
}
