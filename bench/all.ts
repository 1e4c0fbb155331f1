/*
 * npm run bench: memplay's primitives against a C pthread program and CPython, in
 * one run, on this machine.
 *
 *   Lock pair, uncontended    acquire + release on one thread, ns per pair; against the
 *                             bare floor (Atomics.compareExchange + Atomics.store), a
 *                             pthread mutex, threading.Lock and multiprocessing.Lock
 *   Lock, 2 workers           two workers on one Lock around a one-word critical
 *                             section, ops per second; against 2 threads on a pthread
 *                             mutex, on a threading.Lock, 2 processes on a multiprocessing.Lock
 *   ping-pongs                two workers hand a turn back and forth, us per round trip:
 *                             Condition (against a pthread condvar, threading.Condition),
 *                             two Semaphores (against raw futex(2), two threading.Semaphores),
 *                             bare Atomics.wait/notify (against raw futex(2))
 *   worker start-up           start a worker and wait for its end, us per worker; against
 *                             pthread_create + join and threading.Thread start + join, and
 *                             a bare `new Worker` that posts one message (the floor)
 *
 * Then three more tables, with min(--reps, 3) repetitions each: the Lock scaling table
 * (scaling-table.ts: 1-16 workers on one Lock and on 4, memplay, C and CPython, with
 * throughput and Jain's fairness index), the scenario table (scenario-table.ts:
 * `memplay run <scenario>` for every built-in scenario, wall time and its phases) and
 * the memory model's (pymem.ts: alloc+free rates, collections, host bytes per object).
 *
 * The contenders are bench/contenders/pthread-bench.c (compiled here with cc, see
 * lib/pthread-contender.ts) and bench/contenders/cpython-bench.py (python3); a missing
 * cc or python3 skips its column with a note. Every child process has a time limit.
 *
 * Ping-pong figures on a virtual machine swing tenfold with where the scheduler puts
 * the two threads, so the hand-off rows are measured with every contender pinned to
 * CPU 0 (taskset -c 0; memplay's run is the child process pinned-pong.ts); the same
 * rows unpinned are given beside them, for reference only.
 *
 * Each repetition runs every measurement once, row by row, memplay then C then
 * CPython, so machine noise hits all alike; after one warm-up round, --reps rounds
 * (default 7). The table gives median [min-max] and the ratio of medians
 * memplay/C, memplay/CPython and memplay/floor, and checks issues 7's and 16's targets. The
 * same figures, with the machine and its load average, go to bench/results/latest.json.
 *
 * Usage: node dist/bench/all.js [--reps N] [--quick] [--out FILE] [--tables main,scaling,scenarios,pymem]
 *   --quick   a tenth of the operations and 2 repetitions: checks the script, not the machine
 *   --tables  which tables to run (default all four)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { textTable } from '../src/text/table.js';
import { packageRoot } from '../src/package-info.js';
import { Lock } from '../src/sync/lock.js';
import { WorkerPool } from '../src/harness/worker-pool.js';
import { listOf, parseCommandLine, positiveInteger, refuse } from './lib/arguments.js';
import { measure, onCpu0, probe } from './lib/contender.js';
import { cpythonCommand, findCpython } from './lib/cpython-contender.js';
import { interleave } from './lib/interleave.js';
import { floorOnFixedView, kernelWord, lockPairs } from './lib/lock-loops.js';
import { describeMachine, loadAverage, type Machine } from './lib/machine.js';
import { buildPthreadBench, pthreadCommand, removePthreadBench, type PthreadBench } from './lib/pthread-contender.js';
import { spread, type Spread } from './lib/spread.js';
import { lockContention, type PongKind } from './lib/worker-pair.js';
import { workerStartup } from './lib/worker-startup.js';
import { AVERAGE_BYTES_TARGET, formatPymemBench, judgePymem, runPymemBench, TUPLE_RATE_TARGET, type PymemBenchRow } from './pymem.js';
import { formatScalingTable, judgeScaling, runScalingTable, type ScalingRow, type ScalingTarget } from './scaling-table.js';
import { formatScenarioTable, runScenarioTable, SCENARIO_TARGET_SECONDS, type ScenarioRow } from './scenario-table.js';

type Contender = 'memplay' | 'C' | 'CPython';
type Unit = 'ns/pair' | 'ops/s' | 'us/round-trip' | 'us/thread';

/** One thing measured by one contender, once per repetition. */
interface Probe {
  id: string;
  contender: Contender;
  /** What exactly runs, for the legend. */
  what: string;
  run: () => Promise<number>;
}

interface RowSpec {
  label: string;
  unit: Unit;
  /** For hand-off rows: whether every contender ran on CPU 0 alone. */
  pinned?: boolean;
  /** Probe ids per column. */
  memplay: string;
  c?: string;
  cpython?: string;
  floor?: string;
}

export interface Cell {
  what: string;
  /** null when the contender was skipped or every run failed (see the notes). */
  spread: Spread | null;
  /** Every repetition's figure, in the order run (failed runs left out). */
  samples: number[];
}

export interface BenchRow {
  label: string;
  unit: Unit;
  pinned: boolean | null;
  memplay: Cell;
  c: Cell | null;
  cpython: Cell | null;
  floor: Cell | null;
  /** Ratios of medians, memplay / the column, in the row's unit. */
  vsC: number | null;
  vsCpython: number | null;
  vsFloor: number | null;
}

export interface TargetResult {
  row: string;
  target: string;
  ratio: number | null;
  met: boolean | null;
}

export interface BenchReport {
  date: string;
  reps: number;
  quick: boolean;
  machine: Machine & { cc: string | null; python: string | null };
  loadAverage: { start: [number, number, number]; end: [number, number, number] };
  pinning: string;
  /** Operations per run of each measurement. */
  sizes: Sizes;
  rows: BenchRow[];
  targets: TargetResult[];
  /** The Lock scaling table, when run. */
  scaling: { reps: number; milliseconds: number; rows: ScalingRow[]; targets: ScalingTarget[] } | null;
  /** The scenario wall-time table, when run. */
  scenarios: { reps: number; rows: ScenarioRow[] } | null;
  /** The memory model's table (bench/pymem.ts), when run. */
  pymem: { reps: number; rows: PymemBenchRow[] } | null;
  notes: string[];
}

export const BENCH_TABLES = ['main', 'scaling', 'scenarios', 'pymem'] as const;
export type BenchTable = (typeof BENCH_TABLES)[number];

export interface Sizes {
  memplayPairs: number;
  contended: number;
  pongRounds: number;
  workers: number;
  cPairs: number;
  cContended: number;
  cPongRounds: number;
  cThreads: number;
  pyPairs: number;
  pyContended: number;
  pyProcessContended: number;
  pyPongRounds: number;
  pyThreads: number;
}

const SIZES: Sizes = {
  memplayPairs: 2_000_000,
  contended: 2_000_000,
  pongRounds: 20_000,
  workers: 10,
  cPairs: 20_000_000,
  cContended: 2_000_000,
  cPongRounds: 20_000,
  cThreads: 2_000,
  pyPairs: 1_000_000,
  pyContended: 200_000,
  pyProcessContended: 50_000,
  pyPongRounds: 5_000,
  pyThreads: 500,
};

const CHILD_TIMEOUT_MS = 120_000;
/** How long each scaling run lasts (a tenth with --quick), and the scaling and scenario tables' repetitions at most. */
const SCALING_MS = 300;
const EXTRA_TABLE_REPS = 3;
const PINNED = 'taskset -c 0: both threads of a pair (and their whole process) on CPU 0';

/** Issues 7's and 16's targets, each a bound on one ratio of one row. */
const TARGETS: { row: string; against: 'vsFloor' | 'vsC' | 'vsCpython'; target: string; holds: (ratio: number) => boolean }[] = [
  { row: 'Lock pair, uncontended', against: 'vsFloor', target: 'within 1.05x of the floor (CAS + store)', holds: (r) => r <= 1.05 },
  { row: 'Lock pair, uncontended', against: 'vsC', target: 'within 4x of the C pthread mutex', holds: (r) => r <= 4 },
  {
    row: '  same, vs 1-thread C, mp.Lock',
    against: 'vsC',
    target: 'within 4x of the C mutex in a single-threaded process',
    holds: (r) => r <= 4,
  },
  { row: 'Lock pair, uncontended', against: 'vsCpython', target: "at least 3x faster than CPython's threading.Lock", holds: (r) => r <= 1 / 3 },
  { row: 'Lock, 2 workers contending', against: 'vsC', target: "at least 0.8x C's throughput", holds: (r) => r >= 0.8 },
  { row: 'Condition ping-pong [pinned]', against: 'vsC', target: 'within 1.5x of the pinned C condvar ping-pong', holds: (r) => r <= 1.5 },
  { row: 'Condition ping-pong [pinned]', against: 'vsFloor', target: 'within 1.15x of the pinned bare futex hand-off', holds: (r) => r <= 1.15 },
  { row: 'Semaphore ping-pong [pinned]', against: 'vsFloor', target: 'within 1.10x of the pinned bare futex hand-off', holds: (r) => r <= 1.1 },
  { row: 'worker start + join', against: 'vsFloor', target: 'within 1.15x of a bare Node worker', holds: (r) => r <= 1.15 },
];

const POOL_MODULE = fileURLToPath(new URL('./pinned-pong.js', import.meta.url));

function memplayPong(kind: PongKind, rounds: number, pinned: boolean): () => Promise<number> {
  const command = [process.execPath, POOL_MODULE, kind, String(rounds)];
  return () => measure(pinned ? onCpu0(command) : command, { measurement: `${kind}-pong`, unit: 'us/round-trip' }, CHILD_TIMEOUT_MS);
}

function rowSpecs(): RowSpec[] {
  const handOff = (pinned: boolean): RowSpec[] => {
    const [tag, suffix] = pinned ? [' [pinned]', 'pinned'] : [', unpinned', 'free'];
    return [
      { label: `Condition ping-pong${tag}`, unit: 'us/round-trip', pinned, memplay: `condition-${suffix}`, c: `condvar-${suffix}`, cpython: `condition-${suffix}`, floor: `futex-${suffix}` },
      { label: `Semaphore ping-pong${tag}`, unit: 'us/round-trip', pinned, memplay: `semaphore-${suffix}`, c: `futex-${suffix}`, cpython: `semaphore-${suffix}`, floor: `futex-${suffix}` },
      { label: `futex ping-pong${tag}`, unit: 'us/round-trip', pinned, memplay: `futex-${suffix}`, c: `futex-${suffix}` },
    ];
  };
  const [pinned, free] = [handOff(true), handOff(false)];
  return [
    { label: 'floor: CAS + store, 1 thread', unit: 'ns/pair', memplay: 'floor' },
    { label: 'Lock pair, uncontended', unit: 'ns/pair', memplay: 'lock', c: 'mutex-mt', cpython: 'lock', floor: 'floor' },
    { label: '  same, vs 1-thread C, mp.Lock', unit: 'ns/pair', memplay: 'lock', c: 'mutex-st', cpython: 'lock-mp' },
    { label: 'Lock, 2 workers contending', unit: 'ops/s', memplay: 'contended', c: 'contended', cpython: 'contended' },
    { label: '  same, vs mp.Lock in 2 processes', unit: 'ops/s', memplay: 'contended', cpython: 'contended-mp' },
    ...pinned.flatMap((row, index) => [row, free[index]]),
    { label: 'floor: bare new Worker + join', unit: 'us/thread', memplay: 'startup-bare' },
    { label: 'worker start + join', unit: 'us/thread', memplay: 'startup', c: 'startup', cpython: 'startup', floor: 'startup-bare' },
    { label: '  same, loading lost-update', unit: 'us/thread', memplay: 'startup-lost-update', floor: 'startup-bare' },
    { label: '  same, loading refcount-race', unit: 'us/thread', memplay: 'startup-refcount-race', floor: 'startup-bare' },
  ];
}

interface Setup {
  sizes: Sizes;
  pool: WorkerPool;
  pthread: PthreadBench | { unavailable: string };
  cpython: Awaited<ReturnType<typeof findCpython>>;
  canPin: boolean;
}

/** The hand-off probes for each pinning the machine allows: on CPU 0 (when taskset works) and free. */
function eachPinning(canPin: boolean, make: (pinned: boolean, suffix: 'pinned' | 'free') => Probe[]): Probe[] {
  return (canPin ? [true, false] : [false]).flatMap((pinned) => make(pinned, pinned ? 'pinned' : 'free'));
}

function memplayProbes({ sizes, pool, canPin }: Setup): Probe[] {
  const word = kernelWord('fixed');
  const lock = new Lock();
  const probes: Probe[] = [
    { id: 'floor', contender: 'memplay', what: 'Atomics.compareExchange + Atomics.store on a fixed-length view of a kernel word', run: async () => floorOnFixedView(word) },
    { id: 'lock', contender: 'memplay', what: 'Lock.acquire() + release()', run: async () => lockPairs(lock) },
    {
      id: 'contended',
      contender: 'memplay',
      what: '2 pool workers, one Lock, counter += 1 inside',
      run: async () => 1e9 / (await lockContention(pool, sizes.contended)),
    },
    { id: 'startup', contender: 'memplay', what: 'a one-seat Crew whose worker attaches the kernel and answers one task, until its exit', run: () => workerStartup('memplay', sizes.workers) },
    ...['lost-update', 'refcount-race'].map((scenario) => ({
      id: `startup-${scenario}`,
      contender: 'memplay' as const,
      what: `the same, its task loading the built-in scenario ${scenario} (a scenario worker before its start gate)`,
      run: () => workerStartup(`scenario:${scenario}`, sizes.workers),
    })),
    { id: 'startup-bare', contender: 'memplay', what: 'bare new Worker that posts one message, until its exit', run: () => workerStartup('bare', sizes.workers) },
  ];
  const pongs: [PongKind, string][] = [
    ['condition', 'Condition(Lock) wait/notify'],
    ['semaphore', 'two Semaphores, acquire mine / release theirs'],
    ['futex', 'bare Atomics.wait / Atomics.notify on one word'],
  ];
  return probes.concat(
    eachPinning(canPin, (pinned, suffix) =>
      pongs.map(([kind, what]) => ({ id: `${kind}-${suffix}`, contender: 'memplay', what, run: memplayPong(kind, sizes.pongRounds, pinned) })),
    ),
  );
}

function pthreadProbes({ sizes, pthread, canPin }: Setup): Probe[] {
  if ('unavailable' in pthread) return [];
  const run = (measurement: string, operations: number, unit: Unit, pinned = false, process: 'single-threaded' | 'multi-threaded' = 'single-threaded') => () =>
    measure(pthreadCommand(pthread, measurement, operations, pinned, process), { measurement, unit }, CHILD_TIMEOUT_MS);
  const probes: Probe[] = [
    { id: 'mutex-mt', contender: 'C', what: 'pthread_mutex_lock + unlock, in a process that has started a thread', run: run('uncontended', sizes.cPairs, 'ns/pair', false, 'multi-threaded') },
    { id: 'mutex-st', contender: 'C', what: "the same in a process that never started a thread (glibc then skips the atomics)", run: run('uncontended', sizes.cPairs, 'ns/pair') },
    { id: 'contended', contender: 'C', what: '2 threads, one pthread mutex, counter += 1 inside', run: run('contended', sizes.cContended, 'ops/s') },
    { id: 'startup', contender: 'C', what: 'pthread_create + pthread_join', run: run('startup', sizes.cThreads, 'us/thread') },
  ];
  return probes.concat(
    eachPinning(canPin, (pinned, suffix) => [
      { id: `condvar-${suffix}`, contender: 'C', what: 'pthread mutex + condvar', run: run('condvar-pong', sizes.cPongRounds, 'us/round-trip', pinned) },
      { id: `futex-${suffix}`, contender: 'C', what: 'raw futex(2) wait/wake on one word', run: run('futex-pong', sizes.cPongRounds, 'us/round-trip', pinned) },
    ]),
  );
}

function cpythonProbes({ sizes, cpython, canPin }: Setup): Probe[] {
  if ('unavailable' in cpython) return [];
  const run = (measurement: string, operations: number, unit: Unit, pinned = false) => () =>
    measure(cpythonCommand(cpython, measurement, operations, pinned), { measurement, unit }, CHILD_TIMEOUT_MS);
  const probes: Probe[] = [
    { id: 'lock', contender: 'CPython', what: 'threading.Lock acquire + release', run: run('uncontended', sizes.pyPairs, 'ns/pair') },
    { id: 'lock-mp', contender: 'CPython', what: 'multiprocessing.Lock acquire + release', run: run('uncontended-mp', sizes.pyPairs, 'ns/pair') },
    { id: 'contended', contender: 'CPython', what: '2 threads, one threading.Lock, counter += 1 inside', run: run('contended', sizes.pyContended, 'ops/s') },
    {
      id: 'contended-mp',
      contender: 'CPython',
      what: '2 processes, one multiprocessing.Lock, a RawValue += 1 inside',
      run: run('contended-mp', sizes.pyProcessContended, 'ops/s'),
    },
    { id: 'startup', contender: 'CPython', what: 'threading.Thread start + join', run: run('startup', sizes.pyThreads, 'us/thread') },
  ];
  return probes.concat(
    eachPinning(canPin, (pinned, suffix) => [
      { id: `condition-${suffix}`, contender: 'CPython', what: 'threading.Condition wait/notify', run: run('condition-pong', sizes.pyPongRounds, 'us/round-trip', pinned) },
      { id: `semaphore-${suffix}`, contender: 'CPython', what: 'two threading.Semaphores', run: run('semaphore-pong', sizes.pyPongRounds, 'us/round-trip', pinned) },
    ]),
  );
}

const probeKey = (contender: Contender, id: string) => `${contender}/${id}`;

/** The probes in the order one repetition runs them: row by row, memplay, C, CPython, each once. */
function runOrder(rows: RowSpec[], probes: Map<string, Probe>): Probe[] {
  const order = new Map<string, Probe>();
  for (const row of rows) {
    for (const [contender, id] of [['memplay', row.memplay], ['C', row.c], ['CPython', row.cpython]] as const) {
      const found = id === undefined ? undefined : probes.get(probeKey(contender, id));
      if (found !== undefined) order.set(probeKey(contender, found.id), found);
    }
  }
  return [...order.values()];
}

/** A failed run is a note and a missing sample, not the end of the bench. */
function tolerant(probe: Probe, notes: Set<string>): () => Promise<number> {
  return async () => {
    try {
      return await probe.run();
    } catch (error) {
      notes.add(`${probe.contender} ${probe.id}: ${(error as Error).message}`);
      return NaN;
    }
  };
}

function buildRows(rows: RowSpec[], probes: Map<string, Probe>, samples: Map<string, number[]>): BenchRow[] {
  const cell = (contender: Contender, id: string | undefined): Cell | null => {
    if (id === undefined) return null;
    const found = probes.get(probeKey(contender, id));
    if (found === undefined) return { what: 'skipped (see notes)', spread: null, samples: [] };
    const finite = (samples.get(probeKey(contender, id)) ?? []).filter(Number.isFinite);
    return { what: found.what, spread: finite.length === 0 ? null : spread(finite), samples: finite };
  };
  const ratio = (ours: Cell, theirs: Cell | null) =>
    ours.spread === null || theirs?.spread == null ? null : ours.spread.median / theirs.spread.median;
  return rows.map((row) => {
    const memplay = cell('memplay', row.memplay)!;
    const [c, cpython, floor] = [cell('C', row.c), cell('CPython', row.cpython), cell('memplay', row.floor)];
    return {
      label: row.label,
      unit: row.unit,
      pinned: row.pinned ?? null,
      memplay,
      c,
      cpython,
      floor,
      vsC: ratio(memplay, c),
      vsCpython: ratio(memplay, cpython),
      vsFloor: ratio(memplay, floor),
    };
  });
}

function judgeTargets(rows: BenchRow[]): TargetResult[] {
  return TARGETS.map(({ row, against, target, holds }) => {
    const ratio = rows.find((one) => one.label === row)?.[against] ?? null;
    return { row, target, ratio, met: ratio === null ? null : holds(ratio) };
  });
}

export async function runAllBench(options: { reps: number; quick: boolean; tables: readonly BenchTable[] }): Promise<BenchReport> {
  const start = loadAverage();
  const sizes = options.quick ? scaled(SIZES, 0.1) : SIZES;
  const notes = new Set<string>();
  const [pthread, cpython, pin] = await Promise.all([buildPthreadBench(), findCpython(), probe(onCpu0(['true']))]);
  if ('unavailable' in pthread) notes.add(pthread.unavailable);
  if ('unavailable' in cpython) notes.add(cpython.unavailable);
  if (!pin.ok) notes.add(`cannot pin to CPU 0 (${pin.reason}): the hand-off rows are unpinned only`);
  const pool = new WorkerPool({ threads: 2 });
  try {
    const setup: Setup = { sizes, pool, pthread, cpython, canPin: pin.ok };
    const probes = new Map(
      [...memplayProbes(setup), ...pthreadProbes(setup), ...cpythonProbes(setup)].map((one) => [probeKey(one.contender, one.id), one]),
    );
    const specs = options.tables.includes('main') ? rowSpecs().filter((row) => row.pinned !== true || pin.ok) : [];
    const order = runOrder(specs, probes);
    const measured = await interleave(options.reps, order.map((one) => tolerant(one, notes)));
    const samples = new Map(order.map((one, index) => [probeKey(one.contender, one.id), measured[index]]));
    const rows = buildRows(specs, probes, samples);
    const extraReps = Math.min(options.reps, EXTRA_TABLE_REPS);
    let scaling: BenchReport['scaling'] = null;
    if (options.tables.includes('scaling')) {
      const milliseconds = options.quick ? SCALING_MS / 10 : SCALING_MS;
      const scalingRows = await runScalingTable({ reps: extraReps, milliseconds }, pthread, cpython, notes);
      scaling = { reps: extraReps, milliseconds, rows: scalingRows, targets: judgeScaling(scalingRows) };
    }
    const scenarios = options.tables.includes('scenarios') ? { reps: extraReps, rows: await runScenarioTable(extraReps, notes) } : null;
    const pymem = options.tables.includes('pymem') ? { reps: extraReps, rows: runPymemBench(extraReps) } : null;
    return {
      date: new Date().toISOString(),
      reps: options.reps,
      quick: options.quick,
      machine: {
        ...describeMachine(),
        cc: 'unavailable' in pthread ? null : pthread.cc,
        python: 'unavailable' in cpython ? null : cpython.version,
      },
      loadAverage: { start, end: loadAverage() },
      pinning: pin.ok ? PINNED : 'none (taskset unavailable)',
      sizes,
      rows,
      targets: [...judgeTargets(rows), ...extraTargets(scaling, scenarios, pymem)],
      scaling,
      scenarios,
      pymem,
      notes: [...notes],
    };
  } finally {
    await pool.destroy();
    if (!('unavailable' in pthread)) await removePthreadBench(pthread.folder);
  }
}

/** The scaling and scenario tables' targets, in the main target list. */
function extraTargets(scaling: BenchReport['scaling'], scenarios: BenchReport['scenarios'], pymem: BenchReport['pymem']): TargetResult[] {
  const found: TargetResult[] = (scaling?.targets ?? []).map((target) => ({
    row: `Lock scaling, ${target.locks} lock(s)`,
    target: 'memplay at 16 workers >= half its 2-worker throughput',
    ratio: target.ratio,
    met: target.met,
  }));
  if (scenarios !== null) {
    const slowest = Math.max(...scenarios.rows.map((row) => row.total?.median ?? Infinity));
    found.push({
      row: 'memplay run <scenario>, slowest',
      target: `every built-in scenario in ${SCENARIO_TARGET_SECONDS} s or less (ratio: slowest / ${SCENARIO_TARGET_SECONDS} s)`,
      ratio: Number.isFinite(slowest) ? slowest / SCENARIO_TARGET_SECONDS : null,
      met: Number.isFinite(slowest) ? slowest <= SCENARIO_TARGET_SECONDS : null,
    });
  }
  if (pymem !== null) {
    const judged = judgePymem(pymem.rows);
    found.push(
      {
        row: 'memory model: host bytes per object',
        target: `at most ${AVERAGE_BYTES_TARGET} on average over the pymem workload (ratio: average / ${AVERAGE_BYTES_TARGET})`,
        ratio: judged.averageBytes / AVERAGE_BYTES_TARGET,
        met: judged.bytesMet,
      },
      {
        row: 'memory model: 1-tuple alloc+free',
        target: `at least ${TUPLE_RATE_TARGET / 1e6} M pairs/s (ratio: rate / target)`,
        ratio: judged.tuplesPerSecond / TUPLE_RATE_TARGET,
        met: judged.rateMet,
      },
    );
  }
  return found;
}

function scaled(sizes: Sizes, factor: number): Sizes {
  return Object.fromEntries(Object.entries(sizes).map(([key, value]) => [key, Math.max(1, Math.round(value * factor))])) as unknown as Sizes;
}

// ---- the table ----

/** Figures with three significant digits or so; ops/s shown in millions. */
function figure(value: number, unit: Unit): string {
  const shown = unit === 'ops/s' ? value / 1e6 : value;
  return shown >= 100 ? shown.toFixed(0) : shown >= 10 ? shown.toFixed(1) : shown.toFixed(2);
}

function showCell(cell: Cell | null, unit: Unit): string {
  if (cell === null) return '-';
  if (cell.spread === null) return 'skipped';
  const { median, min, max } = cell.spread;
  return `${figure(median, unit)} [${figure(min, unit)}-${figure(max, unit)}]`;
}

const showRatio = (ratio: number | null) => (ratio === null ? '-' : `${ratio.toFixed(2)}x`);

function rowVerdict(row: BenchRow, targets: TargetResult[]): string {
  const mine = targets.filter((target) => target.row === row.label && target.met !== null);
  if (mine.length === 0) return '';
  const met = mine.filter((target) => target.met).length;
  return met === mine.length ? (mine.length === 1 ? 'met' : `met ${met}/${mine.length}`) : `MISSED ${mine.length - met}/${mine.length}`;
}

export function formatAllBench(report: BenchReport): string {
  const { machine } = report;
  const [loadStart, loadEnd] = [report.loadAverage.start[0], report.loadAverage.end[0]];
  const header = [
    `memplay vs C (pthreads) vs CPython: median [min-max] over ${report.reps} repetitions, contenders alternated within each${report.quick ? ' (--quick: a tenth of the work)' : ''}`,
    `machine: ${machine.cpu}, ${machine.cores} cores${machine.virtual ? ' (virtual machine)' : ''}, ${machine.kernel}; node ${machine.node}; ` +
      `${machine.python ?? 'no python3'}; ${machine.cc ?? 'no cc'}`,
    `load average (1 min): ${loadStart} at start, ${loadEnd} at end; ${report.date}`,
    `[pinned] rows: ${report.pinning}; unpinned rows are for reference only`,
    'ratios are memplay median / contender median in the row\'s unit: below 1 memplay is faster, except ops/s (M ops/s shown) where above 1 it is',
  ];
  const table = textTable(
    ['measurement', 'unit', 'memplay', 'C', 'CPython', 'memplay/C', 'memplay/CPython', 'memplay/floor', 'target'],
    report.rows.map((row) => [
      row.label,
      row.unit === 'ops/s' ? 'M ops/s' : row.unit,
      showCell(row.memplay, row.unit),
      showCell(row.c, row.unit),
      showCell(row.cpython, row.unit),
      showRatio(row.vsC),
      showRatio(row.vsCpython),
      showRatio(row.vsFloor),
      rowVerdict(row, report.targets),
    ]),
  );
  const targets = textTable(
    ['target', 'row', 'ratio', 'verdict'],
    report.targets.map((target) => [target.target, target.row.trim(), showRatio(target.ratio), target.met === null ? 'not measured' : target.met ? 'met' : 'MISSED']),
  );
  const legend = report.rows.map((row) => {
    const parts = [['memplay', row.memplay], ['C', row.c], ['CPython', row.cpython]] as const;
    return `  ${row.label.trim()}: ${parts.filter(([, cell]) => cell !== null).map(([name, cell]) => `${name} = ${cell!.what}`).join('; ')}`;
  });
  const notes = report.notes.map((note) => `  note: ${note}`);
  const extra = [
    ...(report.scaling === null ? [] : ['', formatScalingTable(report.scaling.rows, report.scaling.targets, report.scaling)]),
    ...(report.scenarios === null ? [] : ['', formatScenarioTable(report.scenarios.rows, report.scenarios.reps)]),
    ...(report.pymem === null ? [] : ['', `memory model (bench/pymem.ts), ${report.pymem.reps} repetitions:`, formatPymemBench(report.pymem.rows)]),
  ];
  const main = report.rows.length === 0 ? [] : ['', table];
  return [...header, ...main, ...extra, '', targets, '', 'what each row runs:', ...dedupe(legend), ...notes].join('\n');
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}

// ---- command line ----

interface Options {
  reps: number;
  quick: boolean;
  out: string;
  tables: BenchTable[];
}

const COMMAND_LINE = {
  script: 'bench',
  usage: `[--reps N] [--quick] [--out FILE] [--tables ${BENCH_TABLES.join(',')}]`,
  options: { reps: { type: 'string' }, quick: { type: 'boolean', default: false }, out: { type: 'string' }, tables: { type: 'string' } },
} as const;

function parseArguments(argv: string[]): Options {
  const { values } = parseCommandLine(COMMAND_LINE, argv);
  if (values.out === '') refuse(COMMAND_LINE, '--out needs a file name');
  return {
    reps: values.reps === undefined ? (values.quick ? 2 : 7) : positiveInteger(COMMAND_LINE, '--reps', values.reps, 999),
    quick: values.quick,
    out: values.out ?? join(packageRoot(), 'bench', 'results', 'latest.json'),
    tables: values.tables === undefined ? [...BENCH_TABLES] : listOf(COMMAND_LINE, '--tables', values.tables, BENCH_TABLES),
  };
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const report = await runAllBench(options);
  process.stdout.write(`${formatAllBench(report)}\n`);
  await mkdir(dirname(options.out), { recursive: true });
  await writeFile(options.out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`(written to ${options.out})\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
