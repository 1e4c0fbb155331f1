/*
 * The worker entry of every thread memplay starts (src/harness/crew.ts): it
 * answers CrewTasks, one at a time, with src/harness/task-runner.ts. The kernel
 * comes in workerData (see src/shm/kernel.ts).
 */
import { parentPort } from 'node:worker_threads';
import { serveCrewTasks } from '../src/harness/task-runner.js';

if (parentPort === null) throw new Error('crew-worker must run in a worker thread');
serveCrewTasks(parentPort);
