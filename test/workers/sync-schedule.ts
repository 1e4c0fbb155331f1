// Worker-side code for the randomized multi-worker schedules of test/sync/schedules.property.test.ts:
// a worker runs one generated list of operations on shared primitives and records, in shared
// counters, what the invariants need. Every wait is bounded, so any schedule terminates.
import { Condition, type ConditionHandle } from '../../src/sync/condition.js';
import { Event, type EventHandle } from '../../src/sync/event.js';
import { Lock, type LockHandle } from '../../src/sync/lock.js';
import { RLock, type RLockHandle } from '../../src/sync/rlock.js';
import { Semaphore, type SemaphoreHandle } from '../../src/sync/semaphore.js';
import { acquireWithin, holding } from './sync-ops.js';

export type ScheduleOp =
  | { op: 'lock' }
  | { op: 'rlock'; depth: number }
  | { op: 'semaphore' }
  | { op: 'notify'; n: number }
  | { op: 'wait'; timeoutMs: number }
  | { op: 'set' }
  | { op: 'clear' }
  | { op: 'eventWait'; timeoutMs: number };

export interface ScheduleHandles {
  lock: LockHandle;
  rlock: RLockHandle;
  semaphore: SemaphoreHandle;
  permits: number;
  condition: ConditionHandle;
  event: EventHandle;
}

/** Counter indexes in the shared Int32Array. */
export const LOCK_INSIDE = 0;
export const SEMAPHORE_INSIDE = 1;
export const VIOLATIONS = 2;
export const SECTIONS = 3;
export const NOTIFIED_CHOSEN = 4;
export const WAITS_TRUE = 5;
export const SETS = 6;
export const WAITS_FALSE = 7;

function exclusiveSection(counters: Int32Array, inside: number, limit: number): void {
  if (Atomics.add(counters, inside, 1) + 1 > limit) Atomics.add(counters, VIOLATIONS, 1);
  for (let spin = 0; spin < 200; spin++) Atomics.load(counters, inside);
  Atomics.add(counters, SECTIONS, 1);
  Atomics.sub(counters, inside, 1);
}

export function runSchedule(handles: ScheduleHandles, shared: SharedArrayBuffer, ops: ScheduleOp[]): void {
  const counters = new Int32Array(shared);
  const lock = new Lock(handles.lock);
  const rlock = new RLock(handles.rlock);
  const semaphore = new Semaphore(handles.semaphore);
  const condition = new Condition(handles.condition);
  const event = new Event(handles.event);
  for (const step of ops) {
    switch (step.op) {
      case 'lock': {
        using _ = holding(lock, 'the lock');
        exclusiveSection(counters, LOCK_INSIDE, 1);
        break;
      }
      case 'rlock': {
        for (let level = 0; level < step.depth; level++) acquireWithin(rlock, 'the RLock');
        if (rlock.depth !== step.depth) Atomics.add(counters, VIOLATIONS, 1);
        exclusiveSection(counters, LOCK_INSIDE + 8, 1);
        for (let level = 0; level < step.depth; level++) rlock.release();
        break;
      }
      case 'semaphore': {
        using _ = holding(semaphore, 'a permit');
        exclusiveSection(counters, SEMAPHORE_INSIDE, handles.permits);
        break;
      }
      case 'notify': {
        using _ = holding(condition, "the condition's lock");
        Atomics.add(counters, NOTIFIED_CHOSEN, Math.min(step.n, condition.waiting));
        condition.notify(step.n);
        break;
      }
      case 'wait': {
        using _ = holding(condition, "the condition's lock");
        Atomics.add(counters, condition.wait(step.timeoutMs / 1000) ? WAITS_TRUE : WAITS_FALSE, 1);
        break;
      }
      case 'set':
        Atomics.add(counters, SETS, 1);
        event.set();
        break;
      case 'clear':
        event.clear();
        break;
      case 'eventWait':
        if (event.wait(step.timeoutMs / 1000) && Atomics.load(counters, SETS) === 0) Atomics.add(counters, VIOLATIONS, 1);
        break;
    }
  }
}
