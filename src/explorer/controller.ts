/*
 * The controller of a controlled run: runs one schedule of a variant on the
 * explorer's parked workers, one step at a time, on the main thread.
 *
 * A step: every unfinished worker is parked, either AT_POINT (its next operation
 * announced in the control region) or BLOCKED in a futex wait. The controller
 * works out which are enabled, asks a Chooser (a strategy) which one moves, lets
 * it go (TURN = GO, Atomics.notify) and sleeps on its STATE word until it parks
 * again or finishes. So exactly one worker runs at a time, on real shared memory.
 *
 * Enabled: a worker AT_POINT, unless it is spinning or its untimed acquire's
 * gate says it would block (the primitive's first word: a held Lock, a
 * Semaphore at 0); a BLOCKED worker whose wait a wake reached (it resumes).
 * When the worker that moved last is about to take a holder's step (a release
 * of its lock, a notify under it; holderStep below), it alone is offered. Only
 * when nothing is enabled may time pass: a timed wait times out, or a spinner
 * is let go to read again ("forced" steps); when nothing can move at all, or
 * forced steps go on with nobody else moving (taking and releasing a lock, as a
 * synchronized Value's spin does between its reads, is not moving), the run is
 * hung (a deadlock, or a livelock of spinners), and its workers are aborted
 * (TURN = ABORT: every later point throws) so the run still ends. A late worker
 * still UNBORN (a process the script has not started) is neither counted nor
 * chosen; it is aborted with the rest when the run ends.
 *
 * Spinning (as loom and Fray treat a spin loop): a worker about to read a
 * location it has already read SPIN_REPEATS times since its last write, with
 * every location it read still holding what it saw, can only read the same again;
 * it waits until one of them changes. Taking and releasing a lock in between (a
 * synchronized Value's read does) does not count as a write, nor does a
 * compareExchange that finds the word not holding its expected value (it
 * writes nothing: a spin lock's failed CAS is a read).
 */
import { ACCESS, gateClosed, OP_CODE, type Access, type Gate, type PointOp } from '../atomics/scheduling-point.js';
import { RuntimeError } from '../errors.js';
import { ControlRegion, G_GENERATION, G_RECORD_WHERE, STATE, TURN_ABORT, TURN_GO, W } from './control-region.js';
import { independent } from './independence.js';
import { readCell } from './memory-cells.js';
import { inUserCode } from './code-running.js';

/** An operation a worker announced at its point, as the controller reads it from the control region. */
export interface Announced extends PointOp {
  /** Where the worker's code was (a Python script's file:line and source), when the run records it. */
  readonly where?: string;
}

export type StepKind = 'op' | 'resume' | 'timeout';

export interface Step {
  readonly worker: number;
  readonly kind: StepKind;
  readonly op: Announced;
  /** What the location held just before the step (reads and atomic updates). */
  readonly before?: number;
  /** Workers whose futex wait this step woke. */
  readonly woke: readonly number[];
  /** Whether the worker ended the step blocked in a wait. */
  blocks: boolean;
  /** Whether the worker's code ended with this step. */
  finishes: boolean;
  /** The shared state after the step, when the run records it. */
  state?: string;
}

export interface ChoiceNode {
  readonly step: number;
  /** The workers that may move, ascending. */
  readonly enabled: readonly number[];
  /** No worker could move on its own: these are timeouts or spinners let go. */
  readonly forced: boolean;
  /** The worker that made the previous step (-1 at the start). */
  readonly previous: number;
  /** Whether switching away from `previous` here is a preemption (it could have gone on, and did not yield). */
  readonly previousEnabled: boolean;
  /** The previous step was a yield (time.sleep): switching is free, and fair schedulers switch. */
  readonly previousYielded: boolean;
  /** Each worker's next operation (null: finished, or blocked and not enabled). */
  readonly ops: readonly (Announced | null)[];
}

/** A strategy's part in one schedule: which enabled worker moves (-1: abandon the schedule). */
export interface Chooser {
  choose(node: ChoiceNode): number;
  /** At the step limit: whether a worker this chooser keeps from moving could still move (then the schedule is abandoned, not a livelock). */
  starving?(): boolean;
}

export type WorkerResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly name: string; readonly message: string; readonly where?: string } | { readonly aborted: true };

export interface BlockedWorker {
  readonly worker: number;
  readonly op: Announced;
  readonly how: 'blocked' | 'spinning' | 'timed-wait';
}

export interface Execution {
  readonly steps: Step[];
  readonly choices: number[];
  readonly preemptions: number;
  /** Switches away from a worker that could have gone on and had not yielded (preemptions, less CHESS's fairness cost of staying after a yield). */
  readonly interruptions: number;
  /** 'livelock': no end within the step limit; 'abandoned': the chooser gave up, or the time ran out. */
  readonly ending: 'finished' | 'hang' | 'livelock' | 'abandoned';
  readonly results: WorkerResult[];
  /** The workers that could not move when the run hung. */
  readonly stuck: BlockedWorker[];
  /** Each worker's thread id (owner tags of locks are threadId + 1). */
  readonly threadIds: number[];
}

export interface RunOptions {
  /** Called after each step for the state column (a witness being printed). */
  readonly describeState?: (step: Step) => string;
  /** A schedule still running after this many steps is a livelock. */
  readonly maxSteps?: number;
  /** performance.now() after which the schedule is abandoned. */
  readonly deadline?: number;
}

/** Steps after which a schedule counts as a livelock, unless the caller says otherwise. */
export const DEFAULT_MAX_STEPS = 20_000;

/** What a worker saw at a location since its last write: the value, how many reads saw it, its type. */
interface ReadSeen {
  value: number;
  count: number;
  readonly type: number;
}

const SPIN_REPEATS = 2;
/** Forced steps in a row, with no worker moving on its own, after which the run counts as hung. */
const FORCED_LIMIT = 64;
/** Spins of the controller on a worker's STATE before it sleeps. */
const SPIN_BEFORE_SLEEP = 20_000;
/** Longest a worker may run between two points, or take to abort. */
export const STEP_LIMIT_MS = 20_000;

/**
 * 1 when choosing `worker` at `node` is a preemption: a switch away from a worker
 * that could have gone on, or (CHESS's fairness) staying with a worker that just
 * yielded while another could run; switching after a yield, a block or an end is free.
 */
export function preemptionCost(node: Pick<ChoiceNode, 'enabled' | 'previous' | 'previousEnabled' | 'previousYielded'>, worker: number): number {
  if (node.previousYielded) return worker === node.previous && node.enabled.length > 1 ? 1 : 0;
  return node.previousEnabled && worker !== node.previous ? 1 : 0;
}

/** A worker did not come back to a point in time (code that loops with no scheduling point): the exploration ends with this, one line. */
export class CrewLost extends RuntimeError {}

export class Controller {
  readonly #control: ControlRegion;
  readonly #kernel: SharedArrayBuffer;

  constructor(control: ControlRegion, kernel: SharedArrayBuffer) {
    this.#control = control;
    this.#kernel = kernel;
  }

  get workers(): number {
    return this.#control.workers;
  }

  /** Runs one schedule: the workers attach `wire`'s objects, run their code, and the chooser picks every step. */
  run(wire: string, chooser: Chooser, options: RunOptions = {}): Execution {
    const control = this.#control;
    const workers = control.workers;
    control.writeWire(wire);
    Atomics.store(control.words, G_RECORD_WHERE, options.describeState === undefined ? 0 : 1);
    for (let w = 0; w < workers; w++) control.set(w, W.STATE, STATE.running);
    Atomics.add(control.words, G_GENERATION, 1);
    Atomics.notify(control.words, G_GENERATION);
    for (let w = 0; w < workers; w++) this.#awaitParked(w);
    // Every worker's first step (its code up to its first real point) touches nothing shared: taken here, in order, with no choice.
    for (let w = 0; w < workers; w++) if (control.get(w, W.STATE) === STATE.atPoint && control.get(w, W.OP) === OP_CODE.start) this.#release(w);

    const steps: Step[] = [];
    const choices: number[] = [];
    const reads = Array.from({ length: workers }, () => new Map<number, ReadSeen>());
    const lastOp: (Announced | null)[] = new Array(workers).fill(null);
    let previous = -1;
    const tally = { preemptions: 0, interruptions: 0 };
    let forcedRun = 0;
    const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    const deadline = options.deadline ?? Infinity;
    for (;;) {
      if (steps.length >= maxSteps) return this.#finish(chooser.starving?.() ? 'abandoned' : 'livelock', steps, choices, tally, []);
      if ((steps.length & 255) === 255 && performance.now() > deadline) return this.#finish('abandoned', steps, choices, tally, []);
      const survey = this.#survey(reads, lastOp);
      if (survey.unfinished === 0) return this.#finish('finished', steps, choices, tally, []);
      let enabled = survey.enabled;
      const forced = enabled.length === 0;
      if (forced) {
        enabled = forcedRun < FORCED_LIMIT ? survey.waiting : [];
        if (enabled.length === 0) return this.#finish('hang', steps, choices, tally, survey.stuck);
        forcedRun++;
      } else if (enabled.some((worker) => !LOCK_OPS.has(survey.ops[worker]!.op))) forcedRun = 0;
      const previousYielded = previous >= 0 && steps[steps.length - 1].op.op === OP_CODE.sleep;
      if (!forced && !previousYielded && enabled.length > 1 && enabled.includes(previous) && holderStep(previous, survey)) enabled = [previous];
      const previousEnabled = !forced && !previousYielded && enabled.includes(previous);
      let choice: number;
      try {
        choice = chooser.choose({ step: steps.length, enabled, forced, previous, previousEnabled, previousYielded, ops: survey.ops });
      } catch (error) {
        this.#finish('abandoned', steps, choices, tally, []);
        throw error;
      }
      if (choice < 0) return this.#finish('abandoned', steps, choices, tally, []);
      if (!enabled.includes(choice)) throw new RangeError(`worker ${choice} cannot move at step ${steps.length + 1}`);
      tally.preemptions += preemptionCost({ enabled, previous, previousEnabled, previousYielded }, choice);
      if (previousEnabled && choice !== previous) tally.interruptions++;
      const step = this.#step(choice, survey.kinds[choice], lastOp);
      noteReads(reads[choice], step);
      if (options.describeState !== undefined) step.state = options.describeState(step);
      steps.push(step);
      choices.push(choice);
      previous = choice;
    }
  }

  /** Which workers may move, and how the others wait. */
  #survey(reads: Map<number, ReadSeen>[], lastOp: (Announced | null)[]) {
    const control = this.#control;
    const enabled: number[] = [];
    const waiting: number[] = [];
    const stuck: BlockedWorker[] = [];
    const ops: (Announced | null)[] = [];
    const kinds: StepKind[] = [];
    let unfinished = 0;
    for (let w = 0; w < control.workers; w++) {
      const state = control.get(w, W.STATE);
      ops.push(null);
      kinds.push('op');
      if (state === STATE.done || state === STATE.unborn) continue;
      unfinished++;
      if (state === STATE.atPoint) {
        const op = this.#announced(w);
        ops[w] = op;
        if (this.#spinning(op, reads[w])) {
          waiting.push(w);
          stuck.push({ worker: w, op, how: 'spinning' });
        } else if (op.gate && gateClosed(op.gate, this.#read(op.object, INT32))) stuck.push({ worker: w, op, how: 'blocked' });
        else enabled.push(w);
        continue;
      }
      const op = lastOp[w] ?? this.#announced(w);
      if (control.get(w, W.WOKEN) === 1) {
        enabled.push(w);
        ops[w] = RESUME_OP;
        kinds[w] = 'resume';
      } else if (control.get(w, W.WAIT_TIMED) === 1) {
        waiting.push(w);
        ops[w] = RESUME_OP;
        kinds[w] = 'timeout';
        stuck.push({ worker: w, op, how: 'timed-wait' });
      } else stuck.push({ worker: w, op, how: 'blocked' });
    }
    return { enabled, waiting, stuck, ops, kinds, unfinished };
  }

  #spinning(op: Announced, reads: Map<number, ReadSeen>): boolean {
    if (!onlyReads(op, () => this.#read(op.location, op.type))) return false;
    const seen = reads.get(op.location);
    if (seen === undefined || seen.count < SPIN_REPEATS) return false;
    for (const [location, entry] of reads) if (this.#read(location, entry.type) !== entry.value) return false;
    return true;
  }

  /** Lets `worker` make one step and waits until it parks again or finishes. */
  #step(worker: number, kind: StepKind, lastOp: (Announced | null)[]): Step {
    const control = this.#control;
    const op = kind === 'op' ? this.#announced(worker) : (lastOp[worker] ?? this.#announced(worker));
    if (kind === 'op') lastOp[worker] = op;
    const before = kind === 'op' && op.location >= 0 && op.access !== ACCESS.write && op.type !== 0 ? this.#read(op.location, op.type) : undefined;
    const asleep = this.#sleepers();
    const state = this.#release(worker);
    const woke = asleep.filter((other) => control.get(other, W.WOKEN) === 1);
    return { worker, kind, op, before, woke, blocks: state === STATE.blocked, finishes: state === STATE.done };
  }

  /** Lets `worker` go and waits until it parks again or finishes; returns its state then. */
  #release(worker: number): number {
    this.#control.giveTurn(worker, TURN_GO);
    return this.#awaitParked(worker);
  }

  /** The workers asleep in a futex wait that no wake has reached yet. */
  #sleepers(): number[] {
    const control = this.#control;
    const sleepers: number[] = [];
    for (let w = 0; w < control.workers; w++) {
      if (control.get(w, W.STATE) === STATE.blocked && control.get(w, W.WOKEN) === 0) sleepers.push(w);
    }
    return sleepers;
  }

  /** Waits (spinning first, then sleeping) until `worker` is parked or done; returns its state. */
  #awaitParked(worker: number): number {
    const control = this.#control;
    const index = control.at(worker, W.STATE);
    for (let spin = 0; spin < SPIN_BEFORE_SLEEP; spin++) {
      const state = Atomics.load(control.words, index);
      if (state !== STATE.running) return state;
    }
    return inUserCode(`worker ${worker}'s code, which reached no scheduling point`, () => this.#sleepUntilParked(worker, index));
  }

  #sleepUntilParked(worker: number, index: number): number {
    const control = this.#control;
    const deadline = performance.now() + STEP_LIMIT_MS;
    for (;;) {
      const state = Atomics.load(control.words, index);
      if (state !== STATE.running) return state;
      if (performance.now() > deadline) throw new CrewLost(`worker ${worker} did not reach a scheduling point within ${STEP_LIMIT_MS / 1000} s: its code loops, or blocks, with no scheduling point (a ctx.point() in a scenario's loop, op.point() in a stress target's, lets the explorer interleave it)`);
      Atomics.wait(control.words, index, STATE.running, 50);
    }
  }

  /** Aborts every unfinished worker and collects what each returned. */
  #finish(ending: Execution['ending'], steps: Step[], choices: number[], tally: { preemptions: number; interruptions: number }, stuck: BlockedWorker[]): Execution {
    const control = this.#control;
    for (let w = 0; w < control.workers; w++) {
      if (control.get(w, W.STATE) === STATE.done) continue;
      control.giveTurn(w, TURN_ABORT);
      // A worker that catches the abort parks again: it is told again, and every later point throws.
      while (this.#awaitParked(w) !== STATE.done) control.giveTurn(w, TURN_ABORT);
    }
    const results: WorkerResult[] = [];
    const threadIds: number[] = [];
    for (let w = 0; w < control.workers; w++) {
      results.push(JSON.parse(control.readResult(w) || '{"aborted":true}') as WorkerResult);
      threadIds.push(control.get(w, W.THREAD_ID));
    }
    return { steps, choices, ...tally, ending, results, stuck, threadIds };
  }

  #announced(worker: number): Announced {
    const control = this.#control;
    const op = control.get(worker, W.OP);
    const label = op === OP_CODE.point || op === OP_CODE.sleep ? control.readLabel(worker) : undefined;
    const where = control.get(worker, W.WHERE_BYTES) > 0 ? control.readWhere(worker) : undefined;
    return {
      op,
      object: control.get(worker, W.OBJECT),
      index: control.get(worker, W.INDEX),
      access: control.get(worker, W.ACCESS) as Access,
      location: control.get(worker, W.LOCATION),
      type: control.get(worker, W.TYPE),
      partner: control.get(worker, W.PARTNER),
      gate: control.get(worker, W.GATE) as Gate,
      byHolder: control.get(worker, W.BY_HOLDER) === 1,
      value: control.getFloat(worker, W.VALUE_F64),
      expected: control.getFloat(worker, W.EXPECTED_F64),
      label,
      where,
    };
  }

  #read(location: number, type: number): number {
    return readCell(this.#kernel, location, type);
  }
}

/** What a blocked worker does when it moves again, for the independence relation: resume in its wait (a primitive's operation, dependent on every other). The step table shows the operation it blocked in. */
const RESUME_OP: Announced = { op: OP_CODE.start, object: -1, index: 0, access: ACCESS.sync, location: -1, type: 0, value: 0, expected: 0 };

const INT32 = 'i'.charCodeAt(0);

/** A lock's acquire and release change nothing a spinning reader waits for (a synchronized Value's read takes its lock). */
const LOCK_OPS = new Set([OP_CODE.acquire, OP_CODE.release]);

/** Operations of a primitive that only look at one word: Event.is_set(), a Process's is_alive() / exitcode. */
const LOOKS = new Set([OP_CODE.is_set, OP_CODE['process.poll']]);

/**
 * Whether `worker`'s next step is one its primitive's holder takes (a release, a
 * Condition's notify) while no other worker has an operation on that primitive
 * pending but an untimed acquire, which waits for the release anyway. Then a
 * switch away just before the step gives the same schedules as one just after it
 * (the others' steps in between commute with it), so the worker goes on with no
 * choice, as CHESS places preemptions only where they can matter. A worker
 * resuming from a wait, whose operation is not known, counts as pending on it.
 */
function holderStep(worker: number, survey: { readonly ops: readonly (Announced | null)[]; readonly kinds: readonly StepKind[] }): boolean {
  const op = survey.ops[worker];
  if (op === null || op.byHolder !== true || survey.kinds[worker] !== 'op') return false;
  return survey.ops.every((other, w) => w === worker || other === null || (survey.kinds[w] === 'op' && (Boolean(other.gate) || independent(op, other))));
}

/**
 * Whether an operation only reads one location: a plain read, a primitive's look
 * at a word, or a compareExchange that finds the word (`held()`, asked only for
 * one) not holding its expected value, which writes nothing.
 */
function onlyReads(op: Announced, held: () => number | undefined): boolean {
  if (op.location < 0) return false;
  if (op.access === ACCESS.read || LOOKS.has(op.op)) return true;
  if (op.op !== OP_CODE['words.compareExchange']) return false;
  const value = held();
  return value !== undefined && value !== op.expected;
}

/** The spin bookkeeping after a step: a read is counted, anything else forgets what was read. */
function noteReads(reads: Map<number, ReadSeen>, step: Step): void {
  if (step.kind !== 'op' || step.op.access === ACCESS.none || LOCK_OPS.has(step.op.op)) return;
  if (!onlyReads(step.op, () => step.before) || step.before === undefined) {
    reads.clear();
    return;
  }
  const seen = reads.get(step.op.location);
  if (seen !== undefined && seen.value === step.before) seen.count++;
  else reads.set(step.op.location, { value: step.before, count: 1, type: step.op.type });
}
