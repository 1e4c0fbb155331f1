/*
 * Two workers of a pool, released together (bench:sync, bench, pinned-pong): each
 * measurement runs one task of bench/workers/sync-contend.ts on both workers, which
 * meet at a Barrier before they start their loops; the run lasts from the first
 * worker's start to the last one's end.
 */
import { fileURLToPath } from 'node:url';
import { Barrier, type BarrierHandle } from '../../src/sync/barrier.js';
import { Condition } from '../../src/sync/condition.js';
import { Lock } from '../../src/sync/lock.js';
import { Semaphore } from '../../src/sync/semaphore.js';
import type { WorkerPool } from '../../src/harness/worker-pool.js';
import type { Span } from '../workers/sync-contend.js';

const WORKER_MODULE = fileURLToPath(new URL('../workers/sync-contend.js', import.meta.url));

/**
 * Runs `task` on two workers of `pool`, worker `index` (0 or 1) with the arguments
 * `argsFor(start, index)`; returns nanoseconds per operation over the run.
 */
async function runPair(
  pool: WorkerPool,
  task: string,
  argsFor: (start: BarrierHandle, index: number) => unknown[],
  operations: number,
): Promise<number> {
  const start = new Barrier(2);
  const spans = await Promise.all([0, 1].map((index) => pool.run<Span>(WORKER_MODULE, task, argsFor(start.handle, index))));
  const begin = Math.min(...spans.map(([first]) => first));
  const end = Math.max(...spans.map(([, last]) => last));
  return ((end - begin) * 1e6) / operations;
}

const sharedWords = () => new SharedArrayBuffer(16);

/** Both workers take one Lock `operations` times each around a one-word critical section: ns per operation. */
export function lockContention(pool: WorkerPool, operations: number): Promise<number> {
  const [words, mutex] = [sharedWords(), new Lock()];
  return runPair(pool, 'contendLock', (start) => [mutex.handle, start, words, operations], 2 * operations);
}

/** The same through a bare compareExchange/store spin lock: the floor under contention. */
export function spinLockContention(pool: WorkerPool, operations: number): Promise<number> {
  const words = sharedWords();
  return runPair(pool, 'contendSpinFloor', (start) => [start, words, operations], 2 * operations);
}

/** How a ping-pong passes the turn: bare futex wait/wake, a Condition and its Lock, or two Semaphores. */
export const PONG_KINDS = ['futex', 'condition', 'semaphore'] as const;
export type PongKind = (typeof PONG_KINDS)[number];

/** The two workers hand a turn back and forth `rounds` times: ns per round trip. */
export function pong(pool: WorkerPool, kind: PongKind, rounds: number): Promise<number> {
  const words = sharedWords();
  switch (kind) {
    case 'futex':
      return runPair(pool, 'futexPong', (start, me) => [start, words, me, rounds], rounds);
    case 'condition': {
      const condition = new Condition(new Lock());
      return runPair(pool, 'conditionPong', (start, me) => [condition.handle, start, words, me, rounds], rounds);
    }
    case 'semaphore': {
      const turns = [new Semaphore(1), new Semaphore(0)].map((semaphore) => semaphore.handle);
      return runPair(pool, 'semaphorePong', (start, me) => [turns, start, me, rounds], rounds);
    }
  }
}
