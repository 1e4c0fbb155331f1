/*
 * Worker side of bench/all.ts's start-up row: a worker that does what every memplay
 * worker does first, attach the kernel its workerData carries, then posts one
 * message to its parent (as the bare floor, bare-startup.ts, does) and ends.
 * Compiled to dist/bench/workers/startup.js.
 */
import { parentPort } from 'node:worker_threads';
import { defaultKernel } from '../../src/shm/kernel.js';

parentPort?.postMessage(defaultKernel().id);
