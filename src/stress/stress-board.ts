/*
 * The stress board: the block of shared memory through which the runner watches a
 * stress run, readable by the main thread even when workers hang (a worker that is
 * blocked in a broken primitive can report nothing by message).
 *
 * It is the harness's board (src/harness/board.ts: thread id, state, progress per
 * worker) extended. A worker's state is its phase (what it is doing now, so a
 * hang can say who waits on what) and its progress its completed operations; its
 * own words add its current iteration and a ring of its RING most recent phase entries (phase, iteration,
 * microseconds since the board was made), so that a violation can show what every
 * worker did just before it. The first worker that sees an invariant broken claims
 * the violation slot with one compareExchange (later violators lose and just
 * stop), notes the time and writes its message there; from then on no ring
 * records anything, so the rings keep the moments before the violation. The
 * runner writes STOP (time is up, or a violation) and drives the --kill-holder
 * handshake through KILL.
 *
 * Layout (kernel region, Int32 words; the board's header words, then its per-worker words):
 *   0 STOP  1 VIOLATOR (-1 none)  2 VIOLATION_PHASE  3 VIOLATION_ITERATION
 *   4 MESSAGE_BYTES  5 KILL  6 RECOVERER (-1 none)  7 RECOVERY_ITERATION
 *   8 ORIGIN_HIGH  9 ORIGIN_LOW (the board's wall-clock ms = high * 2**31 + low)
 *   10 VIOLATION_US  11..15 unused
 *   16 .. 16+MESSAGE_WORDS      the violation message, UTF-8
 *   then per worker: [threadId | phase | ops] (board.ts), then [iteration | ring entries written |
 *                                  RING x (phase, iteration, us)]
 */
import { wallClockMs } from '../gil/thread-cpu-time.js';
import { Board, GATE_STATES, type BoardHandle } from '../harness/board.js';
import { registerHandleKind } from '../shm/handle-kinds.js';

export type StressBoardHandle = BoardHandle & { readonly kind: 'StressBoard' };

/** What a worker is doing; 'acquire' is the blocking part of an operation. */
export const PHASES = [...GATE_STATES, 'acquire', 'critical', 'release', 'finish', 'done', 'failed', 'held-for-kill'] as const;
export type Phase = (typeof PHASES)[number];

/** The --kill-holder handshake: the runner arms it, the victim reports holding, the runner kills it. */
export const KILL_STATES = ['off', 'armed', 'holding'] as const;
export type KillState = (typeof KILL_STATES)[number];

const STOP = 0;
const VIOLATOR = 1;
const VIOLATION_PHASE = 2;
const VIOLATION_ITERATION = 3;
const MESSAGE_BYTES = 4;
const KILL = 5;
const RECOVERER = 6;
const RECOVERY_ITERATION = 7;
const ORIGIN_HIGH = 8;
const ORIGIN_LOW = 9;
const VIOLATION_US = 10;
const MESSAGE_WORD = 16;
const MESSAGE_WORDS = 64;
const HEADER_WORDS = MESSAGE_WORD + MESSAGE_WORDS;
const ITERATION = 0;
const RING_WRITTEN = 1;
const RING_START = 2;
/** Phase entries kept per worker: the last three operations (acquire, critical, release). */
export const RING = 9;
const ENTRY_WORDS = 3;
const ENGINE_WORDS = RING_START + RING * ENTRY_WORDS;
const TWO_31 = 2 ** 31;

export interface Violation {
  readonly worker: number;
  /** The phase of the operation in which it was seen ('acquire', 'critical', 'release', 'finish', or 'final-check'). */
  readonly phase: string;
  readonly iteration: number;
  readonly message: string;
  /** Microseconds after the board was made (-1 for the final check). */
  readonly atUs: number;
  /** Every worker's phase and recent phase entries when the violation was claimed. */
  readonly workers: readonly WorkerAtViolation[];
}

/** One entry of a worker's ring: it entered `phase` of operation `iteration`, `atUs` after the board was made. */
export interface PhaseEntry {
  readonly phase: Phase;
  readonly iteration: number;
  readonly atUs: number;
}

/** A worker as the violation found it: what it was doing, and its last phase entries before it (oldest first). */
export interface WorkerAtViolation {
  readonly worker: number;
  readonly phase: Phase;
  readonly recent: readonly PhaseEntry[];
}

export interface WorkerSlot {
  readonly index: number;
  readonly threadId: number;
  readonly phase: Phase;
  readonly ops: number;
  readonly iteration: number;
}

const VIOLATION_PHASES = [...PHASES, 'final-check'] as const;

export class StressBoard extends Board<Phase> {
  declare readonly handle: StressBoardHandle;
  readonly #originMs: number;

  constructor(workersOrHandle: number | StressBoardHandle) {
    super({ kind: 'StressBoard', states: PHASES, headerWords: HEADER_WORDS, workerWords: ENGINE_WORDS }, workersOrHandle);
    if (typeof workersOrHandle === 'number') {
      this.words[VIOLATOR] = -1;
      this.words[RECOVERER] = -1;
      const origin = Math.floor(wallClockMs());
      this.words[ORIGIN_HIGH] = Math.floor(origin / TWO_31);
      this.words[ORIGIN_LOW] = origin % TWO_31;
    }
    this.#originMs = this.words[ORIGIN_HIGH] * TWO_31 + this.words[ORIGIN_LOW];
  }

  /** Microseconds since the board was made (wraps after 35 minutes). */
  #nowUs(): number {
    return Math.round((wallClockMs() - this.#originMs) * 1000) | 0;
  }

  /** A phase entered, recorded in the ring (the start gate's too). */
  override setState(worker: number, phase: Phase): void {
    this.setPhase(worker, phase);
  }

  /** The worker enters `phase` of operation `iteration`; its ring records it until a violation is claimed. */
  setPhase(worker: number, phase: Phase, iteration = Atomics.load(this.words, this.workerWord(worker, ITERATION))): void {
    super.setState(worker, phase);
    if (Atomics.load(this.words, VIOLATOR) !== -1) return;
    const written = this.words[this.workerWord(worker, RING_WRITTEN)];
    const entry = this.workerWord(worker, RING_START + (written % RING) * ENTRY_WORDS);
    this.words[entry] = PHASES.indexOf(phase);
    this.words[entry + 1] = iteration;
    this.words[entry + 2] = this.#nowUs();
    Atomics.store(this.words, this.workerWord(worker, RING_WRITTEN), written + 1);
  }

  /** The worker's recorded phase entries, oldest first (read racily while it runs: for reports). */
  recentPhases(worker: number): PhaseEntry[] {
    const written = Atomics.load(this.words, this.workerWord(worker, RING_WRITTEN));
    const entries: PhaseEntry[] = [];
    for (let index = Math.max(0, written - RING); index < written; index++) {
      const entry = this.workerWord(worker, RING_START + (index % RING) * ENTRY_WORDS);
      entries.push({ phase: PHASES[this.words[entry]], iteration: this.words[entry + 1], atUs: this.words[entry + 2] });
    }
    return entries;
  }

  /** An operation is done: one more op, and the iteration the worker moves to. */
  completeOp(worker: number, iteration: number): void {
    this.addProgress(worker, 1);
    Atomics.store(this.words, this.workerWord(worker, ITERATION), iteration);
  }

  slot(worker: number): WorkerSlot {
    const view = this.view(worker);
    return { index: worker, threadId: view.threadId, phase: view.state, ops: view.progress, iteration: Atomics.load(this.words, this.workerWord(worker, ITERATION)) };
  }

  slots(): WorkerSlot[] {
    return Array.from({ length: this.workers }, (_, worker) => this.slot(worker));
  }

  totalOps(): number {
    return this.totalProgress();
  }

  requestStop(): void {
    Atomics.store(this.words, STOP, 1);
  }

  get stopping(): boolean {
    return Atomics.load(this.words, STOP) !== 0;
  }

  /** Claims the violation slot; true for the first violator only, whose message is then kept. */
  reportViolation(worker: number, phase: (typeof VIOLATION_PHASES)[number], iteration: number, message: string): boolean {
    if (Atomics.compareExchange(this.words, VIOLATOR, -1, worker) !== -1) return false;
    Atomics.store(this.words, VIOLATION_US, this.#nowUs());
    Atomics.store(this.words, VIOLATION_PHASE, VIOLATION_PHASES.indexOf(phase));
    Atomics.store(this.words, VIOLATION_ITERATION, iteration);
    const bytes = new TextEncoder().encode(message).subarray(0, MESSAGE_WORDS * 4);
    new Uint8Array(this.kernel.buffer, this.handle.offset + MESSAGE_WORD * 4, bytes.length).set(bytes);
    Atomics.store(this.words, MESSAGE_BYTES, bytes.length);
    this.requestStop();
    return true;
  }

  get violated(): boolean {
    return Atomics.load(this.words, VIOLATOR) !== -1;
  }

  violation(): Violation | null {
    const worker = Atomics.load(this.words, VIOLATOR);
    if (worker === -1) return null;
    const length = Atomics.load(this.words, MESSAGE_BYTES);
    const bytes = new Uint8Array(this.kernel.buffer, this.handle.offset + MESSAGE_WORD * 4, length).slice();
    const atUs = Atomics.load(this.words, VIOLATION_US);
    return {
      worker,
      phase: VIOLATION_PHASES[Atomics.load(this.words, VIOLATION_PHASE)],
      iteration: Atomics.load(this.words, VIOLATION_ITERATION),
      message: length === 0 ? '(the violator did not finish writing its message)' : new TextDecoder().decode(bytes),
      atUs,
      workers: this.slots().map((slot) => {
        const recent = this.#phasesUntil(slot.index, atUs);
        return { worker: slot.index, phase: recent.at(-1)?.phase ?? slot.phase, recent };
      }),
    };
  }

  /**
   * A worker's recorded phases up to the violation. A worker that read the
   * violation slot free an instant before the claim may still record one entry
   * after it: that one is left out.
   */
  #phasesUntil(worker: number, atUs: number): PhaseEntry[] {
    return this.recentPhases(worker).filter((entry) => entry.atUs <= atUs);
  }

  get kill(): KillState {
    return KILL_STATES[Atomics.load(this.words, KILL)];
  }

  set kill(state: KillState) {
    Atomics.store(this.words, KILL, KILL_STATES.indexOf(state));
  }

  /** The victim of --kill-holder: true once, for the one that goes to be killed while holding. */
  claimKill(): boolean {
    return Atomics.compareExchange(this.words, KILL, KILL_STATES.indexOf('armed'), KILL_STATES.indexOf('holding')) === KILL_STATES.indexOf('armed');
  }

  /** An acquirer got the lock with OwnerDiedError and repaired it (the first one is kept). */
  reportRecovery(worker: number, iteration: number): void {
    if (Atomics.compareExchange(this.words, RECOVERER, -1, worker) === -1) Atomics.store(this.words, RECOVERY_ITERATION, iteration);
  }

  recovery(): { worker: number; iteration: number } | null {
    const worker = Atomics.load(this.words, RECOVERER);
    return worker === -1 ? null : { worker, iteration: Atomics.load(this.words, RECOVERY_ITERATION) };
  }

  /** A word the kill victim sleeps on (nobody wakes it: it sleeps until it is terminated). */
  get sleepWords(): [Int32Array, number] {
    return [this.words, KILL];
  }
}

declare module '../shm/handle-kinds.js' {
  interface HandleKinds {
    StressBoard: { handle: StressBoardHandle; object: StressBoard };
  }
}
registerHandleKind('StressBoard', (handle) => new StressBoard(handle));
