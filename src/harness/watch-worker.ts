/*
 * Who records a thread's death in the kernel's live-thread table (shm/live-threads.ts):
 * whoever started it, on its Worker's 'exit' event, as a parent process learns of
 * a child's death from SIGCHLD and wait(2). A terminated thread runs no code of
 * its own, so it cannot say it is going.
 *
 * Every thread memplay starts is watched here (crew.ts starts them all: the
 * engines' runs, WorkerPool, RpcWorker). A user who starts a
 * Worker of their own with kernelWorkerData() calls watchWorker(worker) once:
 * from its exit on, Condition.notify skips it and Barrier breaks instead of
 * waiting for it, and reports say that what it held is held by an exited thread.
 */
import type { Worker } from 'node:worker_threads';
import { defaultKernel, type Kernel } from '../shm/kernel.js';
import { markThreadDead } from '../shm/live-threads.js';

const watched = new WeakSet<Worker>();

/** Marks `worker`'s thread dead in `kernel` (this thread's by default) when it exits; returns the worker. Idempotent. */
export function watchWorker(worker: Worker, kernel: Kernel = defaultKernel()): Worker {
  if (watched.has(worker)) return worker;
  watched.add(worker);
  // threadId reads -1 once the thread has exited, so it is taken now.
  const threadId = worker.threadId;
  if (threadId >= 0) worker.once('exit', () => markThreadDead(kernel.words, threadId));
  return worker;
}
