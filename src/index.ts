/*
 * memplay's public API: what `import ... from 'memplay'` gives. Everything a
 * scenario or stress-target file writes with (scenario.ts, pymem-entry.ts and
 * gil-entry.ts, also importable alone as 'memplay/scenario', 'memplay/pymem' and
 * 'memplay/gil'), plus the engines that run them and the kernel itself. It
 * loads every kind of handle (attach.ts), so its attach() attaches any of them.
 */
import './attach.js';

export * from './scenario.js';
export * from './pymem-entry.js';
export * from './gil-entry.js';

// The kernel that holds every shared object.
export { Kernel, defaultKernel, useKernel, kernelWorkerData, KERNEL_WORKER_DATA_KEY } from './shm/kernel.js';
export type { KernelOptions, KernelStats, RegionHandle } from './shm/kernel.js';

// Running scenarios (the coordinator).
export { runScenario } from './coordinator/run-scenario.js';
export type { RunRequest, ScenarioReport } from './coordinator/run-scenario.js';
export type { VariantReport, RunReport } from './coordinator/run-variant.js';
export { loadScenario, BUILT_IN_SCENARIOS } from './coordinator/catalogue.js';
export type { CoordinatorLogger } from './coordinator/logger.js';

// The GIL lab: workloads in four modes, convoy, CPython comparison.
export { MODES, type Mode } from './gil/settings.js';
export { runLab, type LabOptions, type LabResult, type ModeResult } from './gil/lab.js';
export { runConvoy, type ConvoyResult } from './gil/convoy.js';
export { runCpython, type CpythonResult } from './gil/cpython.js';
export { WORKLOADS, type Workload } from './gil/workloads.js';

// Stress-testing primitives (memplay stress).
export { runStress } from './stress/runner.js';
export type { StressReport, StressRequest, StressOutcome } from './stress/runner.js';
export { BUILT_IN_TARGETS, loadTargets } from './stress/target-catalogue.js';

// Running code in workers that share the kernel.
export { WorkerPool } from './harness/worker-pool.js';
export { RpcWorker } from './harness/rpc-worker.js';
export { watchWorker } from './harness/watch-worker.js';
