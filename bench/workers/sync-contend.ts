/*
 * Worker side of bench/sync.ts and bench/all.ts (through bench/lib/worker-pair.ts),
 * compiled to dist/bench/workers/sync-contend.js and run by a WorkerPool. Each
 * export meets its partner at a Barrier, then runs its loop and returns when the
 * loop began and ended on a clock all threads share; the main thread takes the span
 * from the first start to the last end as the run's duration, so a worker that
 * starts late does not leave its partner's lone laps out of the figure.
 */
import { Barrier, type BarrierHandle } from '../../src/sync/barrier.js';
import { Condition, type ConditionHandle } from '../../src/sync/condition.js';
import { futexWait, futexWake } from '../../src/atomics/futex.js';
import { Lock, type LockHandle } from '../../src/sync/lock.js';
import { Semaphore, type SemaphoreHandle } from '../../src/sync/semaphore.js';

/** [begin, end] of a worker's loop, in milliseconds on the clock every thread shares (timeOrigin + now). */
export type Span = [begin: number, end: number];

const COUNTER = 0;

const sharedClock = () => performance.timeOrigin + performance.now();

/** Waits for the partner at the start barrier, then times `loop`. */
function timedAfterBarrier(start: BarrierHandle, loop: () => void): Span {
  new Barrier(start).wait();
  const begin = sharedClock();
  loop();
  return [begin, sharedClock()];
}

/** `operations` Lock acquire + release pairs around a one-word critical section. */
export function contendLock(lock: LockHandle, start: BarrierHandle, shared: SharedArrayBuffer, operations: number): Span {
  const [mutex, counter] = [new Lock(lock), new Int32Array(shared)];
  return timedAfterBarrier(start, () => {
    for (let i = 0; i < operations; i++) {
      mutex.acquire();
      counter[COUNTER] += 1;
      mutex.release();
    }
  });
}

/** The bare floor under contention: a spin lock of compareExchange + store on one word. */
export function contendSpinFloor(start: BarrierHandle, shared: SharedArrayBuffer, operations: number): Span {
  const words = new Int32Array(shared);
  const LOCK_WORD = 1;
  return timedAfterBarrier(start, () => {
    for (let i = 0; i < operations; i++) {
      while (Atomics.compareExchange(words, LOCK_WORD, 0, 1) !== 0);
      words[COUNTER] += 1;
      Atomics.store(words, LOCK_WORD, 0);
    }
  });
}

/**
 * Two threads hand a turn back and forth through a Condition: `rounds` round trips.
 * The lock is held with acquire / try / finally release, as the C contender's
 * lock / unlock: `using _ = hold()` compiles, for Node 20, to TypeScript's
 * disposal helpers, which cost more than the acquire and release themselves.
 */
export function conditionPong(condition: ConditionHandle, start: BarrierHandle, shared: SharedArrayBuffer, me: number, rounds: number): Span {
  const [turnChanged, words] = [new Condition(condition), new Int32Array(shared)];
  const TURN = 2;
  return timedAfterBarrier(start, () => {
    for (let i = 0; i < rounds; i++) {
      turnChanged.acquire();
      try {
        while (words[TURN] !== me) turnChanged.wait();
        words[TURN] = 1 - me;
        turnChanged.notify();
      } finally {
        turnChanged.release();
      }
    }
  });
}

/** The floor for a hand-off: the same turn passed through bare futex wait/wake on one word. */
export function futexPong(start: BarrierHandle, shared: SharedArrayBuffer, me: number, rounds: number): Span {
  const words = new Int32Array(shared);
  const TURN = 3;
  return timedAfterBarrier(start, () => {
    for (let i = 0; i < rounds; i++) {
      for (let seen = Atomics.load(words, TURN); seen !== me; seen = Atomics.load(words, TURN)) futexWait(words, TURN, seen);
      Atomics.store(words, TURN, 1 - me);
      futexWake(words, TURN, 1);
    }
  });
}

/** The same turn passed through two Semaphores, as CPython's semaphore ping-pong: mine is acquired, the other's released. */
export function semaphorePong(turns: SemaphoreHandle[], start: BarrierHandle, me: number, rounds: number): Span {
  const [mine, theirs] = [new Semaphore(turns[me]), new Semaphore(turns[1 - me])];
  return timedAfterBarrier(start, () => {
    for (let i = 0; i < rounds; i++) {
      mine.acquire();
      theirs.release();
    }
  });
}

/** One worker of the scaling table: [begin, end] of its loop on the shared clock, and its op count. */
export type ScalingSpan = [begin: number, end: number, ops: number];

const OPS_PER_CHECK = 64;

/**
 * A worker of the scaling table (bench/lib/scaling.ts): takes its Lock around
 * `counters[slot] += 1` for `milliseconds` after the start barrier, looking at
 * the clock every OPS_PER_CHECK operations, as the C and CPython contenders look
 * at their stop flag.
 */
export function scalingLoop(lock: LockHandle, start: BarrierHandle, counters: SharedArrayBuffer, slot: number, milliseconds: number): ScalingSpan {
  const [mutex, counter] = [new Lock(lock), new Int32Array(counters)];
  let ops = 0;
  const [begin, end] = timedAfterBarrier(start, () => {
    const deadline = performance.now() + milliseconds;
    while (performance.now() < deadline) {
      for (let i = 0; i < OPS_PER_CHECK; i++) {
        mutex.acquire();
        counter[slot] += 1;
        mutex.release();
      }
      ops += OPS_PER_CHECK;
    }
  });
  return [begin, end, ops];
}
