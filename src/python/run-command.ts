/*
 * The CLI's side of `memplay run script.py [args...]` (src/cli/commands/run.ts
 * routes .py files here): read the script, run it (run-script.ts) once with its
 * output on the terminal, or `repeat` times with each run's stdout kept to its
 * last line, and tabulate those outcomes with their counts, as for a built-in
 * scenario. The exit code is the script's own (the last run's with --repeat);
 * a feature memplay does not support is one line on stderr and exit 2; a run
 * that hit the timeout exits 1. With --json, stdout carries one JSON document
 * instead of the script's output: exit code, the outcome table, and per run its
 * last line and start-up (snapshot, each process's interpreter) apart from wall
 * time.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Crew } from '../harness/crew.js';
import { textTable } from '../text/table.js';
import { runScript, type ScriptRunResult } from './run-script.js';

export interface PythonCommandOptions {
  readonly script: string;
  readonly argv: readonly string[];
  readonly timeoutSeconds: number;
  readonly repeat: number;
  readonly json: boolean;
}

/** Exit code for a script that used a feature memplay does not support (the CLI's usage code). */
const EXIT_UNSUPPORTED = 2;

/** Thrown for a script that cannot be read; the CLI turns it into a usage error. */
export class ScriptFileError extends Error {}

export async function runPythonCommand(options: PythonCommandOptions): Promise<number> {
  const source = readScript(options.script);
  const report = (line: string): void => void process.stderr.write(`${line}\n`);
  const runs: ScriptRunResult[] = [];
  const crew = new Crew(1);
  try {
    for (let repeat = 0; repeat < options.repeat; repeat++) {
      const result = await runScript({ script: resolve(options.script), source, argv: options.argv, timeoutSeconds: options.timeoutSeconds, report, quiet: options.repeat > 1 || options.json, crew });
      runs.push(result);
      if (result.unsupported !== null) {
        report(`memplay: ${result.unsupported}`);
        return EXIT_UNSUPPORTED;
      }
    }
  } finally {
    await crew.close();
  }
  const outcomes = tally(runs);
  if (options.repeat > 1 && !options.json) process.stdout.write(`${formatOutcomes(outcomes, runs.length)}\n`);
  if (options.json) process.stdout.write(`${JSON.stringify(jsonReport(runs, outcomes), null, 2)}\n`);
  return runs.at(-1)!.exitCode;
}

function readScript(script: string): string {
  try {
    return readFileSync(script, 'utf8');
  } catch (error) {
    throw new ScriptFileError(`cannot read the script ${script}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export interface Outcome {
  /** The last line the main process printed (or what ended the run instead). */
  readonly outcome: string;
  readonly count: number;
}

/** The distinct outcomes of the runs, most frequent first. */
export function tally(runs: readonly ScriptRunResult[]): Outcome[] {
  const counts = new Map<string, number>();
  for (const run of runs) {
    const outcome = run.hung.length > 0 ? '(timeout)' : run.exitCode !== 0 ? `(exit ${run.exitCode})` : run.lastLine;
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  }
  return [...counts].map(([outcome, count]) => ({ outcome, count })).sort((a, b) => b.count - a.count);
}

function formatOutcomes(outcomes: readonly Outcome[], runs: number): string {
  const rows = outcomes.map(({ outcome, count }) => [outcome, String(count), `${((100 * count) / runs).toFixed(1)}%`]);
  return `${runs} runs, ${outcomes.length} distinct outcome${outcomes.length === 1 ? '' : 's'} (the last line the main process printed):\n${textTable(['outcome', 'runs', 'share'], rows)}`;
}

function jsonReport(runs: readonly ScriptRunResult[], outcomes: readonly Outcome[]): object {
  return {
    exitCode: runs.at(-1)!.exitCode,
    outcomes,
    runs: runs.map(({ exitCode, hung, snapshotMs, startupMs, wallMs, lastLine }) => ({ exitCode, lastLine, hung, startup: { snapshotMs, interpreterMs: startupMs }, wallMs })),
  };
}
