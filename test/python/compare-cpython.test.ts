/*
 * `memplay run script.py --compare-cpython`: the same script run by the real
 * python3 beside memplay's runs, one outcome table for both, through the built
 * CLI. The tests that need python3 skip when PATH has none (a CI machine may
 * lack it); one runs with a PATH that has no python3 on purpose. The scripts are
 * small and deterministic (scripts/outcomes.py; scripts/hangs.py for the timeout).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { expectUsageError, memplay } from '../helpers/cli.js';
import { needsPython3, python3 } from '../helpers/python3.js';

const script = (name: string): string => fileURLToPath(new URL(`./scripts/${name}.py`, import.meta.url));
const OUTCOMES = script('outcomes');
const SLOW = 120_000;

interface JsonReport {
  readonly exitCode: number;
  readonly outcomes: { outcome: string; count: number }[];
  readonly cpython: { available: boolean; version?: string; outcomes?: { outcome: string; count: number }[]; runs?: { exitCode: number; timedOut: boolean }[]; reason?: string };
}

describe('memplay run script.py --compare-cpython', () => {
  it.skipIf(python3 === null)(needsPython3("sets python3's outcomes beside memplay's in one table, naming python3's version, the script's arguments passed to both"), () => {
    const result = memplay(['run', OUTCOMES, '7', '--compare-cpython', '--repeat', '2', '--outcome', 'answer=(\\d+)'], SLOW);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      `python3: ${python3!.version} (${python3!.path}), its default start method\n` +
        "2 runs each in memplay and python3, 1 distinct outcome (the first match of /answer=(\\d+)/ in the main process's stdout):\n" +
        'outcome  memplay runs  memplay share  python3 runs  python3 share\n' +
        '-------  ------------  -------------  ------------  -------------\n' +
        '7                   2         100.0%             2         100.0%\n',
    );
  }, SLOW);

  // hangs.py's child waits for ever and holds python3's stdout open: the run ends only because its whole process group is killed.
  it.skipIf(python3 === null)(needsPython3('reports python3 in --json, and a python3 run past --timeout as (timeout), its processes ended'), () => {
    const result = memplay(['run', script('hangs'), '--compare-cpython', '--repeat', '1', '--timeout', '3', '--json'], SLOW);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.outcomes).toEqual([{ outcome: '(timeout)', count: 1 }]);
    expect(report.cpython).toMatchObject({ available: true, version: python3!.version, outcomes: [{ outcome: '(timeout)', count: 1 }], runs: [{ timedOut: true }] });
  }, SLOW);

  describe('with no python3 on PATH', () => {
    const emptyFolder = mkdtempSync(join(tmpdir(), 'memplay-no-python3-'));
    const withoutPython3 = { ...process.env, PATH: emptyFolder };
    afterAll(() => rmSync(emptyFolder, { recursive: true, force: true }));

    it("says so in one line on stderr and prints memplay's table, with the script's exit code", () => {
      const result = memplay(['run', OUTCOMES, '--compare-cpython', '--repeat', '2'], SLOW, { env: withoutPython3 });
      expect(result.stderr).toBe("memplay: --compare-cpython: no python3 on PATH, so only memplay's outcomes are shown\n");
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(
        "2 runs, 1 distinct outcome (the last line the main process printed):\n" +
          'outcome  runs   share\n' +
          '-------  ----  ------\n' +
          'done        2  100.0%\n',
      );
    }, SLOW);

    it('says in --json that python3 is not available', () => {
      const result = memplay(['run', OUTCOMES, '--compare-cpython', '--repeat', '1', '--json'], SLOW, { env: withoutPython3 });
      const report = JSON.parse(result.stdout) as JsonReport;
      expect(report.outcomes).toEqual([{ outcome: 'done', count: 1 }]);
      expect(report.cpython).toEqual({ available: false, reason: 'no python3 on PATH' });
    }, SLOW);
  });

  it('is a usage error for a scenario (built-in or .ts file)', () => {
    expect(expectUsageError(memplay(['run', 'counter', '--compare-cpython']))).toBe('memplay: --compare-cpython applies to a Python script (.py) only');
    const scenarioFile = fileURLToPath(new URL('../../scenarios/lost-update.ts', import.meta.url));
    expect(expectUsageError(memplay(['run', scenarioFile, '--compare-cpython']))).toBe('memplay: --compare-cpython applies to a Python script (.py) only');
  });
});
