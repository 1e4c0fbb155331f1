/*
 * memplay's public API: what `import ... from 'memplay'` gives.
 */
export * from './errors.js';

// The kernel and its shared objects (multiprocessing's Value, Array, shared_memory, mmap).
export { Kernel, defaultKernel, useKernel, kernelWorkerData, KERNEL_WORKER_DATA_KEY } from './shm/kernel.js';
export type { KernelOptions, KernelStats, RegionHandle } from './shm/kernel.js';
export { Value, RawValue, SharedValue } from './mp/value.js';
export type { ValueHandle, ValueOptions } from './mp/value.js';
export { SharedArray, RawSharedArray, SharedTypedArray } from './mp/shared-array.js';
export type { SharedArrayHandle, SharedArrayOptions } from './mp/shared-array.js';
export { SharedMemory } from './mp/shared-memory.js';
export type { SharedMemoryHandle, SharedMemoryOptions } from './mp/shared-memory.js';
export { mmap, MemoryMap } from './mp/mmap.js';
export type { Access, MmapHandle, MmapOptions } from './mp/mmap.js';
export { TYPECODES } from './mp/typecodes.js';
export type { Typecode, ValueOf } from './mp/typecodes.js';
export { attach } from './attach.js';
export type { Handle } from './attach.js';

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

// The CPython 3.11 memory model: heaps in shared memory, sizes, refcounts, GC, frames, tracemalloc.
export * as pymem from './pymem/index.js';

// Scenarios and the coordinator.
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
export { runScenario } from './coordinator/run-scenario.js';
export type { RunRequest, ScenarioReport } from './coordinator/run-scenario.js';
export type { VariantReport, RunReport } from './coordinator/run-variant.js';
export { loadScenario, BUILT_IN_SCENARIOS } from './coordinator/catalogue.js';
export type { WorkerView } from './harness/board.js';
export type { CoordinatorLogger } from './coordinator/logger.js';

// The GIL lab: CPython 3.11's GIL in shared memory, bytecode workloads, modes, convoy, CPython comparison.
export { Gil, DEFAULT_SWITCH_INTERVAL, type GilHandle, type GilOptions, type GilCounters } from './gil/gil.js';
export { NoGil } from './gil/free-threading.js';
export type { InterpreterLock } from './gil/interpreter-lock.js';
export { assemble, Op, Syscall, type Code, type CodeSpec } from './gil/bytecode.js';
export { evaluate, type Globals } from './gil/eval-loop.js';
export { PROGRAMS, type ProgramName } from './gil/programs.js';
export { ThreadState, type ThreadStats } from './gil/thread-state.js';
export { SocketPair, type SocketPairHandle } from './gil/socketpair.js';
export { runGilSteps } from './gil/gil-steps.js';
export { runLab, MODES, type Mode, type LabOptions, type LabResult, type ModeResult } from './gil/lab.js';
export { runConvoy, type ConvoyResult } from './gil/convoy.js';
export { runCpython, type CpythonResult } from './gil/cpython.js';
export { WORKLOADS, type Workload } from './gil/workloads.js';

// Stress-testing primitives (memplay stress), and robust-mutex recovery.
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
export { SharedWords } from './shm/shared-words.js';
export type { SharedWordsHandle } from './shm/shared-words.js';
export { exclusionState, exclusiveWork, countedEveryOperation, mutexTargetParts } from './stress/invariants/exclusion.js';
export { runStress } from './stress/runner.js';
export type { StressReport, StressRequest, StressOutcome } from './stress/runner.js';
export { BUILT_IN_TARGETS, loadTargets } from './stress/target-catalogue.js';
export { OwnerDiedError, NotRecoverableError, isOwnerDied } from './atomics/owner-died.js';

// Running code in workers that share the kernel.
export { WorkerPool } from './harness/worker-pool.js';
export { RpcWorker } from './harness/rpc-worker.js';
export { watchWorker } from './harness/watch-worker.js';
