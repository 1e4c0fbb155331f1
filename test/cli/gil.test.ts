import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memplayAsync } from '../helpers/cli.js';
import { needsPython3, python3 } from '../helpers/python3.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the built CLI in the project's folder with `env` added to this process's, bounded: a hang fails the test instead of stalling it. */
const memplay = (args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000) => memplayAsync(args, timeoutMs, { cwd: root, env: { ...process.env, ...env } });

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
    const { status, stdout, stderr } = await memplay(['gil', ...args]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^memplay: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('memplay gil', () => {
  it('prints one JSON document with every mode, the convoy and the reading', async () => {
    const { status, stdout } = await memplay(['gil', ...SMALL, '--json']);
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.lab.modes.map((mode: { mode: string }) => mode.mode)).toEqual(['serial', 'threads', 'processes', 'free-threaded']);
    expect(report.convoy.runs).toHaveLength(3);
    expect(report.reading[0]).toMatch(/^(On this busy machine \(see the warning above\), )?CPU-bound, \d+ workers on \d+ cores: threads/);
    expect(typeof report.machine.trustworthy).toBe('boolean');
    expect(report.cpython).toBeNull();
  });

  it('on a machine loaded with 4 busy processes, says first that the figures cannot be trusted', async () => {
    const busy = { MEMPLAY_FAKE_LOADAVG: '4.02 3.95 3.10 6/412 9876' };
    const text = await memplay(['gil', ...SMALL, '--modes', 'serial,processes'], busy);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^WARNING: these figures cannot be trusted: this machine was busy\. Other programs\s+kept/);
    expect(text.stdout).toMatch(/load average 4\.02 at the start/);
    const json = await memplay(['gil', ...SMALL, '--modes', 'serial,processes', '--json'], busy);
    const report = JSON.parse(json.stdout);
    expect(report.machine.trustworthy).toBe(false);
    expect(report.machine.warnings[0]).toMatch(/^other programs kept \d+\.\d threads runnable/);
    expect(report.reading[0]).toMatch(/^On this busy machine \(see the warning above\), CPU-bound/);
  });

  it('shows the CPU parallelism each mode achieved in every run', async () => {
    const { status, stdout } = await memplay(['gil', ...SMALL, '--workers', '2']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^mode +workers +wall ms +speed-up +CPUs used /m);
    for (const mode of ['serial', 'threads', 'processes', 'free-threaded']) expect(stdout).toMatch(new RegExp(`^${mode} +\\d +\\d+ +[\\d.]+x +\\d+\\.\\d\\d `, 'm'));
  });

  it('prints the workers default once in --help', async () => {
    const { status, stdout } = await memplay(['gil', '--help']);
    expect(status).toBe(0);
    expect(stdout.match(/\(default:/g)?.length).toBeGreaterThan(0);
    const workers = stdout.slice(stdout.indexOf('--workers'), stdout.indexOf('--work ')).replace(/\s+/g, ' ');
    expect(workers).toMatch(/^--workers <n> threads or processes in the parallel modes, 1-64 \(default: the number of cores, \d+\) $/);
  });

  it('draws the timeline of each mode and of the convoy', async () => {
    const { status, stdout } = await memplay(['gil', ...SMALL, '--workers', '2', '--modes', 'serial,threads', '--timeline']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^threads 0 \|[#~. ]+\|$/m);
    expect(stdout).toMatch(/^threads 1 \|[#~. ]+\|$/m);
    expect(stdout).toMatch(/^convoy: I\/O \|/m);
    expect(stdout).toContain('. waiting for the GIL');
  });

  it('says clearly, without failing, when python3 is missing', async () => {
    const { status, stdout } = await memplay(['gil', ...SMALL, '--modes', 'serial,threads', '--compare-cpython'], {
      MEMPLAY_PYTHON: '/nonexistent/python3',
    });
    expect(status).toBe(0);
    expect(stdout).toContain('CPython comparison: not run: /nonexistent/python3 was not found on this machine');
  });

  it.skipIf(python3 === null)(needsPython3('sets CPython\'s measured speed-ups beside the model\'s'), async () => {
    const { status, stdout } = await memplay(['gil', '--workload', 'io', '--work', '20', ...SMALL.slice(2), '--modes', 'serial,threads,processes', '--compare-cpython', '--json']);
    expect(status).toBe(0);
    const { cpython } = JSON.parse(stdout);
    expect(cpython.available).toBe(true);
    expect(cpython.python).toMatch(/^3\./);
    expect(cpython.modes.map((mode: { mode: string }) => mode.mode)).toEqual(['serial', 'threads', 'processes']);
    expect(cpython.modes.every((mode: { wallMs: number }) => mode.wallMs > 0)).toBe(true);
    expect(cpython.convoy.roundTrips).toBe(10);
  });
});
