/*
 * What the machine gave a GIL lab run: how much other work competed for its
 * cores, before and while the lab ran. Every figure the lab prints is a measured
 * time, and on a busy machine those times measure the other programs too: a
 * "processes" mode that cannot get two cores gains nothing, and would teach the
 * opposite of the truth. This module says when the figures cannot be trusted.
 *
 * Readings (Linux; elsewhere only os.loadavg()):
 *   /proc/loadavg            "1.52 0.80 0.31 3/412 9876": the 1-minute load average
 *                            and, in the fourth field, the scheduling entities
 *                            (threads) runnable right now across the machine
 *   /proc/self/task/N/stat   the third field is this process's thread N's state;
 *                            'R' is running or runnable
 * Runnable threads of other programs = the machine's runnable count minus this
 * process's own (its reading thread included). A sampler takes one reading every
 * SAMPLE_MS from before the first mode to after the last.
 *
 * Verdict: the parallel modes need min(workers, cores) cores. When other programs
 * kept more than HALF_A_CORE of those busy on average, the figures are
 * untrustworthy, and the report says so first. Where the OS does not count
 * runnable threads, the load average at the start stands in for that count (a
 * lagging one: it also counts memplay's own last command, so it is not used where
 * the counts exist: 0.66 on 2 cores after one `memplay gil` warned of a machine
 * that then gave every mode its cores). The CPU parallelism of each mode (lab.ts: the CPU time of
 * all its workers over its wall time) is the other, after-the-fact check.
 *
 * For tests: MEMPLAY_FAKE_LOADAVG replaces the contents of /proc/loadavg (same
 * format), so a test can present a busy machine without making one.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

export const FAKE_LOADAVG_ENV = 'MEMPLAY_FAKE_LOADAVG';
const SAMPLE_MS = 100;
const HALF_A_CORE = 0.5;

export interface LoadSample {
  /** The 1-minute load average. */
  loadAverage: number;
  /** Threads of other programs runnable at that moment; null where the OS does not say. */
  othersRunnable: number | null;
}

export interface MachineLoad {
  cores: number;
  /** The cores the parallel modes need: min(workers, cores). */
  coresNeeded: number;
  /** The first reading, taken before any mode ran. */
  atStart: LoadSample;
  /** How many readings were taken, from before the first mode to after the last. */
  samples: number;
  /** The mean and the most of other programs' runnable threads over the readings (null without them). */
  othersRunnableMean: number | null;
  othersRunnableMax: number | null;
  /** The reasons not to trust the figures, in plain words; empty when the machine looked free. */
  warnings: string[];
}

/** One reading of the machine's load. */
export function readLoad(): LoadSample {
  const fake = process.env[FAKE_LOADAVG_ENV];
  const text = fake ?? readText('/proc/loadavg');
  if (text === null) return { loadAverage: loadavg()[0], othersRunnable: null };
  const [load1, , , running] = text.trim().split(/\s+/);
  const runnable = Number(running?.split('/')[0]);
  const loadAverage = Number(load1);
  return {
    loadAverage: Number.isFinite(loadAverage) ? loadAverage : loadavg()[0],
    othersRunnable: Number.isInteger(runnable) ? Math.max(0, runnable - ownRunnableThreads()) : null,
  };
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** This process's threads that are running or runnable (at least the one reading). */
function ownRunnableThreads(): number {
  let running = 0;
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return 1;
  }
  for (const task of tasks) {
    const stat = readText(`/proc/self/task/${task}/stat`);
    // The state follows the command name, which is in parentheses and may hold spaces.
    if (stat !== null && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'R') running++;
  }
  return Math.max(1, running);
}

/** Readings every SAMPLE_MS until stopped; the first one at once. */
export class LoadSampler {
  readonly #samples: LoadSample[] = [readLoad()];
  readonly #timer: NodeJS.Timeout;

  constructor() {
    this.#timer = setInterval(() => this.#samples.push(readLoad()), SAMPLE_MS);
    this.#timer.unref();
  }

  /** Stops sampling and judges what the run was given. */
  stop(workers: number, cores = availableParallelism()): MachineLoad {
    clearInterval(this.#timer);
    this.#samples.push(readLoad());
    return judgeLoad(this.#samples, workers, cores);
  }
}

export function judgeLoad(samples: readonly LoadSample[], workers: number, cores: number): MachineLoad {
  const coresNeeded = Math.min(workers, cores);
  const counts = samples.map((sample) => sample.othersRunnable).filter((count): count is number => count !== null);
  const mean = counts.length === 0 ? null : counts.reduce((sum, count) => sum + count, 0) / counts.length;
  const max = counts.length === 0 ? null : Math.max(...counts);
  const atStart = samples[0];
  const spareAllowed = cores - coresNeeded + HALF_A_CORE;
  const warnings: string[] = [];
  if (mean !== null && mean > spareAllowed) {
    warnings.push(
      `other programs kept ${mean.toFixed(1)} threads runnable on average (at most ${max}) on this machine's ${cores} cores ` +
        `while the lab ran, and the parallel modes need ${coresNeeded} of them`,
    );
  }
  if (mean === null && atStart.loadAverage > spareAllowed) {
    warnings.push(`the load average was ${atStart.loadAverage.toFixed(2)} on ${cores} cores when the run began: the last minute was busy`);
  }
  return { cores, coresNeeded, atStart, samples: samples.length, othersRunnableMean: mean, othersRunnableMax: max, warnings };
}
