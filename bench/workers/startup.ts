/*
 * The tasks of bench/all.ts's worker start-up rows (lib/worker-startup.ts), run
 * by a memplay crew worker (workers/crew-worker.ts) as its first task:
 *   kernelId            what every memplay worker does first: attach the kernel
 *                       its workerData carries; answers the kernel's id;
 *   loadBuiltInScenario what a scenario worker does before its start gate: load
 *                       the scenario's module (and with it what the module imports).
 * Compiled to dist/bench/workers/startup.js.
 */
import { join } from 'node:path';
import { loadModule } from '../../src/harness/load-module.js';
import { packageRoot } from '../../src/package-info.js';
import { defaultKernel } from '../../src/shm/kernel.js';

export function kernelId(): number {
  return defaultKernel().id;
}

export async function loadBuiltInScenario(name: string): Promise<number> {
  await loadModule(join(packageRoot(), 'dist', 'scenarios', `${name}.js`));
  return kernelId();
}
