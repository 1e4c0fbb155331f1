/*
 * The scenario format: `export default defineScenario({...})`.
 *
 * A scenario is a small concurrent program that mirrors a Python snippet, plus
 * the rules to judge it, in the style of a jcstress test: setup() creates the
 * shared objects (Value, SharedArray, Lock, Condition, ...); each variant says
 * what every worker does with them and how a finished run is judged (an outcome
 * key, classified ACCEPTABLE / INTERESTING / FORBIDDEN by the variant's list).
 * Variants may have any names (lowercase words joined by dashes, not `all`); the
 * built-in scenarios call theirs `racy` and `fixed`, plus other fixes.
 *
 * defineScenario() checks the definition and brands it with its runtime
 * (src/harness/definition.ts), so the coordinator can tell a scenario module from
 * any other and allocate and attach in the scenario's own module graph.
 */
import { brandDefinition, hasBrand, type DefinitionRuntime } from '../harness/definition.js';
import type { BaseParams, ScenarioParams } from '../harness/protocol.js';
import { checkedOutcomes, type Classification, type HangKind, type OutcomeSpec } from './outcome.js';
import type { Random } from './prng.js';
import type { WorkerView } from '../harness/board.js';
import { callerLocation } from '../user-code-error.js';
import { describeValue } from '../text/describe-value.js';

export type { BaseParams, ScenarioParams, WorkerView };

/** What a worker's function receives besides the shared objects. */
export interface WorkerContext<P extends ScenarioParams = ScenarioParams> {
  /** This worker's number, 0 .. workers-1. */
  readonly index: number;
  readonly workers: number;
  readonly params: P;
  /** Which run of the variant this is, from 0. */
  readonly repeat: number;
  /** This worker's seeded random stream (--seed), floats in [0, 1). */
  readonly random: Random;
  /** The worker thread's id, as Lock.ownerThreadId reports it. */
  readonly threadId: number;
  /** Reports `steps` of progress: the watchdog tells a stall from slow work by it. */
  progress(steps?: number): void;
  /** Sleeps `seconds` (time.sleep), blocking only this worker. */
  sleep(seconds: number): void;
  /**
   * A scheduling point of the scenario's own (`memplay explore` may switch workers
   * here), for code that touches shared memory with no point of its own (raw bytes
   * of SharedMemory.buf); nothing at all outside a controlled run.
   */
  point(label: string): void;
}

/** The verdict on one finished run. */
export interface Judgement {
  /** A short outcome key the variant classifies, e.g. "counter<400000". */
  readonly outcome: string;
  /** What was seen, e.g. "counter=312345 (lost 87655 updates)". */
  readonly observed: string;
  /** What a correct run gives, e.g. "counter=400000". */
  readonly expected?: string;
  /** The run's figures as data, for --json: e.g. { counter: 312345, expected: 400000, lost: 87655 }. */
  readonly values?: Readonly<Record<string, number | string | boolean>>;
}

export interface FinishedRun<P extends ScenarioParams, S, R> {
  /** The shared objects, as the main thread sees them after every worker finished. */
  readonly shared: S;
  /** Each worker's return value, by worker index. */
  readonly results: readonly R[];
  readonly params: P;
}

export type Judge<P extends ScenarioParams, S, R> = (run: FinishedRun<P, S, R>) => Judgement;

export interface VariantDefinition<P extends ScenarioParams, S, R> {
  /** One line: what this variant's workers do. */
  readonly summary: string;
  /** The Python this variant mirrors (a few lines). */
  readonly python?: string;
  /** What one worker does; runs in a worker thread on the attached shared objects. */
  readonly worker: (shared: S, context: WorkerContext<P>) => R | Promise<R>;
  /** The outcomes this variant allows, with their classification. */
  readonly outcomes: readonly OutcomeSpec[] | ((params: P) => readonly OutcomeSpec[]);
  /** Overrides the scenario's judge for this variant. */
  readonly judge?: Judge<P, S, R>;
  /** What a run that never finishes is called (default 'deadlock'). */
  readonly hang?: HangKind;
  /**
   * Defaults of this variant that differ from the scenario's, e.g. more iterations
   * for a racy variant whose window is narrow; what the caller gives still wins.
   */
  readonly params?: Partial<P>;
  /**
   * The worker count `memplay explore` gives this variant unless --workers says
   * otherwise (default 2, or minWorkers): for a racy variant, the fewest workers
   * with which its race needs at most two preemptions, dfs's default bound.
   */
  readonly exploreWorkers?: number;
}

export interface ScenarioDefinition<P extends ScenarioParams, S, R> {
  /** The name `memplay run` takes: lowercase words joined by dashes. */
  readonly name: string;
  /** One line for `memplay list`. */
  readonly summary: string;
  /** A short paragraph: what goes wrong, why, and the Python it mirrors. */
  readonly explain: string;
  /** Default parameters; --workers, --iterations, --repeat and --timeout override them. */
  readonly params: P;
  /**
   * Parameters of the scenario's own (not workers or iterations) that `memplay
   * explore` uses instead of `params`: sizes small enough for an exhaustive search
   * of schedules (every shared read and write is a step), e.g. { cells: 2 }.
   */
  readonly exploreParams?: Readonly<Record<string, number>>;
  readonly minWorkers?: number;
  readonly maxWorkers?: number;
  /**
   * Seconds without any ctx.progress() from an unfinished worker after which a run
   * counts as hung, without waiting for the timeout. Leave it out when workers
   * do not report progress.
   */
  readonly stallSeconds?: number;
  /** Creates the shared objects of one run (on the main thread). */
  readonly setup: (params: P, random: Random) => S;
  /** Releases what setup() made outside shared memory (e.g. temporary files), after each run. */
  readonly teardown?: (shared: S) => void;
  /** Judges a finished run; a variant may override it. */
  readonly judge?: Judge<P, S, R>;
  /** For a hung run: one line per worker saying what it holds and waits for, where the scenario can tell. */
  readonly diagnose?: (shared: S, workers: readonly WorkerView[]) => string[];
  readonly variants: Readonly<Record<string, VariantDefinition<P, S, R>>>;
  /**
   * The words the report prints for this scenario's classifications where the race
   * words do not fit (a demonstration that is not a race), e.g.
   * { INTERESTING: 'AS CPYTHON DOES' }. --json keeps the classifications and adds this.
   */
  readonly vocabulary?: Vocabulary;
}

export type Vocabulary = Readonly<Partial<Record<Classification, string>>>;

/** What the coordinator needs from the scenario's own module graph. */
export type ScenarioRuntime = DefinitionRuntime;

export const SCENARIO_BRAND = Symbol.for('memplay.scenario');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Scenario<P extends ScenarioParams = any, S = any, R = any> = ScenarioDefinition<P, S, R> & {
  readonly [SCENARIO_BRAND]: ScenarioRuntime;
};

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Checks a scenario definition and marks it as one; scenario modules export its result as default. */
export function defineScenario<P extends ScenarioParams, S, R>(definition: ScenarioDefinition<P, S, R>): Scenario<P, S, R> {
  checkDefinition(definition as unknown as ScenarioDefinition<ScenarioParams, unknown, unknown>);
  return brandDefinition(SCENARIO_BRAND, definition, callerLocation(defineScenario));
}

/** Whether a module's default export is a scenario made by defineScenario (from any copy of memplay). */
export function isScenario(value: unknown): value is Scenario {
  return hasBrand(value, SCENARIO_BRAND);
}

export function runtimeOf(scenario: Scenario): ScenarioRuntime {
  return scenario[SCENARIO_BRAND];
}

/** The parameters every scenario has (the command line's --workers, --iterations, --repeat and --timeout). */
const STANDARD_PARAMS: readonly string[] & readonly ('workers' | 'iterations' | 'repeat' | 'timeout')[] = ['workers', 'iterations', 'repeat', 'timeout'];

function checkDefinition(definition: ScenarioDefinition<ScenarioParams, unknown, unknown>): void {
  const fail = (problem: string): never => {
    throw new TypeError(`scenario ${JSON.stringify(definition?.name ?? '?')}: ${problem}`);
  };
  if (definition === null || typeof definition !== 'object') fail('defineScenario needs an object');
  if (typeof definition.name !== 'string' || !NAME.test(definition.name)) fail('name must be lowercase words joined by dashes');
  for (const field of ['summary', 'explain'] as const) if (typeof definition[field] !== 'string') fail(`${field} must be a string`);
  if (typeof definition.setup !== 'function') fail('setup must be a function');
  const params = definition.params ?? fail('params are missing');
  for (const field of STANDARD_PARAMS) {
    if (typeof params[field] !== 'number' || !(params[field] > 0)) fail(`params.${field} must be a number > 0`);
  }
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(`params.${name} must be a number (a parameter of your own is numeric, as the command line gives it), not ${describeValue(value)}`);
  }
  for (const [name, value] of Object.entries(definition.exploreParams ?? {})) {
    if (STANDARD_PARAMS.includes(name)) fail(`exploreParams.${name}: explore takes workers and iterations from its own options`);
    if (!(name in params)) fail(`exploreParams.${name} is not one of params`);
    if (typeof value !== 'number' || !(value > 0)) fail(`exploreParams.${name} must be a number > 0`);
  }
  checkWorkerBounds(definition.minWorkers, definition.maxWorkers, fail);
  const variants = Object.entries(definition.variants ?? {});
  for (const [classification, word] of Object.entries(definition.vocabulary ?? {})) {
    if (!['ACCEPTABLE', 'INTERESTING', 'FORBIDDEN'].includes(classification) || typeof word !== 'string' || word === '') {
      fail(`vocabulary maps ACCEPTABLE, INTERESTING or FORBIDDEN to a word, not ${JSON.stringify(classification)} to ${JSON.stringify(word)}`);
    }
  }
  if (variants.length === 0) fail('variants must name at least one variant');
  for (const [name, variant] of variants) {
    if (name === 'all' || !NAME.test(name)) fail(`variant name ${JSON.stringify(name)} is not allowed`);
    if (typeof variant.worker !== 'function') fail(`variant ${name} has no worker function`);
    if (typeof (variant.judge ?? definition.judge) !== 'function') fail(`variant ${name} has no judge (and the scenario none)`);
    if (variant.outcomes === undefined) fail(`variant ${name} lists no outcomes`);
    if (typeof variant.outcomes !== 'function') checkVariantPart(`variant ${name}`, () => checkedOutcomes(variant.outcomes), fail);
    for (const [key, value] of Object.entries(variant.params ?? {})) {
      if (!(key in params)) fail(`variant ${name}: params.${key} is not one of the scenario's params`);
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(`variant ${name}: params.${key} must be a number, not ${describeValue(value)}`);
      if (STANDARD_PARAMS.includes(key) && !((value as number) > 0)) fail(`variant ${name}: params.${key} must be a number > 0, not ${describeValue(value)}`);
    }
    const { exploreWorkers } = variant;
    if (exploreWorkers !== undefined && !(Number.isInteger(exploreWorkers) && exploreWorkers >= (definition.minWorkers ?? 1) && exploreWorkers <= (definition.maxWorkers ?? Infinity))) {
      fail(`variant ${name}: exploreWorkers must be a whole number of workers from minWorkers to maxWorkers`);
    }
  }
}

/** Runs a check of part of a variant; its TypeError is the definition's, prefixed with the variant. */
function checkVariantPart(what: string, check: () => unknown, fail: (problem: string) => never): void {
  try {
    check();
  } catch (error) {
    fail(`${what}: ${(error as Error).message}`);
  }
}

/** minWorkers and maxWorkers, when given, are whole numbers from 1, the first no more than the second (else no --workers could run). */
export function checkWorkerBounds(min: unknown, max: unknown, fail: (problem: string) => never): void {
  for (const [name, value] of [['minWorkers', min], ['maxWorkers', max]] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= 1)) fail(`${name} must be a whole number >= 1`);
  }
  if (min !== undefined && max !== undefined && (min as number) > (max as number)) fail(`minWorkers (${min}) is more than maxWorkers (${max})`);
}
