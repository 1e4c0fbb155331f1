/*
 * What it costs to start a worker and see it end: the counterpart of
 * threading.Thread(...).start() + join() and of pthread_create + pthread_join.
 *
 * The kinds, measured in the same run by bench/all.ts:
 *   memplay    a memplay worker as every engine starts it: a one-seat Crew
 *              (src/harness/crew.ts, workers/crew-worker.ts, the kernel in its
 *              workerData) runs one task that attaches the kernel and answers
 *              (bench/workers/startup.ts), then the crew is closed;
 *   scenario:<name>  the same, the task loading the built-in scenario <name>'s
 *              module, as a scenario worker does before its start gate;
 *   bare       a plain `new Worker` that posts one message (bench/workers/bare-startup.ts):
 *              Node's floor for a worker.
 * Each worker is started once the previous one has ended; the time runs from
 * the worker's creation to its exit, its one answer received.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Crew } from '../../src/harness/crew.js';
import { packageRoot } from '../../src/package-info.js';

export type StartupKind = 'memplay' | 'bare' | `scenario:${string}`;

/** The compiled entries (also when this module runs from source, under the test runner). */
const BARE_ENTRY = join(packageRoot(), 'dist', 'bench', 'workers', 'bare-startup.js');
const TASK_MODULE = pathToFileURL(join(packageRoot(), 'dist', 'bench', 'workers', 'startup.js')).href;

function startAndJoinBare(): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BARE_ENTRY);
    let messages = 0;
    worker.on('message', () => messages++);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`bare start-up worker exited with ${code}`));
      else if (messages !== 1) reject(new Error(`bare start-up worker posted ${messages} messages, expected 1`));
      else resolve();
    });
  });
}

async function startAndJoinCrew(kind: Exclude<StartupKind, 'bare'>): Promise<void> {
  const crew = new Crew(1);
  try {
    const scenario = kind.startsWith('scenario:') ? kind.slice('scenario:'.length) : null;
    const task = scenario === null ? { module: TASK_MODULE, export: 'kernelId', args: [] } : { module: TASK_MODULE, export: 'loadBuiltInScenario', args: [scenario] };
    const id = await crew.run<number>(0, task);
    if (typeof id !== 'number') throw new Error(`${kind} start-up task answered ${String(id)}, expected the kernel's id`);
  } finally {
    await crew.close();
  }
}

/** Microseconds per worker, over `workers` of `kind` started and joined one after the other. */
export async function workerStartup(kind: StartupKind, workers: number): Promise<number> {
  const begin = performance.now();
  for (let i = 0; i < workers; i++) await (kind === 'bare' ? startAndJoinBare() : startAndJoinCrew(kind));
  return ((performance.now() - begin) * 1e3) / workers;
}
