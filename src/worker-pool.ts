/*
 * A pool of worker threads that share this thread's kernel: the counterpart of
 * multiprocessing.Pool, on piscina. Every worker runs workers/module-task, so a
 * task is "call this exported function of that module with these arguments".
 * Each worker is watched (watch-worker.ts) from its creation, so its exit, or
 * its termination by destroy(), marks it dead in the kernel's live-thread table.
 */
import { Piscina } from 'piscina';
import { kernelWorkerData } from './shm/kernel.js';
import { watchWorker } from './watch-worker.js';
import { workerFile } from './worker-files.js';
import { toModuleUrl } from './load-module.js';

export interface PoolOptions {
  /** Worker threads to start (all at once, kept for the pool's life). */
  threads: number;
}

export class WorkerPool {
  readonly #piscina: Piscina;

  constructor({ threads }: PoolOptions) {
    this.#piscina = new Piscina({
      filename: workerFile('module-task'),
      workerData: kernelWorkerData(),
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Infinity,
      concurrentTasksPerWorker: 1,
    });
    this.#watchThreads();
    // piscina replaces a worker that exits; the new one is watched too.
    this.#piscina.on('workerCreate', () => this.#watchThreads());
  }

  #watchThreads(): void {
    for (const thread of this.#piscina.threads) watchWorker(thread);
  }

  /** Runs `module`'s export `name` with `args` on some worker of the pool. */
  run<T>(module: string, name: string, args: unknown[], signal?: AbortSignal): Promise<T> {
    return this.#piscina.run({ module: toModuleUrl(module), export: name, args }, { signal });
  }

  /** The worker threads' ids (their threadId), once they have started. */
  get threadIds(): number[] {
    return this.#piscina.threads.map((thread) => thread.threadId);
  }

  /** Stops every worker, running or not. */
  async destroy(): Promise<void> {
    await this.#piscina.destroy();
  }
}
