/*
 * The interpreter a crew thread keeps between the Python processes it runs.
 * Starting one from the snapshot costs 0.5-1 s; a thread that ran a process
 * keeps its interpreter alive, and its next process (the next child of the run
 * on this seat, or a process of the next run of a --repeat: the crew keeps its
 * threads) runs on it, once the shim's _memplay_reset.py has brought it back to
 * the state it had fresh (fresh module tables and globals, the shim imported
 * afresh, sys.path, os.environ, the working directory, ...: see there).
 *
 * One slot per thread (this module's state: each worker thread has its own).
 * take() empties it: the process runs on the interpreter it got, and keep()
 * puts it back only when the process ended normally and the reset succeeded.
 * So the next process gets a fresh interpreter when anything went wrong: an
 * error out of the shim itself (the task failed before keep()), a reset that
 * failed or found something it cannot undo, a thread terminated at the timeout
 * or by terminate() (its interpreter goes with it); and also when the kept one
 * was set up for other real folders or from another snapshot.
 */
import { connectOutput, mountRealFolders, startInterpreter, type Interpreter, type OutputWriter } from './interpreter.js';

/** The kept interpreter and what it was set up for. */
interface Kept {
  readonly pyodide: Interpreter;
  readonly setup: string;
  /** Milliseconds its reset took (part of the next process's start-up). */
  readonly resetMs: number;
}

let kept: Kept | null = null;

/** The interpreter for a process, and whether it is a kept one rather than fresh from the snapshot. */
export interface TakenInterpreter {
  readonly pyodide: Interpreter;
  readonly reused: boolean;
  /** For a kept one, the milliseconds its reset took after the last process (0 for a fresh one). */
  readonly resetMs: number;
}

/** This thread's kept interpreter when it was set up for `snapshot` and `folders`, else a fresh one; its output to `write`. */
export async function takeInterpreter(snapshot: Uint8Array | null, folders: readonly string[], write: OutputWriter): Promise<TakenInterpreter> {
  const candidate = kept;
  kept = null;
  if (candidate !== null && candidate.setup === setupOf(snapshot, folders)) {
    connectOutput(candidate.pyodide, write);
    return { pyodide: candidate.pyodide, reused: true, resetMs: candidate.resetMs };
  }
  const pyodide = await startInterpreter(snapshot, write);
  mountRealFolders(pyodide, folders);
  callReset(pyodide, 'capture');
  return { pyodide, reused: false, resetMs: 0 };
}

/**
 * After a process that ended normally: resets the interpreter (its `_memplay`
 * module unregistered) and keeps it for the thread's next process; false (and
 * nothing kept) when the reset failed or found the interpreter spoilt.
 */
export function keepInterpreter(pyodide: Interpreter, snapshot: Uint8Array | null, folders: readonly string[]): boolean {
  const started = performance.now();
  try {
    pyodide.unregisterJsModule('_memplay');
    if (callReset(pyodide, 'reset') !== true) return false;
  } catch {
    return false;
  }
  kept = { pyodide, setup: setupOf(snapshot, folders), resetMs: performance.now() - started };
  return true;
}

/** Calls `_memplay_reset.<name>()` in the interpreter (its proxies released, so they hold nothing of the process). */
function callReset(pyodide: Interpreter, name: 'capture' | 'reset'): unknown {
  const module = pyodide.pyimport('_memplay_reset');
  try {
    return module[name]();
  } finally {
    module.destroy();
  }
}

/** What a kept interpreter must match: the real folders mounted (see interpreter.ts), and the snapshot (one per memplay process). */
function setupOf(snapshot: Uint8Array | null, folders: readonly string[]): string {
  return JSON.stringify([snapshot?.byteLength ?? null, folders]);
}
