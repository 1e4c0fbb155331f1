/*
 * The stress runner: hammers one target's primitive from N worker threads for a
 * time or a number of operations, watches the invariants, and gathers the figures.
 * It knows nothing of the CLI: it takes a request and returns a report.
 *
 *   setup      a harness run (src/harness/run.ts): the target's shared objects
 *              (in the target's module graph, on this kernel, in the run's scope),
 *              a board (stress-board.ts) and a start gate;
 *   start      one crew seat per worker (src/harness/crew.ts), all released together;
 *   watch      the harness's watch loop (src/harness/watchdog.ts), from the board
 *              and the workers' tasks (a blocked worker cannot talk):
 *                not all past the start barrier within STARTUP_LIMIT_SECONDS
 *                                               -> outcome 'error' (start-up), terminate;
 *                time up (--duration)           -> STOP for every role that stops with the run;
 *                a violation claimed            -> STOP, a grace second, then terminate the rest;
 *                a worker failed                -> the same, outcome 'error' (the first to fail);
 *                --kill-holder victim holding   -> terminate it, mark the lock OWNER_DIED on exit;
 *                every unfinished worker asleep in an untimed wait no
 *                running worker can end (the workers' waits are on the board)
 *                                               -> outcome 'deadlock' at once, who waits on what, terminate;
 *                --timeout passed (counted from the start barrier)
 *                                               -> outcome 'deadlock', who waits on what, terminate;
 *                                                  but a run whose op counts moved in the
 *                                                  last PROGRESS_WINDOW is slow, not hung:
 *                                                  outcome 'error' (TimeoutError), terminate;
 *                every thread exited            -> the final check, then the figures;
 *                                                  below --fairness: outcome 'unfair'.
 * Latency and time come from the workers that returned their figures: a worker
 * that was terminated or killed took its samples with it, and the report says
 * whose ops were not sampled. A deadlocked run has no such statistics (n/a): it
 * was cut short, so its rates and latencies would describe the hang, not the primitive.
 * Python counterpart: a soak test of threading primitives with faulthandler's
 * dump_traceback_later as the watchdog.
 * What the target's own code raises on this thread (setup, role, finalCheck,
 * mutex) is the target file's UserCodeError.
 */
import { fileURLToPath } from 'node:url';
import { isOwnerDied } from '../atomics/owner-died.js';
import { defaultKernel } from '../shm/kernel.js';
import { Crew } from '../harness/crew.js';
import { compiledWhenBuilt } from '../harness/module-finder.js';
import { errorShape, TERMINATED, type ErrorShape, type RunSeat, type StressTask, type WorkerFigures } from '../harness/protocol.js';
import { HarnessRun } from '../harness/run.js';
import { STARTUP_LIMIT_SECONDS } from '../harness/startup-limit.js';
import { watchRun, type Settled } from '../harness/watchdog.js';
import { toWire } from '../harness/wire.js';
import { checkedFinalMessage, runtimeOfTarget, type RobustMutex, type StressParams, type StressRole, type StressTarget } from './define-target.js';
import { killHolder, killPlan, type KillPlan, type KillReport } from './fault-injection.js';
import { fairnessByRole, fairnessOf, latencySummary, type LatencySummary, type RoleFairness } from './figures.js';
import { StressBoard, type Violation } from './stress-board.js';
import { StressError } from './stress-error.js';
import type { LoadedTarget } from './target-catalogue.js';
import { describeWaits } from './waits.js';
import { callWithin } from '../harness/call-within.js';
import { callUserCode } from '../user-code.js';
import { userFrames } from '../user-code-error.js';
import { askRole } from './ask-role.js';

export interface StressRequest {
  readonly loaded: LoadedTarget;
  readonly params: StressParams;
  /** Seconds the run may take from the start barrier (worker start-up has its own bound, STARTUP_LIMIT_SECONDS). */
  readonly timeoutSeconds: number;
  readonly killHolder: boolean;
  /** Fail the run (outcome 'unfair') when Jain's index over the clocked workers is below this. */
  readonly minFairness?: number | null;
  /** Called every poll while the run goes on (for a progress bar). */
  readonly onProgress?: (progress: StressProgress) => void;
}

export interface StressProgress {
  readonly target: string;
  readonly ops: number;
  /** Seconds since every worker passed the start barrier (0 before). */
  readonly elapsed: number;
}

export type StressOutcome = 'clean' | 'violation' | 'deadlock' | 'error' | 'unfair';

export interface WorkerRow {
  readonly worker: number;
  readonly role: string;
  readonly threadId: number;
  readonly ops: number;
  /** This worker's part of its role's operations, 0..1. */
  readonly share: number;
  readonly blockedMs: number;
  readonly runningMs: number;
  /** How this worker ended: 'done', 'violated' (it saw the first violation), 'failed', 'killed' (--kill-holder) or 'terminated' (the runner ended it). */
  readonly end: 'done' | 'violated' | 'failed' | 'killed' | 'terminated';
}

export interface StressReport {
  readonly target: string;
  readonly summary: string;
  readonly invariants: readonly string[];
  readonly params: StressParams;
  readonly timeoutSeconds: number;
  readonly outcome: StressOutcome;
  readonly violation: Violation | null;
  /**
   * A hang: `seenBy` 'all-asleep' when every unfinished worker slept in an untimed
   * wait that no running worker could end (seen at once), 'timeout' when the run
   * outlived --timeout.
   */
  readonly deadlock: { readonly seconds: number; readonly seenBy: 'all-asleep' | 'timeout'; readonly waits: readonly string[] } | null;
  /** What failed: a worker's error (with its frames in the target's file), or the run's (worker -1: start-up, too slow). */
  readonly error: { readonly worker: number; readonly name: string; readonly message: string; readonly frames?: readonly string[] } | null;
  /** Seconds of hammering: the longest worker loop (from the start barrier to its end). */
  readonly seconds: number;
  readonly totalOps: number;
  /** null (n/a) for a deadlocked run. */
  readonly opsPerSecond: number | null;
  /** One sample per op completed by the workers that returned their figures (`sampled`); null (n/a) for a deadlocked run or when none returned. */
  readonly latency: LatencySummary | null;
  /** The workers whose figures came back, and the ops they completed (= latency.count). */
  readonly sampled: { readonly workers: readonly number[]; readonly ops: number };
  readonly fairness: readonly RoleFairness[];
  /**
   * Fairness over every worker the run's clock stops (role 'all', or 'clocked' when not every worker is; over every worker when fewer than 2
   * are clocked, as in a barrier's lockstep), which --fairness judges; null with a single worker.
   */
  readonly overallFairness: RoleFairness | null;
  /** What --fairness asked for, when it was given. */
  readonly minFairness: number | null;
  /** null (n/a) for a deadlocked run or when no worker returned its figures. */
  readonly time: { readonly blockedMs: number; readonly runningMs: number; readonly blockedShare: number } | null;
  readonly workers: readonly WorkerRow[];
  readonly killHolder: KillReport | null;
}

/** Seconds the runner waits, after a kill, for some acquirer to recover the lock before it tries itself. */
const RECOVERY_PROBE_SECONDS = 5;
/** Seconds: a run whose op counts moved this recently (plus two holds) at its timeout is slow, not hung (the watchdog's window). */
const PROGRESS_WINDOW = 1;

/** Checks what can be checked before any thread starts. */
export function checkRequest(target: StressTarget, params: StressParams, killHolder: boolean): void {
  const min = target.minWorkers ?? 1;
  if (params.workers < min) throw new StressError(`stress target '${target.name}' needs at least ${min} workers, got ${params.workers}`);
  const max = target.maxWorkers ?? Infinity;
  if (params.workers > max) throw new StressError(`stress target '${target.name}' takes at most ${max} workers, got ${params.workers}`);
  if (killHolder && target.mutex === undefined) throw new StressError(`--kill-holder needs a target with a lock to abandon (lock, rlock, or a target file with mutex()); '${target.name}' has none`);
  if (killHolder && target.recover === undefined) throw new StressError(`--kill-holder needs a target that can recover its lock (recover()); '${target.name}' has none`);
}

export async function runStress(request: StressRequest): Promise<StressReport> {
  const { target } = request.loaded;
  checkRequest(target, request.params, request.killHolder);
  // The threads start loading now, while setup() runs.
  const crew = new Crew(request.params.workers);
  const run = new HarnessRun(request.params.workers, (workers) => new StressBoard(workers));
  let stress: StressRun | undefined;
  try {
    stress = new StressRun(request, run, crew);
    return await stress.watch();
  } finally {
    await stress?.killing?.catch(() => undefined);
    await crew.close();
    await run.end(crew);
  }
}

/** The worker-side module, compiled whenever it is built (workers start faster). */
const TASK_MODULE = compiledWhenBuilt(import.meta.url, './stress-task');

class StressRun {
  readonly target: StressTarget;
  readonly params: StressParams;
  readonly shared: unknown;
  readonly board: StressBoard;
  readonly roles: string[];
  /** Per worker: whether the run's clock (--ops, --duration) ends its loop, rather than other workers. */
  readonly clocked: boolean[];
  readonly plan: KillPlan | null;
  readonly file: string;
  readonly submitted = performance.now();
  /** Each worker's task as the watch left it. */
  settled: readonly Settled[] = [];
  hammerStart: number | undefined;
  hammerEnd: number | undefined;
  killing: Promise<Omit<KillReport, 'recoveredBy'>> | undefined;
  killed: Omit<KillReport, 'recoveredBy'> | undefined;

  constructor(
    readonly request: StressRequest,
    readonly run: HarnessRun<StressBoard>,
    readonly crew: Crew,
  ) {
    this.target = request.loaded.target;
    this.params = request.params;
    this.file = fileURLToPath(request.loaded.moduleUrl);
    runtimeOfTarget(this.target).adoptKernel(defaultKernel().buffer);
    this.shared = callUserCode(this.file, 'setup', () => run.during(() => this.#bounded(() => this.target.setup(this.params))));
    const roles = Array.from({ length: this.params.workers }, (_, worker) => this.#role(worker));
    this.roles = roles.map((role) => role.name);
    this.clocked = roles.map((role) => role.stopsWithRun !== false);
    this.board = run.board;
    this.plan = request.killHolder ? killPlan(this.params.ops) : null;
    if (this.plan !== null) this.board.kill = 'armed';
  }

  /** The name of worker's role, from the target's role(); a role of the wrong shape is the file's error. */
  #role(worker: number): StressRole<unknown> {
    const { workers } = this.params;
    return askRole(this.file, this.target, worker, workers, this.request.timeoutSeconds);
  }

  async watch(): Promise<StressReport> {
    const wire = toWire(this.shared);
    const { params, plan } = this;
    const task = (seat: RunSeat): StressTask => ({ ...seat, target: this.request.loaded.moduleUrl, params, shared: wire, kill: plan });
    const tasks = this.run.start<WorkerFigures>(this.crew, (seat) => ({ module: TASK_MODULE, export: 'runStressTask', args: [task(seat)] }));
    const watched = await watchRun({
      board: this.board,
      tasks,
      timeoutSeconds: this.request.timeoutSeconds,
      // Two --hold spans added, so a slow hold is not a hang.
      progressWindowSeconds: PROGRESS_WINDOW + (2 * params.holdMicros) / 1e6,
      failureOf: (figures) => (figures as WorkerFigures).error,
      trouble: () => this.board.violated,
      holdOpen: () => this.killing !== undefined && this.killed === undefined,
      onFailure: () => this.board.requestStop(),
      onPoll: (elapsed) => this.#poll(elapsed),
    });
    const now = performance.now();
    this.hammerEnd = now;
    this.settled = watched.settled;
    if (watched.kind === 'finished') return this.#finished();
    if (watched.kind === 'failed') return this.#failed(watched.worker, watched.error);
    if (watched.reason === 'start') return this.#failedToStart();
    if (watched.reason === 'slow') return this.#tooSlow(now);
    return this.#hung(now, watched.reason === 'deadlock' ? 'all-asleep' : 'timeout');
  }

  /** Every poll: the progress bar, the end of --duration, the --kill-holder handshake. */
  #poll(elapsed: number | undefined): void {
    const now = performance.now();
    if (elapsed !== undefined) this.hammerStart ??= now - elapsed * 1000;
    this.request.onProgress?.({ target: this.target.name, ops: this.board.totalOps(), elapsed: elapsed ?? 0 });
    const { duration } = this.params;
    if (duration !== null && elapsed !== undefined && elapsed >= duration) this.board.requestStop();
    this.#killWhenHolding();
  }

  #seconds(now: number, since: number): number {
    return (now - since) / 1000;
  }

  #failedToStart(): StressReport {
    const message = `the workers did not all reach the start barrier within ${STARTUP_LIMIT_SECONDS} s (start-up: loading the target in each worker)`;
    return this.#report('error', { error: { worker: -1, name: 'TimeoutError', message } });
  }

  #tooSlow(now: number): StressReport {
    const seconds = this.#seconds(now, this.hammerStart!).toFixed(1);
    const message = `still making progress after ${seconds} s (--timeout ${this.request.timeoutSeconds}): too slow, not a deadlock; terminated (a longer --timeout lets it finish)`;
    return this.#report('error', { error: { worker: -1, name: 'TimeoutError', message } });
  }

  #killWhenHolding(): void {
    if (this.plan === null || this.killing !== undefined || this.board.kill !== 'holding') return;
    const victim = this.plan.victim;
    this.killing = killHolder(this.board, this.plan, () => this.crew.terminate(victim), this.#mutex()).then((report) => (this.killed = report));
  }

  /** The figures worker `worker` returned, if it did. */
  #figures(worker: number): WorkerFigures | undefined {
    const entry = this.settled[worker];
    return entry?.status === 'fulfilled' ? (entry.value as WorkerFigures) : undefined;
  }

  /** Why worker `worker` failed, if it did (a termination by the runner is no failure). */
  #failureOf(worker: number): ErrorShape | undefined {
    const entry = this.settled[worker];
    if (entry?.status === 'fulfilled') return (entry.value as WorkerFigures).error;
    if (entry?.status === 'rejected' && entry.reason?.name !== TERMINATED) return errorShape(entry.reason);
    return undefined;
  }

  #hung(now: number, seenBy: 'all-asleep' | 'timeout'): StressReport {
    const waits = describeWaits(this.target, this.shared, this.board, this.roles);
    return this.#report('deadlock', { deadlock: { seconds: this.#seconds(now, this.submitted), seenBy, waits } });
  }

  /** The run stopped on trouble: the violation, or else the first worker to fail. */
  #failed(worker: number, error: unknown): StressReport {
    const violation = this.board.violation();
    if (violation !== null) return this.#report('violation', { violation });
    const { name, message, stack } = errorShape(error);
    return this.#report('error', { error: { worker, name, message, frames: userFrames(stack ?? '', this.file) } });
  }

  async #finished(): Promise<StressReport> {
    const recovery = await this.#recoveryAfterKill();
    const run = { params: this.params, ops: this.board.slots().map((slot) => slot.ops), roles: this.roles };
    const finalMessage = callUserCode(this.file, 'finalCheck', () => checkedFinalMessage(this.#bounded(() => this.target.finalCheck?.(this.shared, run))));
    if (finalMessage !== undefined) return this.#report('violation', { violation: { worker: -1, phase: 'final-check', iteration: -1, message: finalMessage, atUs: -1, workers: [] } }, recovery);
    const report = this.#report('clean', {}, recovery);
    const fairness = report.overallFairness?.jainIndex;
    return fairness !== undefined && report.minFairness !== null && fairness < report.minFairness ? { ...report, outcome: 'unfair' } : report;
  }

  /**
   * After a kill: who recovered the lock. If no worker came to take it after the
   * victim died, the runner takes it itself, so the report can say whether the
   * lock is recoverable; a lock that cannot be taken back is a violation.
   */
  async #recoveryAfterKill(): Promise<KillReport['recoveredBy'] | undefined> {
    if (this.killed === undefined) return undefined;
    const byWorker = this.board.recovery();
    if (byWorker !== null) return byWorker;
    const mutex = this.#mutex();
    try {
      if (!mutex.acquire(true, RECOVERY_PROBE_SECONDS)) return null;
      mutex.release();
      return null;
    } catch (error) {
      if (!isOwnerDied(error)) throw error;
      mutex.markConsistent();
      mutex.release();
      return { worker: -1, iteration: -1 };
    }
  }

  #mutex(): RobustMutex {
    return callUserCode(this.file, 'mutex', () => this.#bounded(() => this.target.mutex!(this.shared)));
  }

  /** The target's own code on this thread, bounded by --timeout (CallTimedOut, which callUserCode makes the file's error). */
  #bounded<T>(call: () => T): T {
    return callWithin(this.request.timeoutSeconds, call);
  }

  #report(outcome: StressReport['outcome'], found: Partial<Pick<StressReport, 'violation' | 'deadlock' | 'error'>>, recoveredBy?: KillReport['recoveredBy']): StressReport {
    const slots = this.board.slots();
    const figures = slots.map((slot) => this.#figures(slot.index));
    const seconds = this.#hammerSeconds(figures);
    const totalOps = slots.reduce((sum, slot) => sum + slot.ops, 0);
    const roleOps = (role: string) => slots.filter((slot) => this.roles[slot.index] === role).reduce((sum, slot) => sum + slot.ops, 0);
    const workers: WorkerRow[] = slots.map((slot) => ({
      worker: slot.index,
      role: this.roles[slot.index],
      threadId: slot.threadId,
      ops: slot.ops,
      share: roleOps(this.roles[slot.index]) === 0 ? 0 : slot.ops / roleOps(this.roles[slot.index]),
      blockedMs: figures[slot.index]?.blockedMs ?? 0,
      runningMs: figures[slot.index]?.runningMs ?? 0,
      end: found.violation?.worker === slot.index ? 'violated' : this.#endOf(slot.index),
    }));
    const returned = workers.filter((row) => figures[row.worker] !== undefined);
    const blockedMs = returned.reduce((sum, row) => sum + row.blockedMs, 0);
    const runningMs = returned.reduce((sum, row) => sum + row.runningMs, 0);
    const statistics = outcome !== 'deadlock' && returned.length > 0;
    const alive = workers.filter((row) => row.end !== 'killed');
    const clocked = alive.filter((row) => this.clocked[row.worker]);
    const judged = clocked.length >= 2 ? clocked : alive;
    return {
      target: this.target.name,
      summary: this.target.summary,
      invariants: this.target.invariants,
      params: this.params,
      timeoutSeconds: this.request.timeoutSeconds,
      outcome,
      violation: found.violation ?? null,
      deadlock: found.deadlock ?? null,
      error: found.error ?? null,
      seconds,
      totalOps,
      opsPerSecond: outcome !== 'deadlock' && seconds > 0 ? totalOps / seconds : null,
      latency: statistics ? latencySummary(figures.flatMap((figure) => (figure === undefined ? [] : [figure.histogram]))) : null,
      sampled: { workers: returned.map((row) => row.worker), ops: returned.reduce((sum, row) => sum + row.ops, 0) },
      fairness: fairnessByRole(workers.filter((row) => row.end !== 'killed')),
      // Named for whom it covers: 'all', or 'clocked' when some roles (a condition's consumers) run on past the clock.
      overallFairness: judged.length < 2 ? null : fairnessOf(judged.length === alive.length ? 'all' : 'clocked', judged.map((row) => row.ops)),
      minFairness: this.request.minFairness ?? null,
      time: statistics ? { blockedMs, runningMs, blockedShare: blockedMs + runningMs === 0 ? 0 : blockedMs / (blockedMs + runningMs) } : null,
      workers,
      killHolder: this.killed === undefined ? null : { ...this.killed, recoveredBy: recoveredBy ?? this.board.recovery() },
    };
  }

  /** The longest loop of a worker that reported (its own clock), else the runner's view from the start barrier. */
  #hammerSeconds(figures: readonly (WorkerFigures | undefined)[]): number {
    const loops = figures.flatMap((figure) => (figure === undefined ? [] : [figure.blockedMs + figure.runningMs]));
    if (loops.length > 0) return Math.max(...loops) / 1000;
    return this.hammerStart === undefined ? 0 : this.#seconds(this.hammerEnd ?? performance.now(), this.hammerStart);
  }

  #endOf(worker: number): WorkerRow['end'] {
    if (this.killed !== undefined && this.plan?.victim === worker) return 'killed';
    if (this.#failureOf(worker) !== undefined) return 'failed';
    return this.#figures(worker) === undefined ? 'terminated' : 'done';
  }
}
