/*
 * The public entry for the GIL model: what `import ... from 'memplay/gil'` gives
 * (and the package root too). CPython 3.11's GIL in shared memory, the
 * free-threaded build's no-GIL, bytecode and its evaluation loop, and one lab
 * thread run on the calling worker. It is an entry of its own, beside
 * 'memplay/scenario', so that a scenario worker loads the model only when its
 * scenario imports it (docs/ARCHITECTURE.md, "Worker start"). Importing it
 * registers the GIL and socketpair handle kinds for attach().
 */
export { DEFAULT_SWITCH_INTERVAL } from './gil/settings.js';
export { Gil, type GilHandle, type GilOptions, type GilCounters } from './gil/gil.js';
export { NoGil } from './gil/free-threading.js';
export type { InterpreterLock } from './gil/interpreter-lock.js';
export { assemble, Op, Syscall, type Code, type CodeSpec } from './gil/bytecode.js';
export { evaluate, type Globals } from './gil/eval-loop.js';
export { PROGRAMS, type ProgramName } from './gil/programs.js';
export { ThreadState, type ThreadStats } from './gil/thread-state.js';
export { SocketPair, type SocketPairHandle } from './gil/socketpair.js';
export { runOnThisThread, type LabThreadSpec, type LabThreadResult } from './gil/lab-thread.js';
