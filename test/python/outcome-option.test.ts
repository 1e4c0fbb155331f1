/*
 * `memplay run script.py --outcome REGEX`: a run's outcome is chosen from the
 * main process's stdout by a regular expression, through the built CLI on real
 * Pyodide workers. The script (scripts/outcomes.py) is one deterministic process
 * whose answer is in the middle of its output, so each run takes about a second.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectUsageError, memplay } from '../helpers/cli.js';

const script = (name: string): string => fileURLToPath(new URL(`./scripts/${name}.py`, import.meta.url));
const OUTCOMES = script('outcomes');
const SLOW = 120_000;

interface JsonRuns {
  readonly outcomeRule: string | null;
  readonly outcomes: { outcome: string; count: number }[];
  readonly runs: { outcome: string; lastLine: string }[];
}

const jsonOf = (args: string[]): JsonRuns => {
  const result = memplay(['run', ...args, '--json'], SLOW);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as JsonRuns;
};

describe('memplay run script.py --outcome REGEX', () => {
  it("tabulates the regex's first capture group instead of the last line", () => {
    const result = memplay(['run', OUTCOMES, '--repeat', '2', '--outcome', 'answer=(\\d+)'], SLOW);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      "2 runs, 1 distinct outcome (the first match of /answer=(\\d+)/ in the main process's stdout):\n" +
        'outcome  runs   share\n' +
        '-------  ----  ------\n' +
        '42          2  100.0%\n',
    );
  }, SLOW);

  it('takes the whole match of a regex without a group, ^ and $ matching at each line, and the script\'s arguments count', () => {
    const report = jsonOf([OUTCOMES, '7', '--outcome', '^answer=\\d+']);
    expect(report.outcomeRule).toBe('^answer=\\d+');
    expect(report.outcomes).toEqual([{ outcome: 'answer=7', count: 1 }]);
    expect(report.runs[0]).toMatchObject({ outcome: 'answer=7', lastLine: 'done' });
  }, SLOW);

  it('makes a run where nothing matches the outcome (no match)', () => {
    expect(jsonOf([OUTCOMES, '--outcome', 'nothing (here)']).outcomes).toEqual([{ outcome: '(no match)', count: 1 }]);
  }, SLOW);

  it('still names a run that failed by its exit code', () => {
    const result = memplay(['run', script('raises'), '--outcome', 'before', '--json'], SLOW);
    expect(result.status).toBe(1);
    expect((JSON.parse(result.stdout) as JsonRuns).outcomes).toEqual([{ outcome: '(exit 1)', count: 1 }]);
  }, SLOW);

  it('refuses a bad regex, a missing one, one with nothing to choose, and one for a scenario, each in one line, exit 2', () => {
    expect(expectUsageError(memplay(['run', OUTCOMES, '--repeat', '2', '--outcome', 'x(']))).toMatch(/^memplay: option '--outcome <regex>' argument 'x\(' is invalid\. not a regular expression: .*Unterminated group$/);
    expect(expectUsageError(memplay(['run', OUTCOMES, '--repeat', '2', '--outcome']))).toMatch(/^memplay: option '--outcome <regex>' argument missing$/);
    expect(expectUsageError(memplay(['run', OUTCOMES, '--outcome', 'answer']))).toMatch(/^memplay: --outcome chooses the outcome of each run: give it with --repeat N/);
    expect(expectUsageError(memplay(['run', 'counter', '--outcome', 'answer']))).toBe('memplay: --outcome applies to a Python script (.py) only');
  });
});
