/*
 * The worker pools of one scenario run. Starting threads is the slowest part of
 * a short run (each loads the runtime and the scenario), so one pool serves
 * every run of every variant that uses the same number of workers. A pool whose
 * workers had to be terminated (a hang, or a failure that left workers blocked)
 * is retired: its threads are ended before the run's shared objects are freed
 * (a hung worker must never touch freed memory), and a new spare warms up at
 * once, since a variant that hung once usually hangs again (a deadlock
 * scenario's racy variant).
 */
import { WorkerPool } from '../worker-pool.js';

export class PoolKeeper {
  readonly #current = new Map<number, WorkerPool>();
  readonly #spares = new Map<number, WorkerPool>();
  readonly #retiring: Promise<void>[] = [];

  /** The pool of `threads` workers, started if needed. */
  pool(threads: number): WorkerPool {
    let pool = this.#current.get(threads);
    if (pool === undefined) {
      pool = this.#spares.get(threads) ?? new WorkerPool({ threads });
      this.#spares.delete(threads);
      this.#current.set(threads, pool);
    }
    return pool;
  }

  /** Warms up a spare for the pool of `threads` workers, then terminates that pool; resolves once its threads are gone. */
  async retire(threads: number): Promise<void> {
    const pool = this.#current.get(threads);
    if (pool === undefined) return;
    this.#current.delete(threads);
    if (!this.#spares.has(threads)) this.#spares.set(threads, new WorkerPool({ threads }));
    const ending = pool.destroy();
    this.#retiring.push(ending);
    await ending;
  }

  /** Ends every pool; resolves once all their threads are gone. */
  async close(): Promise<void> {
    const pools = [...this.#current.values(), ...this.#spares.values()];
    this.#current.clear();
    this.#spares.clear();
    await Promise.all([...this.#retiring, ...pools.map((pool) => pool.destroy())]);
    this.#retiring.length = 0;
  }
}
