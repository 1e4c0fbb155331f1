/*
 * The stress runner: hammers one target's primitive from N worker threads for a
 * time or a number of operations, watches the invariants, and gathers the figures.
 * It knows nothing of the CLI: it takes a request and returns a report.
 *
 *   setup      the target's shared objects (in the target's module graph, on this
 *              kernel), a board (stress-board.ts) and a start barrier;
 *   start      one Worker per worker (stress-thread.ts), all released together;
 *   watch      every POLL_MS, from the board alone (a blocked worker cannot talk):
 *                not all past the start barrier within STARTUP_LIMIT_SECONDS
 *                                               -> outcome 'error' (start-up), terminate;
 *                time up (--duration)           -> STOP for every role that stops with the run;
 *                a violation claimed            -> STOP, a grace second, then terminate the rest;
 *                a worker failed                -> the same, outcome 'error';
 *                --kill-holder victim holding   -> terminate it, mark the lock OWNER_DIED on exit;
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
import type { Barrier as BarrierType } from '../sync/barrier.js';
import { Barrier } from '../sync/barrier.js';
import { isOwnerDied } from '../atomics/owner-died.js';
import { defaultKernel } from '../shm/kernel.js';
import { toWire } from '../coordinator/shared-objects.js';
import { runtimeOfTarget, type RobustMutex, type StressParams, type StressRole, type StressTarget } from './define-target.js';
import { killHolder, killPlan, type KillPlan, type KillReport } from './fault-injection.js';
import { fairnessByRole, fairnessOf, latencySummary, type LatencySummary, type RoleFairness } from './figures.js';
import { StressBoard, type Violation } from './stress-board.js';
import { StressError } from './stress-error.js';
import type { StressTask, WorkerFigures } from './stress-task.js';
import { StressThread } from './stress-thread.js';
import type { LoadedTarget } from './target-catalogue.js';
import { describeWaits } from './waits.js';
import { STARTUP_LIMIT_SECONDS } from '../startup-limit.js';
import { callUserCode } from '../user-code.js';
import { userFrames } from '../user-code-error.js';

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
  readonly deadlock: { readonly seconds: number; readonly waits: readonly string[] } | null;
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
   * Fairness over every worker the run's clock stops (role 'all'; over every worker when fewer than 2
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

const POLL_MS = 20;
/** Seconds the other workers get to stop after a violation or a failure before they are terminated. */
const GRACE_SECONDS = 1;
/** Seconds the runner waits, after a kill, for some acquirer to recover the lock before it tries itself. */
const RECOVERY_PROBE_SECONDS = 5;
/** Seconds: a run whose op counts moved this recently (plus two holds) at its timeout is slow, not hung. */
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
  const run = new StressRun(request);
  try {
    return await run.watch();
  } finally {
    await run.close();
  }
}

class StressRun {
  readonly target: StressTarget;
  readonly params: StressParams;
  readonly shared: unknown;
  readonly board: StressBoard;
  readonly startBarrier: BarrierType;
  readonly threads: StressThread[];
  readonly roles: string[];
  /** Per worker: whether the run's clock (--ops, --duration) ends its loop, rather than other workers. */
  readonly clocked: boolean[];
  readonly plan: KillPlan | null;
  readonly file: string;
  readonly submitted = performance.now();
  lastOps = 0;
  lastProgressAt: number | undefined;
  hammerStart: number | undefined;
  hammerEnd: number | undefined;
  troubleAt: number | undefined;
  killing: Promise<Omit<KillReport, 'recoveredBy'>> | undefined;
  killed: Omit<KillReport, 'recoveredBy'> | undefined;

  constructor(readonly request: StressRequest) {
    this.target = request.loaded.target;
    this.params = request.params;
    this.file = fileURLToPath(request.loaded.moduleUrl);
    runtimeOfTarget(this.target).adoptKernel(defaultKernel().buffer);
    this.shared = callUserCode(this.file, 'setup', () => this.target.setup(this.params));
    const roles = Array.from({ length: this.params.workers }, (_, worker) => this.#role(worker));
    this.roles = roles.map((role) => role.name);
    this.clocked = roles.map((role) => role.stopsWithRun !== false);
    this.board = new StressBoard(this.params.workers);
    this.startBarrier = new Barrier(this.params.workers);
    this.plan = request.killHolder ? killPlan(this.params.ops) : null;
    if (this.plan !== null) this.board.kill = 'armed';
    const wire = toWire(this.shared);
    this.threads = this.roles.map((_, worker) => new StressThread(this.#task(worker, wire)));
  }

  /** The name of worker's role, from the target's role(); a role of the wrong shape is the file's error. */
  #role(worker: number): StressRole<unknown> {
    const { workers } = this.params;
    return callUserCode(this.file, `role(${worker}, ${workers})`, () => {
      const role = this.target.role(worker, workers) as Partial<StressRole<unknown>> | null;
      const steps = ['acquire', 'critical', 'release'] as const;
      if (role !== null && typeof role === 'object' && typeof role.name === 'string' && steps.every((step) => typeof role[step] === 'function')) return role as StressRole<unknown>;
      throw new TypeError(`role(${worker}, ${workers}) must return { name: string, acquire, critical, release } (functions), not ${String(role)}`);
    });
  }

  #task(worker: number, shared: unknown): StressTask {
    const { board, startBarrier, params, plan } = this;
    return { target: this.request.loaded.moduleUrl, worker, params, shared, board: board.handle, startBarrier: startBarrier.handle, kill: plan };
  }

  async watch(): Promise<StressReport> {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const now = performance.now();
      this.#noteStart(now);
      this.request.onProgress?.({ target: this.target.name, ops: this.board.totalOps(), elapsed: this.hammerStart === undefined ? 0 : (now - this.hammerStart) / 1000 });
      if (this.threads.every((thread) => thread.settled) && this.killing === undefined) return this.#finished(now);
      if (this.killing !== undefined && this.killed !== undefined) this.killing = undefined;
      this.#noteProgress(now);
      if (this.hammerStart === undefined && this.#seconds(now, this.submitted) > STARTUP_LIMIT_SECONDS) return this.#failedToStart();
      if (this.hammerStart !== undefined && this.#seconds(now, this.hammerStart) > this.request.timeoutSeconds) {
        return this.#stillProgressing(now) ? this.#tooSlow(now) : this.#hung(now);
      }
      this.#stopWhenTimeIsUp(now);
      this.#killWhenHolding();
      if (this.board.violated || this.#failure() !== undefined) {
        this.troubleAt ??= now;
        this.board.requestStop();
        if (this.#seconds(now, this.troubleAt) > GRACE_SECONDS) await this.#terminateAll();
      }
    }
  }

  #seconds(now: number, since: number): number {
    return (now - since) / 1000;
  }

  #noteStart(now: number): void {
    if (this.hammerStart !== undefined) return;
    if (this.board.slots().every((slot) => slot.phase !== 'starting' && slot.phase !== 'at-start-barrier')) this.hammerStart = now;
  }

  #noteProgress(now: number): void {
    const ops = this.board.totalOps();
    if (ops !== this.lastOps) this.lastProgressAt = now;
    this.lastOps = ops;
  }

  /** Whether some operation completed within the progress window (two --hold spans added, so a slow hold is not a hang). */
  #stillProgressing(now: number): boolean {
    const window = PROGRESS_WINDOW + (2 * this.params.holdMicros) / 1e6;
    return this.lastProgressAt !== undefined && this.#seconds(now, this.lastProgressAt) <= window;
  }

  async #failedToStart(): Promise<StressReport> {
    await this.#terminateAll();
    const message = `the workers did not all reach the start barrier within ${STARTUP_LIMIT_SECONDS} s (start-up: loading the target in each worker)`;
    return this.#report('error', { error: { worker: -1, name: 'TimeoutError', message } });
  }

  async #tooSlow(now: number): Promise<StressReport> {
    await this.#terminateAll();
    const seconds = this.#seconds(now, this.hammerStart!).toFixed(1);
    const message = `still making progress after ${seconds} s (--timeout ${this.request.timeoutSeconds}): too slow, not a deadlock; terminated (a longer --timeout lets it finish)`;
    return this.#report('error', { error: { worker: -1, name: 'TimeoutError', message } });
  }

  #stopWhenTimeIsUp(now: number): void {
    const { duration } = this.params;
    if (duration !== null && this.hammerStart !== undefined && this.#seconds(now, this.hammerStart) >= duration) this.board.requestStop();
  }

  #killWhenHolding(): void {
    if (this.plan === null || this.killing !== undefined || this.killed !== undefined || this.board.kill !== 'holding') return;
    const victim = this.threads[this.plan.victim];
    this.killing = killHolder(this.board, this.plan, () => victim.terminate(), this.#mutex()).then((report) => (this.killed = report));
  }

  /** The first failed worker that is not the --kill-holder victim. */
  #failure(): { worker: number; name: string; message: string; frames: string[] } | undefined {
    for (const [worker, thread] of this.threads.entries()) {
      const failure = thread.failure;
      if (failure !== undefined) return { worker, name: failure.name, message: failure.message, frames: userFrames(failure.stack, this.file) };
    }
    return undefined;
  }

  async #terminateAll(): Promise<void> {
    this.hammerEnd ??= performance.now();
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }

  async #hung(now: number): Promise<StressReport> {
    const waits = describeWaits(this.target, this.shared, this.board, this.roles);
    await this.#terminateAll();
    return this.#report('deadlock', { deadlock: { seconds: this.#seconds(now, this.submitted), waits } });
  }

  async #finished(now: number): Promise<StressReport> {
    this.hammerEnd ??= now;
    const violation = this.board.violation();
    if (violation !== null) return this.#report('violation', { violation });
    const failure = this.#failure();
    if (failure !== undefined) return this.#report('error', { error: failure });
    const recovery = await this.#recoveryAfterKill();
    const run = { params: this.params, ops: this.board.slots().map((slot) => slot.ops), roles: this.roles };
    const finalMessage = callUserCode(this.file, 'finalCheck', () => {
      const message: unknown = this.target.finalCheck?.(this.shared, run);
      if (message === undefined || typeof message === 'string') return message;
      throw new TypeError(`finalCheck must return a message (a broken invariant) or undefined, not ${String(message)}`);
    });
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
    return callUserCode(this.file, 'mutex', () => this.target.mutex!(this.shared));
  }

  #report(outcome: StressReport['outcome'], found: Partial<Pick<StressReport, 'violation' | 'deadlock' | 'error'>>, recoveredBy?: KillReport['recoveredBy']): StressReport {
    const slots = this.board.slots();
    const figures = this.threads.map((thread) => thread.figures);
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
      overallFairness: judged.length < 2 ? null : fairnessOf('all', judged.map((row) => row.ops)),
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
    const thread = this.threads[worker];
    if (this.killed !== undefined && this.plan?.victim === worker) return 'killed';
    if (thread.failure !== undefined) return 'failed';
    return thread.figures === undefined ? 'terminated' : 'done';
  }

  async close(): Promise<void> {
    await this.killing?.catch(() => undefined);
    await this.#terminateAll();
    this.board.free();
  }
}
