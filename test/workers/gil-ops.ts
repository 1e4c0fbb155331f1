// Worker-side code for the GIL tests: each export runs inside a real worker thread.
import { Gil, type GilHandle } from '../../src/gil/gil.js';
import { NoGil } from '../../src/gil/free-threading.js';
import type { InterpreterLock } from '../../src/gil/interpreter-lock.js';
import { SocketPair, type SocketPairHandle } from '../../src/gil/socketpair.js';
import { SystemCalls } from '../../src/gil/syscalls.js';
import { Syscall } from '../../src/gil/bytecode.js';
import { ThreadState } from '../../src/gil/thread-state.js';
import { SharedWords, type SharedWordsHandle } from '../../src/shm/shared-words.js';
import { currentOwnerTag } from '../../src/atomics/thread-identity.js';
import { Barrier, type BarrierHandle } from '../../src/sync/barrier.js';

export interface ExclusionReport {
  /** Steps during which another thread was found inside the "bytecode" too. */
  overlaps: number;
  /** Hand-overs on a drop request. */
  drops: number;
  /** Drops after which this thread got the GIL back before any other thread took it. */
  retakenAtOnce: number;
}

/**
 * `steps` "bytecodes", each of which marks the shared word `inside` as this
 * thread's for a short spin and checks no one else marked it meanwhile; the eval
 * breaker is honoured between steps, as the eval loop does. gil null = no GIL.
 */
export function exclusiveSteps(
  gilHandle: GilHandle | null,
  insideHandle: SharedWordsHandle,
  steps: number,
  startHandle: BarrierHandle,
): ExclusionReport {
  // Both threads start together, so they overlap however late the pool starts one of them.
  new Barrier(startHandle).wait(30);
  const gil = gilHandle === null ? null : new Gil(gilHandle);
  const lock: InterpreterLock = gil ?? new NoGil();
  const inside = new SharedWords(insideHandle);
  const me = currentOwnerTag;
  const report: ExclusionReport = { overlaps: 0, drops: 0, retakenAtOnce: 0 };
  lock.take();
  for (let step = 0; step < steps; step++) {
    if (Atomics.load(lock.words, lock.breaker) !== 0) {
      const switchesBefore = gil!.counters().switches;
      lock.handleDropRequest();
      report.drops += 1;
      // Forced switching: another thread must have taken the GIL (a switch) before this thread got it back (a second one).
      if (gil!.counters().switches < switchesBefore + 2) report.retakenAtOnce += 1;
    }
    inside.store(0, me);
    for (let spin = 0; spin < 100; spin++) if (inside.load(0) !== me) break;
    if (inside.load(0) !== me) report.overlaps += 1;
  }
  lock.drop();
  return report;
}

/** Takes the GIL, then blocks in a recv that only another thread's send can end. Returns the byte. */
export function recvHoldingNothing(gilHandle: GilHandle, pair: SocketPairHandle): number {
  const end = new SocketPair(pair).end(0);
  const thread = new ThreadState(new Gil(gilHandle), new SystemCalls({ socket: end }));
  thread.begin();
  const byte = thread.syscall(Syscall.RECV, 0);
  thread.finish();
  return byte;
}

/** Waits for the GIL (it must be free while the other thread blocks in recv), then sends the byte it waits for. */
export function takeGilThenSend(gilHandle: GilHandle, pair: SocketPairHandle, byte: number): number | null {
  const gil = new Gil(gilHandle);
  gil.take();
  const holder = gil.holderThreadId;
  new SocketPair(pair).end(1).send(byte);
  gil.drop();
  return holder;
}

/** One side of the I/O test: 'recv' blocks holding nothing, 'send' takes the GIL and then ends that recv with 42. */
export function recvOrSend(role: 'recv' | 'send', gilHandle: GilHandle, pair: SocketPairHandle): number | null {
  return role === 'recv' ? recvHoldingNothing(gilHandle, pair) : takeGilThenSend(gilHandle, pair, 42);
}

/** Takes and drops the GIL once. */
export function takeAndDrop(gilHandle: GilHandle): void {
  const gil = new Gil(gilHandle);
  gil.take();
  gil.drop();
}
