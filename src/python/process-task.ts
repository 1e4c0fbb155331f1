/*
 * The worker side of one Python process (a crew task, src/harness): take this
 * thread's interpreter (kept-interpreter.ts: the one its last process left, reset
 * to its fresh state, or a fresh one from the run's snapshot), give it the
 * `_memplay` module (this
 * thread's shared objects, the process table, sleep, spawn, the pid), and run the
 * shim's runner: the script as __main__ for the main process; for a child, the
 * script as __mp_main__ and then the pickled Process object's run(), as CPython's
 * spawn start method does. The answer is the process's exit code, the line to
 * print when the script used something memplay does not support, and its
 * interpreter's start-up (and whether it was a kept one). After a normal end the
 * interpreter is reset and kept for the thread's next process; the process's
 * shared-object table is emptied, so nothing the script left can reach an object.
 *
 * The shared objects a process makes live in a run scope of its own thread
 * (src/shm/run-scope.ts), ended when the process ends: by then the processes it
 * started have been joined (or terminated, when daemonic), as multiprocessing's
 * exit hook does, so no one still uses them. (A process whose thread is
 * terminated at the timeout leaves its objects to the kernel's finalizers.)
 *
 * The working directory and the script's folder are the real ones
 * (interpreter.ts mounts them), so a file the script opens is the host's, and an
 * mmap of it is memplay's shared mapping of that path.
 *
 * Output goes straight to the file descriptors (process-output.ts), so what
 * every process writes reaches the terminal in the order it was written; with
 * --label line by line, each prefixed with the process's name.
 *
 * A child's start() reaches the main thread on the run's BroadcastChannel (a
 * worker cannot post to the main thread outside its current task's reply): the
 * message names the slot the child claimed in the process table and carries the
 * pickle; the main thread starts the child on a crew seat (run-script.ts).
 */
import { BroadcastChannel } from 'node:worker_threads';
import type { SharedWordsHandle } from '../shm/shared-words.js';
import { RunScope } from '../shm/run-scope.js';
import { FIRST_PID, ProcessTable } from './process-table.js';
import { SharedObjects } from './shared-objects.js';
import { connectInput, realFilePath, type Interpreter } from './interpreter.js';
import { keepInterpreter, takeInterpreter } from './kept-interpreter.js';
import { ProcessOutput } from './process-output.js';
import { dirname } from 'node:path';
import type { PythonProcessResult, PythonProcessSpec, RunMessage } from '../harness/protocol.js';

export type { PythonProcessSpec, PythonProcessResult };

/**
 * What a process's start(), terminate() and time.sleep() do to the world around
 * it: in a run, messages to the main thread and real sleeps (channelHost); under
 * `memplay explore`, the explorer's scheduler (script-scenario.ts).
 */
export interface ProcessHost {
  /** Starts the pickled Process object `payload` named `name`; answers its slot. */
  spawn(name: string, payload: string): number;
  terminate(slot: number, signal: number): void;
  sleep(seconds: number): void;
  /** The process runs under memplay explore (the shim refuses what the explorer cannot interleave). */
  readonly explored?: boolean;
  /** The interpreter is ready to run the script (the explorer asks it where the script is at each point). */
  begin?(pyodide: Interpreter): void;
  end?(): void;
}

/** The crew task of one process of `memplay run script.py`. */
export async function runPythonProcess(spec: PythonProcessSpec): Promise<PythonProcessResult> {
  const table = new ProcessTable(spec.table);
  const channel = new BroadcastChannel(spec.channel);
  channel.unref();
  try {
    return await runProcess(spec, table, channelHost(spec, table, channel));
  } finally {
    channel.close();
    table.close();
  }
}

/** A run's host: start() and terminate() reach the main thread on the run's BroadcastChannel; sleep() sleeps. */
function channelHost(spec: PythonProcessSpec, table: ProcessTable, channel: BroadcastChannel): ProcessHost {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const post = (message: RunMessage): void => channel.postMessage(message);
  return {
    spawn: (name, payload) => {
      const slot = table.claim();
      post({ kind: 'spawn', slot, name, parent: spec.slot, payload });
      return slot;
    },
    terminate: (slot, signal) => post({ kind: 'terminate', slot, signal }),
    sleep: (seconds) => {
      if (seconds > 0) Atomics.wait(sleeper, 0, 0, seconds * 1000);
    },
  };
}

/** Runs the process on this thread's interpreter; see the module comment. */
export async function runProcess(spec: PythonProcessSpec, table: ProcessTable, host: ProcessHost): Promise<PythonProcessResult> {
  const started = performance.now();
  const output = new ProcessOutput(spec);
  const folders = [process.cwd(), dirname(spec.script)];
  const { pyodide, reused, resetMs } = await takeInterpreter(spec.snapshot, folders, (fd, bytes) => output.write(fd, bytes));
  // A kept interpreter's start-up counts the reset it had after its last process.
  const startupMs = performance.now() - started + resetMs;
  // The main process reads memplay's stdin; explore's schedules (silent) read end of file, as one terminal cannot feed every schedule alike.
  connectInput(pyodide, spec.slot === 0 && spec.silent !== true);
  const objects = new SharedObjects();
  pyodide.registerJsModule('_memplay', processModule(spec, table, host, objects, pyodide));
  const scope = new RunScope();
  let result: [number, string | null];
  host.begin?.(pyodide);
  try {
    result = scope.during(() => runShim(pyodide, spec));
    keepInterpreter(pyodide, spec.snapshot, folders);
  } catch (error) {
    // os._exit(n) ends the interpreter at once (no cleanup, as in CPython); it cannot be kept.
    const status = exitStatusOf(error);
    if (status === null) throw error;
    result = [status, null];
  } finally {
    host.end?.();
    objects.closeSegments();
    objects.clear();
    scope.end();
  }
  output.end();
  const [exitCode, unsupported] = result;
  return { exitCode, unsupported: unsupported ?? null, startupMs, reused, lastLine: output.lastLine, lastErrorLine: output.lastErrorLine, stderr: output.errorText, stdout: output.text };
}

/** Pyodide's error for an interpreter ended by os._exit(n) names its status n. */
const EXIT_STATUS = /^Program terminated with exit\((-?\d+)\)$/;

function exitStatusOf(error: unknown): number | null {
  const match = EXIT_STATUS.exec((error as Error | undefined)?.message ?? '');
  return match === null ? null : Number(match[1]);
}

/** The shim's runner on this process's script (and payload): [exit code, unsupported line or null]; no proxy of it is left. */
function runShim(pyodide: Interpreter, spec: PythonProcessSpec): [number, string | null] {
  const runner = pyodide.pyimport('_memplay_runner');
  const argv = pyodide.toPy([...spec.argv]);
  try {
    const answer = runner.run(spec.script, spec.source, spec.payload ?? undefined, argv);
    try {
      return answer.toJs() as [number, string | null];
    } finally {
      answer.destroy();
    }
  } finally {
    argv.destroy();
    runner.destroy();
  }
}

/** The `_memplay` module one process's shim imports. */
function processModule(spec: PythonProcessSpec, table: ProcessTable, host: ProcessHost, objects: SharedObjects, pyodide: Interpreter): object {
  return {
    slot: spec.slot,
    pid: FIRST_PID + spec.slot,
    first_pid: FIRST_PID,
    cpu_count: spec.cpuCount,
    exploring: host.explored === true,
    ...(spec.randomSeed === undefined ? {} : { random_seed: spec.randomSeed }),
    objects: {
      create: (kind: string, args: unknown[]) => objects.create(kind, args),
      open: (kind: string, args: unknown[]) => objects.open(kind, args),
      attach: (json: string) => objects.attach(json),
      handle: (id: number) => objects.handle(id),
      kind: (id: number) => objects.kind(id),
      get: (id: number, name: string) => objects.get(id, name),
      set: (id: number, name: string, value: unknown) => objects.set(id, name, value),
      call: (id: number, method: string, args: unknown[]) => objects.call(id, method, args),
    },
    sleep: (seconds: number) => host.sleep(seconds),
    spawn: (name: string, payload: string) => host.spawn(name, payload),
    terminate: (slot: number, signal: number) => host.terminate(slot, signal),
    wait_exit: (slot: number, timeout: number | null | undefined) => table.waitExit(slot, timeout ?? null),
    exit_code: (slot: number) => table.exitCode(slot) ?? undefined,
    blocked_at: (line: number) => table.blockedAt(spec.slot, line),
    real_file: (fd: number) => realFilePath(pyodide, fd) ?? undefined,
  };
}

/** Makes the installation's snapshot in this thread (the main thread asks a crew seat, so it stays free). */
export { makeSnapshot } from './interpreter.js';
