/*
 * Worker side of bench/all.ts's start-up row: a worker that does what every memplay
 * worker does first, attach the kernel its workerData carries, and then ends.
 * Compiled to dist/bench/workers/startup.js.
 */
import { defaultKernel } from '../../src/shm/kernel.js';

defaultKernel();
