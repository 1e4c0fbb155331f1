/*
 * A long-lived worker thread driven by calls: the counterpart of a
 * multiprocessing.managers proxy or a Pool worker kept for several tasks. A crew
 * of one (crew.ts): each call runs an exported function of a module in the
 * worker and resolves to its result; calls made while one runs wait their turn.
 * The worker shares this thread's kernel, so handles passed as arguments attach
 * there to the same shared objects.
 */
import { WorkerPool } from './worker-pool.js';

export class RpcWorker {
  readonly #pool = new WorkerPool({ threads: 1 });

  /** The worker's threadId (Python: the process's pid). */
  get threadId(): number {
    return this.#pool.threadIds[0] ?? -1;
  }

  /** Runs `module`'s export `name` with `args` in the worker. */
  call<T>(module: string, name: string, ...args: unknown[]): Promise<T> {
    return this.#pool.run<T>(module, name, args);
  }

  /** Stops the worker, whatever it is doing. */
  async terminate(): Promise<void> {
    await this.#pool.destroy();
  }
}
