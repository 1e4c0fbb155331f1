/*
 * Helpers shared by the src/sync tests: bounded polling from the main thread
 * (whose event loop must stay free while workers run, so it never blocks), and a
 * pool that is kept across the runs of a property so that each run does not pay
 * for starting workers again.
 */
import { WorkerPool } from '../../src/harness/worker-pool.js';
import { workerModule } from '../helpers/worker-module.js';

export const SYNC_OPS = workerModule('sync-ops');

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every few milliseconds; rejects when it is still false after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const giveUp = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > giveUp) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Shared counters for the worker code (indexes in test/workers/sync-ops.ts). */
export function sharedCounters(words = 8): { shared: SharedArrayBuffer; counters: Int32Array } {
  const shared = new SharedArrayBuffer(words * 4);
  return { shared, counters: new Int32Array(shared) };
}

/** Runs one task per entry of argsPerWorker on `pool`, each on its own worker, all bounded by timeoutMs. */
export async function runTasks<T>(pool: WorkerPool, name: string, argsPerWorker: unknown[][], timeoutMs = 30_000): Promise<T[]> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error(`${name} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([Promise.all(argsPerWorker.map((args) => pool.run<T>(SYNC_OPS, name, args, abort.signal))), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A pool of `threads` workers for the body, destroyed after it. */
export async function withPool<T>(threads: number, body: (pool: WorkerPool) => Promise<T>): Promise<T> {
  const pool = new WorkerPool({ threads });
  try {
    return await body(pool);
  } finally {
    await pool.destroy();
  }
}
