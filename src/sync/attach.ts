/*
 * attachPrimitive(handle): the synchronization primitive a handle names, rebuilt
 * in this thread, whatever its kind. Handles are plain data (kind, kernel, offset
 * and a few fields), so they travel through workerData, task arguments and
 * messages; two objects attached from one handle are the same primitive.
 */
import { Barrier, type BarrierHandle } from './barrier.js';
import { Condition, type ConditionHandle } from './condition.js';
import { Event, type EventHandle } from './event.js';
import { Lock, type LockHandle } from './lock.js';
import { RLock, type RLockHandle } from './rlock.js';
import { BoundedSemaphore, Semaphore, type BoundedSemaphoreHandle, type SemaphoreHandle } from './semaphore.js';

export type PrimitiveHandle =
  | LockHandle
  | RLockHandle
  | SemaphoreHandle
  | BoundedSemaphoreHandle
  | ConditionHandle
  | EventHandle
  | BarrierHandle;

export type Primitive = Lock | RLock | Semaphore | BoundedSemaphore | Condition | Event | Barrier;

/** The primitive each kind of handle attaches to. */
export interface PrimitiveOf {
  Lock: Lock;
  RLock: RLock;
  Semaphore: Semaphore;
  BoundedSemaphore: BoundedSemaphore;
  Condition: Condition;
  Event: Event;
  Barrier: Barrier;
}

const attachers: { [K in keyof PrimitiveOf]: (handle: never) => PrimitiveOf[K] } = {
  Lock: (handle: LockHandle) => Lock.attach(handle),
  RLock: (handle: RLockHandle) => RLock.attach(handle),
  Semaphore: (handle: SemaphoreHandle) => Semaphore.attach(handle),
  BoundedSemaphore: (handle: BoundedSemaphoreHandle) => BoundedSemaphore.attach(handle),
  Condition: (handle: ConditionHandle) => Condition.attach(handle),
  Event: (handle: EventHandle) => Event.attach(handle),
  Barrier: (handle: BarrierHandle) => Barrier.attach(handle),
};

/** Whether `kind` names one of the seven synchronization primitives. */
export function isPrimitiveKind(kind: unknown): kind is keyof PrimitiveOf {
  return typeof kind === 'string' && Object.hasOwn(attachers, kind);
}

export function attachPrimitive<H extends PrimitiveHandle>(handle: H): PrimitiveOf[H['kind']] {
  const kind: unknown = (handle as { kind?: unknown } | null)?.kind;
  if (!isPrimitiveKind(kind)) throw new TypeError(`not the handle of a synchronization primitive: kind ${String(kind)}`);
  return attachers[kind](handle as never) as PrimitiveOf[H['kind']];
}
