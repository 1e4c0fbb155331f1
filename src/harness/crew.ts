/*
 * The crew: the one way memplay starts worker threads. A crew is a fixed number
 * of seats, each with at most one worker thread running workers/crew-worker.ts
 * and at most one task at a time; Python's counterpart is a multiprocessing.Pool
 * whose processes can be killed one by one (os.kill) and are replaced on demand.
 *
 *   new Crew(n)              starts n threads at once (they warm up, loading the
 *                            runtime, while the caller prepares the run);
 *   run(seat, task)          sends a CrewTask (protocol.ts) to the seat's thread,
 *                            starting a fresh one if the seat is empty; resolves
 *                            to the task's value, or rejects with a WorkerError:
 *                            what the task raised, WorkerExited (the thread died
 *                            without answering) or WorkerTerminated (the caller
 *                            ended it);
 *   grow(n)                  adds seats up to n (a run with more workers);
 *   replaceBusy()            after a run: terminates the threads still running
 *                            a task (hung, or left blocked) and starts fresh ones;
 *   terminate(seat)          ends that thread wherever it is (a blocked
 *                            Atomics.wait included) and empties the seat; the
 *                            next run on it starts a new thread;
 *   close()                  ends every thread.
 * A thread that is left idle does not keep the process alive (unref), a busy one
 * does. Every thread is watched from its start (watch-worker.ts), so its exit,
 * however it comes, marks it dead in the kernel's live-thread table. Each thread
 * shares this thread's kernel through workerData (shm/kernel.ts).
 */
import { Worker } from 'node:worker_threads';
import { kernelWorkerData } from '../shm/kernel.js';
import { EXITED, TERMINATED, WorkerError, type CrewReply, type CrewTask, type ErrorShape } from './protocol.js';
import { watchWorker } from './watch-worker.js';
import { workerFile } from './worker-files.js';

/** The task running on a seat: which thread runs it, and how to settle it. */
interface Running {
  readonly worker: Worker;
  resolve(value: unknown): void;
  reject(error: WorkerError): void;
}

/** One seat: a worker thread (or none yet) and the task it runs. */
class Seat {
  #worker: Worker | undefined;
  #running: Running | undefined;
  /** Why each thread is going: an uncaught error it raised, or the caller's terminate(). */
  readonly #ending = new WeakMap<Worker, ErrorShape>();
  #exited: Promise<void> = Promise.resolve();

  /** Starts the seat's thread if it has none. */
  start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = watchWorker(new Worker(workerFile('crew-worker'), { workerData: kernelWorkerData() }));
    worker.unref();
    worker.on('message', (reply: CrewReply) => this.#settle(worker, reply));
    worker.on('error', (error) => {
      if (!this.#ending.has(worker)) this.#ending.set(worker, { name: error.name, message: error.message, stack: error.stack });
    });
    this.#exited = new Promise((resolve) =>
      worker.once('exit', () => {
        if (this.#worker === worker) this.#worker = undefined;
        this.#settle(worker, { ok: false, error: this.#ending.get(worker) ?? { name: EXITED, message: 'the worker thread exited without reporting' } });
        resolve();
      }),
    );
    this.#worker = worker;
    return worker;
  }

  get threadId(): number {
    return this.#worker?.threadId ?? -1;
  }

  get busy(): boolean {
    return this.#running !== undefined;
  }

  run(task: CrewTask): Promise<unknown> {
    if (this.#running !== undefined) throw new Error('a crew seat runs one task at a time');
    const worker = this.start();
    return new Promise((resolve, reject) => {
      this.#running = { worker, resolve, reject };
      worker.ref();
      worker.postMessage(task);
    });
  }

  /** Settles the running task with `reply`, if `worker` runs it (a terminated thread's late news is ignored). */
  #settle(worker: Worker, reply: CrewReply): void {
    const running = this.#running;
    if (running?.worker !== worker) return;
    this.#running = undefined;
    // A thread being terminated stays ref'd until it has gone (terminate()).
    if (this.#worker === worker) worker.unref();
    if (reply.ok) running.resolve(reply.value);
    else running.reject(new WorkerError(reply.error));
  }

  /** Ends the thread; resolves once it has exited (its task, if any, rejects with WorkerTerminated). */
  async terminate(): Promise<void> {
    const worker = this.#worker;
    if (worker !== undefined) {
      this.#ending.set(worker, { name: TERMINATED, message: 'the worker thread was terminated' });
      this.#worker = undefined;
      // An idle thread is unref'd, and terminate()'s promise alone does not keep
      // the process alive: hold it until the thread has gone (#settle leaves it so).
      worker.ref();
      await worker.terminate();
    }
    await this.#exited;
  }
}

export class Crew {
  readonly #seats: Seat[] = [];

  /** A crew of `size` seats, each with its thread started now. */
  constructor(size: number) {
    this.grow(size);
  }

  get size(): number {
    return this.#seats.length;
  }

  /** Runs `task` on the thread of `seat` (a fresh one if it was terminated). */
  run<T>(seat: number, task: CrewTask): Promise<T> {
    return this.#seats[seat].run(task) as Promise<T>;
  }

  /** Whether `seat` has a task running. */
  busy(seat: number): boolean {
    return this.#seats[seat].busy;
  }

  /** The threads' ids by seat (-1 for a seat with no thread). */
  get threadIds(): number[] {
    return this.#seats.map((seat) => seat.threadId);
  }

  /** Adds seats (their threads started now) until the crew has `size`. */
  grow(size: number): void {
    while (this.#seats.length < size) {
      const seat = new Seat();
      seat.start();
      this.#seats.push(seat);
    }
  }

  /** Terminates the thread of every seat below `seats` that still runs a task, and starts a fresh one in its place. */
  async replaceBusy(seats = this.size): Promise<void> {
    const busy = this.#seats.slice(0, seats).filter((seat) => seat.busy);
    await Promise.all(busy.map((seat) => seat.terminate()));
    for (const seat of busy) seat.start();
  }

  /** Ends the thread of `seat`, wherever it is; resolves once it has exited. */
  terminate(seat: number): Promise<void> {
    return this.#seats[seat].terminate();
  }

  /** Ends every thread; resolves once all have exited. */
  async close(): Promise<void> {
    await Promise.all(this.#seats.map((seat) => seat.terminate()));
  }
}
