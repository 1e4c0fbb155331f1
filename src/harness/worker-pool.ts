/*
 * A pool of worker threads that share this thread's kernel: the counterpart of
 * multiprocessing.Pool, on a crew (crew.ts). A task is "call this exported
 * function of that module with these arguments"; tasks beyond the pool's size
 * wait in a queue, first come first served, for the first free thread. Aborting
 * a task (its AbortSignal) while it waits drops it; while it runs, terminates its
 * thread, which the crew replaces on the next task.
 */
import { Crew } from './crew.js';
import { toModuleUrl } from './load-module.js';

export interface PoolOptions {
  /** Worker threads to start (all at once, kept for the pool's life). */
  threads: number;
}

interface Queued {
  readonly module: string;
  readonly name: string;
  readonly args: unknown[];
  readonly signal?: AbortSignal;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class WorkerPool {
  readonly #crew: Crew;
  readonly #queue: Queued[] = [];
  #destroyed = false;

  constructor({ threads }: PoolOptions) {
    this.#crew = new Crew(threads);
  }

  /** Runs `module`'s export `name` with `args` on some worker of the pool. */
  run<T>(module: string, name: string, args: unknown[], signal?: AbortSignal): Promise<T> {
    if (this.#destroyed) return Promise.reject(new Error('the pool has been destroyed'));
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise<T>((resolve, reject) => {
      const queued: Queued = { module: toModuleUrl(module), name, args, signal, resolve: resolve as (value: unknown) => void, reject };
      signal?.addEventListener('abort', () => this.#dropQueued(queued), { once: true });
      this.#queue.push(queued);
      this.#dispatch();
    });
  }

  #dispatch(): void {
    for (let seat = 0; seat < this.#crew.size && this.#queue.length > 0; seat++) {
      if (!this.#crew.busy(seat)) this.#start(seat, this.#queue.shift()!);
    }
  }

  #start(seat: number, queued: Queued): void {
    const onAbort = () => void this.#crew.terminate(seat);
    queued.signal?.addEventListener('abort', onAbort, { once: true });
    this.#crew
      .run(seat, { module: queued.module, export: queued.name, args: queued.args })
      .then(queued.resolve, (error: unknown) => queued.reject(queued.signal?.aborted ? abortError() : error))
      .finally(() => {
        queued.signal?.removeEventListener('abort', onAbort);
        if (!this.#destroyed) this.#dispatch();
      });
  }

  #dropQueued(queued: Queued): void {
    const at = this.#queue.indexOf(queued);
    if (at < 0) return;
    this.#queue.splice(at, 1);
    queued.reject(abortError());
  }

  /** The worker threads' ids (their threadId), once they have started. */
  get threadIds(): number[] {
    return this.#crew.threadIds.filter((id) => id >= 0);
  }

  /** Stops every worker, running or not; queued tasks are rejected. */
  async destroy(): Promise<void> {
    this.#destroyed = true;
    for (const queued of this.#queue.splice(0)) queued.reject(new Error('the pool was destroyed'));
    await this.#crew.close();
  }
}

function abortError(): Error {
  return new DOMException('The task was aborted', 'AbortError');
}
