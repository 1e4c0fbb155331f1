/*
 * The lab's workloads in the real CPython: runs scripts/gil-workloads.py with
 * python3 (or $MEMPLAY_PYTHON) and reads back its measured wall times, so the
 * model's speed-ups can be set beside CPython's, measured in the same run.
 * A missing interpreter is an answer ("not available", with the reason), not a
 * failure; so is a script that fails or runs past its timeout.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../package-info.js';
import type { Mode } from './settings.js';
import type { Workload } from './workloads.js';

export interface CpythonRequest {
  workload: Workload;
  workers: number;
  units: number;
  switchInterval: number;
  modes: readonly Mode[];
  /** Round trips for the convoy measurement; 0 skips it. */
  roundTrips: number;
  timeoutMs?: number;
}

export interface CpythonMode {
  mode: Mode;
  wallMs: number;
  /** Against CPython's own serial run, when it ran. */
  speedup: number | null;
}

export type CpythonResult =
  | {
      available: true;
      python: string;
      gil: boolean;
      modes: CpythonMode[];
      /** Modes this interpreter cannot run (free-threaded on a build with a GIL). */
      skipped: Mode[];
      convoy: { roundTrips: number; aloneMs: number; besideCpuMs: number } | null;
    }
  | { available: false; reason: string };

export const CPYTHON_SCRIPT = join(packageRoot(), 'scripts', 'gil-workloads.py');
const DEFAULT_TIMEOUT_MS = 600_000;

interface ScriptReport {
  python: string;
  gil: boolean;
  modes: { mode: Mode; wall_ms: number }[];
  skipped: Mode[];
  convoy?: { round_trips: number; alone_ms: number; beside_cpu_ms: number };
}

/** The interpreter to run: $MEMPLAY_PYTHON, else python3 from PATH. */
export function pythonExecutable(): string {
  return process.env.MEMPLAY_PYTHON || 'python3';
}

export async function runCpython(request: CpythonRequest): Promise<CpythonResult> {
  const python = pythonExecutable();
  const args = [
    CPYTHON_SCRIPT,
    `--workload=${request.workload}`,
    `--workers=${request.workers}`,
    `--units=${request.units}`,
    `--switch-interval=${request.switchInterval}`,
    `--modes=${request.modes.join(',')}`,
    `--convoy=${request.roundTrips}`,
  ];
  try {
    const stdout = await run(python, args, request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return fromReport(JSON.parse(stdout) as ScriptReport);
  } catch (error) {
    return { available: false, reason: whyUnavailable(python, error) };
  }
}

function run(file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolve(stdout);
    });
  });
}

function fromReport(report: ScriptReport): CpythonResult {
  const serial = report.modes.find((mode) => mode.mode === 'serial');
  return {
    available: true,
    python: report.python,
    gil: report.gil,
    modes: report.modes.map((mode) => ({
      mode: mode.mode,
      wallMs: mode.wall_ms,
      speedup: serial === undefined ? null : serial.wall_ms / mode.wall_ms,
    })),
    skipped: report.skipped,
    convoy:
      report.convoy === undefined
        ? null
        : { roundTrips: report.convoy.round_trips, aloneMs: report.convoy.alone_ms, besideCpuMs: report.convoy.beside_cpu_ms },
  };
}

function whyUnavailable(python: string, error: unknown): string {
  const failure = error as NodeJS.ErrnoException & { killed?: boolean; stderr?: string };
  if (failure.code === 'ENOENT') return `${python} was not found on this machine, so there is nothing to compare with`;
  if (failure.killed) return `${python} ${CPYTHON_SCRIPT} ran past its time limit and was stopped`;
  if (error instanceof SyntaxError) return `${python} did not print the JSON report expected of ${CPYTHON_SCRIPT}`;
  const detail = (failure.stderr ?? '').trim().split('\n').at(-1) || failure.message;
  return `${python} ${CPYTHON_SCRIPT} failed: ${detail}`;
}
