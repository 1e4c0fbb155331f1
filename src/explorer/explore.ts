/*
 * Exploring one variant: run schedules chosen by a strategy (strategies.ts) on
 * one crew of parked workers (run-adapter.ts, controller.ts), judge each finished
 * schedule as `memplay run` judges a run, tally the outcomes with their jcstress
 * classification, and keep for every outcome that is not ACCEPTABLE its shortest
 * witness: fewest preemptions, then fewest steps. Each witness is run once more
 * (by its id, so a witness that does not replay is caught here) with the shared
 * state read after every step, for its step table.
 *
 * Each schedule gets fresh shared objects from setup(), freed when it ends. A
 * schedule that hangs (no worker can move) is the variant's hang outcome
 * ("deadlock" unless it says "livelock"), with its wait-for report; its workers
 * are aborted at their next point, so the crew goes on to the next schedule.
 * An exhaustive search (dfs) that ran out of schedules with no FORBIDDEN outcome
 * is "verified" at its bound; one cut short by --schedules or --time is not.
 */
import { fileURLToPath } from 'node:url';
import { callWithin, CallTimedOut } from '../harness/call-within.js';
import { defaultKernel } from '../shm/kernel.js';
import { locationSuffix, nameAndMessage, UserCodeError } from '../user-code-error.js';
import { classify, type Classification } from '../coordinator/outcome.js';
import { Controller, CrewLost, type Execution, type Step } from './controller.js';
import { ControlRegion } from './control-region.js';
import { describeHang, type HangReport } from './hang-report.js';
import { ObjectNames } from './object-names.js';
import { codeRunning } from './code-running.js';
import { judgeRun, outcomeSpecs, prepareRun, startCrew, type ExploreTarget } from './run-adapter.js';
import { formatScheduleId } from './schedule-id.js';
import { describeStep } from './step-text.js';
import { DfsStrategy, PctStrategy, RandomStrategy, ReplayStrategy, replayChooser, type Strategy } from './strategies.js';
import { nounFor } from '../text/counted.js';

export const STRATEGIES = ['dfs', 'pct', 'random'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export interface ExploreOptions {
  readonly strategy: StrategyName;
  /** dfs: the preemption bound K. */
  readonly preemptions: number;
  /** pct: the bug depth d. */
  readonly depth: number;
  /** At most this many schedules (a search cut short is never verified). */
  readonly schedules: number;
  /** At most this many seconds of exploring. */
  readonly seconds: number;
  /** Run just this schedule (a parsed id's choices), `replayTimes` times (default once). */
  readonly replay?: readonly number[];
  readonly replayTimes?: number;
  /** Sees every schedule run to an outcome (tests and the bench script). */
  readonly observe?: (execution: Execution, outcome: string) => void;
}

export interface WitnessRow {
  readonly step: number;
  readonly worker: number;
  readonly operation: string;
  readonly state: string;
}

export interface Witness {
  readonly id: string;
  readonly preemptions: number;
  readonly steps: number;
  readonly rows: readonly WitnessRow[];
  readonly hang?: HangReport;
}

export interface OutcomeSummary {
  readonly outcome: string;
  readonly classification: Classification;
  readonly description: string;
  /** What was observed: in the witness's schedule when there is one (else in the first with this outcome). */
  observed: string;
  count: number;
  witness?: Witness;
  /** Seconds from the start of the exploration (workers' start included) to the first schedule with this outcome. */
  readonly firstSeconds: number;
}

export interface Exploration {
  readonly scenario: string;
  readonly variant: string;
  readonly workers: number;
  readonly iterations: number;
  /** A Python script's exploration: `workers` is the most processes a schedule may have, and there are no iterations. */
  readonly script?: boolean;
  readonly seed: number;
  readonly strategy: StrategyName | 'replay';
  readonly preemptions: number;
  readonly depth: number;
  /** Schedules run to an outcome. */
  readonly schedules: number;
  /** Schedules the search gave up part way (their every continuation was covered elsewhere). */
  readonly abandoned: number;
  readonly steps: number;
  /** Seconds of the whole exploration, workers' start included. */
  readonly seconds: number;
  /** Seconds of the search alone (schedules and witnesses), after the workers started. */
  readonly searchSeconds: number;
  /** The strategy ran out of schedules (for dfs: every schedule within the bound was covered). */
  readonly complete: boolean;
  readonly cutShort: 'schedules' | 'time' | null;
  readonly verified: boolean;
  readonly forbidden: boolean;
  readonly outcomes: readonly OutcomeSummary[];
  /** pct: the per-schedule probability bound 1/(n k^(d-1)) and the k it used. */
  readonly pct?: { readonly probability: number; readonly steps: number };
}

interface Judged {
  readonly outcome: string;
  readonly observed: string;
}

/** Explores the target's variant with a crew started for it; stops the crew at the end. */
export async function exploreVariant(target: ExploreTarget, options: ExploreOptions): Promise<Exploration> {
  const started = performance.now();
  const explorer = await openExplorer(target);
  try {
    return explorer.explore(options, started);
  } finally {
    await explorer.close();
  }
}

/** A crew started for one target, which runs searches one after another (a benchmark's passes on warm workers). */
export interface Explorer {
  /** One search; its `seconds` count from `started` (default: now), its `searchSeconds` from now. */
  explore(options: ExploreOptions, started?: number): Exploration;
  /** Stops the crew. */
  close(): Promise<void>;
}

export async function openExplorer(target: ExploreTarget): Promise<Explorer> {
  const control = new ControlRegion(target.params.workers);
  const crew = await startCrew(target, control);
  const controller = new Controller(control, defaultKernel().buffer);
  return {
    explore: (options, started = performance.now()) => bounded(target, options, () => explore(target, options, controller, started, performance.now())),
    close: () => crew.stop(),
  };
}

/** Seconds a search may run past its --time (it stops between schedules; one schedule may be under way) before it is stopped. */
const SEARCH_SLACK_SECONDS = 5;

/**
 * A search bounded as a whole (call-within.ts): the scenario's setup, judge and
 * teardown run on this thread between schedules, and one that never returns
 * would hang the command. Stopped, it is the scenario file's error.
 */
function bounded(target: ExploreTarget, options: ExploreOptions, search: () => Exploration): Exploration {
  try {
    return callWithin(options.seconds + SEARCH_SLACK_SECONDS, search, `--time ${options.seconds} s and ${SEARCH_SLACK_SECONDS} s more`);
  } catch (error) {
    const file = fileURLToPath(target.moduleUrl);
    if (error instanceof CallTimedOut) throw UserCodeError.from(file, codeRunning(), error);
    // A worker that never parks is the file's code looping with no scheduling point: its error, not memplay's.
    if (error instanceof CrewLost) throw new UserCodeError(file, `variant ${target.variant}`, 'TimeoutError', error.message, file, []);
    throw error;
  }
}

function strategyFor(target: ExploreTarget, options: ExploreOptions): Strategy {
  if (options.replay !== undefined) return new ReplayStrategy(options.replay, options.replayTimes);
  if (options.strategy === 'pct') return new PctStrategy(target.params.workers, options.depth, target.seed);
  if (options.strategy === 'random') return new RandomStrategy(target.seed);
  return new DfsStrategy(options.preemptions);
}

function explore(target: ExploreTarget, options: ExploreOptions, controller: Controller, started: number, searchStarted: number): Exploration {
  const specs = outcomeSpecs(target);
  const strategy = strategyFor(target, options);
  const outcomes = new Map<string, OutcomeSummary>();
  const best = new Map<string, Execution>();
  const uninterrupted = new Set<string>();
  const deadline = started + options.seconds * 1000;
  let schedules = 0;
  let abandoned = 0;
  let steps = 0;
  let cutShort: Exploration['cutShort'] = null;
  let complete = false;
  // A script's sampled search first runs the schedules without preemption (dfs at K=0), which say its ACCEPTABLE outcomes.
  const serialPhase = target.script !== undefined && options.replay === undefined && !strategy.exhaustive ? new DfsStrategy(0) : null;
  let serialSchedules = 0;
  for (;;) {
    if (schedules + abandoned >= options.schedules) cutShort = 'schedules';
    else if (performance.now() > deadline) cutShort = 'time';
    if (cutShort !== null) break;
    const serial = serialPhase !== null && serialSchedules < SERIAL_SCHEDULES ? serialPhase.next() : null;
    if (serial !== null) serialSchedules++;
    const chooser = serial ?? strategy.next();
    if (chooser === null) {
      complete = true;
      break;
    }
    const { execution, judged } = runSchedule(target, controller, chooser, deadline);
    (serial !== null ? serialPhase! : strategy).done(execution);
    steps += execution.steps.length;
    if (execution.ending === 'abandoned') {
      abandoned++;
      if (performance.now() > deadline) cutShort = 'time';
      if (cutShort !== null) break;
      continue;
    }
    const refused = notExplorable(execution);
    if (refused !== null) throw new NotExplorable(`${target.scenario.name} / ${target.variant} is not explorable: ${refused}`);
    schedules++;
    options.observe?.(execution, judged!.outcome);
    const summary = outcomes.get(judged!.outcome) ?? newSummary(specs, judged!, (performance.now() - started) / 1000);
    summary.count++;
    outcomes.set(summary.outcome, summary);
    if (execution.interruptions === 0) uninterrupted.add(summary.outcome);
    if ((summary.classification !== 'ACCEPTABLE' || options.replay !== undefined) && isShorter(execution, best.get(summary.outcome))) {
      best.set(summary.outcome, execution);
      summary.observed = judged!.observed;
    }
  }
  if (target.script !== undefined) classifyBySerialSchedules(outcomes, best, uninterrupted);
  for (const [outcome, execution] of best) outcomes.get(outcome)!.witness = witnessOf(target, controller, execution);
  const forbidden = [...outcomes.values()].some((summary) => summary.classification === 'FORBIDDEN');
  const exhaustive = options.replay === undefined && strategy.exhaustive;
  return {
    scenario: target.scenario.name,
    variant: target.variant,
    workers: target.params.workers,
    iterations: target.params.iterations,
    ...(target.script === undefined ? {} : { script: true }),
    seed: target.seed,
    strategy: options.replay !== undefined ? 'replay' : options.strategy,
    preemptions: options.preemptions,
    depth: options.depth,
    schedules,
    abandoned,
    steps,
    seconds: (performance.now() - started) / 1000,
    searchSeconds: (performance.now() - searchStarted) / 1000,
    complete,
    cutShort,
    verified: exhaustive && complete && schedules > 0 && [...outcomes.values()].every((summary) => summary.classification === 'ACCEPTABLE'),
    forbidden,
    outcomes: [...outcomes.values()],
    pct: strategy instanceof PctStrategy ? { probability: strategy.probability(), steps: strategy.steps } : undefined,
  };
}

/** One schedule on fresh shared objects, judged. */
function runSchedule(target: ExploreTarget, controller: Controller, chooser: Parameters<Controller['run']>[1], deadline: number, recordState = false) {
  const run = prepareRun(target, 0);
  try {
    const names = recordState ? new ObjectNames(run.shared) : undefined;
    const kernel = defaultKernel().buffer;
    const describeState = (step: Step) => {
      names!.learn(step.op.object, kernel);
      return names!.describeState(kernel);
    };
    const execution = controller.run(run.wire, chooser, { deadline, describeState: names === undefined ? undefined : describeState });
    const judged = execution.ending === 'abandoned' ? undefined : judgeExecution(target, execution, run.shared);
    const hang = names !== undefined && execution.ending === 'hang' ? describeHang(execution, names, kernel) : undefined;
    return { execution, judged, names, hang };
  } finally {
    run.end();
  }
}

function judgeExecution(target: ExploreTarget, execution: Execution, shared: unknown): Judged {
  // A worker that raised comes first: the others may wait for ever on what it held, which is no deadlock of the code's.
  const failed = execution.results.findIndex((result) => 'ok' in result && !result.ok);
  if (failed >= 0) {
    const error = execution.results[failed] as { name: string; message: string; where?: string };
    return { outcome: 'error', observed: `worker ${failed} raised ${error.name}: ${error.message}${error.where ?? ''}` };
  }
  if (execution.ending === 'livelock') {
    return { outcome: 'livelock', observed: `livelock: still running after ${execution.steps.length} steps (a spin that never ends, or a loop the explorer cannot bound)` };
  }
  if (execution.ending === 'hang') {
    // A script names no hang kind: one with a process spinning is a livelock.
    const spinning = target.script !== undefined && execution.stuck.some((stuck) => stuck.how === 'spinning');
    const kind = target.scenario.variants[target.variant].hang ?? (spinning ? 'livelock' : 'deadlock');
    return { outcome: kind, observed: `${kind}: ${nounFor(execution.stuck.length, 'worker')} ${execution.stuck.map((s) => s.worker).join(', ')} can never move again` };
  }
  const values = execution.results.map((result) => ('value' in result ? result.value : null));
  try {
    const judgement = judgeRun(target, shared, values);
    return { outcome: judgement.outcome, observed: judgement.observed };
  } catch (error) {
    if (error instanceof UserCodeError) throw error;
    const { name, message } = nameAndMessage(error);
    return { outcome: 'error', observed: `the judge raised ${name}: ${message}${locationSuffix(error, fileURLToPath(target.moduleUrl))}` };
  }
}

/** At most this many schedules of a script's serial phase (see explore()). */
const SERIAL_SCHEDULES = 50;

/** Outcomes a script's schedules can end in that are never a race's alone: a hang, an error, a failing exit (the main process's, or a child's). */
const NEVER_SERIAL = /^(deadlock|livelock|error|exit code -?\d+)$|; \S+ exited with code \d+$/;
const SCRIPT_FAILURES: Record<string, string> = {
  deadlock: 'no unfinished process can ever move again',
  livelock: 'the processes run on without end, spinning on what none of them changes',
  error: 'memplay could not run a process',
};

/**
 * A script declares no outcomes: what it prints when no process is interrupted
 * (each runs until it blocks, sleeps or ends: `uninterrupted`) is ACCEPTABLE, and
 * what only an interruption makes it print is the race's, FORBIDDEN, with its
 * witness (`best`: each outcome's schedule with the fewest preemptions; an
 * ACCEPTABLE one's is dropped).
 */
function classifyBySerialSchedules(outcomes: Map<string, OutcomeSummary>, best: Map<string, Execution>, uninterrupted: ReadonlySet<string>): void {
  for (const [outcome, summary] of outcomes) {
    if (NEVER_SERIAL.test(outcome)) {
      Object.assign(summary, { description: SCRIPT_FAILURES[outcome] ?? (outcome.startsWith('exit code') ? 'the main process failed' : 'a child process failed (it raised, or exited with a code)') });
      continue;
    }
    const serial = uninterrupted.has(outcome);
    Object.assign(summary, serial
      ? { classification: 'ACCEPTABLE', description: 'printed by a schedule in which no process is interrupted (each runs until it blocks, sleeps or ends)' }
      : { classification: 'FORBIDDEN', description: 'printed only when a process is preempted: a race' });
    if (serial) best.delete(outcome);
  }
}

/** What a scenario's objects cannot do under the explorer. */
export class NotExplorable extends Error {}

/** The reason a worker's object refused the controlled run (NotExplorableError), or null. */
function notExplorable(execution: Execution): string | null {
  for (const result of execution.results) if ('name' in result && result.name === 'NotExplorableError') return result.message;
  return null;
}

function newSummary(specs: ReturnType<typeof outcomeSpecs>, judged: Judged, firstSeconds: number): OutcomeSummary {
  return { outcome: judged.outcome, ...classify(specs, judged.outcome), observed: judged.observed, count: 0, firstSeconds };
}

function isShorter(candidate: Execution, best: Execution | undefined): boolean {
  if (best === undefined) return true;
  if (candidate.preemptions !== best.preemptions) return candidate.preemptions < best.preemptions;
  return candidate.steps.length < best.steps.length;
}

/** The witness's id, and its step table from a replay of that id with the state recorded after each step. */
function witnessOf(target: ExploreTarget, controller: Controller, execution: Execution): Witness {
  const id = scheduleIdOf(target, execution.choices);
  const replayed = runSchedule(target, controller, replayChooser(execution.choices), Infinity, true);
  const rows = replayed.execution.steps.map((step, index) => ({
    step: index + 1,
    worker: step.worker,
    operation: describeStep(step, replayed.names!),
    state: step.state ?? '',
  }));
  return { id, preemptions: execution.preemptions, steps: execution.steps.length, rows, hang: replayed.hang };
}

export function scheduleIdOf(target: ExploreTarget, choices: readonly number[]): string {
  return formatScheduleId({
    scenario: target.scenario.name,
    variant: target.variant,
    workers: target.params.workers,
    iterations: target.params.iterations,
    seed: target.seed,
    choices,
  });
}
