/*
 * Fault injection for stress runs: --kill-holder, a worker terminated while it
 * holds the target's lock, as `kill -9` of a Python process inside `with lock:`.
 *
 * The handshake goes through the board (stress-board.ts), so nothing depends on
 * messages from a thread about to die:
 *   1. the runner arms KILL; the victim, at its planned iteration, having acquired
 *      the lock, claims it ('holding') and sleeps where it stands;
 *   2. the runner sees 'holding' and terminates the victim's Worker;
 *   3. on the Worker's 'exit' event (the thread is gone: it cannot unlock, and it
 *      never will) the runner marks the lock OWNER_DIED for the victim's thread id
 *      (Lock.markOwnerDead, as Linux does for a robust futex) and one waiter wakes;
 *   4. that waiter's acquire throws OwnerDiedError holding the lock; the target's
 *      recover() repairs, calls markConsistent() and releases; the run goes on.
 * The report says when each step happened; a lock that was never recovered, or a
 * run that hangs, is a failure like any other.
 */
import { deadlineAfter, expired, futexWait } from '../atomics/futex.js';
import type { KillPlan } from '../harness/protocol.js';
import type { RobustMutex } from './define-target.js';
import { KILL_STATES, type StressBoard } from './stress-board.js';

export type { KillPlan };

/** The victim's last act: sleep, holding the lock, until the runner terminates the thread (bounded, in case it never does). */
export function holdUntilKilled(board: StressBoard, seconds = 60): void {
  const [words, index] = board.sleepWords;
  const deadline = deadlineAfter(seconds);
  while (!expired(deadline)) futexWait(words, index, KILL_STATES.indexOf('holding'), deadline);
}

/** The plan for a run: the victim is worker 0, at its 10th operation (earlier when --ops is small). */
export function killPlan(ops: number | null): KillPlan {
  return { victim: 0, atIteration: Math.min(10, Math.max(0, (ops ?? Infinity) - 1)) };
}

/** What the report says about the fault. */
export interface KillReport {
  readonly victim: number;
  readonly victimThreadId: number;
  readonly atIteration: number;
  /** Whether the lock's owner was the victim when it was terminated. */
  readonly heldTheLock: boolean;
  /** ms from terminate() to the 'exit' event (the death seen). */
  readonly exitSeenAfterMs: number;
  /** Whether the lock was marked OWNER_DIED on the exit event. */
  readonly markedOwnerDied: boolean;
  /** The first acquirer that got OwnerDiedError and recovered the lock, or null. */
  readonly recoveredBy: { readonly worker: number; readonly iteration: number } | null;
}

/**
 * Steps 2 and 3 on the runner's side: terminates the victim and, once its thread
 * has exited, marks the lock abandoned. Resolves to what happened.
 */
export async function killHolder(
  board: StressBoard,
  plan: KillPlan,
  terminate: () => Promise<unknown>,
  mutex: RobustMutex,
): Promise<Omit<KillReport, 'recoveredBy'>> {
  const victimThreadId = board.slot(plan.victim).threadId;
  const heldTheLock = mutex.ownerThreadId === victimThreadId;
  const started = performance.now();
  await terminate();
  const exitSeenAfterMs = performance.now() - started;
  const markedOwnerDied = mutex.markOwnerDead(victimThreadId);
  return { victim: plan.victim, victimThreadId, atIteration: plan.atIteration, heldTheLock, exitSeenAfterMs, markedOwnerDied };
}
