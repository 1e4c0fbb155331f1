/*
 * `memplay run script.py` end to end, through the built CLI: real workers, each
 * process with its own Pyodide interpreter, real shared memory. Every run is
 * bounded by the CLI helper's timeout; the racy counter is repeated a bounded
 * number of times.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectUsageError, hungPythonRun, memplay, memplayAsync } from '../helpers/cli.js';

const script = (name: string): string => fileURLToPath(new URL(`./scripts/${name}.py`, import.meta.url));
const COUNTER = fileURLToPath(new URL('../../scenarios/python/counter.py', import.meta.url));
const POOL_HISTOGRAM = fileURLToPath(new URL('../../scenarios/python/pool-histogram.py', import.meta.url));
const FIXTURE = JSON.parse(readFileSync(new URL('../fixtures/python-every-name.json', import.meta.url), 'utf8')) as { exitCode: number; stdout: string };
const SLOW = 240_000;

interface JsonRuns {
  readonly outcomes: { outcome: string; count: number }[];
  readonly runs: { exitCode: number; lastLine: string; startup: { snapshotMs: number; interpreterMs: Record<string, number> } }[];
}

describe('memplay run script.py', () => {
  it('prints what python3 printed for a script using every supported multiprocessing name (fixture)', () => {
    const result = memplay(['run', script('every-name')], SLOW);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(FIXTURE.stdout);
    expect(result.status).toBe(FIXTURE.exitCode);
  }, SLOW);

  it('loses updates to a shared Value with the racy `counter.value += 1` within 3 runs, and never with get_lock()', () => {
    const racy = JSON.parse(memplay(['run', COUNTER, '--repeat', '3', '--json'], SLOW).stdout) as JsonRuns;
    expect(racy.runs.every((run) => run.exitCode === 0)).toBe(true);
    expect(racy.runs.some((run) => Number(run.lastLine) < 20000)).toBe(true);
    expect(Object.keys(racy.runs[0].startup.interpreterMs)).toEqual(expect.arrayContaining(['MainProcess', 'Process-1', 'Process-4']));
    const fixed = JSON.parse(memplay(['run', COUNTER, 'fixed', '--repeat', '2', '--json'], SLOW).stdout) as JsonRuns;
    expect(fixed.outcomes).toEqual([{ outcome: '20000', count: 2 }]);
  }, 2 * SLOW);

  it('ends every run of a `with Pool(...)` map (the pool stops its idle workers rather than killing them inside memplay)', () => {
    const result = memplay(['run', POOL_HISTOGRAM, '--repeat', '10', '--timeout', '30', '--json'], 2 * SLOW);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const runs = (JSON.parse(result.stdout) as JsonRuns).runs;
    expect(runs).toHaveLength(10);
    expect(runs.every((run) => run.exitCode === 0 && run.lastLine.startsWith('total '))).toBe(true);
  }, 2 * SLOW);

  it("prints CPython's message for a SyntaxError and exits 1", () => {
    const result = memplay(['run', script('syntax-error')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`  File "${script('syntax-error')}", line 3\n    def work(:\n             ^\nSyntaxError: invalid syntax\n`);
  });

  it("prints the traceback of the script's own lines for an uncaught exception and exits 1", () => {
    const result = memplay(['run', script('raises')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('before\n');
    expect(result.stderr).toMatch(/^Traceback \(most recent call last\):\n/);
    expect(result.stderr).toContain(`File "${script('raises')}", line 11, in <module>`);
    expect(result.stderr).toContain(`File "${script('raises')}", line 6, in check`);
    expect(result.stderr).toMatch(/ValueError: counter is 0\n$/);
    expect(result.stderr).not.toContain('/memplay/');
  });

  it('prints the exceptions chained to it, as CPython does (raise ... from, and raised while handling another), in the main process and a child', () => {
    const result = memplay(['run', script('raises-chained')]);
    expect(result.status).toBe(1);
    const cause = '\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n';
    const during = '\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n';
    const child = ['Process Process-1:\nTraceback (most recent call last):\n', 'ZeroDivisionError: division by zero\n', during, "KeyError: 'child'\n", cause, 'LookupError: no child\n'];
    const main = ['Traceback (most recent call last):\n', "KeyError: 'main'\n", cause, 'line 22, in <module>', 'LookupError: no main\n'];
    expect(inOrder(result.stderr, [...child, ...main])).toBe(true);
    expect(result.stderr.startsWith(child[0])).toBe(true);
    expect(result.stderr.endsWith(main.at(-1)!)).toBe(true);
    expect(result.stderr.split('Traceback (most recent call last)')).toHaveLength(6);
  });

  it("raises a Pool task's exception in its caller with the worker's traceback as its cause (RemoteTraceback), as CPython does", () => {
    const result = memplay(['run', script('pool-raises')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('caught KeyError(2) RemoteTraceback\n');
    const remote = `multiprocessing.pool.RemoteTraceback: \n"""\nTraceback (most recent call last):\n  File "${script('pool-raises')}", line 5, in boom\n    raise KeyError(x)\nKeyError: 2\n"""\n`;
    expect(result.stderr.startsWith(remote)).toBe(true);
    expect(inOrder(result.stderr, [remote, '\nThe above exception was the direct cause of the following exception:\n\n', 'line 14, in <module>', 'KeyError: 2\n'])).toBe(true);
    expect(result.stderr.endsWith('KeyError: 2\n')).toBe(true);
  });

  it("reports a child's exception as CPython does, with exit code 1 for the child and the script's own for the run", () => {
    const result = memplay(['run', script('child-raises')]);
    expect(result.stdout).toBe('exitcode 1\n');
    expect(result.stderr).toMatch(/^Process Process-1:\nTraceback \(most recent call last\):\n/);
    expect(result.stderr).toMatch(/RuntimeError: child failed\n$/);
    expect(result.status).toBe(3);
  });

  it('refuses threading.Thread and os.fork() in one line, exit 2', () => {
    expect(expectUsageError(memplay(['run', script('thread')]))).toMatch(/^memplay: threading\.Thread cannot run: .*multiprocessing\.Process/);
    expect(expectUsageError(memplay(['run', script('fork')]))).toMatch(/^memplay: os\.fork\(\) cannot run: .*\(use multiprocessing\.Process\)$/);
  });

  // The two hung runs mostly wait for their --timeout: they run at once.
  it.concurrent('names the processes still running at --timeout, with the line each is blocked at, and ends the run cleanly', async () => {
    const { result, seconds } = await hungPythonRun([script('hangs')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `memplay: timeout: after ${seconds} s, still running (now ended):\n  MainProcess: blocked at line 12: process.join()\n  Sleeper: blocked at line 5: event.wait()\n`,
    );
  }, 2 * SLOW);

  it.concurrent('ends a --repeat of a hung Pool at each --timeout and exits 1 (its terminated workers leave no lock held)', async () => {
    const result = await memplayAsync(['run', script('pool-hangs'), '--repeat', '2', '--timeout', '5', '--json'], SLOW);
    expect(result.status).toBe(1);
    expect((JSON.parse(result.stdout) as JsonRuns).outcomes).toEqual([{ outcome: '(timeout)', count: 2 }]);
  }, SLOW);

  it('a script that cannot be read is a usage error', () => {
    expect(expectUsageError(memplay(['run', 'no-such-script.py']))).toMatch(/^memplay: cannot read the script no-such-script\.py: ENOENT$/);
  });
});

/** Whether `text` holds every piece, each after the one before. */
function inOrder(text: string, pieces: readonly string[]): boolean {
  let from = 0;
  for (const piece of pieces) {
    const at = text.indexOf(piece, from);
    if (at < 0) return false;
    from = at + piece.length;
  }
  return true;
}
