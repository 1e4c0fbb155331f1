/*
 * The futex layer: the only module that calls Atomics.wait, Atomics.waitAsync and
 * Atomics.notify. It plays Linux's futex(2): FUTEX_WAIT sleeps only while a 32-bit
 * word still holds the value the caller saw, FUTEX_WAKE wakes up to n sleepers on it.
 * Every primitive in src/sync, and the kernel's own lock (shm/kernel.ts), is a protocol
 * over words in shared memory plus these calls.
 *
 * Timeouts here are absolute deadlines in milliseconds of performance.now(), so a
 * wait that is woken for nothing (a spurious or stale wake-up) can sleep again for
 * the time that is left, never for the whole timeout anew.
 *
 * The event loop: a pending Atomics.waitAsync is not one of the handles that keep
 * Node's event loop alive, so a script whose last work is `await lock.acquireAsync(1)`
 * would exit (code 13, "unsettled top-level await") before the wait settles.
 * futexWaitAsync therefore holds a ref'd interval timer for as long as its wait is
 * pending, as setTimeout would, and clears it when the wait settles. Untimed waits
 * hold one too: a pending wait for another thread's notify is work in progress, as
 * a pending read on a socket is, and Python's blocking acquire() also blocks for
 * ever when no other thread will release. The cost: a script that awaits a wake-up
 * nobody will ever send hangs instead of exiting (bound such waits with a timeout).
 *
 * Controlled runs (src/explorer): while a scheduler is installed on this thread
 * (scheduling-point.ts), futexWait and futexWake go to it instead: a waiter is
 * disabled until a wake reaches its word (or the scheduler times it out), so
 * every primitive's blocking is explored without a second implementation.
 *
 * Watched waits (src/harness): while a WaitWatcher is installed on this thread
 * (a worker of a run), an untimed futexWait tells it which word it sleeps on and
 * when it wakes, so the run's watchdog can see a run whose every worker sleeps
 * with nobody left to wake it (as a debugger walks the wait-for graph of
 * threads stopped in futex(2)). When the main thread then ends the run, it marks
 * the watcher ended and wakes the word: the wait, and every untimed wait after it,
 * raises RunEnded (run-ended.ts), and the worker's code unwinds.
 */

/** What a wait ended with, as Atomics.wait says it. */
export type WaitResult = 'ok' | 'not-equal' | 'timed-out';

import { RunEnded } from './run-ended.js';
import { scheduling } from './scheduling-point.js';

/** A deadline in performance.now() milliseconds; Infinity waits for ever. */
export type Deadline = number;

/** The deadline `seconds` from now; null or undefined means no deadline (Python's timeout=None). */
export function deadlineAfter(seconds: number | null | undefined): Deadline {
  if (seconds === null || seconds === undefined) return Infinity;
  return performance.now() + Math.max(0, seconds) * 1000;
}

/** Milliseconds left before the deadline, never negative. */
export function remainingMs(deadline: Deadline): number {
  if (deadline === Infinity) return Infinity;
  return Math.max(0, deadline - performance.now());
}

/** What a worker of a watched run tells of its untimed waits (harness/board.ts keeps it on the run's board). */
export interface WaitWatcher {
  /** The thread is about to sleep on `words[index]` while it holds `expected`, with no deadline. */
  sleeping(words: Int32Array, index: number, expected: number): void;
  /** The sleep is over (woken, or the word had changed already). */
  awake(): void;
  /** Whether the main thread has ended the run: the wait must not sleep, or sleep on. */
  ended(): boolean;
}

const WATCH_SLOT = Symbol.for('memplay.waitWatcher');
type WatchSlot = { active: WaitWatcher | null };

/**
 * The watcher of this thread's untimed waits; null outside a watched run. On
 * globalThis, as scheduling-point.ts's slot is, so that a scenario loaded through
 * another copy of memplay's modules (a file through tsx) is watched too.
 */
export const waitWatch: WatchSlot = ((globalThis as { [WATCH_SLOT]?: WatchSlot })[WATCH_SLOT] ??= { active: null });

/** Sleeps while `words[index] === expected`, until woken or the deadline passes. */
export function futexWait(words: Int32Array, index: number, expected: number, deadline: Deadline = Infinity): WaitResult {
  if (scheduling.active !== null) return scheduling.active.wait(words, index, expected, deadline);
  if (deadline === Infinity && waitWatch.active !== null) return watchedWait(waitWatch.active, words, index, expected);
  return Atomics.wait(words, index, expected, remainingMs(deadline));
}

function watchedWait(watcher: WaitWatcher, words: Int32Array, index: number, expected: number): WaitResult {
  watcher.sleeping(words, index, expected);
  try {
    // Checked after the wait is on the board: the main thread marks the run ended first, then wakes the word it reads there.
    if (watcher.ended()) throw new RunEnded();
    const result = Atomics.wait(words, index, expected);
    if (watcher.ended()) throw new RunEnded();
    return result;
  } finally {
    watcher.awake();
  }
}

/**
 * The same wait without blocking the event loop (it keeps the process alive until
 * it settles). Atomics.waitAsync's timer may fire up to a millisecond before its
 * time (seen: 12 of 40 waits of 20 ms ended at 19.4-19.9 ms), so a time-out before
 * the deadline waits out the rest.
 */
export async function futexWaitAsync(
  words: Int32Array,
  index: number,
  expected: number,
  deadline: Deadline = Infinity,
): Promise<WaitResult> {
  for (;;) {
    const result = await waitAsyncOnce(words, index, expected, remainingMs(deadline));
    if (result !== 'timed-out' || expired(deadline)) return result;
  }
}

function waitAsyncOnce(words: Int32Array, index: number, expected: number, ms: number): Promise<WaitResult> {
  const waiting = Atomics.waitAsync(words, index, expected, ms);
  if (!waiting.async) return Promise.resolve(waiting.value);
  const keepAlive = setInterval(doNothing, Math.min(Math.max(ms, 1), LONGEST_TIMER_MS));
  return waiting.value.finally(() => clearInterval(keepAlive));
}

/** setInterval's longest period (a longer one is taken as 1 ms). */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

function doNothing(): void {}

/** Wakes up to `count` sleepers on the word; returns how many were woken. */
export function futexWake(words: Int32Array, index: number, count = Infinity): number {
  if (scheduling.active !== null) return scheduling.active.wake(words, index, count);
  return Atomics.notify(words, index, count);
}

/**
 * One blocking protocol, written once: a generator that yields each futex wait it
 * needs ([index, expected]) and receives how the wait ended. `runBlocking` drives it
 * with Atomics.wait (workers, and the main thread when blocking is wanted);
 * `runAsync` drives the same generator with Atomics.waitAsync (the event loop stays free).
 *
 * A request may carry its own deadline as a third element; it then overrides the
 * run's deadline. That lets protocols compose with `yield*`: Condition.wait sleeps
 * until the caller's deadline, then re-takes its lock with no deadline at all.
 */
export type WaitRequest = readonly [index: number, expected: number, deadline?: Deadline];
export type Protocol<T> = Generator<WaitRequest, T, WaitResult>;

export function runBlocking<T>(words: Int32Array, protocol: Protocol<T>, deadline: Deadline): T {
  let step = protocol.next();
  while (!step.done) {
    const [index, expected, own = deadline] = step.value;
    step = protocol.next(futexWait(words, index, expected, own));
  }
  return step.value;
}

export async function runAsync<T>(words: Int32Array, protocol: Protocol<T>, deadline: Deadline): Promise<T> {
  let step = protocol.next();
  while (!step.done) {
    const [index, expected, own = deadline] = step.value;
    step = protocol.next(await futexWaitAsync(words, index, expected, own));
  }
  return step.value;
}

/** `protocol` with every one of its waits bounded by `deadline`, whatever the run's deadline is. */
export function* withDeadline<T>(protocol: Protocol<T>, deadline: Deadline): Protocol<T> {
  let step = protocol.next();
  while (!step.done) {
    const [index, expected] = step.value;
    step = protocol.next(yield [index, expected, deadline]);
  }
  return step.value;
}

/** Whether the deadline has passed (a deadline of 0 means "do not wait at all"). */
export function expired(deadline: Deadline): boolean {
  return deadline !== Infinity && performance.now() >= deadline;
}
