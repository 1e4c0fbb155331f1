/*
 * One hammering thread as the runner sees it: a Worker running
 * workers/stress-worker.ts, and what became of it: the figures it posted, the
 * error it died of, its exit. A thread is settled once it has exited, whatever
 * the reason (done, crashed, terminated by the runner).
 */
import { Worker } from 'node:worker_threads';
import { kernelWorkerData } from '../shm/kernel.js';
import { watchWorker } from '../watch-worker.js';
import { workerFile } from '../worker-files.js';
import type { StressTask, WorkerFigures } from './stress-task.js';

export class StressThread {
  readonly #worker: Worker;
  #figures: WorkerFigures | undefined;
  #crash: Error | undefined;
  #exited = false;
  #terminated = false;

  constructor(task: StressTask) {
    this.#worker = watchWorker(new Worker(workerFile('stress-worker'), { workerData: kernelWorkerData({ task }) }));
    this.#worker.on('message', (figures: WorkerFigures) => (this.#figures = figures));
    this.#worker.on('error', (error) => (this.#crash = error));
    this.#worker.on('exit', () => (this.#exited = true));
  }

  get settled(): boolean {
    return this.#exited;
  }

  get figures(): WorkerFigures | undefined {
    return this.#figures;
  }

  /** Why this thread failed, if it did (not counting a termination by the runner). */
  get failure(): { name: string; message: string; stack?: string } | undefined {
    if (this.#crash !== undefined) return { name: this.#crash.name, message: this.#crash.message, stack: this.#crash.stack };
    if (this.#figures?.error !== undefined) return this.#figures.error;
    if (this.#exited && this.#figures === undefined && !this.#terminated) return { name: 'Error', message: 'the worker thread exited without reporting' };
    return undefined;
  }

  /** Ends the thread wherever it is (a blocked Atomics.wait included); resolves once it has exited. */
  async terminate(): Promise<void> {
    if (this.#exited) return;
    this.#terminated = true;
    await this.#worker.terminate();
    this.#exited = true;
  }
}
