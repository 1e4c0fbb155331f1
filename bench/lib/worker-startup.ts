/*
 * What it costs to start a memplay worker and see it end: the counterpart of
 * threading.Thread(...).start() + join() and of pthread_create + pthread_join.
 * Each worker gets the kernel in its workerData, attaches it (bench/workers/startup.ts)
 * and exits; the next starts once the previous has ended.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { kernelWorkerData } from '../../src/shm/kernel.js';

const STARTUP_WORKER = fileURLToPath(new URL('../workers/startup.js', import.meta.url));

function startAndJoin(): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(STARTUP_WORKER, { workerData: kernelWorkerData() });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`start-up worker exited with ${code}`))));
  });
}

/** Microseconds per worker, over `workers` started and joined one after the other. */
export async function workerStartup(workers: number): Promise<number> {
  const begin = performance.now();
  for (let i = 0; i < workers; i++) await startAndJoin();
  return ((performance.now() - begin) * 1e3) / workers;
}
