/*
 * Everything that crosses between the main thread and a worker of the harness,
 * in one place (as comlink keeps its whole message vocabulary in one file).
 *
 * The wire itself (crew.ts <-> workers/crew-worker.ts, one task at a time per worker):
 *   main -> worker   CrewTask   "call export `export` of `module` with `args`"
 *   worker -> main   CrewReply  { ok: true, value } or { ok: false, error: ErrorShape }
 * Then what the engines put in a CrewTask's arguments and get back: a scenario
 * worker's VariantTask, a stress worker's StressTask and WorkerFigures, a GIL lab
 * thread's LabThreadSpec and LabThreadResult. Every handle in them is plain data
 * (a region's kind, kernel, offset, serial): the worker attaches it.
 *
 * Errors cross as one shape, { name, message, stack? }: structured clone keeps
 * only the built-in error names (a RuntimeError would arrive as a plain Error),
 * so the worker sends the shape and the main thread raises it again as a
 * WorkerError that keeps the Python name and the worker's stack.
 */
import type { BarrierHandle } from '../sync/barrier.js';
import type { LockHandle } from '../sync/lock.js';
import type { SharedWordsHandle } from '../shm/shared-words.js';
import type { GilHandle } from '../gil/gil.js';
import type { ProgramName } from '../gil/programs.js';
import type { SocketPairHandle } from '../gil/socketpair.js';
import type { ThreadStats } from '../gil/thread-state.js';
import type { BoardHandle } from './board.js';

// ---------------------------------------------------------------- the wire

/** The one error shape that crosses threads (and that reports carry). */
export interface ErrorShape {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/** What a crew worker is asked to do: call an exported function of a module. */
export interface CrewTask {
  /** File URL (or path) of the module; TypeScript is allowed. */
  readonly module: string;
  /** The exported function's name ('default' for the default export). */
  readonly export: string;
  readonly args: readonly unknown[];
}

/** What a crew worker answers, once per task. */
export type CrewReply = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: ErrorShape };

/** An error raised in a worker (or a worker that died), under the name it had there. */
export class WorkerError extends Error {
  constructor({ name, message, stack }: ErrorShape) {
    super(message);
    this.name = name;
    if (stack !== undefined) this.stack = stack;
  }
}

/** The name of the WorkerError a task gets when its worker was terminated by the main thread. */
export const TERMINATED = 'WorkerTerminated';
/** The name of the WorkerError a task gets when its worker exited without answering. */
export const EXITED = 'WorkerExited';

/** Whatever was thrown, as the error shape (a shape is its own; a non-Error says what it was). */
export function errorShape(thrown: unknown): ErrorShape {
  if (thrown instanceof Error || isErrorShape(thrown)) return { name: thrown.name, message: thrown.message, stack: thrown.stack };
  const text = typeof thrown === 'object' ? JSON.stringify(thrown) : String(thrown);
  return { name: 'Error', message: `${text} (thrown, not an Error)` };
}

function isErrorShape(value: unknown): value is ErrorShape {
  const shape = value as Partial<ErrorShape> | null;
  return typeof shape === 'object' && shape !== null && typeof shape.name === 'string' && typeof shape.message === 'string';
}

/** What every run's worker gets from the harness: its number, the run's board and its start gate. */
export interface RunSeat {
  readonly worker: number;
  readonly board: BoardHandle;
  readonly startGate: BarrierHandle;
}

// ---------------------------------------------------------------- scenarios (src/coordinator)

/** Parameters every scenario has; a scenario may add numeric ones of its own. */
export interface BaseParams {
  /** Worker threads per run. */
  workers: number;
  /** Iterations of each worker's loop (what they mean is the scenario's to say). */
  iterations: number;
  /** Runs per variant; each run gets fresh shared objects. */
  repeat: number;
  /** Seconds a run may take before the watchdog ends it. */
  timeout: number;
}

export type ScenarioParams = BaseParams & Record<string, number>;

/** One worker of one scenario run (src/coordinator/variant-task.ts). */
export interface VariantTask extends RunSeat {
  /** File URL of the scenario module. */
  readonly scenario: string;
  readonly variant: string;
  readonly repeat: number;
  readonly seed: number;
  readonly params: ScenarioParams;
  /** setup()'s tree with its shared objects as handles (wire.ts). */
  readonly shared: unknown;
}

/** A scenario worker's answer: its function's value and how long it ran. */
export interface VariantResult {
  readonly value: unknown;
  readonly seconds: number;
}

// ---------------------------------------------------------------- stress runs (src/stress)

/** What a stress run is asked to do. */
export interface StressParams {
  readonly workers: number;
  /** Operations per worker, or null when the run is bounded by `duration`. */
  readonly ops: number | null;
  /** Seconds of hammering, or null when the run is bounded by `ops`. */
  readonly duration: number | null;
  /** Microseconds each operation spends inside its critical section (op.hold()). */
  readonly holdMicros: number;
  readonly seed: number;
}

/** --kill-holder: which worker dies, and at which of its iterations. */
export interface KillPlan {
  readonly victim: number;
  readonly atIteration: number;
}

/** One hammering worker of a stress run (src/stress/stress-task.ts). */
export interface StressTask extends RunSeat {
  /** File URL of the target module. */
  readonly target: string;
  readonly params: StressParams;
  /** setup()'s tree with its shared objects as handles. */
  readonly shared: unknown;
  readonly kill: KillPlan | null;
}

/** What one stress worker sends back. */
export interface WorkerFigures {
  readonly worker: number;
  readonly role: string;
  readonly ops: number;
  /** Acquire latencies in nanoseconds, an HdrHistogram compressed to base64. */
  readonly histogram: string;
  readonly blockedMs: number;
  readonly runningMs: number;
  /** Acquires that came back with OwnerDiedError and were recovered. */
  readonly recoveries: number;
  /** Set when the worker's code threw something other than a reported violation. */
  readonly error?: ErrorShape;
}

// ---------------------------------------------------------------- the GIL lab (src/gil/lab.ts)

/** What one thread of a lab run executes (src/gil/lab-thread.ts). */
export interface LabThreadSpec {
  readonly program: ProgramName;
  readonly args: readonly number[];
  /** The thread's GIL (shared with other threads, or its own), or null for no GIL (free-threaded). */
  readonly gil: GilHandle | null;
  readonly globals: SharedWordsHandle;
  /** One end of a socketpair, for SEND and RECV; shut down when the program returns. */
  readonly socket?: { readonly pair: SocketPairHandle; readonly end: 0 | 1 };
  /** A threading.Lock, for LOCK_ACQUIRE and LOCK_RELEASE. */
  readonly lock?: LockHandle;
  readonly trace?: boolean;
}

export interface LabThreadResult {
  readonly returned: number;
  readonly stats: ThreadStats;
}

// ---------------------------------------------------------------- the explorer

/** An explorer worker's task (src/explorer): run the variant's code once per run the controller posts in the control region. */
export interface ExploreTask {
  /** The control region's memory (src/explorer/control-region.ts). */
  readonly control: SharedArrayBuffer;
  readonly worker: number;
  /** File URL of the scenario module (or of a stress target's, explored as a scenario by src/explorer/target-stress.ts). */
  readonly scenario: string;
  readonly variant: string;
  readonly params: ScenarioParams;
  readonly seed: number;
  /** Set when the target is a Python script (src/python/script-scenario.ts), not a module. */
  readonly script?: ScriptToExplore;
}

// ---------------------------------------------------------------- Python scripts

/** A Python script to explore: its path as the user gave it, its arguments, and how many processes a schedule may have (the main one included). */
export interface ScriptToExplore {
  readonly path: string;
  readonly argv: readonly string[];
  readonly workers: number;
}

/** A Python process's task (src/python/process-task.ts): run the script, or a child's pickled Process, on its own Pyodide interpreter. */
export interface PythonProcessSpec {
  /** The script's path as the user gave it (tracebacks show it). */
  readonly script: string;
  readonly source: string;
  /** The process's slot in the table (0: the main process). */
  readonly slot: number;
  /** The process's name as multiprocessing gives it (MainProcess, Process-1, ...). */
  readonly name: string;
  /** The pickled Process object (base64), for a child; null for the main process. */
  readonly payload: string | null;
  readonly table: SharedWordsHandle;
  /** The run's BroadcastChannel name. */
  readonly channel: string;
  readonly snapshot: Uint8Array | null;
  readonly cpuCount: number;
  /** The script's arguments (sys.argv[1:]). */
  readonly argv: readonly string[];
  /** Keep stdout to the last line instead of writing it (--repeat tabulates runs rather than showing them). */
  readonly quiet: boolean;
  /** The seed of the process's `random` (explore: the same in every replay of a schedule); absent, a fresh one. */
  readonly randomSeed?: number;
  /** Keep stderr back too (explore's schedules: the outcome table and the witnesses say what happened). */
  readonly silent?: boolean;
  /** Prefix every line written to stdout and stderr with `[name] ` (--label). */
  readonly label: boolean;
  /** Keep the whole of stdout for the answer (the main process, when --outcome picks its outcome from it). */
  readonly keepStdout: boolean;
}

export interface PythonProcessResult {
  readonly exitCode: number;
  /** One line naming what the script used that memplay does not support, if it did. */
  readonly unsupported: string | null;
  /** Milliseconds to start the interpreter (from the snapshot when there is one). */
  readonly startupMs: number;
  /** Whether the interpreter was one its thread kept from an earlier process (reset), rather than fresh from the snapshot. */
  readonly reused: boolean;
  /** The last line the process wrote to stdout ('' if none). */
  readonly lastLine: string;
  /** The last line the process wrote to stderr ('' if none): the end of its traceback. */
  readonly lastErrorLine: string;
  /** Its last 60 lines of stderr ('' if none): its traceback, for the HTML report. */
  readonly stderr: string;
  /** All the process wrote to stdout, when the spec asked to keep it; else null. */
  readonly stdout: string | null;
}

/**
 * What a Python process's worker tells the main thread of the run on the run's
 * BroadcastChannel (a worker can only answer its own task on the crew's port):
 * a Process was started (its slot in the process table, its name, its parent's
 * slot, and the pickle of the Process object, base64), or a Process's
 * terminate() (signal 15, SIGTERM) or kill() (signal 9, SIGKILL) was called.
 */
export type RunMessage =
  | { readonly kind: 'spawn'; readonly slot: number; readonly name: string; readonly parent: number; readonly payload: string }
  | { readonly kind: 'terminate'; readonly slot: number; readonly signal: number };
