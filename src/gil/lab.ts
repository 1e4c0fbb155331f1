/*
 * The GIL lab: one workload run in each execution mode, every figure measured.
 *
 *   serial         one thread does all the work (workers x units), under a GIL of its own
 *   threads        N threads share one GIL: threading.Thread in a default CPython
 *   processes      N threads with a GIL each, nothing shared: multiprocessing.Process
 *   free-threaded  N threads, no GIL: threading.Thread in CPython 3.13t
 *
 * Each thread is a seat of a fresh crew running lab-thread.ts, in a harness run
 * (src/harness/run.ts: its board, its start gate, its scope); all pass the start
 * gate together, so thread start-up is not timed, and the harness's watch loop
 * bounds start-up and the run. Wall time is from the first
 * thread's start to the last one's end; speed-up is serial wall time over the
 * mode's, both measured in this run. CPU parallelism is the CPU time of all the
 * mode's threads over its wall time: the cores it actually got, which stays
 * meaningful when other programs share the machine (machine-load.ts).
 */
import { compiledWhenBuilt } from '../harness/module-finder.js';
import type { LabThreadResult, LabThreadSpec } from '../harness/protocol.js';
import { runToCompletion } from '../harness/run.js';
import { Gil, type GilCounters } from './gil.js';
import { DEFAULT_SWITCH_INTERVAL, MODES, type Mode } from './settings.js';
import { SharedWords } from '../shm/shared-words.js';
import type { ThreadStats } from './thread-state.js';
import { workloadCall, type Workload } from './workloads.js';


export interface LabOptions {
  workload: Workload;
  /** Threads (or processes) in the parallel modes. */
  workers: number;
  /** Units of work per thread (workloads.ts); serial does workers x units. */
  units: number;
  /** Seconds, sys.setswitchinterval. */
  switchInterval?: number;
  modes?: readonly Mode[];
  /** Record who ran when, for the timeline. */
  trace?: boolean;
  /** Milliseconds a mode may take from its start gate before the run is abandoned (start-up is bounded apart: STARTUP_LIMIT_SECONDS). */
  timeoutMs?: number;
}

export interface ThreadFigures {
  wallMs: number;
  /** The OS's CPU time for the thread, null where it cannot say. */
  cpuMs: number | null;
  /** Time holding the GIL (or, without one, running): wall minus GIL wait minus blocking calls. */
  runningMs: number;
  gilWaitMs: number;
  syscallMs: number;
}

export interface ModeResult {
  mode: Mode;
  threads: number;
  wallMs: number;
  /** Serial wall time / this mode's, when serial ran in the same lab run. */
  speedup: number | null;
  /** The CPU time of all its threads over its wall time; null where the OS gives no CPU time. */
  cpuParallelism: number | null;
  perThread: ThreadFigures[];
  gilWaitMs: number;
  /** Summed over the mode's GILs; all zero without a GIL. */
  gil: GilCounters;
  /** Threads' start and end, and their traces when tracing. */
  stats: ThreadStats[];
}

export interface LabResult {
  workload: Workload;
  workers: number;
  units: number;
  switchInterval: number;
  modes: ModeResult[];
}

const DEFAULT_TIMEOUT_MS = 300_000;

/** The lab threads' module, compiled whenever it is built (workers start faster). */
const LAB_THREAD_MODULE = compiledWhenBuilt(import.meta.url, './lab-thread');

export async function runLab(options: LabOptions): Promise<LabResult> {
  const switchInterval = options.switchInterval ?? DEFAULT_SWITCH_INTERVAL;
  const modes = options.modes ?? MODES;
  const results: ModeResult[] = [];
  for (const mode of modes) results.push(await runMode(mode, { ...options, switchInterval }));
  const serial = results.find((result) => result.mode === 'serial');
  for (const result of results) result.speedup = serial === undefined ? null : serial.wallMs / result.wallMs;
  return { workload: options.workload, workers: options.workers, units: options.units, switchInterval, modes: results };
}

async function runMode(mode: Mode, options: LabOptions & { switchInterval: number }): Promise<ModeResult> {
  const threads = mode === 'serial' ? 1 : options.workers;
  const call = workloadCall(options.workload, mode === 'serial' ? options.units * options.workers : options.units);
  return runGated<LabThreadResult, ModeResult>(
    threads,
    () => {
      const gils = gilsFor(mode, threads, options.switchInterval);
      const globals = new SharedWords(1);
      const tasks = gils.map((gil) => labThreadTask({ ...call, gil: gil?.handle ?? null, globals: globals.handle, trace: options.trace }));
      return { tasks, finish: (results) => modeResult(mode, threads, results, uniqueGils(gils)) };
    },
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
}

function modeResult(mode: Mode, threads: number, results: readonly LabThreadResult[], gils: Gil[]): ModeResult {
  const stats = results.map((result) => result.stats);
  return {
    mode,
    threads,
    wallMs: spanMs(stats),
    speedup: null,
    cpuParallelism: cpuParallelism(stats),
    perThread: stats.map(threadFigures),
    gilWaitMs: stats.reduce((sum, thread) => sum + thread.gilWaitMs, 0),
    gil: sumCounters(gils),
    stats,
  };
}

/** One entry per thread: the GIL it runs under (shared, its own, or none). */
function gilsFor(mode: Mode, threads: number, switchInterval: number): (Gil | null)[] {
  if (mode === 'free-threaded') return Array.from({ length: threads }, () => null);
  if (mode === 'threads') {
    const shared = new Gil({ switchInterval });
    return Array.from({ length: threads }, () => shared);
  }
  return Array.from({ length: threads }, () => new Gil({ switchInterval }));
}

function uniqueGils(gils: (Gil | null)[]): Gil[] {
  return [...new Set(gils.filter((gil): gil is Gil => gil !== null))];
}

function sumCounters(gils: Gil[]): GilCounters {
  const total: GilCounters = { switches: 0, dropRequests: 0, forcedSwitchWaits: 0 };
  for (const counters of gils.map((gil) => gil.counters())) {
    total.switches += counters.switches;
    total.dropRequests += counters.dropRequests;
    total.forcedSwitchWaits += counters.forcedSwitchWaits;
  }
  return total;
}

/** From the first start to the last end. */
export function spanMs(stats: readonly ThreadStats[]): number {
  return Math.max(...stats.map((thread) => thread.endMs)) - Math.min(...stats.map((thread) => thread.startMs));
}

/** CPU time of all the threads over the span from the first start to the last end. */
function cpuParallelism(stats: readonly ThreadStats[]): number | null {
  if (stats.some((thread) => thread.cpuMs === null)) return null;
  return stats.reduce((sum, thread) => sum + (thread.cpuMs as number), 0) / spanMs(stats);
}

function threadFigures(stats: ThreadStats): ThreadFigures {
  return {
    wallMs: stats.wallMs,
    cpuMs: stats.cpuMs,
    runningMs: stats.wallMs - stats.gilWaitMs - stats.syscallMs,
    gilWaitMs: stats.gilWaitMs,
    syscallMs: stats.syscallMs,
  };
}

/** A task for a lab thread: an export of lab-thread.ts and its arguments, before its seat (board and start gate). */
export interface GatedTask {
  readonly export: string;
  readonly args: readonly unknown[];
}

export function labThreadTask(spec: LabThreadSpec): GatedTask {
  return { export: 'runLabThread', args: [spec] };
}

/**
 * Runs the lab threads `prepare` makes (in the run's scope: its GILs, globals and
 * socketpairs are freed when the run ends; `finish` reads them before), each on a
 * thread of its own, all started together through the run's start gate
 * (src/harness/run.ts, runToCompletion; each thread's seat follows its arguments).
 */
export function runGated<T, R>(threads: number, prepare: () => { tasks: readonly GatedTask[]; finish: (results: T[]) => R }, timeoutMs: number): Promise<R> {
  return runToCompletion<T, R>(
    threads,
    () => {
      const { tasks, finish } = prepare();
      return { task: (seat) => ({ module: LAB_THREAD_MODULE, export: tasks[seat.worker].export, args: [...tasks[seat.worker].args, seat] }), finish };
    },
    timeoutMs / 1000,
  );
}
