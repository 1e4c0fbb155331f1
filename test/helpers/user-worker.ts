/*
 * A Worker started the way a user would start one: `new Worker` with
 * kernelWorkerData(), running a few lines against memplay's built API (dist/),
 * with `m` the module and `data` the workerData. The tests terminate such
 * workers inside blocking calls, so a thread that dies mid-wait is real.
 * Needs `npm run build` (as the CLI tests do).
 */
import { Worker } from 'node:worker_threads';
import { kernelWorkerData } from '../../src/shm/kernel.js';

const DIST = new URL('../../dist/src/index.js', import.meta.url).href;

/** Starts a worker running `body` (an async function body over `m` and `data`); its return value is posted back. */
export function startUserWorker(body: string, data: Record<string, unknown> = {}): Worker {
  const code = `
    const { parentPort, workerData: data } = require('node:worker_threads');
    import(${JSON.stringify(DIST)}).then(async (m) => {
      const result = await (async () => { ${body} })();
      parentPort.postMessage({ result });
    }).catch((error) => parentPort.postMessage({ error: String(error && error.name) + ': ' + String(error && error.message) }));`;
  return new Worker(code, { eval: true, workerData: kernelWorkerData(data) });
}

/** The message the worker posts (its result, or its error as "Name: message"), bounded by timeoutMs. */
export function resultOf(worker: Worker, timeoutMs = 20_000): Promise<{ result?: unknown; error?: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker posted nothing within ${timeoutMs} ms`)), timeoutMs);
    worker.once('message', (message) => (clearTimeout(timer), resolve(message)));
    worker.once('error', (error) => (clearTimeout(timer), reject(error)));
  });
}

/** Terminates the worker and resolves once its thread has exited (its 'exit' listeners have run). */
export async function terminated(worker: Worker): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  await worker.terminate();
  await exited;
}

