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

describe('worker start-up', () => {
  it('starts and joins both the memplay worker and the bare one, each posting its one message', async () => {
    for (const kind of ['memplay', 'bare'] as const) expect(await workerStartup(kind, 2)).toBeGreaterThan(0);
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
  });
});
