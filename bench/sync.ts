/*
 * npm run bench:sync: what memplay's Lock costs, against the bare floor measured in
 * the same run.
 *
 *   floor, uncontended   Atomics.compareExchange + Atomics.store in a loop on one kernel word,
 *                        through a fixed-length view of its region (as the primitives' fast paths)
 *   floor, kernel.words  the same through the kernel's length-tracking view, which V8 does not
 *                        inline (shows why the primitives keep a fixed view, see region-words.ts)
 *   Lock, uncontended    Lock.acquire() + release() pairs on one thread
 *   RLock, uncontended   the same for RLock (owner check and depth word)
 *   floor, 2 workers     2 workers, a compareExchange/store spin lock around a one-word critical section
 *   Lock, 2 workers      2 workers contending on one Lock around the same critical section
 *   futex pong           2 workers hand a turn back and forth through bare futex wait/wake (per round trip)
 *   Condition pong       the same hand-off through a Condition and its Lock (per round trip)
 *
 * Each row is repeated (--reps, default 11) after a warm-up run, rows of one group in
 * turn (interleaved, so that a row and its baseline share the machine's load); the table gives the
 * median, min and max ns per operation and the ratio of medians against the row's
 * baseline. Worker-side code is bench/workers/sync-contend.ts, run from its compiled
 * .js in dist/bench/workers through a WorkerPool.
 *
 * Usage: node dist/bench/sync.js [--reps N] [--json]
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultKernel } from '../src/shm/kernel.js';
import { Barrier } from '../src/sync/barrier.js';
import { Condition } from '../src/sync/condition.js';
import { Lock } from '../src/sync/lock.js';
import { regionWords } from '../src/sync/region-words.js';
import { RLock } from '../src/sync/rlock.js';
import { WorkerPool } from '../src/worker-pool.js';

export interface SyncBenchRow {
  name: string;
  /** ns per operation over the repetitions. */
  median: number;
  min: number;
  max: number;
  /** The row this one is compared with (its own name for a baseline). */
  baseline: string;
  /** median / baseline median. */
  ratio: number;
}

const UNCONTENDED_OPERATIONS = 2_000_000;
const CONTENDED_OPERATIONS = 200_000;
const PONG_ROUNDS = 5_000;
const WORKER_MODULE = fileURLToPath(new URL('./workers/sync-contend.js', import.meta.url));

type Sample = () => number | Promise<number>;

/**
 * Runs each sample once to warm up, then `reps` rounds of all of them in turn, so
 * that a row and its baseline see the same load on a shared machine; returns each
 * sample's measurements (ns per operation).
 */
async function interleave(reps: number, samples: Sample[]): Promise<number[][]> {
  for (const sample of samples) await sample();
  const measured = samples.map((): number[] => []);
  for (let rep = 0; rep < reps; rep++) {
    for (const [index, sample] of samples.entries()) measured[index].push(await sample());
  }
  return measured;
}

function summarize(name: string, samples: number[], baseline?: SyncBenchRow): SyncBenchRow {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return {
    name,
    median,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    baseline: baseline?.name ?? name,
    ratio: median / (baseline?.median ?? median),
  };
}

function timePerOperation(operations: number, loop: () => void): number {
  const begin = performance.now();
  loop();
  return ((performance.now() - begin) * 1e6) / operations;
}

/** A kernel word, seen through a fixed-length view of its region or through the length-tracking kernel.words. */
function kernelWord(view: 'fixed' | 'length-tracking'): [Int32Array, number] {
  const kernel = defaultKernel();
  const offset = kernel.alloc(16);
  return view === 'fixed' ? [regionWords(kernel, offset, 16), 0] : [kernel.words, offset >> 2];
}

// Each measured loop is its own function, used with one kind of object only: a loop shared
// between, say, Lock and RLock would see two shapes and V8 would stop inlining the calls.
function floorOnFixedView([words, index]: [Int32Array, number]): number {
  return timePerOperation(UNCONTENDED_OPERATIONS, () => {
    for (let i = 0; i < UNCONTENDED_OPERATIONS; i++) {
      Atomics.compareExchange(words, index, 0, 1);
      Atomics.store(words, index, 0);
    }
  });
}

function floorOnKernelWords([words, index]: [Int32Array, number]): number {
  return timePerOperation(UNCONTENDED_OPERATIONS, () => {
    for (let i = 0; i < UNCONTENDED_OPERATIONS; i++) {
      Atomics.compareExchange(words, index, 0, 1);
      Atomics.store(words, index, 0);
    }
  });
}

function lockPairs(lock: Lock): number {
  return timePerOperation(UNCONTENDED_OPERATIONS, () => {
    for (let i = 0; i < UNCONTENDED_OPERATIONS; i++) {
      lock.acquire();
      lock.release();
    }
  });
}

function rlockPairs(rlock: RLock): number {
  return timePerOperation(UNCONTENDED_OPERATIONS, () => {
    for (let i = 0; i < UNCONTENDED_OPERATIONS; i++) {
      rlock.acquire();
      rlock.release();
    }
  });
}

/** Runs one task per argument list on the pool, all released together by a Barrier; ns per operation of the slower. */
async function contended(pool: WorkerPool, task: string, argsFor: (start: Barrier, index: number) => unknown[], operations: number): Promise<number> {
  const start = new Barrier(2);
  const elapsed = await Promise.all([0, 1].map((index) => pool.run<number>(WORKER_MODULE, task, argsFor(start, index))));
  return Math.max(...elapsed) / operations;
}

export async function runSyncBench(reps = 11): Promise<SyncBenchRow[]> {
  const [fixed, lengthTracking] = [kernelWord('fixed'), kernelWord('length-tracking')];
  const [lock, rlock] = [new Lock(), new RLock()];
  const [floorSamples, trackingSamples, lockSamples, rlockSamples] = await interleave(reps, [
    () => floorOnFixedView(fixed),
    () => floorOnKernelWords(lengthTracking),
    () => lockPairs(lock),
    () => rlockPairs(rlock),
  ]);
  const floor = summarize('floor: CAS + store, 1 thread', floorSamples);
  const rows = [
    floor,
    summarize('floor through kernel.words, 1 thread', trackingSamples, floor),
    summarize('Lock acquire+release, 1 thread', lockSamples, floor),
    summarize('RLock acquire+release, 1 thread', rlockSamples, floor),
  ];
  const pool = new WorkerPool({ threads: 2 });
  try {
    const shared = () => new SharedArrayBuffer(16);
    const [spinSamples, contendedSamples, futexPongSamples, pongSamples] = await interleave(reps, [
      () => contended(pool, 'contendSpinFloor', (start) => [start.handle, shared(), CONTENDED_OPERATIONS], 2 * CONTENDED_OPERATIONS),
      () => {
        const [words, mutex] = [shared(), new Lock()];
        return contended(pool, 'contendLock', (start) => [mutex.handle, start.handle, words, CONTENDED_OPERATIONS], 2 * CONTENDED_OPERATIONS);
      },
      () => {
        const words = shared();
        return contended(pool, 'futexPong', (start, me) => [start.handle, words, me, PONG_ROUNDS], PONG_ROUNDS);
      },
      () => {
        const [words, condition] = [shared(), new Condition(new Lock())];
        return contended(pool, 'conditionPong', (start, me) => [condition.handle, start.handle, words, me, PONG_ROUNDS], PONG_ROUNDS);
      },
    ]);
    const spin = summarize('floor: CAS + store spin lock, 2 workers', spinSamples);
    const futexPong = summarize('futex pong, 2 workers (per round trip)', futexPongSamples);
    rows.push(
      spin,
      summarize('Lock acquire+release, 2 workers', contendedSamples, spin),
      futexPong,
      summarize('Condition pong, 2 workers (per round trip)', pongSamples, futexPong),
    );
  } finally {
    await pool.destroy();
  }
  return rows;
}

export function formatSyncBench(rows: SyncBenchRow[]): string {
  const header = ['benchmark', 'median ns/op', 'min', 'max', 'ratio', 'vs baseline'];
  const body = rows.map((row) => [
    row.name,
    row.median.toFixed(1),
    row.min.toFixed(1),
    row.max.toFixed(1),
    `${row.ratio.toFixed(2)}x`,
    row.baseline === row.name ? '(baseline)' : row.baseline,
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...body].map((line) => line[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 || column === 5 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(line)].join('\n');
}

function parseArguments(argv: string[]): { reps: number; json: boolean } {
  let reps = 11;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') json = true;
    else if (argv[i] === '--reps' && /^[1-9]\d*$/.test(argv[i + 1] ?? '')) reps = Number(argv[++i]);
    else throw new Error(`bench:sync: unexpected argument '${argv[i]}' (usage: [--reps N] [--json])`);
  }
  return { reps, json };
}

async function main(): Promise<void> {
  let options: { reps: number; json: boolean };
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const rows = await runSyncBench(options.reps);
  process.stdout.write(options.json ? `${JSON.stringify(rows)}\n` : `${formatSyncBench(rows)}\n(${options.reps} repetitions, node ${process.version})\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
