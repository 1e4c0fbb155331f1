/*
 * The GIL lab: one workload run in each execution mode, every figure measured.
 *
 *   serial         one thread does all the work (workers x units), under a GIL of its own
 *   threads        N threads share one GIL: threading.Thread in a default CPython
 *   processes      N threads with a GIL each, nothing shared: multiprocessing.Process
 *   free-threaded  N threads, no GIL: threading.Thread in CPython 3.13t
 *
 * Each thread is a worker thread of a fresh pool running lab-thread.ts; all pass a
 * start gate together, so pool start-up is not timed. Wall time is from the first
 * thread's start to the last one's end; speed-up is serial wall time over the
 * mode's, both measured in this run. CPU parallelism is the CPU time of all the
 * mode's threads over its wall time: the cores it actually got, which stays
 * meaningful when other programs share the machine (machine-load.ts).
 */
import { RuntimeError } from '../errors.js';
import { STARTUP_LIMIT_SECONDS } from '../startup-limit.js';
import { Event } from '../sync/event.js';
import { Semaphore } from '../sync/semaphore.js';
import { WorkerPool } from '../worker-pool.js';
import { DEFAULT_SWITCH_INTERVAL, Gil, type GilCounters } from './gil.js';
import type { LabThreadResult, LabThreadSpec, StartGate } from './lab-thread.js';
import { SharedWords } from '../shm/shared-words.js';
import type { ThreadStats } from './thread-state.js';
import { workloadCall, type Workload } from './workloads.js';

export const MODES = ['serial', 'threads', 'processes', 'free-threaded'] as const;
export type Mode = (typeof MODES)[number];

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

/** A module beside this one, as .ts under the test runner and .js once compiled. */
export function siblingModule(base: string, name: string): string {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base).href;
}

export const LAB_THREAD_MODULE = siblingModule(import.meta.url, 'lab-thread');

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
  const gils = gilsFor(mode, threads, options.switchInterval);
  const globals = new SharedWords(1);
  const tasks = gils.map((gil) => labThreadTask({ ...call, gil: gil?.handle ?? null, globals: globals.handle, trace: options.trace }));
  const results = await runGated<LabThreadResult>(tasks, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const stats = results.map((result) => result.stats);
  return {
    mode,
    threads,
    wallMs: spanMs(stats),
    speedup: null,
    cpuParallelism: cpuParallelism(stats),
    perThread: stats.map(threadFigures),
    gilWaitMs: stats.reduce((sum, thread) => sum + thread.gilWaitMs, 0),
    gil: sumCounters(uniqueGils(gils)),
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

/** A task for the pool: an export of lab-thread.ts and its arguments, before the start gate. */
export interface GatedTask {
  readonly export: string;
  readonly args: readonly unknown[];
}

export function labThreadTask(spec: LabThreadSpec): GatedTask {
  return { export: 'runLabThread', args: [spec] };
}

/**
 * Runs tasks each on a worker of its own, started together through one gate
 * (appended to each task's arguments); resolves to their results in order.
 * Abandons the run when the workers have not all reached the gate within
 * STARTUP_LIMIT_SECONDS, or `timeoutMs` after the gate opened.
 */
export async function runGated<T>(tasks: readonly GatedTask[], timeoutMs: number): Promise<T[]> {
  const ready = new Semaphore(0);
  const go = new Event();
  const gate: StartGate = { ready: ready.handle, go: go.handle };
  const pool = new WorkerPool({ threads: tasks.length });
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let expire: (reason: string) => void = () => {};
  const expiry = new Promise<never>((_, reject) => {
    expire = (reason) => (abort.abort(), reject(new RuntimeError(reason)));
  });
  const bound = (ms: number, reason: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => expire(reason), ms);
  };
  bound(STARTUP_LIMIT_SECONDS * 1000, `the lab's workers did not all start within ${STARTUP_LIMIT_SECONDS} s`);
  try {
    const running = tasks.map((task) => pool.run<T>(LAB_THREAD_MODULE, task.export, [...task.args, gate], abort.signal));
    const started = (async () => {
      for (let passed = 0; passed < tasks.length; passed++) await ready.acquireAsync();
      bound(timeoutMs, `the lab run did not finish within ${Math.round(timeoutMs / 1000)} s of its start`);
      go.set();
    })();
    const [results] = await Promise.race([Promise.all([Promise.all(running), started]), expiry]);
    return results;
  } finally {
    clearTimeout(timer);
    await pool.destroy();
    // Closed only now: collected earlier, the gate could be freed before a late worker attached it.
    ready.close();
    go.close();
  }
}
