// Worker-side code for the src/sync tests: each export runs inside a real worker thread,
// attaches the primitives from their handles and reports what it saw through shared counters.
import { Barrier, type BarrierHandle } from '../../src/sync/barrier.js';
import { Condition, type ConditionHandle } from '../../src/sync/condition.js';
import { Event, type EventHandle } from '../../src/sync/event.js';
import { Lock, type LockHandle } from '../../src/sync/lock.js';
import { RLock, type RLockHandle } from '../../src/sync/rlock.js';
import { BoundedSemaphore, Semaphore, type SemaphoreHandle } from '../../src/sync/semaphore.js';
import { attachPrimitive, type PrimitiveHandle } from '../../src/sync/attach.js';
import { threadId } from 'node:worker_threads';

/** Shared counters a test hands its workers: plain Int32 slots, indexes named below. */
export const INSIDE = 0;
export const MAX_INSIDE = 1;
export const TOTAL = 2;
export const VIOLATIONS = 3;
export const STARTED = 4;
export const WOKEN = 5;

/** Seconds any wait here may last: every wait in a test is bounded, and one this long means a lost wake-up. */
export const BOUND = 30;

interface Acquirable {
  acquire(blocking: boolean, timeout: number): boolean;
  release(): void;
}

/** Takes `lock` within BOUND seconds or throws. */
export function acquireWithin(lock: Acquirable, what: string): void {
  if (!lock.acquire(true, BOUND)) throw new Error(`${what} was not acquired within ${BOUND} s: a lost wake-up or a deadlock`);
}

/** `with lock:` bounded: `using _ = holding(lock, 'the lock')`. */
export function holding(lock: Acquirable, what: string): Disposable {
  acquireWithin(lock, what);
  return { [Symbol.dispose]: () => lock.release() };
}

/** A condition wait bounded by BOUND seconds; throws when it times out. */
function waitWithin(condition: Condition, what: string): void {
  if (!condition.wait(BOUND)) throw new Error(`${what}: no notify within ${BOUND} s (a lost wake-up)`);
}

function enter(counters: Int32Array, limit: number): void {
  const inside = Atomics.add(counters, INSIDE, 1) + 1;
  if (inside > limit) Atomics.add(counters, VIOLATIONS, 1);
  for (let seen = Atomics.load(counters, MAX_INSIDE); inside > seen; seen = Atomics.load(counters, MAX_INSIDE)) {
    if (Atomics.compareExchange(counters, MAX_INSIDE, seen, inside) === seen) break;
  }
}

function leave(counters: Int32Array): void {
  Atomics.sub(counters, INSIDE, 1);
}

/** A non-atomic read-modify-write of counters[TOTAL] under the lock, `iterations` times. */
export function incrementUnder(handle: LockHandle | RLockHandle, shared: SharedArrayBuffer, iterations: number): number {
  const lock = attachPrimitive(handle as PrimitiveHandle) as Lock | RLock;
  const counters = new Int32Array(shared);
  for (let i = 0; i < iterations; i++) {
    acquireWithin(lock, 'the lock');
    enter(counters, 1);
    const total = counters[TOTAL];
    if (i % 64 === 0) for (let spin = 0; spin < 50; spin++) Atomics.load(counters, INSIDE);
    counters[TOTAL] = total + 1;
    leave(counters);
    lock.release();
  }
  return threadId;
}

/** Takes an RLock `depth` times, checks the depth, releases it as many times. */
export function reenter(handle: RLockHandle, depth: number, rounds: number): number[] {
  const rlock = new RLock(handle);
  const depths: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let level = 0; level < depth; level++) acquireWithin(rlock, 'the RLock');
    depths.push(rlock.depth);
    for (let level = 0; level < depth; level++) rlock.release();
  }
  return depths;
}

/** What releasing a lock held by another thread does here: 'ok' or the error's name. */
export function releaseForeign(handle: LockHandle | RLockHandle): string {
  const lock = attachPrimitive(handle as PrimitiveHandle) as Lock | RLock;
  try {
    lock.release();
    return 'ok';
  } catch (error) {
    return (error as Error).name;
  }
}

/** Tries a lock with a timeout; returns [taken, seconds waited]. */
export function tryLockFor(handle: LockHandle | RLockHandle, timeout: number): [boolean, number] {
  const lock = attachPrimitive(handle as PrimitiveHandle) as Lock | RLock;
  const start = performance.now();
  const taken = lock.acquire(true, timeout);
  const waited = (performance.now() - start) / 1000;
  if (taken) lock.release();
  return [taken, waited];
}

/** Holds a semaphore permit around a short critical section, `iterations` times; checks at most `limit` inside. */
export function semaphoreSections(handle: SemaphoreHandle, shared: SharedArrayBuffer, iterations: number, limit: number): void {
  const semaphore = handle.kind === 'BoundedSemaphore' ? new BoundedSemaphore(handle as never) : new Semaphore(handle);
  const counters = new Int32Array(shared);
  for (let i = 0; i < iterations; i++) {
    using _ = holding(semaphore, 'a permit');
    enter(counters, limit);
    for (let spin = 0; spin < 20; spin++) Atomics.load(counters, INSIDE);
    Atomics.add(counters, TOTAL, 1);
    leave(counters);
  }
}

/** Waits once on a condition: counts itself STARTED (under the lock), then WOKEN if notified. */
export function conditionWaiter(handle: ConditionHandle, shared: SharedArrayBuffer, timeout: number): boolean {
  const condition = new Condition(handle);
  const counters = new Int32Array(shared);
  using _ = holding(condition, "the condition's lock");
  Atomics.add(counters, STARTED, 1);
  const notified = condition.wait(timeout);
  if (notified) Atomics.add(counters, WOKEN, 1);
  return notified;
}

/**
 * The classic bounded buffer: a ring of `capacity` slots in `shared` (after a
 * 4-word header: head, tail, size), guarded by one Lock with two Conditions,
 * notEmpty and notFull, each woken by notify() of one waiter: a lost wake-up hangs.
 */
const RING_HEAD = 0;
const RING_TAIL = 1;
const RING_SIZE = 2;
const RING_DATA = 4;

export function produce(notEmpty: ConditionHandle, notFull: ConditionHandle, shared: SharedArrayBuffer, from: number, count: number): void {
  const [readable, writable] = [new Condition(notEmpty), new Condition(notFull)];
  const ring = new Int32Array(shared);
  const capacity = ring.length - RING_DATA;
  for (let item = from; item < from + count; item++) {
    using _ = holding(writable, "the buffer's lock");
    while (ring[RING_SIZE] === capacity) waitWithin(writable, 'producer');
    ring[RING_DATA + ring[RING_TAIL]] = item;
    ring[RING_TAIL] = (ring[RING_TAIL] + 1) % capacity;
    ring[RING_SIZE] += 1;
    readable.notify();
  }
}

export function consume(notEmpty: ConditionHandle, notFull: ConditionHandle, shared: SharedArrayBuffer, count: number): number[] {
  const [readable, writable] = [new Condition(notEmpty), new Condition(notFull)];
  const ring = new Int32Array(shared);
  const capacity = ring.length - RING_DATA;
  const taken: number[] = [];
  for (let i = 0; i < count; i++) {
    using _ = holding(readable, "the buffer's lock");
    if (!readable.waitFor(() => ring[RING_SIZE] > 0, BOUND)) throw new Error(`consumer: no item within ${BOUND} s (a lost wake-up)`);
    taken.push(ring[RING_DATA + ring[RING_HEAD]]);
    ring[RING_HEAD] = (ring[RING_HEAD] + 1) % capacity;
    ring[RING_SIZE] -= 1;
    writable.notify();
  }
  return taken;
}

/** The same buffer on two counting semaphores (slots free, items ready) and a Lock. */
export function produceWithSemaphores(
  handles: { free: SemaphoreHandle; ready: SemaphoreHandle; lock: LockHandle },
  shared: SharedArrayBuffer,
  from: number,
  count: number,
): void {
  const [free, ready, lock] = [new Semaphore(handles.free), new Semaphore(handles.ready), new Lock(handles.lock)];
  const ring = new Int32Array(shared);
  const capacity = ring.length - RING_DATA;
  for (let item = from; item < from + count; item++) {
    acquireWithin(free, 'a free slot');
    acquireWithin(lock, 'the lock');
    ring[RING_DATA + ring[RING_TAIL]] = item;
    ring[RING_TAIL] = (ring[RING_TAIL] + 1) % capacity;
    lock.release();
    ready.release();
  }
}

export function consumeWithSemaphores(
  handles: { free: SemaphoreHandle; ready: SemaphoreHandle; lock: LockHandle },
  shared: SharedArrayBuffer,
  count: number,
): number[] {
  const [free, ready, lock] = [new Semaphore(handles.free), new Semaphore(handles.ready), new Lock(handles.lock)];
  const ring = new Int32Array(shared);
  const capacity = ring.length - RING_DATA;
  const taken: number[] = [];
  for (let i = 0; i < count; i++) {
    acquireWithin(ready, 'an item');
    acquireWithin(lock, 'the lock');
    taken.push(ring[RING_DATA + ring[RING_HEAD]]);
    ring[RING_HEAD] = (ring[RING_HEAD] + 1) % capacity;
    lock.release();
    free.release();
  }
  return taken;
}

/** Waits on an event; returns [result, seconds waited]. */
export function eventWaiter(handle: EventHandle, shared: SharedArrayBuffer, timeout: number | null): [boolean, number] {
  const event = new Event(handle);
  Atomics.add(new Int32Array(shared), STARTED, 1);
  const start = performance.now();
  const result = event.wait(timeout);
  return [result, (performance.now() - start) / 1000];
}

/** Sets an event after `delayMs` (a busy worker, not a timer: this thread blocks). */
export function setEventAfter(handle: EventHandle, delayMs: number): void {
  const event = new Event(handle);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, delayMs);
  event.set();
}

/** `rounds` barrier waits; returns this worker's index in each round. */
export function barrierRounds(handle: BarrierHandle, rounds: number, timeout: number | null): number[] {
  const barrier = new Barrier(handle);
  const indexes: number[] = [];
  for (let round = 0; round < rounds; round++) indexes.push(barrier.wait(timeout));
  return indexes;
}

/** One barrier wait; returns its index, or the name of the error it threw. */
export function barrierWaitOnce(handle: BarrierHandle, shared: SharedArrayBuffer, timeout: number | null): number | string {
  const barrier = new Barrier(handle);
  Atomics.add(new Int32Array(shared), STARTED, 1);
  try {
    return barrier.wait(timeout);
  } catch (error) {
    return (error as Error).name;
  }
}

/** Takes the condition's lock, notifies n waiters (notifyAll when n is null), releases it. */
export function notifyCondition(handle: ConditionHandle, n: number | null): number {
  const condition = new Condition(handle);
  using _ = holding(condition, "the condition's lock");
  const waiting = condition.waiting;
  if (n === null) condition.notifyAll();
  else condition.notify(n);
  return waiting;
}

/** Attaches every handle with attachPrimitive and acts on each, so the test can see the effect. */
export function attachAndTouch(handles: PrimitiveHandle[]): string[] {
  return handles.map((handle) => {
    const primitive = attachPrimitive(handle);
    if (primitive instanceof Lock || primitive instanceof RLock) acquireWithin(primitive, 'the lock');
    else if (primitive instanceof Semaphore) acquireWithin(primitive, 'a permit');
    else if (primitive instanceof Event) primitive.set();
    else if (primitive instanceof Barrier) primitive.abort();
    else if (primitive instanceof Condition) acquireWithin(primitive, "the condition's lock");
    return primitive.constructor.name;
  });
}
