/*
 * npm run bench:gil: the GIL lab's speed-ups against CPython's, measured in the
 * same run.
 *
 * For each workload (cpu, io, mixed; default sizes of `memplay gil`), each
 * repetition runs the model in every mode (lab.ts) and then the same workload in
 * python3 (scripts/gil-workloads.py: serial, threading, multiprocessing), back to
 * back so both see the same load. Speed-ups are against each side's own serial
 * run of that repetition. The convoy is measured once per repetition, in the
 * model and in CPython. The tables give median, min and max over the
 * repetitions and the ratio of the medians, model / CPython, with whether it
 * is within 25%. Without python3 the CPython columns say so.
 *
 * Usage: node dist/bench/gil.js [--reps N] [--workloads cpu,io,mixed] [--json]
 */
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runConvoy } from '../src/gil/convoy.js';
import type { ConvoySetting } from '../src/gil/settings.js';
import { runCpython } from '../src/gil/cpython.js';
import { DEFAULT_ROUND_TRIPS, DEFAULT_SWITCH_INTERVAL, MODES, type Mode } from '../src/gil/settings.js';
import { runLab } from '../src/gil/lab.js';
import { textTable } from '../src/text/table.js';
import { DEFAULT_UNITS, WORKLOADS, type Workload } from '../src/gil/workloads.js';
import { listOf, parseCommandLine, positiveInteger } from './lib/arguments.js';
import { spread, type Spread } from './lib/spread.js';

export interface SpeedupRow {
  workload: Workload;
  mode: Mode;
  model: Spread;
  /** null when python3 is missing or cannot run this mode. */
  cpython: Spread | null;
  /** model median / CPython median. */
  ratio: number | null;
}

export interface ConvoyRow {
  setting: ConvoySetting | 'cpython-alone' | 'cpython-beside-cpu';
  ms: Spread;
  multiple: Spread;
}

export interface GilBench {
  reps: number;
  cores: number;
  /** 1-minute load average before and after the bench: other work on the machine skews every figure. */
  loadAverage: [before: number, after: number];
  workers: number;
  switchInterval: number;
  python: string | null;
  speedups: SpeedupRow[];
  convoy: ConvoyRow[];
}

const PARALLEL_MODES = MODES.filter((mode) => mode !== 'serial');

export async function runGilBench(reps: number, workloads: readonly Workload[]): Promise<GilBench> {
  const workers = availableParallelism();
  const loadBefore = loadavg()[0];
  const switchInterval = DEFAULT_SWITCH_INTERVAL;
  const model = new Map<string, number[]>();
  const cpython = new Map<string, number[]>();
  const add = (into: Map<string, number[]>, key: string, value: number) => into.set(key, [...(into.get(key) ?? []), value]);
  let python: string | null = null;
  for (let rep = 0; rep < reps; rep++) {
    for (const [index, workload] of workloads.entries()) {
      const units = DEFAULT_UNITS[workload];
      const lab = await runLab({ workload, workers, units, switchInterval });
      for (const mode of lab.modes) add(model, `${workload}/${mode.mode}`, mode.speedup ?? NaN);
      const roundTrips = index === 0 ? DEFAULT_ROUND_TRIPS : 0;
      const real = await runCpython({ workload, workers, units, switchInterval, modes: MODES, roundTrips });
      if (!real.available) continue;
      python = real.python;
      for (const mode of real.modes) add(cpython, `${workload}/${mode.mode}`, mode.speedup ?? NaN);
      if (real.convoy !== null) {
        add(cpython, 'convoy/cpython-alone', real.convoy.aloneMs);
        add(cpython, 'convoy/cpython-beside-cpu', real.convoy.besideCpuMs);
      }
    }
    const convoy = await runConvoy({ roundTrips: DEFAULT_ROUND_TRIPS, switchInterval });
    for (const run of convoy.runs) {
      add(model, `convoy/${run.setting}`, run.ioMs);
      add(model, `convoy-multiple/${run.setting}`, run.multiple);
    }
  }
  const speedups = workloads.flatMap((workload) =>
    PARALLEL_MODES.map((mode): SpeedupRow => {
      const ours = spread(model.get(`${workload}/${mode}`) ?? []);
      const theirs = cpython.has(`${workload}/${mode}`) ? spread(cpython.get(`${workload}/${mode}`)!) : null;
      return { workload, mode, model: ours, cpython: theirs, ratio: theirs === null ? null : ours.median / theirs.median };
    }),
  );
  const convoy: ConvoyRow[] = (['alone', 'beside-cpu-gil', 'beside-cpu-no-gil'] as const).map((setting) => ({
    setting,
    ms: spread(model.get(`convoy/${setting}`) ?? []),
    multiple: spread(model.get(`convoy-multiple/${setting}`) ?? []),
  }));
  const alone = cpython.get('convoy/cpython-alone');
  const beside = cpython.get('convoy/cpython-beside-cpu');
  if (alone !== undefined && beside !== undefined) {
    convoy.push(
      { setting: 'cpython-alone', ms: spread(alone), multiple: spread(alone.map(() => 1)) },
      { setting: 'cpython-beside-cpu', ms: spread(beside), multiple: spread(beside.map((ms, rep) => ms / alone[rep])) },
    );
  }
  return { reps, cores: availableParallelism(), loadAverage: [loadBefore, loadavg()[0]], workers, switchInterval, python, speedups, convoy };
}

function showSpread(value: Spread | null, unit = 'x'): string {
  if (value === null) return '-';
  const digits = unit === 'x' ? 2 : 1;
  return `${value.median.toFixed(digits)}${unit} (${value.min.toFixed(digits)}-${value.max.toFixed(digits)})`;
}

export function formatGilBench(bench: GilBench): string {
  const title =
    `GIL lab vs ${bench.python === null ? 'CPython (python3 not available: model only)' : `CPython ${bench.python}`}: ` +
    `${bench.workers} workers, ${bench.cores} cores, switch interval ${bench.switchInterval * 1000} ms, ` +
    `${bench.reps} repetitions, load average ${bench.loadAverage[0].toFixed(2)} before and ${bench.loadAverage[1].toFixed(2)} after; ` +
    'speed-up = serial wall / mode wall, median (min-max)';
  const speedups = textTable(
    ['workload / mode', 'model speed-up', 'CPython speed-up', 'model / CPython', 'within 25%'],
    bench.speedups.map((row) => [
      `${row.workload} / ${row.mode}`,
      showSpread(row.model),
      row.cpython === null ? (row.mode === 'free-threaded' ? 'n/a (GIL build)' : '-') : showSpread(row.cpython),
      row.ratio === null ? '-' : row.ratio.toFixed(2),
      row.ratio === null ? '-' : Math.abs(row.ratio - 1) <= 0.25 ? 'yes' : 'no',
    ]),
  );
  const convoy = textTable(
    [`convoy: ${DEFAULT_ROUND_TRIPS} round trips`, 'I/O thread ms', 'multiple of alone'],
    bench.convoy.map((row) => [row.setting, showSpread(row.ms, ''), showSpread(row.multiple)]),
  );
  return [title, speedups, convoy].join('\n\n');
}

const COMMAND_LINE = {
  script: 'bench:gil',
  usage: '[--reps N] [--workloads cpu,io,mixed] [--json]',
  options: { reps: { type: 'string' }, workloads: { type: 'string' }, json: { type: 'boolean', default: false } },
} as const;

function parseArguments(argv: string[]): { reps: number; workloads: Workload[]; json: boolean } {
  const { values } = parseCommandLine(COMMAND_LINE, argv);
  return {
    reps: values.reps === undefined ? 3 : positiveInteger(COMMAND_LINE, '--reps', values.reps),
    workloads: values.workloads === undefined ? [...WORKLOADS] : listOf(COMMAND_LINE, '--workloads', values.workloads, WORKLOADS),
    json: values.json,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { reps, workloads, json } = parseArguments(process.argv.slice(2));
  const bench = await runGilBench(reps, workloads);
  process.stdout.write(`${json ? JSON.stringify(bench, null, 2) : formatGilBench(bench)}\n`);
  process.exit(0);
}
