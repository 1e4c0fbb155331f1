/*
 * The worker side of a stress run: what one hammering thread does. It loads the
 * target module (compiled, or TypeScript through tsx), attaches the shared objects
 * with the target's own classes, waits at the start barrier, then loops over
 * operations: acquire (timed: the acquire latency, and the time blocked), critical
 * section, release, one completed op on the board, and then the op's acquire
 * latency into an HdrHistogram, so that the samples are exactly the completed
 * ops (an op cut short by a violation is not sampled). It
 * stops when its role says so (--ops, the end of --duration, a violation
 * anywhere), runs the role's finish, and returns its figures.
 *
 * Its untimed futex waits are told to the board (start-gate.ts's
 * withWaitsWatched), so a run whose workers all sleep for good is reported as a
 * deadlock at once rather than at --timeout.
 *
 * An acquire that throws OwnerDiedError (a --kill-holder victim died holding the
 * lock) is handed to the target's recover() and retried. A broken invariant is
 * reported on the board (stress-board.ts) before anything else, so the runner sees
 * it even if this worker never returns.
 */
import hdr from 'hdr-histogram-js';
import { loadModule } from '../harness/load-module.js';
import { errorShape, type StressTask, type WorkerFigures } from '../harness/protocol.js';
import { passStartGate, takeSeat, withWaitsWatched } from '../harness/start-gate.js';
import { mulberry32, streamSeed } from '../coordinator/prng.js';
import { fromWire } from '../harness/wire.js';
import { isOwnerDied } from '../atomics/owner-died.js';
import { currentThreadId } from '../atomics/thread-identity.js';
import { labelPoint } from '../atomics/scheduling-point.js';
import { checkedAcquired, isStressTarget, runtimeOfTarget, type OpContext, type StressRole, type StressTarget } from './define-target.js';
import { holdUntilKilled } from './fault-injection.js';
import { StressBoard, type Phase, type StressBoardHandle } from './stress-board.js';

/** Thrown by op.violation once the violation is on the board: it ends this worker's loop. */
class ViolationStop extends Error {}

export async function runStressTask(task: StressTask): Promise<WorkerFigures> {
  const board = takeSeat(new StressBoard(task.board as StressBoardHandle), task, currentThreadId);
  const target = (await loadModule(task.target)).default;
  if (!isStressTarget(target)) throw new TypeError(`${task.target} does not export a stress target as default`);
  const shared = fromWire(task.shared, runtimeOfTarget(target).attach);
  const role = target.role(task.worker, task.params.workers);
  passStartGate(board, task);
  const loop = new WorkerLoop(task, board, target, role, shared);
  return withWaitsWatched(board, task.worker, () => loop.run());
}

class WorkerLoop {
  readonly #histogram = hdr.build({ numberOfSignificantValueDigits: 3 });
  #phase: Phase = 'starting';
  #blockedMs = 0;
  /** The acquire latency of the op in progress, recorded when it completes. */
  #acquireNs = 0;
  #recoveries = 0;
  readonly op: OpContext & { iteration: number };

  constructor(
    readonly task: StressTask,
    readonly board: StressBoard,
    readonly target: StressTarget,
    readonly role: StressRole<unknown>,
    readonly shared: unknown,
  ) {
    this.op = this.#context();
  }

  run(): WorkerFigures {
    const started = performance.now();
    let error: WorkerFigures['error'];
    try {
      this.#loop();
      this.#enter('finish');
      this.role.finish?.(this.shared, this.op);
      this.#enter('done');
    } catch (thrown) {
      this.#enter('failed');
      if (!(thrown instanceof ViolationStop)) {
        error = errorShape(thrown);
      }
    }
    const totalMs = performance.now() - started;
    return {
      worker: this.task.worker,
      role: this.role.name,
      ops: this.board.slot(this.task.worker).ops,
      histogram: hdr.encodeIntoCompressedBase64(this.#histogram),
      blockedMs: this.#blockedMs,
      runningMs: totalMs - this.#blockedMs,
      recoveries: this.#recoveries,
      ...(error === undefined ? {} : { error }),
    };
  }

  #loop(): void {
    const { task, board, role, shared, op } = this;
    const limit = task.params.ops ?? Infinity;
    const stopsWithRun = role.stopsWithRun !== false;
    for (let iteration = 0; ; iteration++) {
      op.iteration = iteration;
      if (board.violated || (stopsWithRun && (iteration >= limit || board.stopping) && !this.#killPending())) return;
      if (!this.#timedAcquire()) return;
      if (task.kill?.victim === task.worker && iteration === task.kill.atIteration && board.claimKill()) {
        this.#enter('held-for-kill');
        holdUntilKilled(board);
      }
      this.#enter('critical');
      role.critical(shared, op);
      this.#enter('release');
      role.release(shared, op);
      board.completeOp(task.worker, iteration + 1);
      this.#histogram.recordValue(this.#acquireNs);
    }
  }

  /** Whether this worker is the --kill-holder victim and has not reached its kill yet: it goes on past the end of the run until it has. */
  #killPending(): boolean {
    return this.task.kill?.victim === this.task.worker && this.board.kill === 'armed';
  }

  /** The acquire step, timed; an owner death is recovered and the acquire tried again. */
  #timedAcquire(): boolean {
    this.#enter('acquire');
    const started = performance.now();
    let acquired: boolean;
    for (;;) {
      try {
        acquired = checkedAcquired(this.role.acquire(this.shared, this.op));
        break;
      } catch (error) {
        if (!isOwnerDied(error) || this.target.recover === undefined) throw error;
        this.target.recover(this.shared, this.op);
        this.#recoveries += 1;
        this.board.reportRecovery(this.task.worker, this.op.iteration);
      }
    }
    const waitedMs = performance.now() - started;
    if (acquired) {
      this.#acquireNs = Math.max(1, Math.round(waitedMs * 1e6));
      this.#blockedMs += waitedMs;
    }
    return acquired;
  }

  #enter(phase: Phase): void {
    this.#phase = phase;
    this.board.setPhase(this.task.worker, phase, this.op.iteration);
  }

  #context(): OpContext & { iteration: number } {
    const { task, board } = this;
    const holdMs = task.params.holdMicros / 1000;
    const loop = this;
    const violation = (message: string): never => {
      const phase = loop.#phase === 'acquire' || loop.#phase === 'critical' || loop.#phase === 'release' || loop.#phase === 'finish' ? loop.#phase : 'critical';
      board.reportViolation(task.worker, phase, loop.op.iteration, message);
      throw new ViolationStop(message);
    };
    return {
      worker: task.worker,
      workers: task.params.workers,
      iteration: 0,
      params: task.params,
      random: mulberry32(streamSeed(task.params.seed, task.worker)),
      threadId: currentThreadId,
      get stopping() {
        return board.stopping;
      },
      hold: () => {
        if (holdMs <= 0) return;
        const until = performance.now() + holdMs;
        while (performance.now() < until);
      },
      point: labelPoint,
      violation,
      check: (ok, message) => {
        if (!ok) violation(message());
      },
    };
  }
}
