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
 *   Semaphore pong       the same hand-off through two Semaphores, acquire mine / release theirs
 *
 * Each row is repeated (--reps, default 11) after a warm-up run, rows of one group in
 * turn (interleaved, so that a row and its baseline share the machine's load); the table gives the
 * median, min and max ns per operation and the ratio of medians against the row's
 * baseline. The loops are shared with `npm run bench` (bench/lib/lock-loops.ts, and
 * bench/lib/worker-pair.ts for the two-worker rows, whose worker side is
 * bench/workers/sync-contend.ts).
 *
 * Usage: node dist/bench/sync.js [--reps N] [--json]
 */
import { parseBenchArguments } from './lib/arguments.js';
import { pathToFileURL } from 'node:url';
import { Lock } from '../src/sync/lock.js';
import { RLock } from '../src/sync/rlock.js';
import { WorkerPool } from '../src/harness/worker-pool.js';
import { interleave } from './lib/interleave.js';
import { floorOnFixedView, floorOnKernelWords, kernelWord, lockPairs, rlockPairs } from './lib/lock-loops.js';
import { spread } from './lib/spread.js';
import { lockContention, pong, spinLockContention } from './lib/worker-pair.js';
import { textTable } from '../src/text/table.js';

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

const CONTENDED_OPERATIONS = 200_000;
const PONG_ROUNDS = 5_000;

function summarize(name: string, samples: number[], baseline?: SyncBenchRow): SyncBenchRow {
  const { median, min, max } = spread(samples);
  return { name, median, min, max, baseline: baseline?.name ?? name, ratio: median / (baseline?.median ?? median) };
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
    const [spinSamples, contendedSamples, futexPongSamples, pongSamples, semaphorePongSamples] = await interleave(reps, [
      () => spinLockContention(pool, CONTENDED_OPERATIONS),
      () => lockContention(pool, CONTENDED_OPERATIONS),
      () => pong(pool, 'futex', PONG_ROUNDS),
      () => pong(pool, 'condition', PONG_ROUNDS),
      () => pong(pool, 'semaphore', PONG_ROUNDS),
    ]);
    const spin = summarize('floor: CAS + store spin lock, 2 workers', spinSamples);
    const futexPong = summarize('futex pong, 2 workers (per round trip)', futexPongSamples);
    rows.push(
      spin,
      summarize('Lock acquire+release, 2 workers', contendedSamples, spin),
      futexPong,
      summarize('Condition pong, 2 workers (per round trip)', pongSamples, futexPong),
      summarize('Semaphore pong, 2 workers (per round trip)', semaphorePongSamples, futexPong),
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
  return textTable(header, body, { left: [0, 5] });
}

async function main(): Promise<void> {
  const options = parseBenchArguments('bench:sync', process.argv.slice(2), 11);
  const rows = await runSyncBench(options.reps);
  process.stdout.write(options.json ? `${JSON.stringify(rows)}\n` : `${formatSyncBench(rows)}\n(${options.reps} repetitions, node ${process.version})\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
