/*
 * A thread's state in the lab: CPython's PyThreadState as far as the GIL is
 * concerned, plus the clocks that say where the thread's time went.
 *
 * begin() takes the interpreter lock (a new thread's first take_gil), finish()
 * drops it. handleDropRequest() is what the eval loop calls when the breaker is
 * set. syscall() runs a call that would block with the lock dropped around it, as
 * Py_BEGIN_ALLOW_THREADS / Py_END_ALLOW_THREADS do around every blocking call in
 * CPython (time.sleep, socket send/recv, a contended lock.acquire).
 *
 * Measured, not derived: wall time from begin to finish; time spent inside
 * take_gil (waiting for the GIL); time inside blocking calls (I/O); the OS's CPU
 * time for the thread (thread-cpu-time.ts). With `trace`, every interval the
 * thread ran bytecode and every interval it was in a blocking call are recorded,
 * for the timeline.
 */
import type { InterpreterLock } from './interpreter-lock.js';
import type { SystemCalls } from './syscalls.js';
import { threadCpuMs, wallClockMs } from './thread-cpu-time.js';

/** A trace interval: [kind, start, end] in wall-clock ms. */
export const RUNNING = 0;
export const IN_SYSCALL = 1;
export type TraceInterval = readonly [kind: typeof RUNNING | typeof IN_SYSCALL, start: number, end: number];

/** Beyond this many intervals a trace stops recording (and says so). */
const TRACE_LIMIT = 50_000;

export interface ThreadStats {
  /** Wall-clock ms (comparable across threads) when the thread began and finished. */
  startMs: number;
  endMs: number;
  wallMs: number;
  /** Time inside take_gil. */
  gilWaitMs: number;
  /** Time inside blocking calls, GIL dropped. */
  syscallMs: number;
  /** The OS's CPU time for this thread over the run, null where unavailable. */
  cpuMs: number | null;
  /** Times the eval loop handed the GIL over on a drop request. */
  dropsOnRequest: number;
  syscalls: number;
  trace: TraceInterval[];
  traceTruncated: boolean;
}

export class ThreadState {
  readonly lock: InterpreterLock;
  readonly #system: SystemCalls;
  readonly #tracing: boolean;
  #trace: TraceInterval[] = [];
  #traceTruncated = false;
  #runningSince = 0;
  #startMs = 0;
  #cpuStart: number | null = null;
  #gilWaitMs = 0;
  #syscallMs = 0;
  #dropsOnRequest = 0;
  #syscalls = 0;

  constructor(lock: InterpreterLock, system: SystemCalls, { trace = false }: { trace?: boolean } = {}) {
    this.lock = lock;
    this.#system = system;
    this.#tracing = trace;
  }

  /** Starts the thread's clocks and takes the interpreter lock. */
  begin(): void {
    this.#startMs = wallClockMs();
    this.#cpuStart = threadCpuMs();
    this.#takeGil();
  }

  /** Drops the lock and returns what the clocks say. */
  finish(): ThreadStats {
    this.#dropGil();
    const endMs = wallClockMs();
    const cpuEnd = threadCpuMs();
    return {
      startMs: this.#startMs,
      endMs,
      wallMs: endMs - this.#startMs,
      gilWaitMs: this.#gilWaitMs,
      syscallMs: this.#syscallMs,
      cpuMs: cpuEnd === null || this.#cpuStart === null ? null : cpuEnd - this.#cpuStart,
      dropsOnRequest: this.#dropsOnRequest,
      syscalls: this.#syscalls,
      trace: this.#trace,
      traceTruncated: this.#traceTruncated,
    };
  }

  /** After an error: drops the interpreter lock if this thread still holds it, so other threads can go on. */
  abandon(): void {
    if (this.lock.isHeld()) this.lock.drop();
  }

  /** The eval breaker fired: drop the GIL for a waiter, then queue for it again. */
  handleDropRequest(): void {
    this.#dropsOnRequest += 1;
    this.#dropGil();
    this.#takeGil();
  }

  /** A blocking call with the GIL dropped around it; returns its result. */
  syscall(number: number, arg: number): number {
    this.#syscalls += 1;
    const done = this.#system.tryWithoutBlocking(number);
    if (done !== undefined) return done;
    this.#dropGil();
    const start = wallClockMs();
    try {
      return this.#system.call(number, arg);
    } finally {
      const end = wallClockMs();
      this.#syscallMs += end - start;
      this.#record(IN_SYSCALL, start, end);
      this.#takeGil();
    }
  }

  #takeGil(): void {
    const start = wallClockMs();
    this.lock.take();
    this.#runningSince = wallClockMs();
    this.#gilWaitMs += this.#runningSince - start;
  }

  #dropGil(): void {
    this.#record(RUNNING, this.#runningSince, wallClockMs());
    this.lock.drop();
  }

  #record(kind: TraceInterval[0], start: number, end: number): void {
    if (!this.#tracing) return;
    if (this.#trace.length >= TRACE_LIMIT) this.#traceTruncated = true;
    else this.#trace.push([kind, start, end]);
  }
}
