/*
 * The explorer's one coupling to how memplay starts workers (the harness's
 * Crew) and runs a variant's code (src/coordinator's scenario format):
 * everything else in src/explorer talks to the control region only. A stress
 * target is explored through the same code, as the scenario target-stress.ts
 * makes of it (scenarioOf() serves the main thread and the workers alike).
 *
 * Main-thread side: startCrew() starts one crew seat per worker, each running
 * explore-worker.ts's loop for the whole exploration; prepareRun() makes one
 * run's shared objects (setup() in a RunScope, so they are freed with the run)
 * and their handles as JSON; judgeRun() asks the variant's judge.
 * Worker side: loadWorkerBody() loads the scenario module in the worker and
 * returns the function that runs the variant's code on a run's objects.
 */
import { labelPoint, sleepPoint } from '../atomics/scheduling-point.js';
import { currentThreadId } from '../atomics/thread-identity.js';
import { Crew as HarnessCrew } from '../harness/crew.js';
import { fileURLToPath } from 'node:url';
import { loadModule } from '../harness/load-module.js';
import { compiledWhenBuilt } from '../harness/module-finder.js';
import type { ExploreTask, ScriptToExplore } from '../harness/protocol.js';
import { STARTUP_LIMIT_SECONDS } from '../harness/startup-limit.js';
import { fromWire, toWire } from '../harness/wire.js';
import { defaultKernel } from '../shm/kernel.js';
import { RunScope } from '../shm/run-scope.js';
import { isScenario, runtimeOf, type Judgement, type Scenario, type ScenarioParams, type WorkerContext } from '../coordinator/define-scenario.js';
import type { OutcomeSpec } from '../coordinator/outcome.js';
import { mulberry32, streamSeed } from '../coordinator/prng.js';
import { checkJudgement, outcomesOf } from '../coordinator/run-variant.js';
import { resolveParams } from '../coordinator/run-scenario.js';
import { isStressTarget } from '../stress/define-target.js';
import { ControlRegion, G_QUIT, STATE, W } from './control-region.js';
import { inUserCode } from './code-running.js';
import { scenarioOfStressTarget } from './target-stress.js';
import { callUserCode } from '../user-code.js';

/** Workers of an explored run unless --workers says otherwise. */
const EXPLORE_WORKERS = 2;

/** The worker count explore gives a variant by default: its exploreWorkers, else 2 or the scenario's minimum. */
export function exploreWorkers(scenario: Scenario, variant: string): number {
  return scenario.variants[variant]?.exploreWorkers ?? Math.max(EXPLORE_WORKERS, scenario.minWorkers ?? 1);
}

/** A variant's parameters as explored: the scenario's exploreParams (sizes for an exhaustive search), then the given workers and iterations. */
export function exploredParams(scenario: Scenario, sizes: { workers: number; iterations: number }, variant: string): ScenarioParams {
  return resolveParams(scenario, { ...scenario.exploreParams, ...sizes }, variant);
}

/** A variant to explore, with the parameters of its runs. */
export interface ExploreTarget {
  readonly scenario: Scenario;
  /** File URL of the scenario module, which the workers import. */
  readonly moduleUrl: string;
  readonly variant: string;
  readonly params: ScenarioParams;
  readonly seed: number;
  /** Set when the target is a Python script (its scenario is src/python/script-scenario.ts's). */
  readonly script?: ScriptToExplore;
}

export type { ExploreTask };

export interface Crew {
  /** Ends every worker's loop and stops the threads. */
  stop(): Promise<void>;
}

const WORKER_MODULE = compiledWhenBuilt(import.meta.url, './explore-worker');

/** Starts `control.workers` threads, each looping over the runs the controller gives it; resolves once all are parked, idle. */
export async function startCrew(target: ExploreTarget, control: ControlRegion): Promise<Crew> {
  const crew = new HarnessCrew(control.workers);
  for (let w = 0; w < control.workers; w++) control.set(w, W.STATE, STATE.running);
  const tasks = Array.from({ length: control.workers }, (_, worker) => {
    const task: ExploreTask = { control: control.buffer, worker, scenario: target.moduleUrl, variant: target.variant, params: target.params, seed: target.seed, script: target.script };
    return crew.run<void>(worker, { module: WORKER_MODULE, export: 'exploreWorkerTask', args: [task] });
  });
  const failed = Promise.all(tasks).then(() => Promise.reject(new Error('an explorer worker ended before its crew was stopped')));
  const stop = async (): Promise<void> => {
    Atomics.store(control.words, G_QUIT, 1);
    for (let w = 0; w < control.workers; w++) Atomics.notify(control.words, control.at(w, W.TURN));
    Atomics.notify(control.words, 0);
    await crew.close();
  };
  try {
    await Promise.race([failed, allIdle(control)]);
  } catch (error) {
    await stop();
    throw error;
  }
  failed.catch(() => {});
  return { stop };
}

async function allIdle(control: ControlRegion): Promise<void> {
  const deadline = performance.now() + STARTUP_LIMIT_SECONDS * 1000;
  for (let w = 0; w < control.workers; w++) {
    while (control.get(w, W.STATE) !== STATE.idle) {
      if (performance.now() > deadline) throw new Error(`explorer worker ${w} did not start within ${STARTUP_LIMIT_SECONDS} s`);
      const waiting = Atomics.waitAsync(control.words, control.at(w, W.STATE), STATE.running, 100);
      if (waiting.async) await waiting.value;
    }
  }
}

/** One run's shared objects: made by setup() in a scope of their own, as handles for the workers, and freed by end(). */
export interface PreparedRun {
  readonly shared: unknown;
  readonly wire: string;
  end(): void;
}

export function prepareRun(target: ExploreTarget, run: number): PreparedRun {
  const { scenario, params } = target;
  runtimeOf(scenario).adoptKernel(defaultKernel().buffer);
  const scope = new RunScope();
  const file = fileURLToPath(target.moduleUrl);
  const shared = scope.during(() => inUserCode('setup', () => callUserCode(file, 'setup', () => scenario.setup(params, mulberry32(streamSeed(target.seed, run, SETUP_STREAM))))));
  return {
    shared,
    wire: JSON.stringify(toWire(shared)),
    end: () => {
      try {
        inUserCode('teardown', () => callUserCode(file, 'teardown', () => scenario.teardown?.(shared)));
      } finally {
        scope.end();
      }
    },
  };
}

const SETUP_STREAM = 0xffff;


/** The variant's judgement of a finished run (the judge's own errors propagate). */
export function judgeRun(target: ExploreTarget, shared: unknown, results: readonly unknown[]): Judgement {
  const variant = target.scenario.variants[target.variant];
  const judge = (variant.judge ?? target.scenario.judge)!;
  return checkJudgement(inUserCode('the judge', () => judge({ shared, results, params: target.params })), target.scenario);
}

export function outcomeSpecs(target: ExploreTarget): readonly OutcomeSpec[] {
  return callUserCode(fileURLToPath(target.moduleUrl), `the outcomes of variant ${target.variant}`, () => outcomesOf(target.scenario.variants[target.variant], target.params));
}

/** A module's default export as a scenario to explore: a scenario itself, or a stress target as one; undefined for anything else. */
export function scenarioOf(definition: unknown): Scenario | undefined {
  if (isScenario(definition)) return definition;
  if (isStressTarget(definition)) return scenarioOfStressTarget(definition);
  return undefined;
}

/** The worker's side: the variant's code, ready to run on a run's objects (given as the wire JSON). */
export async function loadWorkerBody(task: ExploreTask): Promise<(wire: string, run: number) => Promise<unknown>> {
  const scenario = task.script !== undefined ? (await import('../python/script-scenario.js')).scriptScenario(task.script) : scenarioOf((await loadModule(task.scenario)).default);
  if (scenario === undefined) throw new TypeError(`${task.scenario} does not export a scenario or a stress target as default`);
  const variant = scenario.variants[task.variant];
  if (variant === undefined) throw new TypeError(`the scenario has no variant ${task.variant}`);
  const attach = runtimeOf(scenario).attach;
  return async (wire, run) => variant.worker(fromWire(JSON.parse(wire), attach), workerContext(task, run));
}

/** The worker context of a controlled run: ctx.point() is a scheduling point, and ctx.sleep() is one too (time is the scheduler's). */
function workerContext(task: ExploreTask, run: number): WorkerContext {
  return {
    index: task.worker,
    workers: task.params.workers,
    params: task.params,
    repeat: run,
    random: mulberry32(streamSeed(task.seed, run, task.worker)),
    threadId: currentThreadId,
    progress: () => {},
    sleep: (seconds) => sleepPoint(seconds),
    point: (label) => labelPoint(label),
  };
}
