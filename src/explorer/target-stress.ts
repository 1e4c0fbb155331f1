/*
 * A stress target presented to the explorer as a scenario (`memplay stress
 * <target> --explore`): one variant, `stress`, whose worker runs its role's
 * acquire / critical / release `iterations` times (the --ops of the run), with an
 * op context whose hold() and point() are scheduling points and whose check() /
 * violation() end the worker with the violation as its result. The judge makes a
 * violation, a failed finalCheck and a hang FORBIDDEN outcomes; a run where every
 * invariant held is ACCEPTABLE. run-adapter.ts turns a loaded module into a
 * scenario with scenarioOf(), on the main thread and in the workers alike, so
 * the one adapter serves both kinds of target.
 */
import { fileURLToPath } from 'node:url';
import { labelPoint } from '../atomics/scheduling-point.js';
import { askRole } from '../stress/ask-role.js';
import { SCENARIO_BRAND, type Judgement, type Scenario, type ScenarioParams, type WorkerContext } from '../coordinator/define-scenario.js';
import type { OutcomeSpec } from '../coordinator/outcome.js';
import { checkedAcquired, checkedFinalMessage, checkedRole, runtimeOfTarget, type OpContext, type StressParams, type StressTarget } from '../stress/define-target.js';

/** The one variant of a stress target under the explorer (its schedule ids name it). */
export const STRESS_VARIANT = 'stress';

/** What a worker returns: its completed operations, and the violation that ended it, if one did. */
interface StressWorkerResult {
  readonly role: string;
  readonly ops: number;
  readonly violation?: string;
}

const OUTCOMES: readonly OutcomeSpec[] = [
  { key: 'ok', expect: 'ACCEPTABLE', description: 'every invariant held' },
  { key: 'violation', expect: 'FORBIDDEN', description: 'a worker saw an invariant broken (op.check / op.violation)' },
  { key: 'invariant-failed', expect: 'FORBIDDEN', description: "the target's final check failed" },
  { key: 'deadlock', expect: 'FORBIDDEN', description: 'no unfinished worker can ever move again' },
];

/** Raised by op.violation inside an explored worker; caught by the worker's loop. */
class Violation extends Error {}

/** The explore parameters of a stress run: `ops` operations per worker (as iterations) and the seed. */
export function stressExploreParams(workers: number, ops: number, seed: number): ScenarioParams {
  return { workers, iterations: ops, repeat: 1, timeout: 60, seed };
}

function stressParamsOf(params: ScenarioParams): StressParams {
  return { workers: params.workers, ops: params.iterations, duration: null, holdMicros: 0, seed: params.seed ?? 0 };
}

/** The stress target as a scenario, branded with the target's own runtime (its kernel and attach). */
export function scenarioOfStressTarget(target: StressTarget): Scenario {
  const definition = {
    name: target.name,
    summary: target.summary,
    explain: target.invariants.join('; '),
    params: stressExploreParams(2, 2, 0),
    minWorkers: target.minWorkers,
    maxWorkers: target.maxWorkers,
    setup: (params: ScenarioParams) => target.setup(stressParamsOf(params)),
    variants: {
      [STRESS_VARIANT]: {
        summary: `the roles of ${target.name}, a few operations each`,
        worker: (shared: unknown, ctx: WorkerContext) => runRole(target, shared, ctx),
        judge: ({ shared, results, params }: { shared: unknown; results: readonly StressWorkerResult[]; params: ScenarioParams }) => judge(target, shared, results, params),
        outcomes: OUTCOMES,
      },
    },
  };
  return Object.freeze({ ...definition, [SCENARIO_BRAND]: runtimeOfTarget(target) }) as unknown as Scenario;
}

/** One worker: its role's operations, as the stress runner's loop does them, until ops run out, acquire says done, or a violation; op.iteration ends at the operations done, as finish() expects. */
function runRole(target: StressTarget, shared: unknown, ctx: WorkerContext): StressWorkerResult {
  const role = checkedRole(target, ctx.index, ctx.workers);
  const limit = role.stopsWithRun === false ? Infinity : ctx.params.iterations;
  const op = opContext(ctx);
  let ops = 0;
  try {
    for (; ; ops++) {
      op.iteration = ops;
      if (ops >= limit || !checkedAcquired(role.acquire(shared, op))) break;
      role.critical(shared, op);
      role.release(shared, op);
    }
    role.finish?.(shared, op);
    return { role: role.name, ops };
  } catch (error) {
    if (error instanceof Violation) return { role: role.name, ops, violation: `worker ${ctx.index} (op ${ops}): ${error.message}` };
    throw error;
  }
}

function opContext(ctx: WorkerContext): OpContext & { iteration: number } {
  const violation = (message: string): never => {
    throw new Violation(message);
  };
  return {
    worker: ctx.index,
    workers: ctx.workers,
    iteration: 0,
    params: stressParamsOf(ctx.params),
    random: ctx.random,
    threadId: ctx.threadId,
    stopping: false,
    hold: () => labelPoint('hold'),
    point: (label) => labelPoint(label),
    violation,
    check: (ok, message) => {
      if (!ok) violation(message());
    },
  };
}

function judge(target: StressTarget, shared: unknown, results: readonly StressWorkerResult[], params: ScenarioParams): Judgement {
  const violated = results.find((result) => result.violation !== undefined);
  if (violated !== undefined) return { outcome: 'violation', observed: violated.violation! };
  const run = { params: stressParamsOf(params), ops: results.map((result) => result.ops), roles: results.map((result) => result.role) };
  const failed = checkedFinalMessage(target.finalCheck?.(shared, run));
  if (failed !== undefined) return { outcome: 'invariant-failed', observed: failed };
  return { outcome: 'ok', observed: `${run.ops.reduce((sum, ops) => sum + ops, 0)} operations, every invariant held` };
}

/**
 * The explorer's target (run-adapter.ts's ExploreTarget) for a loaded stress
 * target: `workers` workers, `ops` operations each. Each worker's role() is asked
 * for once here first, on the main thread within `seconds`, as the stress runner
 * does: one that raises, loops or answers the wrong shape is the file's error
 * (`role(0, 2)`), not an error outcome of every schedule.
 */
export function exploreTargetOfStress(loaded: { readonly target: StressTarget; readonly moduleUrl: string }, workers: number, ops: number, seed: number, seconds: number) {
  const file = fileURLToPath(loaded.moduleUrl);
  for (let worker = 0; worker < workers; worker++) askRole(file, loaded.target, worker, workers, seconds);
  return { scenario: scenarioOfStressTarget(loaded.target), moduleUrl: loaded.moduleUrl, variant: STRESS_VARIANT, params: stressExploreParams(workers, ops, seed), seed };
}
