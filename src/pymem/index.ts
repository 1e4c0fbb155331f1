/*
 * The CPython memory model's public API, exported from the package root as the
 * `pymem` namespace: the heap and its handle, the version profiles, the
 * demonstrations, the expression parser, and the Python errors it raises.
 */
export { PyHeap } from './heap.js';
export type { PyHeapOptions, PyRef, PyValue } from './heap.js';
export { DEFAULT_DIMENSIONS } from './memory.js';
export type { HeapDimensions, PyHeapHandle } from './memory.js';
export { CPYTHON_3_11, DEFAULT_PROFILE, blocksPerPool, sizeClassCount } from './profile.js';
export type { ObjectSizes, PythonProfile } from './profile.js';
export { profileNames } from './profiles.js';
export { ArithmeticError, AttributeError, KeyError, NameError, OverflowError, RecursionError, ZeroDivisionError } from './errors.js';
export { LiteralSyntaxError, NotModelledError, parseLiteral } from './literal.js';
export type { Constant, LiteralNode } from './literal.js';
export { Snapshot } from './tracemalloc.js';
export type { TraceDifference, TraceStatistic } from './tracemalloc.js';
export { formatMallocStats } from './malloc-stats.js';
export type { MallocStats, SizeClassStats } from './malloc-stats.js';
export type { GenerationStats } from './gc.js';
export { GROWTH_KEYS, type GrowthKey } from './growth-keys.js';
export { containerGrowth, cycleLeak, gcSchedule, generations, listGrowth, poolFragmentation, recursionLimit, sizeofLiteral, smallIntIdentity } from './demos.js';
export type { ContainerGrowth, CycleLeak, Fragmentation, FragmentationPhase, GcSchedule, Generations, ListGrowth, RecursionLimit, SizeBreakdown, SmallIntIdentity } from './demos.js';
