/*
 * Runs one variant of a scenario `repeat` times on real worker threads, as a
 * jcstress test runs one actor set many times, and judges every run.
 *
 * Each run gets fresh shared objects (setup), a run board and a start barrier;
 * its workers come from the scenario run's pools (pool-keeper.ts), and a pool is
 * replaced only after a run whose workers had to be terminated (a hang or a
 * failure that left workers blocked). Every run ends: finished and judged, failed (a worker
 * threw or exited: outcome "error"), or hung (the watchdog fired: outcome
 * "deadlock" or "livelock", with what the scenario can tell of who waits on what).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../package-info.js';
import { defaultKernel } from '../shm/kernel.js';
import { Barrier } from '../sync/barrier.js';
import type { WorkerPool } from '../worker-pool.js';
import { runtimeOf, type Judgement, type Scenario, type ScenarioParams, type VariantDefinition } from './define-scenario.js';
import type { CoordinatorLogger } from './logger.js';
import { classify, ERROR_OUTCOME, tallyOutcomes, type Classification, type HangKind, type OutcomeRow, type OutcomeSpec } from './outcome.js';
import type { PoolKeeper } from './pool-keeper.js';
import { mulberry32, streamSeed } from './prng.js';
import { RunBoard, type WorkerState } from './run-board.js';
import { toWire } from './shared-objects.js';
import { settleTask, type TaskResult, type TimedResult } from './task-result.js';
import type { VariantTask } from './variant-task.js';
import { watchRun, type WatchResult } from './watchdog.js';

/** What one worker did in a run. */
export interface WorkerReport {
  readonly index: number;
  readonly threadId: number;
  readonly state: WorkerState;
  readonly progress: number;
}

export interface RunReport {
  readonly repeat: number;
  readonly outcome: string;
  readonly classification: Classification;
  readonly description: string;
  readonly observed: string;
  readonly expected?: string;
  /** The judge's figures as data (Judgement.values), when it gives them. */
  readonly values?: Judgement['values'];
  /** Seconds from the start barrier to the last worker's return (or to the watchdog firing). */
  readonly seconds: number;
  readonly workers: readonly WorkerReport[];
  readonly hang?: { readonly kind: HangKind; readonly reason: 'start' | 'timeout' | 'stall'; readonly waits: readonly string[] };
  readonly error?: { readonly worker: number; readonly name: string; readonly message: string };
}

export interface VariantReport {
  readonly name: string;
  readonly summary: string;
  /** The parameters this variant ran with (the scenario's, or its own defaults where it has them). */
  readonly params: ScenarioParams;
  readonly python?: string;
  readonly runs: readonly RunReport[];
  /** The jcstress outcome table: outcome, count, share, classification. */
  readonly table: readonly OutcomeRow[];
  /** Wall-clock seconds for all runs of the variant (with the start of any pool it had to start). */
  readonly seconds: number;
}

export interface VariantRunOptions {
  readonly scenario: Scenario;
  /** File URL of the scenario's module, which the workers import. */
  readonly moduleUrl: string;
  readonly variant: string;
  readonly params: ScenarioParams;
  readonly seed: number;
  readonly log: CoordinatorLogger;
  /** Where the runs get their workers (shared by all variants of a scenario run). */
  readonly pools: PoolKeeper;
}

/** The worker-side module: the compiled one whenever it is built (workers start faster), else the TypeScript source. */
const COMPILED_TASK = join(packageRoot(), 'dist', 'src', 'coordinator', 'variant-task.js');
const TASK_MODULE = existsSync(COMPILED_TASK)
  ? pathToFileURL(COMPILED_TASK).href
  : new URL(`./variant-task${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
/** setup()'s random stream is told apart from the workers' by this stream number. */
const SETUP_STREAM = 0xffff;

export async function runVariant(options: VariantRunOptions): Promise<VariantReport> {
  const { scenario, variant: name, params } = options;
  const variant = scenario.variants[name];
  const started = performance.now();
  const runs: RunReport[] = [];
  for (let repeat = 0; repeat < params.repeat; repeat++) {
    const { report, poolUsable } = await runOnce(options, variant, options.pools.pool(params.workers), repeat);
    runs.push(report);
    if (!poolUsable) options.pools.retire(params.workers);
  }
  return {
    name,
    summary: variant.summary,
    params,
    python: variant.python,
    runs,
    table: tallyOutcomes(runs),
    seconds: (performance.now() - started) / 1000,
  };
}

type Variant = VariantDefinition<ScenarioParams, unknown, unknown>;

async function runOnce(
  options: VariantRunOptions,
  variant: Variant,
  pool: WorkerPool,
  repeat: number,
): Promise<{ report: RunReport; poolUsable: boolean }> {
  const { scenario, params, log } = options;
  const context = { scenario: scenario.name, variant: options.variant, repeat };
  runtimeOf(scenario).adoptKernel(defaultKernel().buffer);
  let shared: unknown;
  try {
    shared = scenario.setup(params, mulberry32(streamSeed(options.seed, repeat, SETUP_STREAM)));
  } catch (error) {
    const failed = failedVerdict('setup', error, 0);
    log.warn({ ...context, error: observedError(failed) }, 'setup failed');
    return { report: { repeat, ...failed, ...classify(outcomesOf(variant, params), failed.outcome), workers: [] }, poolUsable: true };
  }
  const board = new RunBoard(params.workers);
  const startBarrier = new Barrier(params.workers);
  log.info({ ...context, workers: params.workers }, 'run start');
  const tasks = Array.from({ length: params.workers }, (_, worker) => {
    const task: VariantTask = {
      scenario: options.moduleUrl,
      variant: options.variant,
      worker,
      repeat,
      seed: options.seed,
      params,
      shared: toWire(shared),
      board: board.handle,
      startBarrier: startBarrier.handle,
    };
    return pool.run<TaskResult>(TASK_MODULE, 'runVariantTask', [task]).then(settleTask);
  });
  const watched = await watchRun({
    board,
    tasks,
    timeoutSeconds: params.timeout,
    stallSeconds: scenario.stallSeconds,
    onFailure: () => startBarrier.abort(),
    onWorkerState: (view) => log.debug({ ...context, worker: view.index, threadId: view.threadId, state: view.state }, 'worker state'),
  });
  const workers = board.views();
  const judged = verdict(options, variant, watched, shared, workers);
  const specs = outcomesOf(variant, params);
  const report: RunReport = { repeat, ...judged, ...classify(specs, judged.outcome), workers };
  // A hang the variant exists to show is news, not trouble: it is logged at info level, a FORBIDDEN one as a warning.
  const level = report.classification === 'FORBIDDEN' ? log.warn : log.info;
  if (report.hang !== undefined) level.call(log, { ...context, ...report.hang, seconds: report.seconds }, 'watchdog fired: workers terminated');
  if (report.error !== undefined) level.call(log, { ...context, worker: report.error.worker, error: observedError(report) }, 'worker failed');
  log.info({ ...context, outcome: report.outcome, classification: report.classification, seconds: report.seconds }, 'run stop');
  const poolUsable = watched.kind === 'finished' || workers.every((view) => view.state === 'finished' || view.state === 'failed');
  board.free();
  scenario.teardown?.(shared);
  return { report, poolUsable };
}

type Verdict = Omit<RunReport, 'repeat' | 'classification' | 'description' | 'workers'>;

function verdict(options: VariantRunOptions, variant: Variant, watched: WatchResult, shared: unknown, workers: WorkerReport[]): Verdict {
  if (watched.kind === 'hung') return hungVerdict(options, variant, watched, shared, workers);
  if (watched.kind === 'failed') return failedVerdict(`worker ${watched.worker}`, watched.error, 0, watched.worker);
  const timed = watched.results as TimedResult[];
  const seconds = Math.max(...timed.map((result) => result.seconds));
  try {
    const judge = (variant.judge ?? options.scenario.judge)!;
    const judgement: Judgement = judge({ shared, results: timed.map((result) => result.value), params: options.params });
    return { outcome: judgement.outcome, observed: judgement.observed, expected: judgement.expected, values: judgement.values, seconds };
  } catch (error) {
    return failedVerdict('the judge', error, seconds);
  }
}

function hungVerdict(
  options: VariantRunOptions,
  variant: Variant,
  watched: Extract<WatchResult, { kind: 'hung' }>,
  shared: unknown,
  workers: WorkerReport[],
): Verdict {
  if (watched.reason === 'start') {
    return { outcome: ERROR_OUTCOME, observed: `the workers did not all reach the start barrier within ${watched.seconds} s`, seconds: watched.seconds };
  }
  const kind = variant.hang ?? 'deadlock';
  const stuck = workers.filter((view) => view.state !== 'finished').map((view) => view.index);
  const why = watched.reason === 'stall' ? `no progress for ${options.scenario.stallSeconds} s` : `still running after ${options.params.timeout} s`;
  return {
    outcome: kind,
    observed: `${kind}: worker${stuck.length === 1 ? '' : 's'} ${stuck.join(', ')} ${why}; terminated`,
    seconds: watched.seconds,
    hang: { kind, reason: watched.reason, waits: diagnose(options.scenario, shared, workers) },
  };
}

function diagnose(scenario: Scenario, shared: unknown, workers: WorkerReport[]): string[] {
  try {
    return scenario.diagnose?.(shared, workers) ?? [];
  } catch (error) {
    return [`(the scenario's diagnose raised ${describeError(error)})`];
  }
}

/** An error as one log field ("RuntimeError: boom"); pino's own `name` field must not be overwritten. */
function observedError(verdict: Pick<Verdict, 'error'>): string {
  return `${verdict.error?.name}: ${verdict.error?.message}`;
}

/** The verdict on a run that failed: `who` raised `error` (worker -1: setup or the judge, on the main thread). */
function failedVerdict(who: string, error: unknown, seconds: number, worker = -1): Verdict {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  return { outcome: ERROR_OUTCOME, observed: `${who} raised ${name}: ${message}`, seconds, error: { worker, name, message } };
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function outcomesOf(variant: Variant, params: ScenarioParams): readonly OutcomeSpec[] {
  return typeof variant.outcomes === 'function' ? variant.outcomes(params) : variant.outcomes;
}
