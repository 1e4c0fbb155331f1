/*
 * Draws a `memplay run script.py` report in the browser: the outcomes as a
 * table and as bars (memplay's, and python3's beside them when the run was
 * compared with the real CPython), then each run: its outcome, exit code, wall
 * time and interpreter start-up, the processes still running at the timeout,
 * and what the processes wrote to stderr (their tracebacks), for the first
 * three runs that wrote any.
 */
import type { Element } from './globals.js';
import type { Helpers } from './helpers.js';
import type { PythonReportData } from '../python.js';
import { outcomeChart } from './run.js';

export function drawPython(data: PythonReportData, root: Element, h: Helpers): void {
  const command = ['python3', data.script, ...data.argv].join(' ');
  const summary = h.section(root, 'Outcomes', `${command}: ${data.runs.length} run${data.runs.length === 1 ? '' : 's'}; a run's outcome is ${data.outcomeRuleText}`);
  const cpython = data.cpython !== undefined && data.cpython.available ? data.cpython : null;
  const outcomes = [...new Set([...data.outcomes, ...(cpython?.outcomes ?? [])].map((row) => row.outcome))];
  const count = (rows: readonly { outcome: string; count: number }[], outcome: string) => rows.find((row) => row.outcome === outcome)?.count ?? 0;
  const share = (n: number, of: number) => `${((100 * n) / Math.max(of, 1)).toFixed(1)}%`;
  const header = ['outcome', 'memplay runs', 'memplay share', ...(cpython === null ? [] : ['python3 runs', 'python3 share'])];
  const rows = outcomes.map((outcome) => {
    const ours = count(data.outcomes, outcome);
    const theirs = cpython === null ? [] : [count(cpython.outcomes, outcome), share(count(cpython.outcomes, outcome), cpython.runs.length)];
    return [outcome, ours, share(ours, data.runs.length), ...theirs];
  });
  summary.append(h.table(header, rows, { class: 'outcomes' }));
  if (data.cpython !== undefined && !data.cpython.available) summary.append(h.el('p', {}, `python3: ${data.cpython.reason}`));
  // A script's outcomes have no jcstress classification: one neutral colour.
  const bars = (rows: readonly { outcome: string; count: number }[]) => rows.map((row) => ({ ...row, classification: 'OBSERVED' }));
  const charts = h.el('div', { class: 'row' }, h.figure(outcomeChart(bars(data.outcomes), 'runs', h), 'memplay: runs per outcome'));
  if (cpython !== null) charts.append(h.figure(outcomeChart(bars(cpython.outcomes), 'runs', h), `${cpython.version}: runs per outcome`));
  summary.append(charts);
  const runs = h.section(root, 'Each run');
  runs.append(h.table(
    ['run', 'outcome', 'exit code', 'wall s', 'interpreters started (ms)'],
    data.runs.map((run, index) => [
      index + 1,
      run.outcome,
      run.exitCode,
      (run.wallMs / 1000).toFixed(2),
      Object.entries(run.startup.interpreterMs).map(([name, ms]) => `${name} ${Math.round(ms)}${run.startup.reused[name] ? ' (kept)' : ''}`).join(', '),
    ]),
  ));
  for (const [index, run] of data.runs.entries()) {
    if (run.hung.length > 0) runs.append(h.el('h3', {}, `Run ${index + 1}: still running at the timeout`), h.code(run.hung.join('\n')));
  }
  // Runs whose stderr is shown (a --repeat of a failing script would repeat one traceback a thousand times);
  // inside the function, which the page runs as its own source (report/page.ts), without this module's scope.
  const ERROR_RUNS_SHOWN = 3;
  const failing = [...data.runs.entries()].filter(([, run]) => run.stderr.length > 0);
  for (const [index, run] of failing.slice(0, ERROR_RUNS_SHOWN)) {
    runs.append(h.el('h3', {}, `Run ${index + 1}: what the processes wrote to stderr`), h.code(run.stderr.map(({ process, text }) => `${process}:\n${text.trimEnd()}`).join('\n\n')));
  }
  if (failing.length > ERROR_RUNS_SHOWN) runs.append(h.el('p', {}, `${failing.length - ERROR_RUNS_SHOWN} more runs wrote to stderr (not shown).`));
}
