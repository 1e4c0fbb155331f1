/*
 * The worker entry for a long-lived worker driven by calls (comlink): the host
 * side of src/rpc-worker.ts. It exposes one object whose `call` runs an exported
 * function of a module (path or file URL, TypeScript allowed) with the given
 * arguments. The worker shares its parent's kernel through workerData.
 */
import { parentPort } from 'node:worker_threads';
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import runModuleTask from './module-task.js';

export const host = {
  call(module: string, name: string, args: unknown[]): Promise<unknown> {
    return runModuleTask({ module, export: name, args });
  },
};

export type RpcHost = typeof host;

if (parentPort === null) throw new Error('rpc-host must run in a worker thread');
expose(host, nodeEndpoint(parentPort));
