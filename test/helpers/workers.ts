/*
 * Runs test code in real worker threads that share the test's kernel: one task
 * per entry of `argsPerWorker`, each on its own thread, all bounded by a timeout
 * so that a hung primitive fails the test instead of hanging it.
 */
import { WorkerPool } from '../../src/harness/worker-pool.js';

export async function runInWorkers<T>(
  moduleUrl: string | URL,
  exportName: string,
  argsPerWorker: unknown[][],
  timeoutMs = 30_000,
): Promise<T[]> {
  const pool = new WorkerPool({ threads: argsPerWorker.length });
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error(`workers did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const module = moduleUrl instanceof URL ? moduleUrl.href : moduleUrl;
  try {
    const tasks = argsPerWorker.map((args) => pool.run<T>(module, exportName, args, abort.signal));
    return await Promise.race([Promise.all(tasks), deadline]);
  } finally {
    clearTimeout(timer);
    await pool.destroy();
  }
}
