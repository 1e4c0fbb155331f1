/*
 * The CPython contender: bench/contenders/cpython-bench.py run by the machine's
 * python3 ($MEMPLAY_PYTHON overrides it, as for the GIL lab).
 */
import { join } from 'node:path';
import { pythonExecutable } from '../../src/gil/cpython.js';
import { packageRoot } from '../../src/package-info.js';
import { onCpu0, probe } from './contender.js';

export interface CpythonBench {
  python: string;
  /** As `python3 --version` prints it. */
  version: string;
}

/** The interpreter to run the CPython bench with, or why there is none. */
export async function findCpython(): Promise<CpythonBench | { unavailable: string }> {
  const python = pythonExecutable();
  const version = await probe([python, '--version']);
  if (!version.ok) return { unavailable: `${version.reason}: the CPython column is skipped` };
  return { python, version: version.stdout.trim() };
}

export function cpythonCommand(bench: CpythonBench, measurement: string, operations: number, pinned: boolean): string[] {
  const command = [bench.python, join(packageRoot(), 'bench', 'contenders', 'cpython-bench.py'), measurement, String(operations)];
  return pinned ? onCpu0(command) : command;
}
