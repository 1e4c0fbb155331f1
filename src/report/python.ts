/*
 * The data of a `memplay run script.py` report: the script, its arguments and
 * what the run command found (src/python/run-command.ts's PythonRunReport, as
 * --json prints it): each run's outcome, exit code, wall time and hung
 * processes, the outcomes tallied, and python3's beside them with
 * --compare-cpython.
 */
import type { PythonRunReport } from '../python/run-command.js';

export type PythonReportData = PythonRunReport & { readonly script: string; readonly argv: readonly string[] };

export function pythonReportData(script: string, argv: readonly string[], report: PythonRunReport): PythonReportData {
  return { ...report, script, argv };
}
