/*
 * `memplay run script.py`: a user's Python program run as `python3 script.py`
 * would run it, each multiprocessing.Process in a worker of its own (a seat of
 * the harness's crew, src/harness/crew.ts) with its own Pyodide interpreter.
 *
 * The run (main thread):
 *   1. the interpreter snapshot: the installation's, or made now on seat 0 and
 *      saved (interpreter.ts); it is shared with every worker in one
 *      SharedArrayBuffer;
 *   2. a run scope (src/shm/run-scope.ts) holding the process table
 *      (process-table.ts) and every shared object the script makes;
 *   3. the main process on seat 0; each Process.start() arrives on the run's
 *      BroadcastChannel and runs on the next seat; terminate() ends that seat's
 *      thread and records exit code -15;
 *   4. the end: the main process's exit code once it and every child finished;
 *      or, after `timeoutSeconds`, the processes still running are reported and
 *      their threads terminated. Then the segment names the run bound and left
 *      (a SharedMemory never unlinked; a mapped file a terminated process held)
 *      are unlinked, as multiprocessing's resource_tracker does at the end of a
 *      program, so the next run of a --repeat starts with none of them.
 * The script's own exit code comes back; a feature memplay does not support is
 * reported as one line (exit 2).
 */
import { availableParallelism } from 'node:os';
import { BroadcastChannel } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { Crew } from '../harness/crew.js';
import { compiledWhenBuilt } from '../harness/module-finder.js';
import { RunScope } from '../shm/run-scope.js';
import { defaultKernel } from '../shm/kernel.js';
import { boundNames, unlinkName } from '../mp/segment.js';
import { FIRST_PID, ProcessTable, TERMINATED_EXIT_CODE } from './process-table.js';
import type { PythonProcessResult, PythonProcessSpec } from './process-task.js';
import type { RunMessage } from '../harness/protocol.js';
import { hasSavedSnapshot, savedSnapshot, saveSnapshot } from './interpreter.js';

const TASK_MODULE = compiledWhenBuilt(import.meta.url, './process-task');

export interface ScriptRunOptions {
  /** The script's path as given (tracebacks show it). */
  readonly script: string;
  readonly source: string;
  /** Seconds the whole run may take before the processes still running are reported and ended. */
  readonly timeoutSeconds: number;
  /** Where the run's own messages go (the watchdog's report, an unsupported feature). */
  readonly report: (line: string) => void;
  /** The script's arguments (sys.argv[1:]). */
  readonly argv?: readonly string[];
  /** Keep the processes' stdout to their last line (--repeat). */
  readonly quiet?: boolean;
  /** Prefix each line a process writes with its name (--label). */
  readonly label?: boolean;
  /** Keep all the main process's stdout in the result (--outcome chooses from it). */
  readonly keepStdout?: boolean;
  /**
   * The crew to run on, kept across the runs of a --repeat (each thread keeps
   * the interpreter its last process left, reset to its fresh state:
   * kept-interpreter.ts); the run replaces the seats it left busy. Default: a
   * crew of its own.
   */
  readonly crew?: Crew;
}

export interface ScriptRunResult {
  readonly exitCode: number;
  /** The one line naming an unsupported feature the script used, if it did. */
  readonly unsupported: string | null;
  /** The names of the processes still running at the timeout (empty when the run ended by itself). */
  readonly hung: string[];
  /** Milliseconds to have the interpreter snapshot (0 when the installation's was there). */
  readonly snapshotMs: number;
  /** Each process's interpreter start-up, in milliseconds, by process name. */
  readonly startupMs: Record<string, number>;
  /** By process name: whether its interpreter was one its thread kept from an earlier process (else fresh from the snapshot). */
  readonly reused: Record<string, boolean>;
  readonly wallMs: number;
  /** The last line the main process printed (its outcome, for --repeat). */
  readonly lastLine: string;
  /** All the main process printed, when `keepStdout` asked for it; else null. */
  readonly stdout: string | null;
  /** What each process that wrote to stderr wrote last (its traceback), in the order they started. */
  readonly stderr: readonly ProcessErrors[];
}

export interface ProcessErrors {
  readonly process: string;
  /** Its last 60 lines of stderr. */
  readonly text: string;
}

interface Started {
  readonly name: string;
  readonly seat: number;
  readonly done: Promise<PythonProcessResult | null>;
}

/** Runs the script to its end (or the timeout); see the module comment. */
export async function runScript(options: ScriptRunOptions): Promise<ScriptRunResult> {
  const began = performance.now();
  const crew = options.crew ?? new Crew(1);
  const scope = new RunScope();
  const channel = new BroadcastChannel(`memplay-python-${randomUUID()}`);
  const started = new Map<number, Started>();
  const results = new Map<string, PythonProcessResult>();
  const namesBefore = namesBound();
  try {
    const snapshotStart = performance.now();
    const snapshot = await sharedSnapshot(crew);
    const snapshotMs = performance.now() - snapshotStart;
    const table = scope.during(() => new ProcessTable());
    table.claim();
    const specFor = (slot: number, name: string, payload: string | null): PythonProcessSpec => ({
      script: options.script, source: options.source, slot, name, payload, table: table.handle, channel: channel.name, snapshot, cpuCount: availableParallelism(),
      argv: options.argv ?? [], quiet: options.quiet ?? false, label: options.label ?? false, keepStdout: slot === 0 && (options.keepStdout ?? false),
    });
    /** The signal terminate() (15) or kill() (9) sent each process it ended, by slot. */
    const signalled = new Map<number, number>();
    const start = (slot: number, name: string, payload: string | null): void => {
      crew.grow(slot + 1);
      const done = crew.run<PythonProcessResult>(slot, { module: TASK_MODULE, export: 'runPythonProcess', args: [specFor(slot, name, payload)] }).then(
        (result) => {
          results.set(name, result);
          table.exit(slot, result.exitCode);
          return result;
        },
        (error: Error) => {
          if (error.name !== 'WorkerTerminated') options.report(`memplay: process ${name} failed inside memplay: ${error.message}`);
          table.exit(slot, signalled.has(slot) ? -signalled.get(slot)! : TERMINATED_EXIT_CODE);
          return null;
        },
      );
      started.set(slot, { name, seat: slot, done });
    };
    channel.onmessage = (event: unknown) => {
      const message = (event as { data: RunMessage }).data;
      if (message.kind === 'spawn') scope.during(() => start(message.slot, message.name, message.payload));
      else if (started.has(message.slot)) {
        signalled.set(message.slot, message.signal);
        void crew.terminate(started.get(message.slot)!.seat);
      }
    };
    start(0, 'MainProcess', null);
    const finished = await allDone(started, options.timeoutSeconds);
    const hung = finished ? [] : table.running().map((slot) => started.get(slot)?.name ?? `pid ${FIRST_PID + slot}`);
    if (!finished) options.report(timeoutReport(options, table, started));
    const main = results.get('MainProcess');
    const unsupported = [...results.values()].find((result) => result.unsupported !== null)?.unsupported ?? null;
    const startupMs = Object.fromEntries([...results].map(([name, result]) => [name, result.startupMs]));
    const reused = Object.fromEntries([...results].map(([name, result]) => [name, result.reused]));
    const stderr = [...started.values()].map(({ name }) => ({ process: name, text: results.get(name)?.stderr ?? '' })).filter(({ text }) => text !== '');
    return { exitCode: finished ? main?.exitCode ?? 1 : 1, unsupported, hung, snapshotMs, startupMs, reused, wallMs: performance.now() - began, lastLine: main?.lastLine ?? '', stdout: main?.stdout ?? null, stderr };
  } finally {
    channel.close();
    if (options.crew === undefined) await crew.close();
    else await crew.replaceBusy();
    scope.end();
    unlinkNamesLeft(namesBefore);
  }
}

/** The segment names bound now (a SharedMemory's, a mapped file's), for unlinkNamesLeft. */
export function namesBound(): Set<string> {
  return new Set(boundNames(defaultKernel()));
}

/** Unlinks every segment name bound since `before` (see the module comment). */
export function unlinkNamesLeft(before: ReadonlySet<string>): void {
  const kernel = defaultKernel();
  for (const name of boundNames(kernel)) if (!before.has(name)) unlinkName(kernel, name);
}

/** The watchdog's report: each process still running, with the script's line it is blocked at. */
function timeoutReport(options: ScriptRunOptions, table: ProcessTable, started: Map<number, Started>): string {
  const lines = options.source.split('\n');
  const doing = table.running().map((slot) => {
    const name = started.get(slot)?.name ?? `pid ${FIRST_PID + slot}`;
    const line = table.lineOf(slot);
    return line === 0 ? `  ${name}: running (not blocked on a shared object)` : `  ${name}: blocked at line ${line}: ${lines[line - 1]?.trim() ?? ''}`;
  });
  return [`memplay: timeout: after ${options.timeoutSeconds} s, still running (now ended):`, ...doing].join('\n');
}

/** Waits until every process started (including those started meanwhile) has ended; false at the timeout. */
async function allDone(started: Map<number, Started>, timeoutSeconds: number): Promise<boolean> {
  const deadline = performance.now() + timeoutSeconds * 1000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutSeconds * 1000);
  });
  try {
    for (;;) {
      const count = started.size;
      const settled = await Promise.race([Promise.all([...started.values()].map((process) => process.done)).then(() => true), timeout]);
      if (!settled || performance.now() > deadline) return false;
      if (started.size === count) return true;
    }
  } finally {
    clearTimeout(timer);
  }
}

let snapshotOfThisProcess: Promise<Uint8Array> | undefined;

/** The interpreter snapshot in shared memory, read (or made) once per memplay process: every run of a --repeat shares it. */
function sharedSnapshot(crew: Crew): Promise<Uint8Array> {
  snapshotOfThisProcess ??= loadSnapshot(crew);
  snapshotOfThisProcess.catch(() => (snapshotOfThisProcess = undefined));
  return snapshotOfThisProcess;
}

/** Makes and saves the installation's snapshot if it has none (explore's workers read it from disk). */
export async function ensureSavedSnapshot(): Promise<void> {
  if (hasSavedSnapshot()) return;
  const crew = new Crew(1);
  try {
    await loadSnapshot(crew);
  } finally {
    await crew.close();
  }
}

/** The installation's snapshot, or one made now on the crew's seat 0 and saved; in a SharedArrayBuffer, which workers share uncopied. */
async function loadSnapshot(crew: Crew): Promise<Uint8Array> {
  const saved = savedSnapshot();
  if (saved !== null) return saved;
  const bytes = await crew.run<Uint8Array>(0, { module: TASK_MODULE, export: 'makeSnapshot', args: [] });
  saveSnapshot(bytes);
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  return shared;
}
