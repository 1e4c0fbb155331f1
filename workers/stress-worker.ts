/*
 * The worker entry of `memplay stress`: one thread that hammers a primitive for the
 * whole run (src/stress/stress-task.ts) and posts its figures back. A plain Worker
 * rather than a piscina task (workers/module-task.ts), because the stress runner
 * must see each thread's 'exit' event and terminate one thread on purpose
 * (--kill-holder), which a pool hides. The kernel comes in workerData, as for
 * every memplay worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runStressTask, type StressTask } from '../src/stress/stress-task.js';

const { task } = workerData as { task: StressTask };
parentPort!.postMessage(await runStressTask(task));
