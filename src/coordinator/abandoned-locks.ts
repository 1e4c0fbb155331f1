/*
 * Locks that nobody will release, for a hung run's report: a Lock or RLock among
 * the run's shared objects whose owner has exited (the kernel's live-thread
 * table says so: shm/live-threads.ts) or whose worker's task has already ended.
 * What a debugger shows when it reads a pthread mutex's __owner and finds a
 * thread that is gone. Every other held lock is the scenario's to describe
 * (its diagnose), since only it knows who is meant to hold what.
 *
 * Workers are named as everywhere in the coordinator's reports: "worker N",
 * numbered from 0 in the order of the run's tasks, with its threadId.
 */
import { defaultKernel } from '../shm/kernel.js';
import { isThreadDead } from '../shm/live-threads.js';
import type { WorkerView } from '../harness/board.js';
import { forEachSharedObject } from '../harness/wire.js';

/** One line per lock held by a thread that has exited or a worker that has returned or failed. */
export function describeAbandonedLocks(shared: unknown, workers: readonly WorkerView[]): string[] {
  const lines: string[] = [];
  forEachSharedObject(shared, (path, object) => {
    const owner = ownerOf(object);
    if (owner === null) return;
    const worker = workers.find((view) => view.threadId === owner);
    const end = endOf(owner, worker);
    if (end === undefined) return;
    const who = worker === undefined ? `thread ${owner}` : `worker ${worker.index} (thread ${owner})`;
    lines.push(`${object.handle.kind} ${path || '(the shared object)'} is held by ${who}, which has ${end}`);
  });
  return lines;
}

/** The owner's threadId, for a Lock or RLock that is held. */
function ownerOf(object: { readonly handle: { readonly kind: string } }): number | null {
  if (object.handle.kind !== 'Lock' && object.handle.kind !== 'RLock') return null;
  const owner = (object as { ownerThreadId?: unknown }).ownerThreadId;
  return typeof owner === 'number' ? owner : null;
}

function endOf(owner: number, worker: WorkerView | undefined): string | undefined {
  if (isThreadDead(defaultKernel().words, owner)) return 'exited';
  if (worker?.state === 'finished') return 'returned';
  if (worker?.state === 'failed') return 'failed';
  return undefined;
}
