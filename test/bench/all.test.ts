/*
 * The pieces of `npm run bench` that decide what the table says: reading the
 * contenders' JSON lines, the statistics, and the C and CPython contenders
 * themselves (when this machine has cc and python3) printing what bench/all.ts
 * expects. Timings are never asserted.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { measure, parseMeasurements, runCommand } from '../../bench/lib/contender.js';
import { cpythonCommand, findCpython } from '../../bench/lib/cpython-contender.js';
import { buildPthreadBench, pthreadCommand, removePthreadBench } from '../../bench/lib/pthread-contender.js';
import { contenderScaling, jainIndex } from '../../bench/lib/scaling.js';
import { phasesOf } from '../../bench/lib/scenario-wall.js';
import { spread } from '../../bench/lib/spread.js';
import { workerStartup } from '../../bench/lib/worker-startup.js';

function hasCommand(command: string[]): boolean {
  try {
    execFileSync(command[0], command.slice(1), { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

describe('spread', () => {
  it('gives the middle run of an odd count and the mean of the two middle runs of an even count', () => {
    expect(spread([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, runs: 3 });
    expect(spread([4, 1, 3, 10])).toEqual({ median: 3.5, min: 1, max: 10, runs: 4 });
  });

  it('refuses to summarize nothing', () => {
    expect(() => spread([])).toThrow(RangeError);
  });
});

describe('parseMeasurements', () => {
  it('reads one measurement a line, in the spacing of both C and Python, ignoring blank lines', () => {
    const stdout = '{"measurement":"uncontended","unit":"ns/pair","value":18.250}\n\n{"measurement": "contended", "unit": "ops/s", "value": 5137875.532}\n';
    expect(parseMeasurements(stdout)).toEqual([
      { measurement: 'uncontended', unit: 'ns/pair', value: 18.25 },
      { measurement: 'contended', unit: 'ops/s', value: 5137875.532 },
    ]);
  });

  it('rejects a line that is not JSON, lacks a field, or has no positive finite value', () => {
    expect(() => parseMeasurements('Segmentation fault\n')).toThrow(/not a JSON measurement/);
    expect(() => parseMeasurements('{"measurement":"x","value":1}')).toThrow(/not a measurement/);
    expect(() => parseMeasurements('{"measurement":"x","unit":"ns/pair","value":0}')).toThrow(/not a measurement/);
    expect(() => parseMeasurements('{"measurement":"x","unit":"ns/pair","value":"7"}')).toThrow(/not a measurement/);
  });
});

describe("Jain's fairness index", () => {
  it('is 1 when every worker did as much, and 1/n when one did all', () => {
    expect(jainIndex([5, 5, 5, 5])).toBe(1);
    expect(jainIndex([8, 0, 0, 0])).toBe(0.25);
    expect(jainIndex([3, 1])).toBeCloseTo(16 / 20);
  });
});

describe('the phases of memplay run', () => {
  const line = (time: number, msg: string, extra: object = {}) => ({ time, msg, variant: 'racy', repeat: 0, ...extra });

  it('splits spawn-to-exit at the first run start, the first run\'s last worker up and the last run stop', () => {
    const lines = [
      line(1_300, 'run start'),
      line(1_500, 'worker state', { worker: 0 }),
      line(1_700, 'worker state', { worker: 1 }),
      line(1_800, 'worker state', { worker: 0 }),
      line(2_000, 'run stop'),
      line(2_100, 'run start', { variant: 'fixed' }),
      line(2_100, 'worker state', { variant: 'fixed', worker: 0 }),
      line(2_600, 'run stop', { variant: 'fixed' }),
    ];
    expect(phasesOf(lines, 1_000, 3_000)).toEqual({ total: 2, cliStart: 0.3, workerStart: 0.4, runs: 0.9, report: 0.4 });
  });

  it('refuses a log without runs', () => {
    expect(() => phasesOf([], 0, 1)).toThrow(/no "run start"/);
  });
});

describe('worker start-up', () => {
  it('starts and joins the memplay worker (alone, and loading a scenario) and the bare one, each answering once', async () => {
    for (const kind of ['memplay', 'scenario:lost-update', 'bare'] as const) expect(await workerStartup(kind, 2)).toBeGreaterThan(0);
  });
});

describe('running a contender', () => {
  it('stops a child that runs past its limit and says so', async () => {
    await expect(runCommand(['sleep', '5'], 200)).rejects.toThrow(/ran past its 0.2 s limit/);
  });

  it('names a program that is not on the machine', async () => {
    await expect(runCommand(['memplay-no-such-program'], 5_000)).rejects.toThrow(/is not on this machine/);
  });

  it.runIf(hasCommand(['cc', '--version']))('builds the C contender and reads a measurement from it', async () => {
    const bench = await buildPthreadBench();
    if ('unavailable' in bench) throw new Error(bench.unavailable);
    try {
      for (const process of ['single-threaded', 'multi-threaded'] as const) {
        const value = await measure(pthreadCommand(bench, 'uncontended', 1000, false, process), { measurement: 'uncontended', unit: 'ns/pair' }, 30_000);
        expect(value).toBeGreaterThan(0);
      }
      await expect(measure(pthreadCommand(bench, 'startup', 10, false), { measurement: 'startup', unit: 'ns/pair' }, 30_000)).rejects.toThrow(/measured us\/thread/);
      const scaling = await contenderScaling([...pthreadCommand(bench, 'scaling', 20, false), '3', '4'], 'scaling', 30_000);
      expect(scaling.opsPerSecond).toBeGreaterThan(0);
      expect(scaling.fairness).toBeGreaterThanOrEqual(1 / 3 - 1e-3);
      expect(scaling.fairness).toBeLessThanOrEqual(1 + 1e-3);
    } finally {
      await removePthreadBench(bench.folder);
    }
  });

  it.runIf(hasCommand(['python3', '--version']))('runs the CPython contender and reads a measurement from it', async () => {
    const bench = await findCpython();
    if ('unavailable' in bench) throw new Error(bench.unavailable);
    expect(bench.version).toMatch(/^Python 3\./);
    const value = await measure(cpythonCommand(bench, 'uncontended', 1000, false), { measurement: 'uncontended', unit: 'ns/pair' }, 30_000);
    expect(value).toBeGreaterThan(0);
    for (const measurement of ['scaling', 'scaling-mp']) {
      const scaling = await contenderScaling([...cpythonCommand(bench, measurement, 20, false), '2', '1'], measurement, 30_000);
      expect(scaling.opsPerSecond).toBeGreaterThan(0);
      expect(scaling.fairness).toBeGreaterThanOrEqual(0.5 - 1e-3);
    }
  });
});
