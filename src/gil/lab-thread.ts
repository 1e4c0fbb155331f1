/*
 * One thread of a lab run, as it runs inside a worker: Python's
 * threading.Thread(target=program, args=...) under whatever interpreter lock the
 * mode gives it. Everything it needs arrives as plain data (handles, the types in
 * src/harness/protocol.ts), so the same function runs in a crew worker or the
 * main thread.
 *
 *   runSeated                           the run's board and start gate (the seat: the last
 *                                       argument of every export here; src/harness/start-gate.ts)
 *   begin()  -> take_gil                the thread's first take of the GIL
 *   evaluate(program)                   bytecode, eval breaker checked before each
 *   finish() -> drop_gil                and the stats its clocks measured
 */
import type { LabThreadResult, LabThreadSpec, RunSeat } from '../harness/protocol.js';
import { runSeated } from '../harness/start-gate.js';
import { attach } from '../attach.js';
import { refuseControlledRun } from '../atomics/scheduling-point.js';
import { evaluate } from './eval-loop.js';
import { NoGil } from './free-threading.js';
import type { InterpreterLock } from './interpreter-lock.js';
import { PROGRAMS } from './programs.js';
import { echoUntilClosed, type SocketPairHandle } from './socketpair.js';
import { SystemCalls } from './syscalls.js';
import { ThreadState } from './thread-state.js';

export type { LabThreadResult, LabThreadSpec };

/** One thread of a lab run: seated on the run's board, it passes the start gate with the others, then runs the spec. */
export function runLabThread(spec: LabThreadSpec, seat: RunSeat): Promise<LabThreadResult> {
  return runSeated(seat, () => undefined, () => runOnThisThread(spec));
}

/** Runs the spec's program on the calling thread, from its first take of the GIL to its last drop. */
export function runOnThisThread(spec: LabThreadSpec): LabThreadResult {
  const lock: InterpreterLock = spec.gil === null ? new NoGil() : attach(spec.gil);
  // With no GIL too (the GIL refuses on its own): the bytecode's loads and stores of globals would race unseen.
  refuseControlledRun("the bytecode model's loads and stores of globals are no scheduling points");
  const socket = spec.socket === undefined ? undefined : attach(spec.socket.pair).end(spec.socket.end);
  const system = new SystemCalls({ socket, lock: spec.lock === undefined ? undefined : attach(spec.lock) });
  const thread = new ThreadState(lock, system, { trace: spec.trace ?? false });
  thread.begin();
  let returned: number;
  try {
    returned = evaluate(PROGRAMS[spec.program], spec.args, attach(spec.globals), thread);
  } catch (error) {
    thread.abandon();
    throw error;
  } finally {
    socket?.shutdown();
  }
  return { returned, stats: thread.finish() };
}

/** The far end of a socketpair, outside every GIL (another process): echoes until shut down. */
export function runEchoPeer(pair: SocketPairHandle, seat: RunSeat): Promise<number> {
  return runSeated(seat, () => attach(pair).end(1), echoUntilClosed);
}
