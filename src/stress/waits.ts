/*
 * Who waits on what, for a stress run that did not end by --timeout (a deadlock,
 * a lost wake-up, a lock never released): one line per unfinished worker from the
 * board (its phase and iteration), the target's word on what that phase waits
 * for (waitsOn), and the owner of the lock involved mapped back to a worker, as
 * one reads a pthread mutex's __owner in a debugger. A worker whose thread has
 * exited (the kernel's live-thread table, shm/live-threads.ts) is said to have.
 */
import { defaultKernel } from '../shm/kernel.js';
import { isThreadDead } from '../shm/live-threads.js';
import type { StressTarget } from './define-target.js';
import type { StressBoard, WorkerSlot } from './stress-board.js';

const FINISHED = new Set(['done', 'failed']);

export function describeWaits(target: StressTarget, shared: unknown, board: StressBoard, roles: readonly string[]): string[] {
  const slots = board.slots();
  return slots.filter((slot) => !FINISHED.has(slot.phase)).map((slot) => describeWorker(target, shared, board, roles, slot));
}

function describeWorker(target: StressTarget, shared: unknown, board: StressBoard, roles: readonly string[], slot: WorkerSlot): string {
  const who = `worker ${slot.index} (${roles[slot.index]}, thread ${slot.threadId})`;
  if (hasExited(slot.threadId)) return `${who} has exited, in ${slot.phase} at iteration ${slot.iteration}`;
  if (slot.phase !== 'acquire') return `${who} is in ${slot.phase} at iteration ${slot.iteration}`;
  const waits = safely(() => target.waitsOn?.(shared, slot.index));
  const what = waits?.what ?? 'the primitive';
  const owner = waits?.ownerThreadId;
  const held = owner == null ? '' : owner === slot.threadId ? ', which it holds itself (self-deadlock)' : `, held by ${ownerName(board, owner)}`;
  return `${who} is blocked in acquire at iteration ${slot.iteration}, waiting on ${what}${held}`;
}

function ownerName(board: StressBoard, threadId: number): string {
  const worker = board.workerOfThread(threadId);
  const exited = hasExited(threadId);
  if (worker === -1) return `thread ${threadId}, which is not a stress worker${exited ? ' and has exited' : ''}`;
  if (exited) return `worker ${worker} (thread ${threadId}), which has exited`;
  const slot = board.slot(worker);
  return `worker ${worker} (thread ${threadId}, in ${slot.phase} at iteration ${slot.iteration})`;
}

function hasExited(threadId: number): boolean {
  return threadId >= 0 && isThreadDead(defaultKernel().words, threadId);
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
