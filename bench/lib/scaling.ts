/*
 * How Lock throughput holds up as workers outnumber cores: N workers (1, 2, 4, 8,
 * 16) on one Lock, and on 4 Locks (worker i takes lock i % 4), each for a fixed
 * time, for memplay, C pthreads and CPython (threads and processes). Each run gives
 * total operations per second and Jain's fairness index over the workers' op counts:
 *
 *   J = (sum x)^2 / (n * sum x^2)      1 when every worker did as much, 1/n when one did all
 *
 * memplay's run uses a pool of 16 workers; a run of N starts N tasks that meet at a
 * Barrier and loop for the same time (bench/workers/sync-contend.ts, scalingLoop);
 * its span is from the first worker's start to the last one's end, on the clock
 * all threads share. The contenders run as child processes (bench/contenders/*),
 * each printing a "scaling" (ops/s) and a "scaling-fairness" (jain) line.
 */
import { fileURLToPath } from 'node:url';
import { Barrier } from '../../src/sync/barrier.js';
import { Lock } from '../../src/sync/lock.js';
import type { WorkerPool } from '../../src/harness/worker-pool.js';
import type { ScalingSpan } from '../workers/sync-contend.js';
import { parseMeasurements, runCommand } from './contender.js';

export const SCALING_WORKERS = [1, 2, 4, 8, 16] as const;
export const SCALING_LOCKS = [1, 4] as const;
/** The pool size memplay's scaling runs need. */
export const SCALING_POOL_THREADS = Math.max(...SCALING_WORKERS);

export interface ScalingFigure {
  opsPerSecond: number;
  fairness: number;
}

const WORKER_MODULE = fileURLToPath(new URL('../workers/sync-contend.js', import.meta.url));

/** Jain's fairness index of the op counts. */
export function jainIndex(counts: readonly number[]): number {
  const sum = counts.reduce((total, count) => total + count, 0);
  const squares = counts.reduce((total, count) => total + count * count, 0);
  return squares === 0 ? 1 / counts.length : (sum * sum) / (counts.length * squares);
}

/** memplay: `workers` pool workers on `locks` Locks for `milliseconds`. */
export async function memplayScaling(pool: WorkerPool, workers: number, locks: number, milliseconds: number): Promise<ScalingFigure> {
  const mutexes = Array.from({ length: locks }, () => new Lock());
  const [start, counters] = [new Barrier(workers), new SharedArrayBuffer(4 * locks)];
  const spans = await Promise.all(
    Array.from({ length: workers }, (_, me) =>
      pool.run<ScalingSpan>(WORKER_MODULE, 'scalingLoop', [mutexes[me % locks].handle, start.handle, counters, me % locks, milliseconds]),
    ),
  );
  const begin = Math.min(...spans.map(([first]) => first));
  const end = Math.max(...spans.map(([, last]) => last));
  const counts = spans.map(([, , ops]) => ops);
  const total = counts.reduce((sum, ops) => sum + ops, 0);
  const counted = new Int32Array(counters).reduce((sum, value) => sum + value, 0);
  if (counted !== total) throw new Error(`scaling: ${total} operations but ${counted} counted under the locks`);
  return { opsPerSecond: (total * 1e3) / (end - begin), fairness: jainIndex(counts) };
}

/** A contender's scaling run: `command` prints a "scaling"/"scaling-mp" line and a "scaling-fairness" line. */
export async function contenderScaling(command: readonly string[], measurement: string, timeoutMs: number): Promise<ScalingFigure> {
  const lines = parseMeasurements(await runCommand(command, timeoutMs));
  const find = (name: string, unit: string) => {
    const found = lines.find((line) => line.measurement === name);
    if (found === undefined || found.unit !== unit) throw new Error(`${command.join(' ')} printed no '${name}' in ${unit}`);
    return found.value;
  };
  return { opsPerSecond: find(measurement, 'ops/s'), fairness: find('scaling-fairness', 'jain') };
}
