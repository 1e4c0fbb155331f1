/*
 * The run board: a small block of shared memory through which the coordinator
 * watches the workers of one run, as `ps` and /proc/<pid>/status let you watch a
 * set of Python processes. Each worker writes its threadId, its state and a
 * progress counter; the coordinator reads them to map lock owners to workers, to
 * tell a hang from slow work, and to say which worker never finished.
 *
 * Layout (kernel region, Int32 words): WORKER_WORDS words per worker:
 *   [threadId | state | progress | unused]
 * Each word has one writer (its worker); every access is an Atomics load or store.
 */
import { openRegion, type Kernel, type RegionHandle } from '../shm/kernel.js';

export interface RunBoardHandle extends RegionHandle {
  readonly kind: 'RunBoard';
  readonly workers: number;
}

export const WORKER_STATES = ['starting', 'at-start-barrier', 'running', 'finished', 'failed'] as const;
export type WorkerState = (typeof WORKER_STATES)[number];

const WORKER_WORDS = 4;
const THREAD_ID = 0;
const STATE = 1;
const PROGRESS = 2;

/** What the coordinator sees of one worker. */
export interface WorkerView {
  readonly index: number;
  /** The worker thread's threadId (what Lock.ownerThreadId reports), -1 before it starts. */
  readonly threadId: number;
  readonly state: WorkerState;
  /** Steps the worker reported with ctx.progress(). */
  readonly progress: number;
}

export class RunBoard {
  readonly handle: RunBoardHandle;
  readonly #kernel: Kernel;
  readonly #words: Int32Array;
  readonly #base: number;

  constructor(workers: number);
  constructor(handle: RunBoardHandle);
  constructor(workersOrHandle: number | RunBoardHandle) {
    const attaching = typeof workersOrHandle === 'object';
    const workers = attaching ? workersOrHandle.workers : workersOrHandle;
    const region = openRegion<RunBoardHandle>('RunBoard', workers * WORKER_WORDS * 4, attaching ? workersOrHandle : undefined, { workers });
    this.handle = region.handle;
    this.#kernel = region.kernel;
    this.#words = region.kernel.words;
    this.#base = region.handle.offset >> 2;
    if (!attaching) for (let i = 0; i < workers; i++) Atomics.store(this.#words, this.#word(i, THREAD_ID), -1);
  }

  get workers(): number {
    return this.handle.workers;
  }

  #word(worker: number, field: number): number {
    return this.#base + worker * WORKER_WORDS + field;
  }

  register(worker: number, threadId: number): void {
    Atomics.store(this.#words, this.#word(worker, THREAD_ID), threadId);
  }

  setState(worker: number, state: WorkerState): void {
    Atomics.store(this.#words, this.#word(worker, STATE), WORKER_STATES.indexOf(state));
  }

  addProgress(worker: number, steps: number): void {
    Atomics.add(this.#words, this.#word(worker, PROGRESS), steps);
  }

  view(worker: number): WorkerView {
    return {
      index: worker,
      threadId: Atomics.load(this.#words, this.#word(worker, THREAD_ID)),
      state: WORKER_STATES[Atomics.load(this.#words, this.#word(worker, STATE))],
      progress: Atomics.load(this.#words, this.#word(worker, PROGRESS)),
    };
  }

  views(): WorkerView[] {
    return Array.from({ length: this.workers }, (_, worker) => this.view(worker));
  }

  /** The index of the worker running on `threadId`, or -1 (e.g. the main thread). */
  workerOfThread(threadId: number | null): number {
    if (threadId === null) return -1;
    return this.views().findIndex((view) => view.threadId === threadId);
  }

  /** Gives the region back to the kernel, once the run is over. */
  free(): void {
    this.#kernel.free(this.handle.offset);
  }
}
