/*
 * --compare-cpython: the same script run by the real python3, so its outcomes
 * can stand beside memplay's. python3 is looked up on PATH (the first directory
 * holding an executable file of that name); each run is `python3 script.py
 * args...` as the user would type it (python3's own default start method, not
 * forced to spawn), in a process group of its own, with stdin closed, its stdout
 * collected for the outcome and its stderr passed through to memplay's. A run
 * still going at the timeout has its whole group killed (the script's children
 * with it) and counts as `(timeout)` (and a signal that stops memplay, Ctrl-C,
 * kills the group first, as it is not the terminal's foreground group); a run ended by a signal has exit code -N,
 * as multiprocessing reports a process ended by signal N.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, join } from 'node:path';
import type { RunEnd } from './outcomes.js';

export interface Python3 {
  /** The executable found on PATH. */
  readonly path: string;
  /** What `python3 --version` says, e.g. "Python 3.11.7". */
  readonly version: string;
}

export interface Python3Run extends RunEnd {
  readonly wallMs: number;
}

const VERSION_TIMEOUT_MS = 10_000;

/** python3 from PATH with its version; null when no directory on PATH holds one. */
export function findPython3(path = process.env.PATH ?? ''): Python3 | null {
  const executable = path
    .split(delimiter)
    .filter((folder) => folder !== '')
    .map((folder) => join(folder, 'python3'))
    .find(isExecutableFile);
  return executable === undefined ? null : { path: executable, version: versionOf(executable) };
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function versionOf(executable: string): string {
  const answer = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: VERSION_TIMEOUT_MS });
  return `${answer.stdout ?? ''}${answer.stderr ?? ''}`.trim().split('\n')[0] || 'version unknown';
}

/** One run of `python3 script args...`, ended at `timeoutSeconds`. */
export function runInPython3(python: Python3, script: string, argv: readonly string[], timeoutSeconds: number): Promise<Python3Run> {
  const began = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(python.path, [script, ...argv], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    let stdout = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutSeconds * 1000);
    const stopWatching = killGroupWhenMemplayIsStopped(child.pid);
    const settle = (): void => {
      clearTimeout(timer);
      stopWatching();
    };
    child.on('error', (error) => {
      settle();
      reject(error);
    });
    child.on('close', (code, signal) => {
      settle();
      resolve({ exitCode: code ?? exitCodeOfSignal(signal), timedOut, stdout, wallMs: performance.now() - began });
    });
  });
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The group is not in the terminal's foreground group, so Ctrl-C would stop
 * memplay and leave python3 running: while the run lasts, a stop signal kills the
 * group first and then stops memplay as it would have. Answers the undoing.
 */
function killGroupWhenMemplayIsStopped(pid: number | undefined): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    killGroup(pid);
    stopWatching();
    process.kill(process.pid, signal);
  };
  const stopWatching = (): void => {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return stopWatching;
}

/** Kills the run's process group (python3 and the processes it started). */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group has ended already.
  }
}

/** A process ended by a signal has exit code -N, as multiprocessing reports it. */
function exitCodeOfSignal(signal: NodeJS.Signals | null): number {
  return signal === null ? 1 : -(osConstants.signals[signal] ?? 0);
}
