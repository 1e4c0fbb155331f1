/*
 * The worker entry for running a function from a module in a worker thread:
 * what multiprocessing.Process(target=f, args=...) does for a Python process.
 * A piscina task names a module (path or file URL, TypeScript allowed), an export
 * and its arguments; the export is called with them and its result is returned.
 * The worker shares its parent's kernel through workerData (see shm/kernel.ts).
 */
import { loadModule } from '../src/load-module.js';

export interface ModuleTask {
  /** Path or file URL of the module. */
  module: string;
  /** Name of the exported function (default: the default export). */
  export?: string;
  args?: unknown[];
}

export default async function runModuleTask(task: ModuleTask): Promise<unknown> {
  const namespace = await loadModule(task.module);
  const name = task.export ?? 'default';
  const target = namespace[name];
  if (typeof target !== 'function') throw new TypeError(`${task.module} has no exported function '${name}'`);
  return await target(...(task.args ?? []));
}
