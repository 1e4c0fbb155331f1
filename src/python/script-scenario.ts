/*
 * A Python script presented to the explorer as a scenario (`memplay explore
 * script.py`): the script's processes are the explored workers, and every
 * operation on a shared object (a Value's read or write, a lock's acquire, a
 * Queue's put, a Process's start and join) is a scheduling point, as in a
 * built-in scenario's workers.
 *
 * Worker 0 runs the main process. Every other worker is a late worker
 * (src/explorer/worker-scheduler.ts): it waits UNBORN until the script starts a
 * process; start() claims the next slot of the process table and the worker of
 * that number is spawned with the pickled Process object (CPython's spawn start
 * method), runs up to its first point while everyone else stays parked, and then
 * is scheduled like the rest. A worker no process was started on is aborted at
 * the schedule's end. So worker k is always the k-th process started (pid 1000 + k),
 * and `--workers` is how many processes a schedule may have, the main one included.
 *
 * A process's end is a step of its own (process.exit), which wakes its joiners;
 * terminate() and kill() are that step taken by another process, after which the
 * ended process's code is aborted where it was parked; time.sleep is a yield
 * (time is the scheduler's); each process's `random` is seeded from the
 * exploration's seed and its worker, so a schedule replays with the same draws.
 * Nothing is printed: the outcome of a schedule is the main process's last line
 * of stdout, or its exit code when it is not 0 (with the last line of its
 * stderr). Each step of a witness begins with the script's file:line and source
 * line the process was at.
 *
 * Layout: setup() makes one process table (process-table.ts) per schedule, freed
 * with it, and teardown() unlinks the segment names the schedule left bound; each
 * process's interpreter is its worker thread's, kept between schedules
 * (kept-interpreter.ts), started from the installation's snapshot. The main
 * process reads end of file on stdin, and the shim refuses SharedMemory (its
 * buf's reads and writes are no scheduling points).
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { sleepPoint, scheduling } from '../atomics/scheduling-point.js';
import { defineScenario, type Judgement, type Scenario, type ScenarioParams, type WorkerContext } from '../coordinator/define-scenario.js';
import { ExploreAbort, WorkerScheduler } from '../explorer/worker-scheduler.js';
import type { SharedWordsHandle } from '../shm/shared-words.js';
import type { PythonProcessResult, PythonProcessSpec, ScriptToExplore } from '../harness/protocol.js';
import { savedSnapshot } from './interpreter.js';
import { namesBound, unlinkNamesLeft } from './run-script.js';
import { ProcessTable } from './process-table.js';
import { runProcess, type ProcessHost } from './process-task.js';

/** The one variant of a script under the explorer (its schedule ids name it). */
export const SCRIPT_VARIANT = 'script';

export { SCRIPT_WORKERS } from './script-workers.js';


/** What each explored process answers. */
interface ProcessAnswer {
  readonly name: string;
  readonly exitCode: number;
  readonly lastLine: string;
  readonly lastErrorLine: string;
}

/** setup()'s objects: the process table's handle, as plain data (the step table's state column is the script's objects, not memplay's bookkeeping). */
interface Shared {
  readonly processes: SharedWordsHandle;
}

/** The script as a scenario of one variant; the same on the main thread and in every worker. */
export function scriptScenario(script: ScriptToExplore): Scenario {
  let namesBefore: ReadonlySet<string> = new Set();
  let source: string | undefined;
  // Read once per thread: every process of every schedule runs the same file.
  const sourceOf = (): string => (source ??= readFileSync(script.path, 'utf8'));
  return defineScenario<ScenarioParams, Shared, ProcessAnswer | null>({
    name: scenarioName(script.path),
    summary: `the Python script ${script.path}`,
    explain: `every operation of ${script.path}'s processes on a shared object is a scheduling point`,
    params: { workers: script.workers, iterations: 1, repeat: 1, timeout: 60 },
    minWorkers: 1,
    setup: () => {
      namesBefore = namesBound();
      const table = new ProcessTable();
      table.claim();
      return { processes: table.handle };
    },
    // A SharedMemory name or a mapped file the schedule left bound is unlinked, as at the end of a run, so the next schedule starts without it.
    teardown: () => unlinkNamesLeft(namesBefore),
    variants: {
      [SCRIPT_VARIANT]: {
        summary: `${[script.path, ...script.argv].join(' ')}, each process a worker`,
        worker: (shared, ctx) => runExploredProcess(script, sourceOf(), shared.processes, ctx),
        judge: ({ results }) => judge(results),
        outcomes: [],
      },
    },
  });
}

/** A scenario's name from the script's file name: `bank-transfer.py` is `bank-transfer`. */
function scenarioName(path: string): string {
  const name = basename(path, '.py').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return name === '' ? 'script' : name;
}

/**
 * The outcome: the main process's last line, or its exit code when it failed;
 * with the children that failed (an exception, sys.exit(n) with n > 0) named
 * after it, as python3's stderr would show their tracebacks. A child ended by
 * terminate() or kill() (a negative code) was ended on purpose and is not named.
 */
function judge(results: readonly (ProcessAnswer | null)[]): Judgement {
  const main = results[0];
  if (main === null || main === undefined) return { outcome: 'error', observed: 'the main process did not run' };
  const failed = results.slice(1).filter((child): child is ProcessAnswer => child !== null && child !== undefined && child.exitCode > 0);
  const children = failed.map((child) => `; ${child.name} exited with code ${child.exitCode}`).join('');
  const childErrors = failed.map((child) => (child.lastErrorLine === '' ? '' : ` (${child.name}: ${child.lastErrorLine})`)).join('');
  if (main.exitCode !== 0) {
    const why = main.lastErrorLine === '' ? '' : `: ${main.lastErrorLine}`;
    return { outcome: `exit code ${main.exitCode}${children}`, observed: `the main process exited with code ${main.exitCode}${why}${children}${childErrors}` };
  }
  return { outcome: `${main.lastLine}${children}`, observed: `the main process's last line: ${main.lastLine}${children}${childErrors}` };
}

let snapshot: Uint8Array | null | undefined;

/** One process of one schedule, on this worker: the main process, or the one a start() spawns here. */
async function runExploredProcess(script: ScriptToExplore, source: string, processes: Shared['processes'], ctx: WorkerContext): Promise<ProcessAnswer | null> {
  const scheduler = scheduling.active;
  if (!(scheduler instanceof WorkerScheduler)) throw new Error('a script is explored only under memplay explore');
  const started = ctx.index === 0 ? { name: 'MainProcess', payload: null } : (JSON.parse(scheduler.awaitSpawn()) as { name: string; payload: string });
  const table = new ProcessTable(processes);
  snapshot ??= savedSnapshot();
  const spec: PythonProcessSpec = {
    script: script.path, source, slot: ctx.index, name: started.name, payload: started.payload,
    table: table.handle, channel: '', snapshot, cpuCount: availableParallelism(), argv: script.argv,
    quiet: true, silent: true, label: false, keepStdout: false, randomSeed: Math.floor(ctx.random() * 2 ** 32),
  };
  try {
    const result: PythonProcessResult = await runProcess(spec, table, exploreHost(scheduler, table, script.workers));
    if (scheduler.aborted) throw new ExploreAbort();
    if (result.unsupported !== null) throw Object.assign(new Error(result.unsupported), { name: 'NotExplorableError' });
    table.exit(ctx.index, result.exitCode);
    return { name: started.name, exitCode: result.exitCode, lastLine: result.lastLine, lastErrorLine: result.lastErrorLine };
  } finally {
    table.close();
  }
}

/** Under explore: start() spawns the next late worker, terminate() records the exit code and aborts the process's worker, sleep() yields; each point says the script's line. */
function exploreHost(scheduler: WorkerScheduler, table: ProcessTable, workers: number): ProcessHost {
  let where: ((() => string) & { destroy(): void }) | null = null;
  return {
    explored: true,
    spawn: (name, payload) => {
      const slot = table.claim();
      if (slot >= workers) throw unsupported(`the script starts more than ${workers - 1} processes: give explore --workers ${slot + 1} or more (the main process counts as one)`);
      try {
        scheduler.spawn(slot, JSON.stringify({ name, payload }));
      } catch (error) {
        throw error instanceof ExploreAbort ? error : unsupported(`cannot start ${name} under memplay explore: ${(error as Error).message}`);
      }
      return slot;
    },
    terminate: (slot, signal) => {
      table.exit(slot, -signal);
      scheduler.kill(slot);
    },
    sleep: (seconds) => sleepPoint(seconds),
    begin: (pyodide) => {
      // Looked up at the first point that asks (only a witness's replay does): runPython took about 2 ms a process.
      scheduler.describeWhere(() => {
        const lookup = where ?? (where = pyodide.runPython('import _memplay_runner\n_memplay_runner.where') as NonNullable<typeof where>);
        return String(lookup());
      });
    },
    end: () => {
      scheduler.describeWhere(null);
      where?.destroy();
      where = null;
    },
  };
}

/** An error the shim raises as memplay's one-line refusal. */
function unsupported(message: string): Error {
  return Object.assign(new Error(message), { name: 'Unsupported' });
}
