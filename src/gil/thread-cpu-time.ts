/*
 * CPU time of the calling thread: what time.thread_time() gives in Python.
 *
 * Node 20 has no process.threadCpuUsage (it came in Node 23.9), but every worker
 * is one OS thread, and Linux reports each thread's time on a CPU in
 * /proc/thread-self/schedstat (first field, nanoseconds). Elsewhere this returns
 * null and the lab reports running time measured around the eval loop instead.
 */
import { readFileSync } from 'node:fs';

const SCHEDSTAT = '/proc/thread-self/schedstat';

/** Milliseconds this OS thread has spent on a CPU, or null where the OS does not say. */
export function threadCpuMs(): number | null {
  try {
    const nanoseconds = Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]);
    return Number.isFinite(nanoseconds) ? nanoseconds / 1e6 : null;
  } catch {
    return null;
  }
}

/** Wall-clock milliseconds comparable across worker threads (each has its own performance.timeOrigin). */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
