/*
 * What it costs to start a worker and see it end: the counterpart of
 * threading.Thread(...).start() + join() and of pthread_create + pthread_join.
 *
 * Two kinds, measured in the same run by bench/all.ts:
 *   memplay   the worker gets the kernel in its workerData, attaches it and posts
 *             one message (bench/workers/startup.ts);
 *   bare      a plain `new Worker` that posts one message (bench/workers/bare-startup.ts):
 *             Node's floor for a worker.
 * Each worker is started once the previous one has ended; the time runs from
 * `new Worker` to its exit event, its one message received.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../src/package-info.js';
import { kernelWorkerData } from '../../src/shm/kernel.js';

export type StartupKind = 'memplay' | 'bare';

/** The compiled entries (also when this module runs from source, under the test runner). */
const ENTRY: Record<StartupKind, string> = {
  memplay: join(packageRoot(), 'dist', 'bench', 'workers', 'startup.js'),
  bare: join(packageRoot(), 'dist', 'bench', 'workers', 'bare-startup.js'),
};

function startAndJoin(kind: StartupKind): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(ENTRY[kind], kind === 'memplay' ? { workerData: kernelWorkerData() } : {});
    let messages = 0;
    worker.on('message', () => messages++);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${kind} start-up worker exited with ${code}`));
      else if (messages !== 1) reject(new Error(`${kind} start-up worker posted ${messages} messages, expected 1`));
      else resolve();
    });
  });
}

/** Microseconds per worker, over `workers` of `kind` started and joined one after the other. */
export async function workerStartup(kind: StartupKind, workers: number): Promise<number> {
  const begin = performance.now();
  for (let i = 0; i < workers; i++) await startAndJoin(kind);
  return ((performance.now() - begin) * 1e3) / workers;
}
