/*
 * Worker side of bench/sync.ts, compiled to dist/bench/workers/sync-contend.js and
 * run by a WorkerPool. Each export meets its partner at a Barrier, then times its
 * own loop; the main thread takes the slower of the two as the run's duration.
 */
import { Barrier, type BarrierHandle } from '../../src/sync/barrier.js';
import { Condition, type ConditionHandle } from '../../src/sync/condition.js';
import { futexWait, futexWake } from '../../src/sync/futex.js';
import { Lock, type LockHandle } from '../../src/sync/lock.js';

const COUNTER = 0;

/** `operations` Lock acquire + release pairs around a one-word critical section; returns ns taken. */
export function contendLock(lock: LockHandle, start: BarrierHandle, shared: SharedArrayBuffer, operations: number): number {
  const [mutex, counter] = [new Lock(lock), new Int32Array(shared)];
  new Barrier(start).wait();
  const begin = performance.now();
  for (let i = 0; i < operations; i++) {
    mutex.acquire();
    counter[COUNTER] += 1;
    mutex.release();
  }
  return (performance.now() - begin) * 1e6;
}

/** The bare floor under contention: a spin lock of compareExchange + store on one word. */
export function contendSpinFloor(start: BarrierHandle, shared: SharedArrayBuffer, operations: number): number {
  const words = new Int32Array(shared);
  const LOCK_WORD = 1;
  new Barrier(start).wait();
  const begin = performance.now();
  for (let i = 0; i < operations; i++) {
    while (Atomics.compareExchange(words, LOCK_WORD, 0, 1) !== 0);
    words[COUNTER] += 1;
    Atomics.store(words, LOCK_WORD, 0);
  }
  return (performance.now() - begin) * 1e6;
}

/** Two threads hand a turn back and forth through a Condition: `rounds` round trips; returns ns taken. */
export function conditionPong(condition: ConditionHandle, start: BarrierHandle, shared: SharedArrayBuffer, me: number, rounds: number): number {
  const [turnChanged, words] = [new Condition(condition), new Int32Array(shared)];
  const TURN = 2;
  new Barrier(start).wait();
  const begin = performance.now();
  for (let i = 0; i < rounds; i++) {
    using _ = turnChanged.hold();
    while (words[TURN] !== me) turnChanged.wait();
    words[TURN] = 1 - me;
    turnChanged.notify();
  }
  return (performance.now() - begin) * 1e6;
}

/** The floor for a hand-off: the same turn passed through bare futex wait/wake on one word. */
export function futexPong(start: BarrierHandle, shared: SharedArrayBuffer, me: number, rounds: number): number {
  const words = new Int32Array(shared);
  const TURN = 3;
  new Barrier(start).wait();
  const begin = performance.now();
  for (let i = 0; i < rounds; i++) {
    for (let seen = Atomics.load(words, TURN); seen !== me; seen = Atomics.load(words, TURN)) futexWait(words, TURN, seen);
    Atomics.store(words, TURN, 1 - me);
    futexWake(words, TURN, 1);
  }
  return (performance.now() - begin) * 1e6;
}
