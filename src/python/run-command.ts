/*
 * The CLI's side of `memplay run script.py [args...]` (src/cli/commands/run.ts
 * routes .py files here): read the script, run it (run-script.ts) once with its
 * output on the terminal, or `repeat` times with each run's stdout kept back, and
 * tabulate the runs' outcomes (outcomes.ts: the main process's last line, or
 * what --outcome's regex picks from its stdout) with their counts, as for a
 * built-in scenario. --label has each process's lines prefixed with its name.
 * --compare-cpython runs the script as many times in python3 (cpython-runs.ts)
 * and sets both implementations' counts side by side in one table (through
 * src/text/table.ts); without python3 on PATH it says so in one line and shows
 * memplay's alone. The exit code is the script's own (the last memplay run's
 * with --repeat); a feature memplay does not support is one line on stderr and
 * exit 2; a run that hit the timeout exits 1. With --json, stdout carries one
 * JSON document instead of the script's output: exit code, the outcome rule and
 * table, per run its outcome, last line and start-up (snapshot, each process's
 * interpreter, and whether that was one its thread kept, `reused`) apart from
 * wall time, and with --compare-cpython python3's
 * version, outcomes and runs (or that it is absent).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Crew } from '../harness/crew.js';
import { textTable } from '../text/table.js';
import { runScript, type ProcessErrors, type ScriptRunResult } from './run-script.js';
import { describeRule, outcomeOf, tally, type Outcome, type OutcomeRule } from './outcomes.js';
import { findPython3, runInPython3, type Python3, type Python3Run } from './cpython-runs.js';
import { counted } from '../text/counted.js';

export interface PythonCommandOptions {
  readonly script: string;
  readonly argv: readonly string[];
  readonly timeoutSeconds: number;
  readonly repeat: number;
  readonly json: boolean;
  /** Prefix each line a process writes with its name. */
  readonly label: boolean;
  /** How a run's outcome is chosen from the main process's stdout (null: its last line). */
  readonly outcome: OutcomeRule;
  /** Run the script `repeat` times in python3 too, and set its outcomes beside memplay's. */
  readonly compareCpython: boolean;
}

/** Exit code for a script that used a feature memplay does not support (the CLI's usage code). */
const EXIT_UNSUPPORTED = 2;

/** Thrown for a script that cannot be read; the CLI turns it into a usage error. */
export class ScriptFileError extends Error {}

/** The runs of one implementation (memplay or python3) and their outcomes. */
interface OutcomeColumn {
  readonly name: string;
  readonly outcomes: readonly Outcome[];
  readonly runs: number;
}

/** python3's side of --compare-cpython: its runs, or why there are none. */
type CpythonSide = { readonly python3: Python3; readonly runs: readonly Python3Run[]; readonly outcomes: readonly Outcome[] } | { readonly unavailable: string };

const NO_PYTHON3 = 'no python3 on PATH';

/** What `memplay run script.py` found: what --json prints, and what an HTML report draws. */
export interface PythonRunReport {
  readonly exitCode: number;
  readonly outcomeRule: string | null;
  /** What chose each run's outcome, in words ("the last line the main process printed"). */
  readonly outcomeRuleText: string;
  readonly outcomes: readonly Outcome[];
  readonly runs: readonly {
    readonly exitCode: number;
    readonly outcome: string;
    readonly lastLine: string;
    readonly hung: readonly string[];
    readonly startup: { readonly snapshotMs: number; readonly interpreterMs: Record<string, number>; readonly reused: Record<string, boolean> };
    readonly wallMs: number;
    /** What each process wrote last to stderr (its traceback), when it wrote anything. */
    readonly stderr: readonly ProcessErrors[];
  }[];
  readonly cpython?: CpythonJson;
}

type CpythonJson =
  | { readonly available: false; readonly reason: string }
  | { readonly available: true; readonly python: string; readonly version: string; readonly outcomes: readonly Outcome[]; readonly runs: readonly { exitCode: number; timedOut: boolean; wallMs: number }[] };

/** Runs the command; resolves to its exit code and its report (null when the script used something memplay does not run). */
export async function runPythonCommand(options: PythonCommandOptions): Promise<{ exitCode: number; report: PythonRunReport | null }> {
  const source = readScript(options.script);
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  const python3 = options.compareCpython ? findPython3() : null;
  if (options.compareCpython && python3 === null) reportUnavailable(say, NO_PYTHON3);
  const tabulated = options.repeat > 1 || options.compareCpython;
  const runs = await memplayRuns(options, source, say, tabulated || options.json);
  if (runs === EXIT_UNSUPPORTED) return { exitCode: EXIT_UNSUPPORTED, report: null };
  const outcomes = runs.map((run) => outcomeOf({ exitCode: run.exitCode, timedOut: run.hung.length > 0, stdout: run.stdout ?? run.lastLine }, options.outcome));
  const memplay: OutcomeColumn = { name: 'memplay', outcomes: tally(outcomes), runs: runs.length };
  const cpython = python3 === null ? { unavailable: NO_PYTHON3 } : await cpythonSide(python3, options, say);
  if (tabulated && !options.json) process.stdout.write(`${formatOutcomes(memplay, cpython, options.outcome)}\n`);
  const report = runReport(runs, outcomes, memplay, options, cpython);
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return { exitCode: report.exitCode, report };
}

/** The script run `repeat` times in memplay on one crew; EXIT_UNSUPPORTED (reported) when it used a feature memplay does not run. */
async function memplayRuns(options: PythonCommandOptions, source: string, report: (line: string) => void, quiet: boolean): Promise<ScriptRunResult[] | typeof EXIT_UNSUPPORTED> {
  const runs: ScriptRunResult[] = [];
  const crew = new Crew(1);
  try {
    for (let repeat = 0; repeat < options.repeat; repeat++) {
      const result = await runScript({
        script: resolve(options.script), source, argv: options.argv, timeoutSeconds: options.timeoutSeconds, report, crew,
        quiet, label: options.label, keepStdout: options.outcome !== null,
      });
      runs.push(result);
      if (result.unsupported !== null) {
        report(`memplay: ${result.unsupported}`);
        return EXIT_UNSUPPORTED;
      }
    }
    return runs;
  } finally {
    await crew.close();
  }
}

/** The script run `repeat` times by python3, one after another. */
async function cpythonSide(python3: Python3, options: PythonCommandOptions, report: (line: string) => void): Promise<CpythonSide> {
  const runs: Python3Run[] = [];
  try {
    for (let repeat = 0; repeat < options.repeat; repeat++) runs.push(await runInPython3(python3, options.script, options.argv, options.timeoutSeconds));
  } catch (error) {
    const unavailable = `${python3.path} could not be started (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    reportUnavailable(report, unavailable);
    return { unavailable };
  }
  return { python3, runs, outcomes: tally(runs.map((run) => outcomeOf(run, options.outcome))) };
}

function reportUnavailable(report: (line: string) => void, reason: string): void {
  report(`memplay: --compare-cpython: ${reason}, so only memplay's outcomes are shown`);
}

export function readScript(script: string): string {
  try {
    return readFileSync(script, 'utf8');
  } catch (error) {
    throw new ScriptFileError(`cannot read the script ${script}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * The outcome table: one row per distinct outcome (memplay's most frequent first,
 * then python3's), a runs and a share column per implementation (plain `runs`
 * and `share` when memplay's are the only ones); with python3's, a line naming it first.
 */
function formatOutcomes(memplay: OutcomeColumn, cpython: CpythonSide, rule: OutcomeRule): string {
  const columns = 'python3' in cpython ? [memplay, { name: 'python3', outcomes: cpython.outcomes, runs: cpython.runs.length }] : [memplay];
  const named = columns.length > 1;
  const header = ['outcome', ...columns.flatMap(({ name }) => (named ? [`${name} runs`, `${name} share`] : ['runs', 'share']))];
  const distinct = [...new Set(columns.flatMap(({ outcomes }) => outcomes.map(({ outcome }) => outcome)))];
  const rows = distinct.map((outcome) => [outcome, ...columns.flatMap((column) => countAndShare(column, outcome))]);
  const each = named ? ` each in ${columns.map(({ name }) => name).join(' and ')}` : '';
  const heading = `${counted(memplay.runs, 'run')}${each}, ${counted(distinct.length, 'distinct outcome')} (${describeRule(rule)}):`;
  const python = 'python3' in cpython ? [`python3: ${cpython.python3.version} (${cpython.python3.path}), its default start method`] : [];
  return [...python, heading, textTable(header, rows)].join('\n');
}

function countAndShare(column: OutcomeColumn, outcome: string): string[] {
  const count = column.outcomes.find((row) => row.outcome === outcome)?.count ?? 0;
  return [String(count), `${((100 * count) / column.runs).toFixed(1)}%`];
}

function runReport(runs: readonly ScriptRunResult[], outcomes: readonly string[], memplay: OutcomeColumn, options: PythonCommandOptions, cpython: CpythonSide): PythonRunReport {
  return {
    exitCode: runs.at(-1)!.exitCode,
    outcomeRule: options.outcome?.source ?? null,
    outcomeRuleText: describeRule(options.outcome),
    outcomes: memplay.outcomes,
    runs: runs.map(({ exitCode, hung, snapshotMs, startupMs, reused, wallMs, lastLine, stderr }, index) => ({ exitCode, outcome: outcomes[index], lastLine, hung, startup: { snapshotMs, interpreterMs: startupMs, reused }, wallMs, stderr })),
    ...(options.compareCpython ? { cpython: cpythonJson(cpython) } : {}),
  };
}

function cpythonJson(cpython: CpythonSide): CpythonJson {
  if ('unavailable' in cpython) return { available: false, reason: cpython.unavailable };
  const { python3, runs, outcomes } = cpython;
  return { available: true, python: python3.path, version: python3.version, outcomes, runs: runs.map(({ exitCode, timedOut, wallMs }) => ({ exitCode, timedOut, wallMs })) };
}
