/*
 * The scaling table of `npm run bench` (lib/scaling.ts): 1, 2, 4, 8 and 16 workers
 * on one Lock and on 4 Locks, for memplay, C pthreads, CPython threads and CPython
 * processes; per row the throughput (M ops/s, median [min-max] over the
 * repetitions) and Jain's fairness index (median). The "shape" columns give each
 * figure over the same contender's 2-worker figure, so memplay's curve can be set
 * beside C's. Issue 16's target: memplay at 16 workers keeps at least half its
 * 2-worker throughput. Within a repetition every configuration runs memplay, C,
 * CPython threads, CPython processes in turn, after one warm-up round of memplay's.
 */
import { textTable } from '../src/text/table.js';
import { WorkerPool } from '../src/harness/worker-pool.js';
import { cpythonCommand, type CpythonBench } from './lib/cpython-contender.js';
import { pthreadCommand, type PthreadBench } from './lib/pthread-contender.js';
import { contenderScaling, memplayScaling, SCALING_LOCKS, SCALING_POOL_THREADS, SCALING_WORKERS, type ScalingFigure } from './lib/scaling.js';
import { spread, type Spread } from './lib/spread.js';

export const SCALING_CONTENDERS = ['memplay', 'C', 'CPython threads', 'CPython processes'] as const;
type ScalingContender = (typeof SCALING_CONTENDERS)[number];

export interface ScalingCell {
  opsPerSecond: Spread;
  fairness: number;
  /** Median throughput over the same contender's 2-worker median, same lock count. */
  shape: number | null;
}

export interface ScalingRow {
  locks: number;
  workers: number;
  cells: Partial<Record<ScalingContender, ScalingCell>>;
}

export interface ScalingTarget {
  locks: number;
  /** memplay's 16-worker median over its 2-worker median. */
  ratio: number | null;
  met: boolean | null;
}

const CHILD_TIMEOUT_MS = 60_000;

type Runner = (workers: number, locks: number) => Promise<ScalingFigure>;

function runners(pool: WorkerPool, pthread: PthreadBench | { unavailable: string }, cpython: CpythonBench | { unavailable: string }, milliseconds: number) {
  const found: [ScalingContender, Runner][] = [['memplay', (workers, locks) => memplayScaling(pool, workers, locks, milliseconds)]];
  const shape = (workers: number, locks: number) => [String(workers), String(locks)];
  if (!('unavailable' in pthread)) {
    found.push(['C', (workers, locks) => contenderScaling([...pthreadCommand(pthread, 'scaling', milliseconds, false), ...shape(workers, locks)], 'scaling', CHILD_TIMEOUT_MS)]);
  }
  if (!('unavailable' in cpython)) {
    for (const [name, measurement] of [['CPython threads', 'scaling'], ['CPython processes', 'scaling-mp']] as const) {
      found.push([name, (workers, locks) => contenderScaling([...cpythonCommand(cpython, measurement, milliseconds, false), ...shape(workers, locks)], measurement, CHILD_TIMEOUT_MS)]);
    }
  }
  return found;
}

const configurations = () => SCALING_LOCKS.flatMap((locks) => SCALING_WORKERS.map((workers) => ({ locks, workers })));
const key = (contender: string, locks: number, workers: number) => `${contender}/${locks}/${workers}`;

export async function runScalingTable(
  options: { reps: number; milliseconds: number },
  pthread: PthreadBench | { unavailable: string },
  cpython: CpythonBench | { unavailable: string },
  notes: Set<string>,
): Promise<ScalingRow[]> {
  const pool = new WorkerPool({ threads: SCALING_POOL_THREADS });
  const figures = new Map<string, ScalingFigure[]>();
  try {
    const all = runners(pool, pthread, cpython, options.milliseconds);
    for (let rep = 0; rep <= options.reps; rep++) {
      for (const { locks, workers } of configurations()) {
        for (const [contender, run] of all) {
          if (rep === 0 && contender !== 'memplay') continue; // the warm-up is for memplay's JIT
          try {
            const figure = await run(workers, locks);
            if (rep > 0) figures.set(key(contender, locks, workers), [...(figures.get(key(contender, locks, workers)) ?? []), figure]);
          } catch (error) {
            notes.add(`scaling ${contender}, ${workers} workers on ${locks} lock(s): ${(error as Error).message}`);
          }
        }
      }
    }
  } finally {
    await pool.destroy();
  }
  return buildScalingRows(figures);
}

function buildScalingRows(figures: Map<string, ScalingFigure[]>): ScalingRow[] {
  const cellOf = (contender: ScalingContender, locks: number, workers: number): ScalingCell | undefined => {
    const runs = figures.get(key(contender, locks, workers));
    if (runs === undefined || runs.length === 0) return undefined;
    return { opsPerSecond: spread(runs.map((run) => run.opsPerSecond)), fairness: spread(runs.map((run) => run.fairness)).median, shape: null };
  };
  return configurations().map(({ locks, workers }) => {
    const cells: ScalingRow['cells'] = {};
    for (const contender of SCALING_CONTENDERS) {
      const cell = cellOf(contender, locks, workers);
      const two = cellOf(contender, locks, 2);
      if (cell !== undefined) cells[contender] = { ...cell, shape: two === undefined ? null : cell.opsPerSecond.median / two.opsPerSecond.median };
    }
    return { locks, workers, cells };
  });
}

/** Issue 16: memplay at 16 workers no lower than half its 2-worker figure, per lock count. */
export function judgeScaling(rows: ScalingRow[]): ScalingTarget[] {
  return SCALING_LOCKS.map((locks) => {
    const ratio = rows.find((row) => row.locks === locks && row.workers === 16)?.cells.memplay?.shape ?? null;
    return { locks, ratio, met: ratio === null ? null : ratio >= 0.5 };
  });
}

const millions = (value: number) => (value / 1e6 >= 10 ? (value / 1e6).toFixed(1) : (value / 1e6).toFixed(2));

export function formatScalingTable(rows: ScalingRow[], targets: ScalingTarget[], options: { reps: number; milliseconds: number }): string {
  const header = ['locks', 'workers', ...SCALING_CONTENDERS.flatMap((name) => [`${name} M ops/s`, 'J']), 'memplay shape', 'C shape'];
  const table = textTable(
    header,
    rows.map((row) => {
      const cells = SCALING_CONTENDERS.flatMap((name) => {
        const cell = row.cells[name];
        if (cell === undefined) return ['-', '-'];
        const { median, min, max } = cell.opsPerSecond;
        return [`${millions(median)} [${millions(min)}-${millions(max)}]`, cell.fairness.toFixed(2)];
      });
      const shape = (name: ScalingContender) => (row.cells[name]?.shape == null ? '-' : `${row.cells[name]!.shape!.toFixed(2)}x`);
      return [String(row.locks), String(row.workers), ...cells, shape('memplay'), shape('C')];
    }),
  );
  const verdicts = targets.map(
    (target) =>
      `memplay, ${target.locks} lock(s): 16 workers at ${target.ratio === null ? '-' : `${target.ratio.toFixed(2)}x`} of 2 workers ` +
      `(target >= 0.5x): ${target.met === null ? 'not measured' : target.met ? 'met' : 'MISSED'}`,
  );
  return [
    `Lock scaling: N workers for ${options.milliseconds} ms each on one Lock or on 4 (worker i takes lock i % 4); median [min-max] over ${options.reps} repetitions;`,
    "J = Jain's fairness index over the workers' op counts (1 = even, 1/N = one worker did all); shape = throughput / the same contender's 2-worker figure",
    table,
    ...verdicts,
  ].join('\n');
}
