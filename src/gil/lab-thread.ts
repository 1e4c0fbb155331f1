/*
 * One thread of a lab run, as it runs inside a worker: Python's
 * threading.Thread(target=program, args=...) under whatever interpreter lock the
 * mode gives it. Everything it needs arrives as plain data (handles), so the same
 * function runs in a piscina worker, a comlink worker or the main thread.
 *
 *   ready.release(); go.wait()          the start gate (the last argument of every export here)
 *   begin()  -> take_gil                the thread's first take of the GIL
 *   evaluate(program)                   bytecode, eval breaker checked before each
 *   finish() -> drop_gil                and the stats its clocks measured
 */
import { RuntimeError } from '../errors.js';
import { Event, type EventHandle } from '../sync/event.js';
import { Lock, type LockHandle } from '../sync/lock.js';
import { Semaphore, type SemaphoreHandle } from '../sync/semaphore.js';
import { evaluate } from './eval-loop.js';
import { NoGil } from './free-threading.js';
import { Gil, type GilHandle } from './gil.js';
import type { InterpreterLock } from './interpreter-lock.js';
import { SharedWords, type SharedWordsHandle } from '../shm/shared-words.js';
import { PROGRAMS, type ProgramName } from './programs.js';
import { echoUntilClosed, SocketPair, type SocketPairHandle } from './socketpair.js';
import { SystemCalls } from './syscalls.js';
import { ThreadState, type ThreadStats } from './thread-state.js';

/** The start gate: each thread releases `ready` once, then waits for `go`. */
export interface StartGate {
  readonly ready: SemaphoreHandle;
  readonly go: EventHandle;
}

export interface LabThreadSpec {
  readonly program: ProgramName;
  readonly args: readonly number[];
  /** The thread's GIL (shared with other threads, or its own), or null for no GIL (free-threaded). */
  readonly gil: GilHandle | null;
  readonly globals: SharedWordsHandle;
  /** One end of a socketpair, for SEND and RECV; shut down when the program returns. */
  readonly socket?: { readonly pair: SocketPairHandle; readonly end: 0 | 1 };
  /** A threading.Lock, for LOCK_ACQUIRE and LOCK_RELEASE. */
  readonly lock?: LockHandle;
  readonly trace?: boolean;
}

export interface LabThreadResult {
  readonly returned: number;
  readonly stats: ThreadStats;
}

/** Seconds a thread waits at the start gate before it gives up (the run is broken by then). */
const GATE_TIMEOUT = 60;

export function runLabThread(spec: LabThreadSpec, gate: StartGate): LabThreadResult {
  passGate(gate);
  return runOnThisThread(spec);
}

/** Runs the spec's program on the calling thread, from its first take of the GIL to its last drop. */
export function runOnThisThread(spec: LabThreadSpec): LabThreadResult {
  const lock: InterpreterLock = spec.gil === null ? new NoGil() : new Gil(spec.gil);
  const socket = spec.socket === undefined ? undefined : new SocketPair(spec.socket.pair).end(spec.socket.end);
  const system = new SystemCalls({ socket, lock: spec.lock === undefined ? undefined : new Lock(spec.lock) });
  const thread = new ThreadState(lock, system, { trace: spec.trace ?? false });
  thread.begin();
  let returned: number;
  try {
    returned = evaluate(PROGRAMS[spec.program], spec.args, new SharedWords(spec.globals), thread);
  } catch (error) {
    thread.abandon();
    throw error;
  } finally {
    socket?.shutdown();
  }
  return { returned, stats: thread.finish() };
}

/** The far end of a socketpair, outside every GIL (another process): echoes until shut down. */
export function runEchoPeer(pair: SocketPairHandle, gate: StartGate): number {
  const end = new SocketPair(pair).end(1);
  passGate(gate);
  return echoUntilClosed(end);
}

function passGate(gate: StartGate): void {
  new Semaphore(gate.ready).release();
  if (!new Event(gate.go).wait(GATE_TIMEOUT)) throw new RuntimeError('the lab run never started');
}
