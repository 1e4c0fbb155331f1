/*
 * The board: the block of shared memory through which the main thread watches
 * the workers of one run, as `ps` and /proc/<pid>/status let you watch a set of
 * Python processes. It stays readable when a worker hangs: a worker blocked in
 * a broken primitive can report nothing by message, but its last words are
 * here. Each worker writes its thread id, its state and a progress counter; the
 * main thread reads them to map lock owners to workers, to tell when every
 * worker has passed the start gate, to tell a hang from slow work, and to say
 * which worker never finished. A worker also writes the kernel word it sleeps
 * on in an untimed futex wait (atomics/futex.ts's WaitWatcher), so the main
 * thread can tell when every unfinished worker sleeps on a word that still
 * holds what it expects: nobody is left to change it, and the run is deadlocked
 * (sleepingForGood). The main thread ends such a run through the board too: it
 * marks each sleeper's run ended and wakes the word it sleeps on (endWaits), and
 * the sleeper's wait raises RunEnded. One board serves every engine: a scenario run and a GIL
 * lab run use RunBoard as it is; the stress runner's StressBoard (src/stress)
 * extends it with header words (STOP, the violation, the --kill-holder
 * handshake) and words of its own per worker (its iteration and its ring of
 * recent phases).
 *
 * Layout (kernel region, Int32 words; the handle carries it, so a board can be
 * rebuilt from its handle alone, attach(handle)):
 *   headerWords words for the engine, then per worker
 *   [threadId | state | progress | waitAt | waitExpected | waits | ended | workerWords engine words]
 * waitAt is 1 + the byte offset in the kernel of the word an untimed wait sleeps
 * on (0: no such wait), waitExpected the value it sleeps while the word holds,
 * waits how many such waits the worker has begun, ended 1 once the main thread
 * has ended the worker's run.
 * Each per-worker word has one writer (its worker; ended's is the main thread);
 * every access is an Atomics load or store. The states are the handle's list, whose first two are always
 * 'starting' and 'at-start-barrier' (the start gate, start-gate.ts).
 */
import type { WaitWatcher } from '../atomics/futex.js';
import { openRegion, type Kernel, type RegionHandle } from '../shm/kernel.js';
import { registerHandleKind } from '../shm/handle-kinds.js';
import { kernelWordsNow } from '../sync/region-words.js';

/** The region kinds of boards (shm/region.ts). */
export type BoardKind = 'RunBoard' | 'StressBoard';

export interface BoardHandle extends RegionHandle {
  readonly kind: BoardKind;
  readonly workers: number;
  /** The names of the state word's values, 'starting' and 'at-start-barrier' first. */
  readonly states: readonly string[];
  readonly headerWords: number;
  readonly workerWords: number;
}

/** What every board's layout says before its handle exists. */
export interface BoardLayout<S extends string> {
  readonly kind: BoardKind;
  readonly states: readonly S[];
  readonly headerWords?: number;
  readonly workerWords?: number;
}

/** The states every board starts with: a worker that has not yet registered, and one waiting at the start gate. */
export const GATE_STATES = ['starting', 'at-start-barrier'] as const;

const THREAD_ID = 0;
const STATE = 1;
const PROGRESS = 2;
const WAIT_AT = 3;
const WAIT_EXPECTED = 4;
const WAITS = 5;
const ENDED = 6;
const BASE_WORDS = 7;

/** What the main thread sees of one worker. */
export interface WorkerView<S extends string = WorkerState> {
  readonly index: number;
  /** The worker thread's threadId (what Lock.ownerThreadId reports), -1 before it starts. */
  readonly threadId: number;
  readonly state: S;
  /** Steps the worker reported (ctx.progress(), a stress worker's completed operations). */
  readonly progress: number;
}

export class Board<S extends string = string> {
  readonly handle: BoardHandle;
  readonly kernel: Kernel;
  /** The region's words, from its first. */
  protected readonly words: Int32Array;
  readonly #stride: number;

  constructor(layout: BoardLayout<S>, workersOrHandle: number | BoardHandle) {
    const given = typeof workersOrHandle === 'object' ? workersOrHandle : undefined;
    const shape = given ?? { workers: workersOrHandle as number, states: layout.states, headerWords: layout.headerWords ?? 0, workerWords: layout.workerWords ?? 0 };
    const stride = BASE_WORDS + shape.workerWords;
    const region = openRegion<BoardHandle>(layout.kind, (shape.headerWords + shape.workers * stride) * 4, given, {
      workers: shape.workers,
      states: [...shape.states],
      headerWords: shape.headerWords,
      workerWords: shape.workerWords,
    });
    this.handle = region.handle;
    this.kernel = region.kernel;
    this.#stride = stride;
    this.words = new Int32Array(region.kernel.buffer, region.handle.offset, shape.headerWords + shape.workers * stride);
    if (given === undefined) for (let worker = 0; worker < shape.workers; worker++) Atomics.store(this.words, this.#word(worker, THREAD_ID), -1);
  }

  get workers(): number {
    return this.handle.workers;
  }

  #word(worker: number, field: number): number {
    return this.handle.headerWords + worker * this.#stride + field;
  }

  /** The index in `words` of the engine's word `field` (from 0) of `worker`. */
  protected workerWord(worker: number, field: number): number {
    return this.#word(worker, BASE_WORDS + field);
  }

  register(worker: number, threadId: number): void {
    Atomics.store(this.words, this.#word(worker, THREAD_ID), threadId);
  }

  setState(worker: number, state: S): void {
    Atomics.store(this.words, this.#word(worker, STATE), this.stateIndex(state));
  }

  protected stateIndex(state: string): number {
    return this.handle.states.indexOf(state);
  }

  addProgress(worker: number, steps: number): void {
    Atomics.add(this.words, this.#word(worker, PROGRESS), steps);
  }

  view(worker: number): WorkerView<S> {
    return {
      index: worker,
      threadId: Atomics.load(this.words, this.#word(worker, THREAD_ID)),
      state: this.handle.states[Atomics.load(this.words, this.#word(worker, STATE))] as S,
      progress: Atomics.load(this.words, this.#word(worker, PROGRESS)),
    };
  }

  views(): WorkerView<S>[] {
    return Array.from({ length: this.workers }, (_, worker) => this.view(worker));
  }

  /** Worker `worker`'s side: a WaitWatcher (atomics/futex.ts) that keeps its untimed waits on kernel words on the board. */
  waitWatcher(worker: number): WaitWatcher {
    const kernelBuffer = this.kernel.buffer;
    return {
      sleeping: (words, index, expected) => {
        if (words.buffer !== kernelBuffer) return;
        Atomics.store(this.words, this.#word(worker, WAIT_EXPECTED), expected);
        Atomics.add(this.words, this.#word(worker, WAITS), 1);
        Atomics.store(this.words, this.#word(worker, WAIT_AT), 1 + words.byteOffset + index * 4);
      },
      awake: () => Atomics.store(this.words, this.#word(worker, WAIT_AT), 0),
      ended: () => this.hasEnded(worker),
    };
  }

  /** Whether the main thread has ended `worker`'s run (endWaits). */
  hasEnded(worker: number): boolean {
    return Atomics.load(this.words, this.#word(worker, ENDED)) !== 0;
  }

  /**
   * The main thread's side: ends the run for `workers`. Each is marked ended, and
   * the word its untimed wait sleeps on, if any, is woken: the wait raises
   * RunEnded (atomics/run-ended.ts). A worker between putting its wait on the
   * board and sleeping misses that wake-up, so the caller repeats this until the
   * workers' tasks have settled.
   */
  endWaits(workers: readonly number[]): void {
    const kernelWords = kernelWordsNow(this.kernel);
    for (const worker of workers) {
      Atomics.store(this.words, this.#word(worker, ENDED), 1);
      const at = Atomics.load(this.words, this.#word(worker, WAIT_AT));
      if (at !== 0) Atomics.notify(kernelWords, (at - 1) >> 2);
    }
  }

  /**
   * For each of `workers`, which untimed wait it is in, as a number that changes
   * with every new wait; null when one of them is in none, or its word no longer
   * holds what it sleeps for (it has been, or is about to be, woken). The same
   * answer twice, some time apart, means each of them slept through that time,
   * and if they are all the run's unfinished workers, none can ever wake another.
   */
  sleepingForGood(workers: readonly number[]): number[] | null {
    const kernelWords = kernelWordsNow(this.kernel);
    const waits: number[] = [];
    for (const worker of workers) {
      const before = Atomics.load(this.words, this.#word(worker, WAITS));
      const at = Atomics.load(this.words, this.#word(worker, WAIT_AT));
      const expected = Atomics.load(this.words, this.#word(worker, WAIT_EXPECTED));
      const settled = at !== 0 && Atomics.load(kernelWords, (at - 1) >> 2) === expected && Atomics.load(this.words, this.#word(worker, WAITS)) === before;
      if (!settled) return null;
      waits.push(before);
    }
    return waits;
  }

  /** Every worker's progress, summed. */
  totalProgress(): number {
    let total = 0;
    for (let worker = 0; worker < this.workers; worker++) total += Atomics.load(this.words, this.#word(worker, PROGRESS));
    return total;
  }

  /** Whether every worker has passed the start gate. */
  allStarted(): boolean {
    return this.views().every((view) => !(GATE_STATES as readonly string[]).includes(view.state));
  }

  /** The index of the worker running on `threadId`, or -1 (e.g. the main thread). */
  workerOfThread(threadId: number | null): number {
    if (threadId === null) return -1;
    return this.views().findIndex((view) => view.threadId === threadId);
  }

  /** Gives the region back to the kernel, once the run is over. */
  free(): void {
    this.kernel.free(this.handle.offset);
  }
}

/** The states of a scenario's or a GIL lab thread's worker. */
export const WORKER_STATES = [...GATE_STATES, 'running', 'finished', 'failed'] as const;
export type WorkerState = (typeof WORKER_STATES)[number];

export type RunBoardHandle = BoardHandle & { readonly kind: 'RunBoard' };

/** The board of a scenario run or a GIL lab run: the common words, nothing more. */
export class RunBoard extends Board<WorkerState> {
  declare readonly handle: RunBoardHandle;

  constructor(workersOrHandle: number | RunBoardHandle) {
    super({ kind: 'RunBoard', states: WORKER_STATES }, workersOrHandle);
  }
}

declare module '../shm/handle-kinds.js' {
  interface HandleKinds {
    RunBoard: { handle: RunBoardHandle; object: RunBoard };
  }
}
registerHandleKind('RunBoard', (handle) => new RunBoard(handle));
