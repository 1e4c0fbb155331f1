/*
 * The public entry for scenario and stress-target authors: what
 * `import ... from 'memplay/scenario'` gives. It is everything a scenario file or a
 * stress-target file needs to write its shared state and worker code: the two
 * formats (defineScenario, defineStressTarget) and their types, the kernel's
 * shared objects, the synchronization primitives, seeded randomness and Python's
 * errors. Two models have entries of their own, so that a scenario worker loads
 * them only when its scenario uses them: the CPython memory model
 * ('memplay/pymem', pymem-entry.ts) and the GIL model ('memplay/gil',
 * gil-entry.ts). None holds an engine: running scenarios, stress runs, the GIL
 * lab and worker pools are in the package root, which re-exports all three
 * (`import ... from 'memplay'` gives the same objects). The built-in scenarios
 * in scenarios/ import nothing from src/ but these entries (test/layering.test.ts).
 */
export * from './errors.js';

// The formats: a scenario (memplay run) and a stress target (memplay stress).
export { defineScenario, isScenario } from './coordinator/define-scenario.js';
export type {
  Scenario,
  ScenarioDefinition,
  VariantDefinition,
  WorkerContext,
  Judgement,
  FinishedRun,
  BaseParams,
  ScenarioParams,
} from './coordinator/define-scenario.js';
export type { Classification, OutcomeSpec } from './coordinator/outcome.js';
export type { WorkerView } from './harness/board.js';
export { randomBelow, type Random } from './coordinator/prng.js';
export { defineStressTarget, isStressTarget } from './stress/define-target.js';
export type {
  StressTarget,
  StressTargetDefinition,
  StressRole,
  StressParams,
  OpContext,
  FinishedStressRun,
  RobustMutex,
} from './stress/define-target.js';
export { exclusionState, exclusiveWork, countedEveryOperation, mutexTargetParts } from './stress/invariants/exclusion.js';
export { OwnerDiedError, NotRecoverableError, isOwnerDied } from './atomics/owner-died.js';

// Shared objects in the kernel (multiprocessing's Value, Array, shared_memory, mmap).
export { Value, RawValue, SharedValue } from './mp/value.js';
export type { ValueHandle, ValueOptions } from './mp/value.js';
export { SharedArray, RawSharedArray, SharedTypedArray } from './mp/shared-array.js';
export type { SharedArrayHandle, SharedArrayOptions } from './mp/shared-array.js';
export type { SyncLock } from './mp/synchronized.js';
export { SharedMemory } from './mp/shared-memory.js';
export type { SharedMemoryHandle, SharedMemoryOptions } from './mp/shared-memory.js';
export { mmap, MemoryMap } from './mp/mmap.js';
export type { Access, MmapHandle, MmapOptions } from './mp/mmap.js';
export { TYPECODES } from './mp/typecodes.js';
export type { Typecode, ValueOf } from './mp/typecodes.js';
export { SharedWords } from './shm/shared-words.js';
export type { SharedWordsHandle } from './shm/shared-words.js';
export { attach, registerHandleKind, registeredHandleKinds, isHandleKind } from './attach-loaded.js';
export type { Handle, HandleKind, HandleKinds } from './attach-loaded.js';

// Synchronization primitives (threading / multiprocessing).
export { Lock } from './sync/lock.js';
export type { LockHandle } from './sync/lock.js';
export { RLock } from './sync/rlock.js';
export type { RLockHandle } from './sync/rlock.js';
export { Semaphore, BoundedSemaphore } from './sync/semaphore.js';
export type { SemaphoreHandle, BoundedSemaphoreHandle } from './sync/semaphore.js';
export { Condition } from './sync/condition.js';
export type { ConditionHandle } from './sync/condition.js';
export type { ConditionLock } from './sync/condition-lock.js';
export { Event } from './sync/event.js';
export type { EventHandle } from './sync/event.js';
export { Barrier } from './sync/barrier.js';
export type { BarrierHandle, BarrierOptions } from './sync/barrier.js';
export { attachPrimitive, isPrimitiveKind } from './sync/attach.js';
export type { Primitive, PrimitiveHandle, PrimitiveOf } from './sync/attach.js';
