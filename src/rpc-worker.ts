/*
 * A long-lived worker thread driven by calls, over comlink: the counterpart of a
 * multiprocessing.managers proxy or a Pool worker kept for several tasks. Each
 * call runs an exported function of a module in the worker and resolves to its
 * result; the worker shares this thread's kernel, so handles passed as arguments
 * attach there to the same shared objects.
 */
import { Worker } from 'node:worker_threads';
import { wrap, releaseProxy, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { kernelWorkerData } from './shm/kernel.js';
import { watchWorker } from './watch-worker.js';
import { toModuleUrl } from './load-module.js';
import { workerFile } from './worker-files.js';
import type { RpcHost } from '../workers/rpc-host.js';

export class RpcWorker {
  readonly #worker: Worker;
  readonly #remote: Remote<RpcHost>;

  constructor() {
    this.#worker = watchWorker(new Worker(workerFile('rpc-host'), { workerData: kernelWorkerData() }));
    this.#remote = wrap<RpcHost>(nodeEndpoint(this.#worker));
  }

  /** The worker's threadId (Python: the process's pid). */
  get threadId(): number {
    return this.#worker.threadId;
  }

  /** Runs `module`'s export `name` with `args` in the worker. */
  call<T>(module: string, name: string, ...args: unknown[]): Promise<T> {
    return this.#remote.call(toModuleUrl(module), name, args) as Promise<T>;
  }

  /** Stops the worker, whatever it is doing. */
  async terminate(): Promise<void> {
    this.#remote[releaseProxy]();
    await this.#worker.terminate();
  }
}
