/*
 * The Python catalogue (scenarios/python/) under `memplay run`, through the built
 * CLI: each racy script shows its race within a bounded number of runs, and each
 * fix holds. Real workers, one Pyodide interpreter per process; every run is
 * bounded by the CLI helper's timeout.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hungPythonRun, memplay, memplayAsync } from '../helpers/cli.js';
import { needsPython3, python3 } from '../helpers/python3.js';

const scenario = (name: string): string => fileURLToPath(new URL(`../../scenarios/python/${name}.py`, import.meta.url));
const SLOW = 240_000;

interface JsonRuns {
  readonly outcomes: { outcome: string; count: number }[];
  readonly runs: { exitCode: number; lastLine: string }[];
}

function runs(args: string[]): JsonRuns {
  return JSON.parse(memplay(['run', ...args, '--json'], SLOW).stdout) as JsonRuns;
}

interface JsonComparison extends JsonRuns {
  readonly cpython: { outcomes: { outcome: string }[] };
}

/**
 * Runs `script --compare-cpython --repeat 3` (or with `options`, and `args` for the script) until a
 * racy outcome has shown in memplay and in python3, at most `attempts` times; resolves to where it showed.
 */
async function racyInBoth(script: string, racy: (outcome: string) => boolean, attempts = 3, options = ['--repeat', '3'], args: string[] = []): Promise<{ memplay: boolean; python3: boolean }> {
  const seen = { memplay: false, python3: false };
  for (let attempt = 0; attempt < attempts && !(seen.memplay && seen.python3); attempt++) {
    const report = JSON.parse((await memplayAsync(['run', script, '--compare-cpython', ...options, '--json', '--', ...args], SLOW)).stdout) as JsonComparison;
    seen.memplay ||= report.outcomes.some(({ outcome }) => racy(outcome));
    seen.python3 ||= report.cpython.outcomes.some(({ outcome }) => racy(outcome));
  }
  return seen;
}

describe('scenarios/python under memplay run', () => {
  // python3 loses updates in about 12 runs in 20 here: 9 runs miss with a chance of about 1 in 4000.
  it.skipIf(python3 === null)(needsPython3('counter: --compare-cpython shows the lost update in memplay and in python3'), async () => {
    expect(await racyInBoth(scenario('counter'), (outcome) => Number(outcome) < 20000)).toEqual({ memplay: true, python3: true });
  }, 3 * SLOW);

  // Measured here, python3 shows each of these races in most runs (bank-transfer 3 of 3, producer-consumer 2 of 3).
  // pool-histogram's default 8000 counts race in python3 in about 1 run of 3 beside memplay's own runs, and in
  // none of 15 once on a loaded machine; 100 counts per number (40000 in all) race in every run measured.
  // producer-consumer raced in python3 in 5 of 8 runs idle and 2 of 6 beside two busy loops, and in none of 15
  // once during a whole npm test (load 5-6); bank-transfer missed all 15 once too. Each gets up to 12 attempts
  // (36 python3 runs); an attempt ends the loop once both raced, so the extra ones cost time only when python3 misses.
  it.skipIf(python3 === null)(needsPython3('bank-transfer, producer-consumer, pool-histogram: --compare-cpython shows each race in memplay and in python3'), async () => {
    const number = (pattern: RegExp, outcome: string) => Number(pattern.exec(outcome)?.[1]);
    expect(await racyInBoth(scenario('bank-transfer'), (outcome) => number(/^paid out (\d+) from 1000$/, outcome) > 1000, 12)).toEqual({ memplay: true, python3: true });
    expect(await racyInBoth(scenario('producer-consumer'), (outcome) => number(/^sum (\d+)$/, outcome) < 500500, 12)).toEqual({ memplay: true, python3: true });
    expect(await racyInBoth(scenario('pool-histogram'), (outcome) => number(/^total (\d+)$/, outcome) < 40000, 5, ['--repeat', '3'], ['--times', '100'])).toEqual({ memplay: true, python3: true });
  }, 15 * SLOW);

  it('bank-transfer: the racy tellers pay out more than the account held within 3 runs; the fixed ones exactly 1000', () => {
    const racy = runs([scenario('bank-transfer'), '--repeat', '3']);
    expect(racy.runs.some((run) => Number(/^paid out (\d+) from 1000$/.exec(run.lastLine)?.[1]) > 1000)).toBe(true);
    expect(runs([scenario('bank-transfer'), 'fixed', '--repeat', '2']).outcomes).toEqual([{ outcome: 'paid out 1000 from 1000', count: 2 }]);
  }, 2 * SLOW);

  it('producer-consumer: every item crosses the JoinableQueue once, the racy sum falls short within 3 runs, the fixed sum is right', () => {
    const racy = runs([scenario('producer-consumer'), '--repeat', '3']);
    expect(racy.runs.every((run) => run.exitCode === 0)).toBe(true);
    expect(racy.runs.some((run) => Number(/^sum (\d+)$/.exec(run.lastLine)?.[1]) < 500500)).toBe(true);
    expect(runs([scenario('producer-consumer'), 'fixed']).outcomes).toEqual([{ outcome: 'sum 500500', count: 1 }]);
  }, 2 * SLOW);

  it('pool-histogram: a Pool.map over a shared Array loses counts within 3 runs; with the lock the total is 8000', () => {
    const racy = runs([scenario('pool-histogram'), '--repeat', '3']);
    expect(racy.runs.every((run) => run.exitCode === 0)).toBe(true);
    expect(racy.runs.some((run) => Number(/^total (\d+)$/.exec(run.lastLine)?.[1]) < 8000)).toBe(true);
    expect(runs([scenario('pool-histogram'), 'fixed']).outcomes).toEqual([{ outcome: 'total 8000', count: 1 }]);
  }, 2 * SLOW);

  // The deadlock's runs mostly wait for their --timeout: these two run at once.
  it.concurrent.skipIf(python3 === null)(needsPython3('deadlock: --compare-cpython shows the hang in memplay and in python3, each run ended at --timeout'), async () => {
    expect(await racyInBoth(scenario('deadlock'), (outcome) => outcome === '(timeout)', 1, ['--repeat', '1', '--timeout', '5'])).toEqual({ memplay: true, python3: true });
  }, 3 * SLOW);

  it.concurrent('deadlock: locks taken in opposite orders hang until --timeout, which names where each process waits; one order finishes', async () => {
    const hung = (await hungPythonRun([scenario('deadlock')])).result;
    expect(hung.status).toBe(1);
    expect(hung.stderr).toContain('Process-1: blocked at line 18: with second:');
    expect(hung.stderr).toContain('Process-2: blocked at line 18: with second:');
    const fixed = memplay(['run', scenario('deadlock'), 'fixed'], SLOW);
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).toMatch(/done\n$/);
  }, 2 * SLOW);
});
