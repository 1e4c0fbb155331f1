/*
 * Runs one variant of a scenario `repeat` times on real worker threads, as a
 * jcstress test runs one actor set many times, and judges every run.
 *
 * Each run is a HarnessRun (src/harness/run.ts): fresh shared objects (setup,
 * in the run's scope), a run board and a start gate; its workers are seats of the
 * scenario run's crew, and a worker still busy when the run ends (a hang, or a
 * failure that left it blocked) has its waits cancelled, or is terminated and
 * replaced (HarnessRun.end). Every run ends: finished and judged, failed (a worker
 * threw or exited: outcome "error"), or hung (the watchdog fired: outcome
 * "deadlock" or "livelock", with what the scenario can tell of who waits on what).
 * What the scenario's own code raises in setup, a worker or the judge (or a
 * judge's result of the wrong shape) is the run's "error" outcome, located in
 * the scenario's file; teardown and diagnose failing are the file's UserCodeError.
 */
import { fileURLToPath } from 'node:url';
import { callUserCode, callUserCodeWithin } from '../user-code.js';
import { locationSuffix, nameAndMessage, UserCodeError, userFrames } from '../user-code-error.js';
import { defaultKernel } from '../shm/kernel.js';
import { RunBoard, type WorkerState } from '../harness/board.js';
import type { Crew } from '../harness/crew.js';
import { compiledWhenBuilt } from '../harness/module-finder.js';
import type { RunSeat, VariantResult, VariantTask } from '../harness/protocol.js';
import { HarnessRun } from '../harness/run.js';
import { toWire } from '../harness/wire.js';
import { watchRun, type HangReason, type WatchResult } from '../harness/watchdog.js';
import { describeAbandonedLocks } from './abandoned-locks.js';
import { runtimeOf, type Judgement, type Scenario, type ScenarioParams, type VariantDefinition } from './define-scenario.js';
import type { CoordinatorLogger } from './logger.js';
import { describeValue } from '../text/describe-value.js';
import { checkedOutcomes, classify, ERROR_OUTCOME, SLOW_OUTCOME, tallyOutcomes, type Classification, type HangKind, type OutcomeRow, type OutcomeSpec } from './outcome.js';
import { mulberry32, streamSeed } from './prng.js';
import { nounFor } from '../text/counted.js';

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
  readonly hang?: { readonly kind: HangKind; readonly reason: HangReason; readonly waits: readonly string[] };
  /** What raised (worker -1: setup or the judge, on the main thread); `frames`: its stack frames in the scenario's file. */
  readonly error?: { readonly worker: number; readonly name: string; readonly message: string; readonly frames: readonly string[] };
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
  /** Wall-clock seconds for all runs of the variant (with the start of any thread it had to start). */
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
  readonly crew: Crew;
}

/** The worker-side module: the compiled one whenever it is built (workers start faster). */
const TASK_MODULE = compiledWhenBuilt(import.meta.url, './variant-task');
/** setup()'s random stream is told apart from the workers' by this stream number. */
const SETUP_STREAM = 0xffff;

export async function runVariant(options: VariantRunOptions): Promise<VariantReport> {
  const { scenario, variant: name, params } = options;
  const variant = scenario.variants[name];
  const started = performance.now();
  const runs: RunReport[] = [];
  for (let repeat = 0; repeat < params.repeat; repeat++) {
    runs.push(await runOnce(options, variant, repeat));
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

/**
 * One run. Its shared objects are freed when it ends, and only once no worker can
 * touch them: a worker still busy is terminated first (HarnessRun.end).
 */
async function runOnce(options: VariantRunOptions, variant: Variant, repeat: number): Promise<RunReport> {
  const { scenario, params } = options;
  runtimeOf(scenario).adoptKernel(defaultKernel().buffer);
  const specs = callUserCode(scenarioFile(options), `the outcomes of variant ${options.variant}`, () => outcomesOf(variant, params));
  const run = new HarnessRun(params.workers, (workers) => new RunBoard(workers));
  try {
    return await runWorkers(options, variant, run, repeat, specs);
  } finally {
    await run.end(options.crew);
  }
}

/** One run whose shared objects (setup's, the board, the start gate) all belong to `run`. */
async function runWorkers(options: VariantRunOptions, variant: Variant, run: HarnessRun<RunBoard>, repeat: number, specs: readonly OutcomeSpec[]): Promise<RunReport> {
  const { scenario, params, log } = options;
  const context = { scenario: scenario.name, variant: options.variant, repeat };
  let shared: unknown;
  try {
    shared = run.during(() => bounded(options, 'setup', () => scenario.setup(params, mulberry32(streamSeed(options.seed, repeat, SETUP_STREAM)))));
  } catch (error) {
    if (error instanceof UserCodeError) throw error;
    const failed = failedVerdict(options, 'setup', error, 0);
    log.warn({ ...context, error: observedError(failed) }, 'setup failed');
    return { repeat, ...failed, ...classify(specs, failed.outcome), workers: [] };
  }
  log.info({ ...context, workers: params.workers }, 'run start');
  const wire = toWire(shared);
  const task = (seat: RunSeat): VariantTask => ({ ...seat, scenario: options.moduleUrl, variant: options.variant, repeat, seed: options.seed, params, shared: wire });
  const tasks = run.start<VariantResult>(options.crew, (seat) => ({ module: TASK_MODULE, export: 'runVariantTask', args: [task(seat)] }));
  const watched = await watchRun({
    board: run.board,
    tasks,
    timeoutSeconds: params.timeout,
    stallSeconds: scenario.stallSeconds,
    onFailure: () => run.gate.abort(),
    onWorkerState: (view) => log.debug({ ...context, worker: view.index, threadId: view.threadId, state: view.state }, 'worker state'),
  });
  const workers = run.board.views();
  const judged = verdict(options, variant, watched, shared, workers);
  const report: RunReport = { repeat, ...judged, ...classify(specs, judged.outcome), workers };
  // A hang the variant exists to show is news, not trouble: it is logged at info level, a FORBIDDEN one as a warning.
  const level = report.classification === 'FORBIDDEN' ? log.warn : log.info;
  if (report.hang !== undefined) level.call(log, { ...context, ...report.hang, seconds: report.seconds }, 'watchdog fired: run ended');
  if (report.error !== undefined) logFailure(log, level, context, report.error.worker, observedError(report));
  log.info({ ...context, outcome: report.outcome, classification: report.classification, seconds: report.seconds }, 'run stop');
  callUserCode(scenarioFile(options), 'teardown', () => bounded(options, 'teardown', () => scenario.teardown?.(shared)));
  return report;
}

type Verdict = Omit<RunReport, 'repeat' | 'classification' | 'description' | 'workers'>;

function verdict(options: VariantRunOptions, variant: Variant, watched: WatchResult, shared: unknown, workers: WorkerReport[]): Verdict {
  if (watched.kind === 'hung') return hungVerdict(options, variant, watched, shared, workers);
  if (watched.kind === 'failed') return failedVerdict(options, `worker ${watched.worker}`, watched.error, 0, watched.worker);
  const timed = watched.results as VariantResult[];
  const seconds = Math.max(...timed.map((result) => result.seconds));
  try {
    const judge = (variant.judge ?? options.scenario.judge)!;
    const judgement = checkJudgement(bounded(options, 'the judge', () => judge({ shared, results: timed.map((result) => result.value), params: options.params })), options.scenario);
    return { outcome: judgement.outcome, observed: judgement.observed, expected: judgement.expected, values: judgement.values, seconds };
  } catch (error) {
    if (error instanceof UserCodeError) throw error;
    return failedVerdict(options, 'the judge', error, seconds);
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
  const who = `${nounFor(stuck.length, 'worker')} ${stuck.join(', ')}`;
  if (watched.reason === 'slow' && kind !== 'livelock') {
    const observed = `${who} still making progress after ${options.params.timeout} s: too slow, not hung; terminated (a longer --timeout lets the run finish)`;
    return { outcome: SLOW_OUTCOME, observed, seconds: watched.seconds };
  }
  const why = hangCause(watched.reason, stuck.length, options);
  return {
    outcome: kind,
    observed: `${kind}: ${who} ${why}; ${watched.reason === 'deadlock' ? 'their waits were cancelled' : 'terminated'}`,
    seconds: watched.seconds,
    hang: { kind, reason: watched.reason, waits: [...diagnose(options, shared, workers), ...describeAbandonedLocks(shared, workers)] },
  };
}

function hangCause(reason: HangReason, stuck: number, options: VariantRunOptions): string {
  if (reason === 'deadlock') return stuck === 1 ? 'waits, with no other worker left to wake it' : `${stuck === 2 ? 'both' : 'all'} wait, with no worker left to wake them`;
  if (reason === 'stall') return `no progress for ${options.scenario.stallSeconds} s`;
  return `still running after ${options.params.timeout} s`;
}

/** A judge's result, or a TypeError saying what it should have been (located where the scenario is defined). */
export function checkJudgement(judgement: unknown, scenario: Scenario): Judgement {
  const fields = judgement as Partial<Record<keyof Judgement, unknown>> | null;
  const valid =
    typeof fields === 'object' && fields !== null && typeof fields.outcome === 'string' && typeof fields.observed === 'string' &&
    (fields.expected === undefined || typeof fields.expected === 'string') &&
    (fields.values === undefined || (typeof fields.values === 'object' && fields.values !== null));
  if (valid) return judgement as Judgement;
  const where = runtimeOf(scenario).definedAt;
  throw new TypeError(
    `the judge must return { outcome: string, observed: string, expected?: string, values?: object }, not ${typeof (judgement as PromiseLike<unknown> | null)?.then === 'function' ? 'a Promise (an async judge: it must return its result at once)' : describeValue(judgement)}` +
      (where === undefined ? '' : ` (scenario defined at ${where})`),
  );
}

function diagnose(options: VariantRunOptions, shared: unknown, workers: WorkerReport[]): string[] {
  const { scenario } = options;
  let lines: unknown;
  try {
    lines = bounded(options, 'diagnose', () => scenario.diagnose?.(shared, workers)) ?? [];
  } catch (error) {
    if (error instanceof UserCodeError) throw error;
    return [`(the scenario's diagnose raised ${describeError(error)})`];
  }
  if (Array.isArray(lines) && lines.every((line) => typeof line === 'string')) return lines;
  return [`(the scenario's diagnose must return a list of strings, not ${describeValue(lines)})`];
}

/** What raised, logged: a worker's failure, or (worker -1) the main thread's code: setup or the judge, which is no worker. */
function logFailure(log: CoordinatorLogger, level: CoordinatorLogger['warn'], context: object, worker: number, error: string): void {
  if (worker === -1) level.call(log, { ...context, error }, 'the scenario\'s code failed on the main thread');
  else level.call(log, { ...context, worker, error }, 'worker failed');
}

/** An error as one log field ("RuntimeError: boom"); pino's own `name` field must not be overwritten. */
function observedError(verdict: Pick<Verdict, 'error'>): string {
  return `${verdict.error?.name}: ${verdict.error?.message}`;
}

/** The verdict on a run that failed: `who` raised `error` (worker -1: setup or the judge, on the main thread), located in the scenario's file. */
function failedVerdict(options: VariantRunOptions, who: string, error: unknown, seconds: number, worker = -1): Verdict {
  const { name, message } = nameAndMessage(error);
  const file = scenarioFile(options);
  const observed = `${who} raised ${name}: ${message}${locationSuffix(error, file)}`;
  return { outcome: ERROR_OUTCOME, observed, seconds, error: { worker, name, message, frames: userFrames(error, file) } };
}

/** The scenario's own code on this thread, bounded by the run's --timeout (running past it ends the command). */
function bounded<T>(options: VariantRunOptions, what: string, call: () => T): T {
  return callUserCodeWithin(scenarioFile(options), what, options.params.timeout, call);
}

function scenarioFile(options: VariantRunOptions): string {
  return fileURLToPath(options.moduleUrl);
}

function describeError(error: unknown): string {
  const { name, message } = nameAndMessage(error);
  return `${name}: ${message}`;
}

/** The variant's outcomes for these parameters, checked (outcome.ts's checkedOutcomes: a list given as a function is checked here, each time). */
export function outcomesOf(variant: Variant, params: ScenarioParams): readonly OutcomeSpec[] {
  return checkedOutcomes(typeof variant.outcomes === 'function' ? variant.outcomes(params) : variant.outcomes);
}
