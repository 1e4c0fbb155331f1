import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI, bounded: a hang fails the test instead of stalling it. */
function memplay(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<Ran> {
  return new Promise((resolve) => {
    execFile('node', [join(root, 'bin', 'memplay.js'), ...args], { cwd: root, timeout: timeoutMs, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const SMALL = ['--work', '50', '--round-trips', '10'];

describe('memplay gil: bad input', () => {
  const cases: [string, string[]][] = [
    ['an unknown workload', ['--workload', 'gpu']],
    ['zero workers', ['--workers', '0']],
    ['a switch interval of 0', ['--switch-interval', '0']],
    ['a negative switch interval', ['--switch-interval', '-0.005']],
    ['an unknown mode', ['--modes', 'serial,bogus']],
    ['a mode named twice', ['--modes', 'threads,threads']],
    ['work that overflows the 32-bit loop counter', ['--work', '5000000', '--workers', '2']],
    ['negative round trips', ['--round-trips', '-1']],
    ['an unknown option', ['--bogus']],
  ];
  it.each(cases)('refuses %s with one line on stderr and exit code 2', async (_name, args) => {
    const { code, stdout, stderr } = await memplay(['gil', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^memplay: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('memplay gil', () => {
  it('prints one JSON document with every mode, the convoy and the reading', async () => {
    const { code, stdout } = await memplay(['gil', ...SMALL, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.lab.modes.map((mode: { mode: string }) => mode.mode)).toEqual(['serial', 'threads', 'processes', 'free-threaded']);
    expect(report.convoy.runs).toHaveLength(3);
    expect(report.reading[0]).toMatch(/^CPU-bound, \d+ workers on \d+ cores: threads/);
    expect(report.cpython).toBeNull();
  });

  it('draws the timeline of each mode and of the convoy', async () => {
    const { code, stdout } = await memplay(['gil', ...SMALL, '--workers', '2', '--modes', 'serial,threads', '--timeline']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^threads 0 \|[#~. ]+\|$/m);
    expect(stdout).toMatch(/^threads 1 \|[#~. ]+\|$/m);
    expect(stdout).toMatch(/^convoy: I\/O \|/m);
    expect(stdout).toContain('. waiting for the GIL');
  });

  it('says clearly, without failing, when python3 is missing', async () => {
    const { code, stdout } = await memplay(['gil', ...SMALL, '--modes', 'serial,threads', '--compare-cpython'], {
      MEMPLAY_PYTHON: '/nonexistent/python3',
    });
    expect(code).toBe(0);
    expect(stdout).toContain('CPython comparison: not run: /nonexistent/python3 was not found on this machine');
  });

  it.skipIf(!hasPython())('sets CPython\'s measured speed-ups beside the model\'s', async () => {
    const { code, stdout } = await memplay(['gil', '--workload', 'io', '--work', '20', ...SMALL.slice(2), '--modes', 'serial,threads,processes', '--compare-cpython', '--json']);
    expect(code).toBe(0);
    const { cpython } = JSON.parse(stdout);
    expect(cpython.available).toBe(true);
    expect(cpython.python).toMatch(/^3\./);
    expect(cpython.modes.map((mode: { mode: string }) => mode.mode)).toEqual(['serial', 'threads', 'processes']);
    expect(cpython.modes.every((mode: { wallMs: number }) => mode.wallMs > 0)).toBe(true);
    expect(cpython.convoy.roundTrips).toBe(10);
  });
});
